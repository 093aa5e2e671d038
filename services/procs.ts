// Processes as start-stop-daemon looks for them: by pidfile, executable,
// process name and owner, skipping zombies (they are gone, only not reaped).
import * as fs from "node:fs";

export function readPidfile(file: string): number | undefined {
  try {
    const n = parseInt(fs.readFileSync(file, "utf8").trim(), 10);
    return n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

interface ProcInfo { pid: number; comm: string; exe?: string; uid: number; argv0?: string; zombie: boolean }

function info(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const state = stat.slice(close + 2, close + 3);
    let exe: string | undefined;
    try {
      exe = fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "");
    } catch {}
    let argv0: string | undefined;
    try {
      argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0")[0];
    } catch {}
    const uid = fs.statSync(`/proc/${pid}`).uid;
    return { pid, comm, exe, uid, argv0, zombie: state === "Z" || state === "X" };
  } catch {
    return undefined;
  }
}

export function alive(pid: number): boolean {
  const i = info(pid);
  return !!i && !i.zombie;
}

export interface Match { exec?: string; name?: string; uid?: number; pidfile?: string }

function matches(i: ProcInfo, m: Match): boolean {
  if (i.zombie) return false;
  if (m.exec !== undefined) {
    let want = m.exec;
    try {
      want = fs.realpathSync(m.exec);
    } catch {}
    // Scripts run by an interpreter show the interpreter as exe: accept argv[0] too.
    if (i.exe !== want && i.exe !== m.exec && i.argv0 !== m.exec) return false;
  }
  if (m.name !== undefined && i.comm !== m.name.slice(0, 15) && i.argv0 !== m.name && i.argv0?.split("/").pop() !== m.name) return false;
  if (m.uid !== undefined && i.uid !== m.uid) return false;
  return true;
}

/** When a live process started (clock ticks since boot): tells it from a later one given the same pid. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the comm: state is field 3, starttime field 22.
    return fields[0] === "Z" || fields[0] === "X" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** The processes a match names: the pidfile's one (if it also fits the rest), or every fit in /proc. */
export function findProcesses(m: Match): number[] {
  if (m.pidfile !== undefined) {
    const pid = readPidfile(m.pidfile);
    if (pid === undefined) return [];
    const i = info(pid);
    return i && matches(i, m) ? [pid] : [];
  }
  if (m.exec === undefined && m.name === undefined && m.uid === undefined) return [];
  const out: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    const i = info(pid);
    if (i && matches(i, m)) out.push(pid);
  }
  return out;
}
