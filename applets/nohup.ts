// nohup: run PROG immune to hangups. A terminal on stdin is replaced by
// /dev/null, one on stdout by nohup.out (in the cwd, else in $HOME), one on
// stderr by stdout. SIGHUP is ignored through /bin/sh's trap: Bun resets a
// child's signal dispositions, so an ignored SIGHUP would not reach it.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { UsageError, describeErrno, errorMessage, AppletError } from "../lib/errors.ts";
import { exitStatus, resolveCommand, runCommand } from "../lib/exec.ts";
import { FdReader, FdWriter } from "../lib/io.ts";

function openOut(file: string): number {
  return fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_WRONLY | fs.constants.O_APPEND, 0o600);
}

defineApplet({
  name: "nohup",
  dir: "/usr/bin",
  usage: "PROG ARGS",
  summary: "Run PROG immune to hangups, with output to a non-tty",
  rawArgs: true,
  async run(ctx, _opts, args) {
    if (args.length === 0) throw new UsageError();
    const where = resolveCommand(args[0], ctx.env, ctx.cwd);
    if ("error" in where) {
      await warn(ctx, `can't execute '${args[0]}': ${describeErrno(where.error)}`);
      return 127;
    }
    const opened: number[] = [];
    const child: Context = { ...ctx };
    try {
      if (ctx.stdin.isTTY) {
        const fd = fs.openSync("/dev/null", "r");
        opened.push(fd);
        child.stdin = new FdReader(fd);
      }
      if (ctx.stdout.isTTY) {
        let name = "nohup.out";
        let fd: number;
        try {
          fd = openOut(resolvePath(ctx, name));
        } catch {
          if (ctx.env.HOME === undefined) fd = fs.openSync("/dev/null", "r");
          else {
            name = path.join(ctx.env.HOME, name);
            try {
              fd = openOut(resolvePath(ctx, name));
            } catch (err) {
              throw new AppletError(`can't open '${name}': ${errorMessage(err)}`, 127);
            }
          }
        }
        opened.push(fd);
        child.stdout = new FdWriter(fd);
        await warn(ctx, `appending output to ${name}`);
      }
      if (ctx.stderr.isTTY) child.stderr = child.stdout;
      const r = await runCommand(child, ["/bin/sh", "-c", 'trap "" HUP; exec "$0" "$@"', where.file, ...args.slice(1)], { argv0: "sh" });
      return exitStatus(r);
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
  },
});
