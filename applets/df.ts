// df: filesystem usage from statfs(2), laid out column for column as BusyBox
// prints it (a device name longer than 20 columns goes on a line of its own,
// except with -P, whose lines scripts parse).
import { defineApplet, warn, resolvePath } from "../lib/applet.ts";
import { describeErrno, errnoCode, errorMessage } from "../lib/errors.ts";
import { humanReadable } from "../lib/human.ts";
import { readMounts, type MountEntry } from "../lib/mounts.ts";
import { optionOrder } from "../lib/options.ts";
import { statAt, statfs, AT_FDCWD } from "../lib/syscalls.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { parseSuffixed, KMG_I_SUFFIXES } from "../lib/numbers.ts";

const MOUNTS = "/proc/mounts";

defineApplet({
  name: "df",
  usage: "[-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...",
  summary: "Print filesystem usage statistics",
  options: [
    "-P  POSIX output format",
    "-k  1024-byte blocks (default)",
    "-m  1M-byte blocks",
    "-h  Human readable (e.g. 1K 243M 2G)",
    "-H  Human readable, powers of 1000 (shown as -h)",
    "-T  Print filesystem type",
    "-t TYPE  Print only mounts of this type",
    "-a  Show all filesystems",
    "-i  Inodes",
    "-B SIZE  Blocksize",
  ],
  async run(ctx, opts, operands) {
    let unit = ctx.env.POSIXLY_CORRECT !== undefined ? 512 : 1024;
    // -k, -m and -B override each other: the last one given counts.
    const last = optionOrder(opts).filter((k) => k === "k" || k === "m" || k === "B").pop();
    if (last === "m") unit = 1024 * 1024;
    if (last === "B") {
      const hit = KMG_I_SUFFIXES.find(([s]) => s === opts.B);
      unit = hit ? hit[1] : Number(parseSuffixed(opts.B, KMG_I_SUFFIXES, 1n, 18446744073709551615n));
    }
    let header: string;
    if (opts.h || opts.H) {
      unit = 0;
      header = "     Size";
    } else header = "";
    if (opts.i) header = "   Inodes";
    if (!header) header = `${humanReadable(unit, 0, opts.P ? 1 : 0)}-blocks`;

    let out = `Filesystem           ${opts.T ? "Type       " : ""}${header.padEnd(15)}Used Available ${opts.P ? "Capacity" : "Use%"} Mounted on\n`;
    let status = 0;
    const fromTable = operands.length === 0;
    let entries: (MountEntry | undefined)[];
    const names: string[] = [];
    if (fromTable) entries = readMounts(MOUNTS);
    else entries = operands.map((op) => { names.push(op); return findMountPoint(resolvePath(ctx, op), op); });

    for (let n = 0; n < entries.length; n++) {
      const m = entries[n];
      if (!m) {
        await ctx.stdout.write(bytesOf(out));
        out = "";
        await warn(ctx, `${names[n]}: can't find mount point`);
        status = 1;
        continue;
      }
      if (m.source === "rootfs") continue;
      if (opts.t !== undefined && m.fstype !== opts.t) continue;
      let s;
      try {
        s = statfs(binaryOf(m.target));
      } catch (err) {
        await ctx.stdout.write(bytesOf(out));
        out = "";
        await warn(ctx, `${m.target}: ${errText(err)}`);
        status = 1;
        continue;
      }
      let frsize = s.frsize || s.bsize;
      let blocks = s.blocks, bfree = s.bfree, bavail = s.bavail;
      if (!(blocks > 0 || !fromTable || opts.a)) continue;
      let disp = unit;
      if (opts.i) {
        blocks = s.files;
        bavail = bfree = s.ffree;
        frsize = 1;
        if (disp) disp = 1;
      }
      const used = BigInt(blocks) - BigInt(bfree);
      let bu = used < 0n ? BigInt.asUintN(64, used) : used;
      let bt = BigInt.asUintN(64, bu + BigInt(bavail));
      let percent = Number(bt & 0xffffffffn);
      if (bt !== 0n) {
        while (bt >= BigInt(Math.floor(0x7fffffff / 101))) {
          bt >>= 1n;
          bu >>= 1n;
        }
        const u = (Number(bu & 0xffffffffn) * 100 + Math.floor(Number(bt) / 2)) >>> 0;
        percent = Math.floor(u / Number(bt));
      }
      // printf("%s%*s", name, 20 - width, ""): a negative width pads as much on the left-justified side.
      const dev = printable(m.source);
      let line = dev.length > 20 && !opts.P ? `${dev}\n${" ".repeat(20)}` : dev + " ".repeat(Math.abs(20 - dev.length));
      if (opts.T) {
        const t = printable(m.fstype);
        line += t.length > 10 && !opts.P ? ` ${t}\n${" ".repeat(31)}` : ` ${t}${" ".repeat(Math.abs(10 - t.length))}`;
      }
      line += ` ${humanReadable(blocks, frsize, disp).padStart(9)} `;
      line += `${humanReadable(BigInt.asUintN(64, BigInt(blocks) - BigInt(bfree)), frsize, disp).padStart(9)} `;
      line += `${humanReadable(bavail, frsize, disp).padStart(9)} ${String(percent).padStart(3)}% ${m.target}\n`;
      out += line;
    }
    await ctx.stdout.write(bytesOf(out));
    return status;
  },
});

function errText(err: unknown): string {
  const code = errnoCode(err);
  return code ? describeErrno(code) : errorMessage(err);
}

/** What BusyBox's unicode_conv_to_printable shows in the C locale: controls and high bytes as "?". */
function printable(s: string): string {
  return binaryOf(s).replace(/[\x00-\x1f\x7f-\xff]/g, "?");
}

/** The mount a path lives on: the first /proc/mounts line for it, as BusyBox's find_mount_point(). */
function findMountPoint(full: string, name: string): MountEntry | undefined {
  let st;
  try {
    st = statAt(AT_FDCWD, binaryOf(full), true);
  } catch {
    return undefined;
  }
  const type = st.mode & 0o170000;
  const dev = type === 0o060000 || type === 0o020000 ? st.rdev : st.dev;
  for (const m of readMounts(MOUNTS)) {
    if (m.source === "rootfs") continue;
    if (name === m.target || name === m.source) return m;
    if (m.source.startsWith("/")) {
      try {
        if (statAt(AT_FDCWD, binaryOf(m.source), true).rdev === dev) return m;
      } catch {}
    }
    try {
      if (statAt(AT_FDCWD, binaryOf(m.target), true).dev === dev) return m;
    } catch {}
  }
  return undefined;
}

