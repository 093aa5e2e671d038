// Going into the background the way BusyBox daemons do without fork(2),
// which the Bun runtime cannot survive: start this same program again in a
// new session, detached, with the "stay in the foreground" flag added, and
// let the caller return 0.
import { spawn } from "node:child_process";
import type { Context } from "./applet.ts";

export function respawnInBackground(ctx: Context, foregroundFlag = "-n"): void {
  const child = spawn(process.execPath, [...ctx.argv.slice(1), foregroundFlag], {
    argv0: ctx.argv[0],
    cwd: "/",
    env: ctx.env,
    detached: true,
    stdio: "ignore",
  });
  child.unref();
}
