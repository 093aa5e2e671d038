// The end of the system, in BusyBox's sequence and wording: TERM everyone,
// wait (bounded), KILL the rest; then (BusyBox leaves this to a shutdown
// entry) sync, unmount in reverse order, and reboot(2).
import { log, say } from "./console.ts";
import { liveUserProcesses } from "./procs.ts";
import type { Reaper } from "./reaper.ts";
import { readMounts } from "../lib/mounts.ts";
import { getpid, kill, MNT_DETACH, MS, mount, RB, reboot, sync, umount2 } from "../lib/syscalls.ts";
import { constants } from "node:os";

export type ShutdownKind = "halt" | "poweroff" | "reboot";

const COMMAND: Record<ShutdownKind, [number, string]> = {
  halt: [RB.HALT_SYSTEM, "halt"],
  poweroff: [RB.POWER_OFF, "poweroff"],
  reboot: [RB.AUTOBOOT, "reboot"],
};

const TERM_GRACE_MS = 2000;
const KILL_GRACE_MS = 1000;

export interface ShutdownOptions {
  /** Remount / read-only (not in a host test sandbox, whose / is the host's). */
  remountRoot: boolean;
  /** Say on the console what happens to each mount. */
  verbose: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForProcessesToEnd(self: number, reaper: Reaper, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    reaper.reap();
    if (liveUserProcesses(self).length === 0) return;
    await sleep(50);
  }
}

function signalAll(signal: number): void {
  try {
    kill(-1, signal);
  } catch (err: any) {
    if (err?.code !== "ESRCH") log(`kill: ${err.message}`);
  }
}

/** SIGTERM to every process, up to two seconds for them to go, SIGKILL to the rest. */
export async function terminateAllProcesses(reaper: Reaper): Promise<void> {
  const self = getpid();
  signalAll(constants.signals.SIGTERM);
  say("Sent SIGTERM to all processes");
  await waitForProcessesToEnd(self, reaper, TERM_GRACE_MS);
  signalAll(constants.signals.SIGKILL);
  say("Sent SIGKILL to all processes");
  await waitForProcessesToEnd(self, reaper, KILL_GRACE_MS);
}

function remountReadOnly(source: string, target: string): void {
  mount(source, target, null, MS.REMOUNT | MS.RDONLY);
}

/** Newest mount first, so that a mount goes before the one it sits on. */
function unmountAll(opts: ShutdownOptions): void {
  const note = (what: string) => opts.verbose && log(what);
  for (const m of readMounts().reverse()) {
    if (m.target === "/") {
      if (opts.remountRoot && m.fstype !== "rootfs" && !m.options.split(",").includes("ro")) {
        try {
          remountReadOnly(m.source, "/");
          note("remounted / read-only");
        } catch (err) {
          log(`can't remount / read-only: ${(err as Error).message}`);
        }
      }
      continue;
    }
    try {
      umount2(m.target);
      note(`unmounted ${m.target}`);
    } catch (err) {
      // Busy (the console on /dev): make it read-only, then detach it.
      try {
        remountReadOnly(m.source, m.target);
        note(`remounted ${m.target} read-only`);
      } catch {}
      try {
        umount2(m.target, MNT_DETACH);
        note(`detached ${m.target}`);
      } catch {
        log(`can't unmount ${m.target}: ${(err as Error).message}`);
      }
    }
  }
}

/** Sync, unmount everything and ask the kernel to halt, power off or reboot. */
export function unmountAndReboot(kind: ShutdownKind, opts: ShutdownOptions): void {
  sync();
  unmountAll(opts);
  sync();
  const [cmd, word] = COMMAND[kind];
  say(`Requesting system ${word}`);
  try {
    reboot(cmd);
  } catch (err) {
    log(`reboot(2) failed: ${(err as Error).message}`);
  }
}
