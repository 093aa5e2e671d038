// exec CMD: replace the shell process with the program (execve through
// bun:ffi), after putting the context's fds in place and the cwd and umask.
// An applet of pika is exec'd as pika itself under the applet's name.
import * as fs from "node:fs";
import { dup, dup2, execve, setrlimits } from "../../lib/syscalls.ts";
import { errnoCode } from "../../lib/errors.ts";
import { OsHandle } from "./fds.ts";
import { ExitSignal, type Shell } from "./state.ts";
import { lookPath, toUtf8 } from "./exec.ts";
import { loadApplet } from "../../lib/applet.ts";
import { disableJobControl } from "./jobs.ts";
import { limitArgs } from "./ulimit.ts";

export async function execProgram(sh: Shell, argv: string[]): Promise<number> {
  const name = argv[0];
  let file: string | undefined;
  let args = argv;
  if (!name.includes("/") && (await loadApplet(name))) {
    file = process.execPath;
  } else file = lookPath(sh, name);
  if (!file) {
    await sh.error(`${name}: not found`, "exec");
    throw new ExitSignal(127);
  }
  // Everything the shell wrote must be out before the image goes.
  const copies = new Map<number, number>();
  try {
    for (let n = 0; n < 10; n++) {
      const h = sh.fds.get(n);
      if (h instanceof OsHandle) copies.set(n, dup(h.fd));
    }
    for (let n = 0; n < 10; n++) {
      const c = copies.get(n);
      if (c !== undefined) dup2(c, n);
      else if (n <= 2) {
        // A closed or in-memory stdio stream: /dev/null rather than a stray fd.
        const nul = fs.openSync("/dev/null", "r+");
        dup2(nul, n);
        fs.closeSync(nul);
      }
    }
    for (const c of copies.values()) fs.closeSync(c);
    process.chdir(toUtf8(sh.cwd));
    process.umask(sh.umask);
    const env: Record<string, string> = {};
    const e = sh.env();
    for (const k in e) env[toUtf8(k)] = toUtf8(e[k]);
    // The program gets the terminal in the group we were started in, as after ash's setjobctl(0).
    disableJobControl(sh.g);
    setrlimits(limitArgs(sh));
    execve(toUtf8(file), args.map(toUtf8), env);
  } catch (e) {
    const code = errnoCode(e);
    await sh.error(`${name}: ${code === "EACCES" ? "Permission denied" : code === "ENOENT" ? "not found" : String(code)}`, "exec");
    throw new ExitSignal(code === "ENOENT" ? 127 : 126);
  }
}
