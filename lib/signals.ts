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
