import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { resolveCommand } from "../lib/exec.ts";
import { chroot, execve } from "../lib/syscalls.ts";
import * as path from "node:path";

defineApplet({
  name: "chroot",
  dir: "/usr/sbin",
  usage: "NEWROOT [PROG ARGS]",
  summary: "Run PROG with root directory set to NEWROOT",
  stopAtOperand: true,
  minOperands: 1,
  async run(ctx, _opts, [root, ...cmd]) {
    const dir = resolvePath(ctx, root);
    try {
      chroot(dir);
      process.chdir("/");
    } catch (err) {
      throw new AppletError(`can't change root directory to '${root}': ${errorMessage(err).replace(/^.*: /, "")}`);
    }
    const argv = cmd.length ? cmd : [ctx.env.SHELL || "/bin/sh", "-i"];
    const found = argv[0].includes("/") ? { file: argv[0] } : resolveCommand(argv[0], ctx.env, "/");
    const file = "file" in found ? found.file : argv[0];
    try {
      execve(path.resolve("/", file), argv, ctx.env);
    } catch (err) {
      throw new AppletError(`can't execute '${argv[0]}': ${errorMessage(err).replace(/^.*: /, "")}`, 127);
    }
  },
});
