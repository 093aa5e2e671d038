import * as fs from "node:fs";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { findDevice, probeFile } from "../lib/blkid.ts";
import { AppletError, describeErrno, errorMessage, SyscallError, UsageError } from "../lib/errors.ts";
import { attachLoop, freeLoopDevice } from "../lib/loop.ts";
import { parseMountOptions, readMounts } from "../lib/mounts.ts";
import { MS, mount } from "../lib/syscalls.ts";

const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err).replace(/^.*: /, ""));

/** Filesystem types the kernel can mount from a device (/proc/filesystems without "nodev"). */
function deviceTypes(): string[] {
  try {
    return fs.readFileSync("/proc/filesystems", "utf8").split("\n").filter((l) => l && !l.startsWith("nodev")).map((l) => l.trim());
  } catch {
    return [];
  }
}

interface Request { source: string; target: string; fstype?: string; options: string[] }

/**
 * One mount: LABEL=/UUID= sources found by their signature, regular files
 * attached to a free loop device, the type probed when not given; BusyBox's
 * words and status 255 when mount(2) fails.
 */
function mountOne(ctx: Context, r: Request): void {
  let { flags, data } = parseMountOptions(r.options);
  const dataOpts = data.split(",").filter(Boolean);
  const offset = Number(dataOpts.find((o) => o.startsWith("offset="))?.slice(7) ?? 0);
  const wantsLoop = dataOpts.includes("loop");
  data = dataOpts.filter((o) => o !== "loop" && !o.startsWith("offset=")).join(",");
  let src = r.source;
  const found = /^(LABEL|UUID)=/.test(src) ? findDevice(src) : src;
  if (!found) throw new AppletError(`can't find ${r.source}`, 255);
  src = found.includes("/") ? resolvePath(ctx, found) : found;
  const target = resolvePath(ctx, r.target);
  let fstype = r.fstype === "auto" ? undefined : r.fstype;
  let shown = r.source;
  let loopFd: number | undefined;
  const special = flags & (MS.BIND | MS.MOVE | MS.REMOUNT) || flags & (MS.SHARED | MS.SLAVE | MS.PRIVATE);
  if (!special && src.startsWith("/")) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(src);
    } catch {}
    if (st?.isFile() || wantsLoop) {
      const dev = freeLoopDevice();
      try {
        loopFd = attachLoop(dev, src, { readOnly: !!(flags & MS.RDONLY), offset, autoclear: true });
      } catch (err) {
        // A file we may not write is attached read-only, as BusyBox does.
        if (flags & MS.RDONLY || !(err instanceof SyscallError || (err as { code?: string }).code)) throw err;
        loopFd = attachLoop(dev, src, { readOnly: true, offset, autoclear: true });
        flags |= MS.RDONLY;
      }
      src = shown = dev;
    }
    if (!fstype) {
      try {
        fstype = probeFile(src)?.type;
      } catch {}
    }
  }
  const attempt = (t: string | null) => {
    try {
      mount(src, target, t, flags, data || null);
    } catch (err) {
      // A read-only filesystem (squashfs, iso9660) or device: retry read-only, as BusyBox does.
      if (!(err instanceof SyscallError && (err.code === "EACCES" || err.code === "EROFS")) || flags & MS.RDONLY) throw err;
      mount(src, target, t, flags | MS.RDONLY, data || null);
    }
  };
  try {
    if (fstype || special) attempt(fstype ?? null);
    else {
      // Nothing said what it is: each type the kernel has, in its order.
      const types = deviceTypes();
      let last: unknown = new SyscallError("mount", 22, "EINVAL");
      for (const t of types) {
        try {
          attempt(t);
          return;
        } catch (err) {
          last = err;
        }
      }
      if (!types.length) attempt("auto");
      else throw last;
    }
  } catch (err) {
    if (!(err instanceof SyscallError)) throw err;
    throw new AppletError(`mounting ${shown} on ${r.target} failed: ${describeErrno(err.code, err.errno)}`, 255);
  } finally {
    if (loopFd !== undefined) fs.closeSync(loopFd);
  }
}

/** fstab entries: source target type options (comments and blanks skipped). */
function fstab(): { source: string; target: string; fstype: string; options: string }[] {
  return readMounts("/etc/fstab").filter((m) => !m.source.startsWith("#") && m.target && m.fstype);
}

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
    const extra = [...opts.o];
    if (opts.r) extra.push("ro");
    if (opts.w) extra.push("rw");
    if (opts.bind) extra.push("bind");
    if (opts.move) extra.push("move");
    if (opts.a) {
      // Every fstab entry not noauto, not swap, not mounted yet, of the -t types (a "no" prefix excludes).
      const types = opts.t?.split(",");
      const typeOk = (t: string) => !types || (types[0].startsWith("no") ? !types.some((x: string) => x.replace(/^no/, "") === t) : types.includes(t));
      const mounted = new Set(readMounts().map((m) => m.target));
      let status = 0;
      for (const e of fstab()) {
        const o = e.options.split(",");
        if (o.includes("noauto") || e.fstype === "swap" || !typeOk(e.fstype) || mounted.has(e.target.replace(/(.)\/$/, "$1"))) continue;
        try {
          mountOne(ctx, { source: e.source, target: e.target, fstype: e.fstype, options: [...o, ...extra] });
        } catch (err) {
          await warn(ctx, err instanceof AppletError ? err.message : reason(err));
          status = 1;
        }
      }
      return status;
    }
    let source: string, target: string, fstype: string | undefined = opts.t;
    let options = extra;
    if (args.length === 1) {
      // One operand: the fstab entry for it, or (with remount) the mount already there.
      const want = resolvePath(ctx, args[0]);
      const entry = parseMountOptions(extra).flags & MS.REMOUNT
        ? readMounts().reverse().find((m) => m.target === want) ?? fstab().find((m) => m.target === want)
        : fstab().find((m) => m.target === want || m.source === args[0]);
      if (!entry) throw new AppletError(`can't find ${args[0]} in /etc/fstab`);
      ({ source, target } = entry);
      fstype ??= entry.fstype;
      if (!(parseMountOptions(extra).flags & MS.REMOUNT)) options = [...entry.options.split(","), ...extra];
    } else if (args.length === 2) [source, target] = args;
    else throw new UsageError();
    mountOne(ctx, { source, target, fstype, options });
    return 0;
  },
});
