// Traps: a caught signal is queued and its action runs between commands
// (and wakes `wait`), as ash runs traps at safe points.
import { signalName, signalNumber } from "../../lib/signals.ts";
import type { Shell } from "./state.ts";

const listeners = new Map<string, () => void>();

/** The canonical trap name of a signal spec (EXIT for 0), or undefined. */
export function trapName(spec: string): string | undefined {
  if (spec === "0" || spec.toUpperCase() === "EXIT") return "EXIT";
  const n = signalNumber(spec);
  if (n === undefined || n === 0) return undefined;
  return signalName(n);
}

/** Catch (or stop catching) a signal for the shell process. */
export function listen(sh: Shell, name: string, on: boolean): void {
  if (name === "EXIT" || name === "CHLD" || name === "KILL" || name === "STOP") return;
  const sig = "SIG" + name;
  const old = listeners.get(name);
  if (old) {
    process.off(sig as any, old);
    listeners.delete(name);
  }
  if (!on) return;
  const g = sh.g;
  const fn = () => {
    g.pendingSignals.push(name);
    for (const w of g.signalWaiters) w();
  };
  try {
    process.on(sig as any, fn);
    listeners.set(name, fn);
  } catch {}
}

/**
 * A child of the main shell ended: a program it spawned, or a context that
 * stands for a forked one in ash (subshell, $(...), pipeline part,
 * background job). ash gets SIGCHLD for each; a CHLD trap runs once per child.
 */
export function childEnded(sh: Shell | undefined): void {
  const g = sh?.g;
  if (!g || sh !== g.main || !sh.traps.get("CHLD")) return;
  // Like a real SIGCHLD, one still pending absorbs the next.
  if (g.pendingSignals.includes("CHLD")) return;
  g.pendingSignals.push("CHLD");
  for (const w of g.signalWaiters) w();
}

/** Run the actions of signals that arrived. */
export async function runTraps(sh: Shell): Promise<void> {
  const g = sh.g;
  if (g.inTrap) return;
  g.inTrap = true;
  try {
    for (;;) {
      // CHLD is the main shell's own: it waits there, not in a pipeline part or $(...).
      const i = sh === g.main ? 0 : g.pendingSignals.findIndex((n) => n !== "CHLD");
      if (i < 0 || i >= g.pendingSignals.length) break;
      const name = g.pendingSignals.splice(i, 1)[0];
      const action = (g.main ?? sh).traps.get(name);
      if (!action) continue;
      const saved = sh.status;
      const { evalString } = await import("./exec.ts");
      await evalString(sh, action);
      sh.status = saved;
    }
  } finally {
    g.inTrap = false;
  }
}
