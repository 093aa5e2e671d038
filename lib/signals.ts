// Signal names and numbers as kill, trap, timeout and killall spell them:
// "TERM", "SIGTERM", "15" all mean the same signal.
import { constants } from "node:os";

const BY_NAME = constants.signals as Record<string, number>;

/** Signals in number order, without the SIG prefix (for kill -l). */
export function signalList(): [number, string][] {
  const seen = new Map<number, string>();
  for (const [name, num] of Object.entries(BY_NAME)) {
    // Prefer the canonical name where aliases exist (SIGIOT = SIGABRT, SIGPOLL = SIGIO).
    if (!seen.has(num) || ["SIGIOT", "SIGPOLL", "SIGUNUSED"].includes(seen.get(num)!)) seen.set(num, name);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([n, s]) => [n, s.slice(3)]);
}

/** Number of a signal given by name (with or without SIG, any case) or number; undefined if unknown. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n >= 0 && n <= 64 ? n : undefined;
  }
  const up = spec.toUpperCase();
  const name = up.startsWith("SIG") ? up : "SIG" + up;
  if (name === "SIGCLD") return BY_NAME.SIGCHLD;
  return BY_NAME[name];
}

/** Name of a signal number without SIG ("TERM"), or the number as text. */
export function signalName(num: number): string {
  for (const [n, s] of signalList()) if (n === num) return s;
  return String(num);
}

// BusyBox's own table, as kill, killall, pkill and the shell's trap print and
// read it: 0 is EXIT, 29 is POLL (IO and IOT are accepted as aliases), and
// numbers past 31 have no names.
const BB_SIGNAL_NAMES = [
  "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
  "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
  "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/** get_signum(): a number below 65, or a name with or without SIG in any case; undefined if unknown. */
export function bbSignalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n < 65) return n;
  }
  let name = spec.toUpperCase();
  if (name.startsWith("SIG")) name = name.slice(3);
  const i = BB_SIGNAL_NAMES.indexOf(name);
  if (i >= 0) return i;
  if (name === "IO") return 29;
  if (name === "IOT") return 6;
  return undefined;
}

/** get_signame(): "TERM" for 15, "EXIT" for 0, the number itself past the table. */
export function bbSignalName(num: number): string {
  return BB_SIGNAL_NAMES[num] ?? String(num);
}

/** "kill -l": " 1) HUP" ... "31) SYS", one a line. */
export function bbSignalTable(): string {
  let out = "";
  for (let i = 1; i < BB_SIGNAL_NAMES.length; i++) out += `${String(i).padStart(2)}) ${BB_SIGNAL_NAMES[i]}\n`;
  return out;
}

// strsignal(3) as the C library words it (the shell's job notices: "Stopped", "Terminated").
const DESCRIPTIONS = [
  "Unknown signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted",
  "Bus error", "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault",
  "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued",
  "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition",
  "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
  "Window changed", "I/O possible", "Power failure", "Bad system call",
];

export function signalDescription(num: number): string {
  if (DESCRIPTIONS[num]) return DESCRIPTIONS[num];
  return num >= 34 && num <= 64 ? `Real-time signal ${num - 34}` : `Unknown signal ${num}`;
}
