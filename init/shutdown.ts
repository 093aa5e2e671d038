// The end of the system: TERM everyone, wait (bounded), KILL the rest, sync,
// unmount in reverse order, then reboot(2). BusyBox's sequence and wording.
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

function unmountAll(remountRoot: boolean): void {
  for (const m of readMounts().reverse()) {
    if (m.target === "/") {
      if (remountRoot && m.fstype !== "rootfs" && !m.options.split(",").includes("ro")) {
        try {
          mount(m.source, "/", null, MS.REMOUNT | MS.RDONLY);
        } catch (err) {
          log(`can't remount / read-only: ${(err as Error).message}`);
        }
      }
      continue;
    }
    try {
      umount2(m.target);
    } catch {
      try {
        umount2(m.target, MNT_DETACH); // busy (the console on /dev): detach it
      } catch (err) {
        log(`can't unmount ${m.target}: ${(err as Error).message}`);
      }
    }
  }
}

export async function shutdownSystem(kind: ShutdownKind, reaper: Reaper, opts: { remountRoot: boolean }): Promise<void> {
  const self = getpid();
  signalAll(constants.signals.SIGTERM);
  say("Sent SIGTERM to all processes");
  await waitForProcessesToEnd(self, reaper, TERM_GRACE_MS);
  signalAll(constants.signals.SIGKILL);
  say("Sent SIGKILL to all processes");
  await waitForProcessesToEnd(self, reaper, 1000);
  sync();
  unmountAll(opts.remountRoot);
  sync();
  const [cmd, word] = COMMAND[kind];
  say(`Requesting system ${word}`);
  try {
    reboot(cmd);
  } catch (err) {
    log(`reboot(2) failed: ${(err as Error).message}`);
  }
}
