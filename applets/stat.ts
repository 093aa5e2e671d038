// stat: file or filesystem status, in BusyBox's formats. -c FMT sequences
// take printf flags and widths ("%-10s", "%04a") as BusyBox passes them to
// printf; a format always ends with a newline unless it ends with "%".
import * as fs from "node:fs";
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { formatC, parseCSpec } from "../lib/cformat.ts";
import { describeErrno, errnoCode, errorMessage } from "../lib/errors.ts";
import { modeString } from "../lib/mode.ts";
import { AT_FDCWD, devMajor, devMinor, statAt, statfs, type RawStat, type Statfs } from "../lib/syscalls.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { groupName, userName } from "../lib/users.ts";
import * as path from "node:path";

const FILE_FORMAT =
  "  File: %N\n" +
  "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Dh/%dd\tInode: %-10i  Links: %h\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z";
const DEVICE_FORMAT =
  "  File: %N\n" +
  "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n" +
  "Device: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\n" +
  "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n" +
  "Access: %x\nModify: %y\nChange: %z";
const TERSE_FORMAT = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o";
const FS_FORMAT =
  '  File: "%n"\n' +
  "    ID: %-8i Namelen: %-7l Type: %T\n" +
  "Block size: %-10s\n" +
  "Blocks: Total: %-10b Free: %-10f Available: %a\n" +
  "Inodes: Total: %-10c Free: %d";
const FS_TERSE_FORMAT = "%n %i %l %t %s %b %f %a %c %d";

const FS_TYPES: Record<number, string> = {
  0xadff: "affs", 0x1cd1: "devpts", 0x137d: "ext", 0xef51: "ext2", 0xef53: "ext2/ext3", 0x3153464a: "jfs",
  0x58465342: "xfs", 0xf995e849: "hpfs", 0x9660: "isofs", 0x4000: "isofs", 0x4004: "isofs", 0x137f: "minix",
  0x138f: "minix (30 char.)", 0x2468: "minix v2", 0x2478: "minix v2 (30 char.)", 0x4d44: "msdos", 0x4006: "fat",
  0x564c: "novell", 0x6969: "nfs", 0x9fa0: "proc", 0x517b: "smb", 0x012ff7b4: "xenix", 0x012ff7b5: "sysv4",
  0x012ff7b6: "sysv2", 0x012ff7b7: "coh", 0x00011954: "ufs", 0x012fd16d: "xia", 0x5346544e: "ntfs",
  0x1021994: "tmpfs", 0x52654973: "reiserfs", 0x28cd3d45: "cramfs", 0x7275: "romfs", 0x858458f6: "ramfs",
  0x73717368: "squashfs", 0x62656572: "sysfs",
};

defineApplet({
  name: "stat",
  usage: "[-ltf] [-c FMT] FILE...",
  summary: "Display file (default) or filesystem status",
  options: [
    "-c FMT  Use the specified format",
    "-f  Display filesystem status",
    "-L  Follow links",
    "-t  Terse display",
  ],
  minOperands: 1,
  async run(ctx, opts, files) {
    let status = 0;
    const cwd = binaryOf(ctx.cwd);
    for (const file of files) {
      const name = binaryOf(file);
      const full = path.resolve(cwd, name);
      const ok = opts.f ? await doStatfs(ctx, name, full, opts) : await doStat(ctx, name, full, opts);
      if (!ok) status = 1;
    }
    return status;
  },
});

function errText(err: unknown): string {
  const code = errnoCode(err);
  return code ? describeErrno(code) : errorMessage(err);
}

async function doStat(ctx: Context, name: string, full: string, opts: Record<string, any>): Promise<boolean> {
  let st: RawStat;
  try {
    st = statAt(AT_FDCWD, full, !!opts.L);
  } catch (err) {
    await warn(ctx, `can't stat '${name}': ${errText(err)}`);
    return false;
  }
  const isDev = (st.mode & 0o170000) === 0o020000 || (st.mode & 0o170000) === 0o060000;
  const format: string = opts.c !== undefined ? binaryOf(opts.c) : opts.t ? TERSE_FORMAT : isDev ? DEVICE_FORMAT : FILE_FORMAT;
  const warnings: string[] = [];
  const out = printIt(format, (spec, m) => statField(spec, m, name, full, st, warnings));
  for (const w of warnings) await warn(ctx, w);
  await ctx.stdout.write(bytesOf(out));
  return true;
}

async function doStatfs(ctx: Context, name: string, full: string, opts: Record<string, any>): Promise<boolean> {
  let sf: Statfs;
  try {
    sf = statfs(full);
  } catch (err) {
    await warn(ctx, `can't read file system information for '${name}': ${errText(err)}`);
    return false;
  }
  const format: string = opts.c !== undefined ? binaryOf(opts.c) : opts.t ? FS_TERSE_FORMAT : FS_FORMAT;
  await ctx.stdout.write(bytesOf(printIt(format, (spec, m) => statfsField(spec, m, name, sf))));
  return true;
}

