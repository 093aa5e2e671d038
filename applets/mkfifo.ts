// mkfifo and mknod. As BusyBox: the mode starts at 0666 less the umask; -m
// MODE sets it exactly (an invalid MODE becomes an invalid mode for the call,
// which then fails with "Invalid argument").
import { defineApplet, type Context } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { absPath, errText, warnBytes, S_IFBLK, S_IFCHR, S_IFIFO } from "../lib/fileops.ts";
import { tryParseMode } from "../lib/mode.ts";
import { parseNumber } from "../lib/numbers.ts";
import { makedev, mknod } from "../lib/syscalls.ts";
import { binaryOf } from "../lib/text.ts";
import type { Options } from "../lib/options.ts";

/** getopt_mk_fifo_nod(): the mode to create with, and whether it is exact (-m: no umask). */
function creationMode(opts: Options): [mode: number, exact: boolean] {
  if (opts.m === undefined) return [0o666, false];
  const m = tryParseMode(opts.m, 0o666);
  // BusyBox passes (mode_t)-1: every type bit set, which mknod(2) refuses with EINVAL.
  return m === undefined ? [0xffffffff, false] : [m, true];
}

function makeNode(ctx: Context, name: string, [mode, exact]: [number, boolean], type: number, dev: bigint): void {
  const path = absPath(ctx, binaryOf(name));
  const full = mode === 0xffffffff ? mode : mode | type;
  if (!exact) return mknod(path, full, dev);
  // Exactly the mode asked for, as BusyBox's umask(0): the call is synchronous, nothing else runs meanwhile.
  const old = process.umask(0);
  try {
    mknod(path, full, dev);
  } finally {
    process.umask(old);
  }
}

defineApplet({
  name: "mkfifo",
  usage: "[-m MODE] NAME",
  summary: "Create named pipe",
  dir: "/usr/bin",
  options: ["-m MODE  Mode (default a=rw)"],
  minOperands: 1,
  async run(ctx, opts, names) {
    const mode = creationMode(opts);
    let status = 0;
    for (const name of names) {
      try {
        makeNode(ctx, name, mode, S_IFIFO, 0n);
      } catch (err) {
        await warnBytes(ctx, `${binaryOf(name)}: ${errText(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

const TYPES: Record<string, number> = { c: S_IFCHR, u: S_IFCHR, b: S_IFBLK, p: S_IFIFO };

defineApplet({
  name: "mknod",
  usage: "[-m MODE] NAME TYPE [MAJOR MINOR]",
  summary: "Create a special file (block, character, or pipe)",
  options: ["-m MODE  Creation mode (default a=rw)"],
  async run(ctx, opts, args) {
    const mode = creationMode(opts);
    if (args.length < 2) throw new UsageError();
    const t = args[1][0];
    const type = t === undefined ? undefined : TYPES[t];
    if (type === undefined) throw new UsageError();
    let dev = 0n;
    let rest = args.slice(2);
    if (t !== "p") {
      if (rest.length < 2) throw new UsageError();
      // BusyBox reads the minor first (C evaluates those arguments right to left).
      const minor = parseNumber(rest[1], 0n, 0xfffffn);
      const major = parseNumber(rest[0], 0n, 0xfffn);
      dev = makedev(major, minor);
      rest = rest.slice(2);
    }
    if (rest.length) throw new UsageError();
    try {
      makeNode(ctx, args[0], mode, type, dev);
    } catch (err) {
      await warnBytes(ctx, `${binaryOf(args[0])}: ${errText(err)}`);
      return 1;
    }
    return 0;
  },
});
