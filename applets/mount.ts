import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, describeErrno, SyscallError, UsageError } from "../lib/errors.ts";
import { parseMountOptions, readMounts } from "../lib/mounts.ts";
import { MS, mount } from "../lib/syscalls.ts";

defineApplet({
  name: "mount",
  dir: "/bin",
  usage: "[OPTIONS] [-o OPT] DEVICE NODE",
  summary: "Mount a filesystem. Filesystem autodetection requires /proc.",
  options: [
    "-a          Mount all filesystems in fstab",
    "-r          Read-only mount",
    "-w          Read-write mount (default)",
    "-t FSTYPE   Filesystem type",
    "-o OPT...   Mount options",
    "--bind      Bind a file or directory",
    "--move      Relocate an existing mount point",
    "-n          Don't update /etc/mtab",
    "-v          Verbose",
  ],
  async run(ctx, opts, args) {
    if (args.length === 0 && !opts.a) {
      // With -t alone, only that type is listed, as BusyBox does.
      const lines = readMounts()
        .filter((m) => opts.t === undefined || m.fstype === opts.t)
        .map((m) => `${m.source} on ${m.target} type ${m.fstype} (${m.options})\n`);
      await ctx.stdout.write(lines.join(""));
      return 0;
    }
    if (opts.a) throw new UsageError("-a needs /etc/fstab support (not yet available)");
    const extra = [...opts.o];
    if (opts.r) extra.push("ro");
    if (opts.w) extra.push("rw");
    if (opts.bind) extra.push("bind");
    if (opts.move) extra.push("move");
    const { flags, data } = parseMountOptions(extra);
    if (args.length !== 2) throw new UsageError();
    const [source, target] = args;
    // Pseudo filesystems name no device; a real path is resolved against cwd.
    const src = source.includes("/") ? resolvePath(ctx, source) : source;
    try {
      mount(src, resolvePath(ctx, target), opts.t ?? (flags & MS.BIND ? null : "auto"), flags, data || null);
    } catch (err) {
      if (!(err instanceof SyscallError)) throw err;
      // BusyBox's words and status for a failed mount(2).
      throw new AppletError(`mounting ${source} on ${target} failed: ${describeErrno(err.code, err.errno)}`, 255);
    }
    return 0;
  },
});
