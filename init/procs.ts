// What /proc says about processes: used to find zombie children that Bun did
// not spawn, and to wait for user processes to end at shutdown.
import * as fs from "node:fs";

export interface ProcStat { pid: number; state: string; ppid: number; kernelThread: boolean; comm: string }

const PF_KTHREAD = 0x00200000;

export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm is in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" ");
  return { pid, state: f[0], ppid: Number(f[1]), kernelThread: (Number(f[6]) & PF_KTHREAD) !== 0, comm };
}

export function allPids(): number[] {
  try {
    return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** User processes other than `self` that are still alive (not zombies). */
export function liveUserProcesses(self: number): ProcStat[] {
  return allPids()
    .filter((p) => p !== self)
    .map(procStat)
    .filter((s): s is ProcStat => !!s && !s.kernelThread && s.state !== "Z");
}
