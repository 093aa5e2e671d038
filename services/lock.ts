// One start or stop of a service at a time, across processes and within one
// (openrc's parallel starts): an exclusive flock on /run/openrc/exclusive/NAME,
// OpenRC's own lock file. A second caller waits for the first to finish and
// then sees the state it left (already started, already stopped).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Context } from "../lib/applet.ts";
import { flock, LOCK_EX, LOCK_NB } from "../lib/syscalls.ts";
import { eerror, ewarn } from "./einfo.ts";
import { SVCDIR } from "./paths.ts";

const POLL_MS = 20;
/** Linux's O_CLOEXEC (the same on x86_64 and aarch64): daemons started under the lock must not keep it. */
const O_CLOEXEC = 0o2000000;
/** As OpenRC: say so every 10 seconds, give up after 60. */
const WARN_EVERY_MS = 10_000;
const TIMEOUT_MS = 60_000;

export function lockFile(name: string): string {
  return path.join(SVCDIR, "exclusive", name);
}

/**
 * Locks this process holds. A script's start() may run `rc-service` on a
 * service whose start is under way in this very process (the shell runs it
 * in-process): that call goes on and finds the state "starting" rather than
 * waiting for itself (OpenRC ignores the lock for the same reason).
 */
const held = new Set<string>();

/** Run `fn` holding the service's lock; status 1 if it could not be had in time. */
export async function withServiceLock(ctx: Context, name: string, fn: () => Promise<number>): Promise<number> {
  if (held.has(name)) return fn();
  const file = lockFile(name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | O_CLOEXEC, 0o664);
  try {
    const start = Date.now();
    let warned = start;
    while (!flock(fd, LOCK_EX | LOCK_NB)) {
      const now = Date.now();
      if (now - start >= TIMEOUT_MS) {
        await eerror(ctx, `ERROR: ${name}: timed out waiting for another start or stop of it to finish`);
        return 1;
      }
      if (now - warned >= WARN_EVERY_MS) {
        warned = now;
        await ewarn(ctx, `WARNING: waiting for ${name} (${Math.round((TIMEOUT_MS - (now - start)) / 1000)} seconds)`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    held.add(name);
    return await fn();
  } finally {
    // Closing the file drops the lock.
    held.delete(name);
    fs.closeSync(fd);
  }
}
