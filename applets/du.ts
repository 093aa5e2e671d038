// du: disk usage from st_blocks (or st_size with -b), walking directories in
// the kernel's order as BusyBox does, counting hard-linked files once (unless
// -l). Paths are bytes; entries are stat'ed relative to their open directory.
import * as fs from "node:fs";
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { describeErrno, errnoCode, errorMessage } from "../lib/errors.ts";
import { humanReadable } from "../lib/human.ts";
import { parsePositiveInt } from "../lib/numbers.ts";
import { optionOrder } from "../lib/options.ts";
import { AT_FDCWD, readDirFd, statAt, type RawStat } from "../lib/syscalls.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import * as path from "node:path";

const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFLNK = 0o120000;
const INT_MAX = 2147483647;

interface State {
  ctx: Context;
  cwd: string;
  bytes: boolean;
  all: boolean;
  countLinks: boolean;
  oneFs: boolean;
  dispUnit: number;
  maxPrintDepth: number;
  slinkDepth: number;
  depth: number;
  dirDev: number;
  seen: Set<string>;
  status: number;
  out: string[];
  outLen: number;
}

defineApplet({
  name: "du",
  usage: "[-aHLdclsxhmk] [FILE]...",
  summary: "Summarize disk space used for FILEs (or directories)",
  options: [
    "-a  Show file sizes too",
    "-b  Apparent size (including holes)",
    "-L  Follow all symlinks",
    "-H  Follow symlinks on command line",
    "-d N  Limit output to directories (and files with -a) of depth < N",
    "-c  Show grand total",
    "-l  Count sizes many times if hard linked",
    "-s  Display only a total for each argument",
    "-x  Skip directories on different filesystems",
    "-h  Sizes in human readable format (e.g., 1K 243M 2G)",
    "-m  Sizes in megabytes",
    "-k  Sizes in kilobytes (default)",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    const order = optionOrder(opts);
    const lastOf = (keys: string) => order.filter((k) => keys.includes(k)).pop();
    let dispUnit = ctx.env.POSIXLY_CORRECT !== undefined ? 512 : 1024;
    if (opts.b) dispUnit = 1;
    const unit = lastOf("hkm");
    if (unit === "h") dispUnit = 0;
    if (unit === "m") dispUnit = 1024 * 1024;
    if (unit === "k") dispUnit = 1024;
    let maxPrintDepth = INT_MAX;
    const depthOpt = lastOf("sd");
    if (opts.d !== undefined) maxPrintDepth = parsePositiveInt(opts.d);
    if (depthOpt === "s") maxPrintDepth = 0;
    const follow = lastOf("HL");
    let slinkDepth = follow === "H" ? 1 : follow === "L" ? INT_MAX : 0;

    const st: State = {
      ctx, cwd: binaryOf(ctx.cwd), bytes: !!opts.b, all: !!opts.a, countLinks: !!opts.l, oneFs: !!opts.x,
      dispUnit, maxPrintDepth, slinkDepth, depth: 0, dirDev: 0, seen: new Set(), status: 0, out: [], outLen: 0,
    };
    let args = operands.map(binaryOf);
    if (args.length === 0) {
      args = ["."];
      if (slinkDepth === 1) slinkDepth = st.slinkDepth = 0;
    }
    let total = 0;
    for (const arg of args) {
      total += await drive(du(st, AT_FDCWD, path.resolve(st.cwd, arg), arg));
      st.slinkDepth = slinkDepth;
    }
    if (opts.c) print(st, total, "total");
    await flush(st);
    return st.status;
  },
});

function errText(err: unknown): string {
  const code = errnoCode(err);
  return code ? describeErrno(code) : errorMessage(err);
}

function print(st: State, size: number, name: string): void {
  // coreutils rounds fixed units up (1025k is 2 with -m); BusyBox adds most of a unit.
  if (st.dispUnit) size += Math.floor((st.dispUnit - 1) / 1024);
  const line = `${humanReadable(size, st.bytes ? 1 : 512, st.dispUnit)}\t${name}\n`;
  st.out.push(line);
  st.outLen += line.length;
}

async function flush(st: State): Promise<void> {
  if (st.out.length) await st.ctx.stdout.write(bytesOf(st.out.join("")));
  st.out = [];
  st.outLen = 0;
}

async function complain(st: State, msg: string): Promise<void> {
  await flush(st);
  await warn(st.ctx, msg);
  st.status = 1;
}

/**
 * The walk is a generator that yields only when it must wait (output to
 * flush, a message to print): no promise per file, which would cost more
 * than the stat itself.
 */
type Walk<T> = Generator<Promise<unknown>, T, unknown>;

async function drive<T>(g: Walk<T>): Promise<T> {
  for (let r = g.next(); ; ) {
    if (r.done) return r.value;
    await r.value;
    r = g.next();
  }
}

/**
 * Usage of `name` (shown as `shown`), stat'ed relative to dirfd; `full` is its
 * absolute path for opening it as a directory.
 */
function* du(st: State, dirfd: number, full: string, shown: string, name = full): Walk<number> {
  let s: RawStat;
  try {
    s = statAt(dirfd, name, false);
  } catch (err) {
    yield complain(st, `${shown}: ${errText(err)}`);
    return 0;
  }
  if (st.oneFs) {
    if (st.depth === 0) st.dirDev = s.dev;
    else if (st.dirDev !== s.dev) return 0;
  }
  let sum = st.bytes ? s.size : s.blocks;
  if ((s.mode & S_IFMT) === S_IFLNK && st.slinkDepth > st.depth) {
    try {
      s = statAt(dirfd, name, true);
    } catch (err) {
      yield complain(st, `${shown}: ${errText(err)}`);
      return 0;
    }
    sum = st.bytes ? s.size : s.blocks;
    if (st.slinkDepth === 1) st.slinkDepth = INT_MAX; // -H becomes -L below a followed link, as in BusyBox
  }
  if (!st.countLinks && s.nlink > 1) {
    const key = `${s.dev}:${s.ino}`;
    if (st.seen.has(key)) return 0;
    st.seen.add(key);
  }
  if ((s.mode & S_IFMT) === S_IFDIR) {
    let fd: number;
    try {
      fd = fs.openSync(Buffer.from(full, "latin1"), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch (err) {
      yield complain(st, `can't open '${shown}': ${errText(err)}`);
      return sum;
    }
    try {
      const entries = readDirFd(fd);
      const sep = shown.endsWith("/") ? "" : "/";
      const fullSep = full.endsWith("/") ? "" : "/";
      st.depth++;
      for (const e of entries) sum += yield* du(st, fd, full + fullSep + e.name, shown + sep + e.name, e.name);
      st.depth--;
    } catch (err) {
      yield complain(st, `${shown}: ${errText(err)}`);
    } finally {
      fs.closeSync(fd);
    }
  } else if (!st.all && st.depth !== 0) {
    return sum;
  }
  if (st.depth <= st.maxPrintDepth) {
    print(st, sum, shown);
    if (st.outLen > 65536) yield flush(st);
  }
  return sum;
}