type Field = (modifiers: string, conv: string) => string;

/** BusyBox's print_it(): literal text, "%%", and "%<flags><conv>" handed to `field`. */
function printIt(format: string, field: Field): string {
  let out = "";
  let b = 0;
  for (;;) {
    const p = format.indexOf("%", b);
    if (p < 0) return out + format.slice(b) + "\n";
    out += format.slice(b, p);
    let q = p + 1;
    while (q < format.length && "#-+.I 0123456789".includes(format[q])) q++;
    const modifiers = format.slice(p + 1, q);
    if (q >= format.length) return out + "%"; // a trailing "%": no newline either
    if (format[q] === "%") out += "%";
    else out += field(modifiers, format[q]);
    b = q + 1;
  }
}

const fmt = (modifiers: string, conv: string, value: number | bigint | string) => formatC(parseCSpec(modifiers.replace(/I/g, ""), conv), value);

function humanTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const tz = `${off >= 0 ? "+" : "-"}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(nsec).padStart(9, "0")} ${tz}`;
}

function fileType(st: RawStat): string {
  switch (st.mode & 0o170000) {
    case 0o100000: return st.size === 0 ? "regular empty file" : "regular file";
    case 0o040000: return "directory";
    case 0o060000: return "block special file";
    case 0o020000: return "character special file";
    case 0o010000: return "fifo";
    case 0o120000: return "symbolic link";
    case 0o140000: return "socket";
  }
  return "weird file";
}

function statField(mod: string, m: string, name: string, full: string, st: RawStat, warnings: string[]): string {
  switch (m) {
    case "n": return fmt(mod, "s", name);
    case "N":
      if ((st.mode & 0o170000) === 0o120000) {
        try {
          const target = fs.readlinkSync(Buffer.from(full, "latin1"), { encoding: "buffer" }).toString("latin1");
          return `'${name}' -> '${target}'`;
        } catch (err) {
          warnings.push(`${name}: ${errText(err)}`);
          return "";
        }
      }
      return fmt(mod, "s", name);
    case "d": return fmt(mod, "u", BigInt(st.dev));
    case "D": return fmt(mod, "x", BigInt(st.dev));
    case "i": return fmt(mod, "u", BigInt(st.ino));
    case "a": return fmt(mod, "o", st.mode & 0o7777);
    case "A": return fmt(mod, "s", modeString(st.mode));
    case "f": return fmt(mod, "x", st.mode);
    case "F": return fmt(mod, "s", fileType(st));
    case "h": return fmt(mod, "u", st.nlink);
    case "u": return fmt(mod, "u", st.uid);
    case "U": return fmt(mod, "s", userName(st.uid) ?? "UNKNOWN");
    case "g": return fmt(mod, "u", st.gid);
    case "G": return fmt(mod, "s", groupName(st.gid) ?? "UNKNOWN");
    case "t": return fmt(mod, "x", devMajor(st.rdev));
    case "T": return fmt(mod, "x", devMinor(st.rdev));
    case "s": return fmt(mod, "u", BigInt(st.size));
    case "B": return fmt(mod, "u", 512);
    case "b": return fmt(mod, "u", BigInt(st.blocks));
    case "o": return fmt(mod, "u", st.blksize);
    case "x": return fmt(mod, "s", humanTime(st.atimeSec, st.atimeNsec));
    case "X": return fmt(mod, "d", st.atimeSec);
    case "y": return fmt(mod, "s", humanTime(st.mtimeSec, st.mtimeNsec));
    case "Y": return fmt(mod, "d", st.mtimeSec);
    case "z": return fmt(mod, "s", humanTime(st.ctimeSec, st.ctimeNsec));
    case "Z": return fmt(mod, "d", st.ctimeSec);
  }
  return fmt(mod, "c", m);
}

function statfsField(mod: string, m: string, name: string, sf: Statfs): string {
  switch (m) {
    case "n": return fmt(mod, "s", name);
    case "i": return fmt(mod, "x", (BigInt(sf.fsid[0]) << 32n) | BigInt(sf.fsid[1]));
    case "l": return fmt(mod, "u", sf.namelen);
    case "t": return fmt(mod, "x", sf.type);
    case "T": return fmt(mod, "s", FS_TYPES[sf.type] ?? "UNKNOWN");
    case "b": return fmt(mod, "u", sf.blocks);
    case "f": return fmt(mod, "u", sf.bfree);
    case "a": return fmt(mod, "u", sf.bavail);
    case "s": case "S": return fmt(mod, "u", sf.bsize);
    case "c": return fmt(mod, "u", sf.files);
    case "d": return fmt(mod, "u", sf.ffree);
  }
  return fmt(mod, "c", m);
}
