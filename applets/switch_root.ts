import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage, SyscallError, UsageError } from "../lib/errors.ts";
import { chroot, dup2, execve, getpid, MS, mount, pivotRoot, statfs } from "../lib/syscalls.ts";

const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err).replace(/^.*: /, ""));
const RAMFS_MAGIC = 0x858458f6, TMPFS_MAGIC = 0x01021994;

/** Delete everything on the filesystem of `dir`, not descending into other mounts. */
function wipe(dir: string, dev: number): void {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (st.dev !== dev) continue;
    if (st.isDirectory()) {
      wipe(p, dev);
      try {
        fs.rmdirSync(p);
      } catch {}
    } else {
      try {
        fs.unlinkSync(p);
      } catch {}
    }
  }
}

defineApplet({
  name: "switch_root",
  dir: "/sbin",
  usage: "[-c CONSOLE_DEV] NEW_ROOT NEW_INIT [ARGS]",
  summary: "Free initramfs and switch to another root fs:\nchroot to NEW_ROOT, delete all in /, move NEW_ROOT to /,\nexecute NEW_INIT. PID must be 1. NEW_ROOT must be a mountpoint.",
  options: ["-c DEV  Reopen stdio to DEV after switch"],
  stopAtOperand: true,
  minOperands: 2,
  async run(ctx, opts, [newRoot, init, ...args]) {
    // BusyBox answers with its usage when not PID 1.
    if (getpid() !== 1) throw new UsageError();
    const root = resolvePath(ctx, newRoot);
    const rootSt = fs.statSync("/"), newSt = fs.statSync(root);
    if (newSt.dev === rootSt.dev) throw new AppletError(`'${newRoot}' is not a mountpoint`);
    const magic = statfs("/").type;
    if (magic !== RAMFS_MAGIC && magic !== TMPFS_MAGIC) throw new AppletError("root filesystem is not ramfs/tmpfs");
    try {
      process.chdir(root);
      wipe("/", rootSt.dev);
      mount(".", "/", null, MS.MOVE);
      chroot(".");
      process.chdir("/");
    } catch (err) {
      throw new AppletError(`can't switch to '${newRoot}': ${reason(err)}`);
    }
    if (opts.c) {
      const fd = fs.openSync(opts.c, "r+");
      for (const n of [0, 1, 2]) dup2(fd, n);
    }
    try {
      execve(init, [init, ...args], ctx.env);
    } catch (err) {
      throw new AppletError(`can't execute '${init}': ${reason(err)}`);
    }
  },
});

defineApplet({
  name: "pivot_root",
  dir: "/sbin",
  usage: "NEW_ROOT PUT_OLD",
  summary: "Move the current root file system to PUT_OLD and make NEW_ROOT\nthe new root file system",
  minOperands: 2,
  async run(ctx, _opts, [newRoot, putOld]) {
    try {
      pivotRoot(resolvePath(ctx, newRoot), resolvePath(ctx, putOld));
    } catch (err) {
      throw new AppletError(reason(err));
    }
    return 0;
  },
});
