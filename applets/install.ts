// install, as BusyBox's: copy SOURCE(s) to DEST (or into DIR, -t DIR), then
// set the mode (0755 unless -m, not cut by the umask) and, with -o/-g, the
// owner; -d makes directories, -D the leading directories of DEST, -p keeps
// the times. -s would run strip(1) in BusyBox: here it is accepted and ignored
// (no toolchain in the image). An invalid -m MODE is an error here, where
// BusyBox would chmod to every bit.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { Copier } from "../lib/copy.ts";
import { absPath, concatPath, dirName, errText, fsPath, lastComponentNoStrip, makeDirectory, warnBytes } from "../lib/fileops.ts";
import { parseMode } from "../lib/mode.ts";
import { binaryOf } from "../lib/text.ts";
import { groupByName, userByName } from "../lib/users.ts";

function id(spec: string, kind: "user" | "group"): number {
  if (/^\d+$/.test(spec)) return Number(spec);
  const e = kind === "user" ? userByName(spec) : groupByName(spec);
  if (!e) throw new AppletError(`unknown ${kind} ${spec}`);
  return kind === "user" ? (e as { uid: number }).uid : (e as { gid: number }).gid;
}

defineApplet({
  name: "install",
  usage: "[-cdDsp] [-o USER] [-g GRP] [-m MODE] [-t DIR] [SOURCE]... DEST",
  summary: "Copy files and set attributes",
  dir: "/usr/bin",
  options: [
    "-c  Just copy (default)",
    "-d, --directory  Create directories",
    "-D  Create leading target directories",
    "-s, --strip  Strip symbol table (accepted, ignored: no strip here)",
    "-p, --preserve-timestamps  Preserve date",
    "-o, --owner USER  Set ownership",
    "-g, --group GRP  Set group ownership",
    "-m, --mode MODE  Set permissions",
    "-t, --target-directory DIR  Install to DIR",
    "-v  Verbose",
    // Accepted and ignored, as BusyBox does.
    "-b",
  ],
  async run(ctx, opts, operands) {
    if ((opts.t !== undefined && opts.d) || (opts.s && opts.d)) throw new UsageError();
    const mode = opts.m !== undefined ? parseMode(opts.m, 0o755) : 0o755;
    const uid = opts.o !== undefined ? id(opts.o, "user") : process.getuid!();
    const gid = opts.g !== undefined ? id(opts.g, "group") : process.getgid!();
    const copier = new Copier(ctx, { deref: true, force: true, preserve: opts.p > 0, verbose: opts.v > 0 });
    let args = operands.map(binaryOf);
    let last = opts.t !== undefined ? binaryOf(opts.t) : "";
    let isDir = opts.t !== undefined;
    if (opts.t === undefined && !opts.d) {
      last = args[args.length - 1] ?? "";
      args = args.slice(0, -1);
      try {
        isDir = fs.statSync(fsPath(absPath(ctx, last))).isDirectory();
      } catch {
        isDir = false;
      }
    }
    if (args.length < 1) throw new UsageError();
    let status = 0;
    for (const arg of args) {
      let dest: string;
      if (opts.d) {
        dest = arg;
        if (await makeDirectory(ctx, dest, 0o755, true, opts.v > 0)) {
          status = 1;
          continue;
        }
      } else {
        dest = last;
        if (opts.D) await makeDirectory(ctx, opts.t !== undefined ? dest : dirName(dest), 0o755, true, opts.v > 0);
        if (isDir) dest = concatPath(last, lastComponentNoStrip(arg));
        if ((await copier.copy(arg, dest)) !== 0) {
          status = 1;
          continue;
        }
      }
      const p = fsPath(absPath(ctx, dest));
      try {
        fs.chmodSync(p, mode);
      } catch (err) {
        await warnBytes(ctx, `can't change permissions of ${dest}: ${errText(err)}`);
        status = 1;
      }
      if (opts.o !== undefined || opts.g !== undefined) {
        try {
          fs.lchownSync(p, uid, gid);
        } catch (err) {
          await warnBytes(ctx, `can't change ownership of ${dest}: ${errText(err)}`);
          status = 1;
        }
      }
    }
    return status;
  },
});
