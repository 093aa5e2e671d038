// ls: BusyBox's output formats. -l columns match BusyBox exactly:
// mode, links %4, owner %-8, group %-8, size %9 (or "maj, min"), date, name.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { groupName, userName } from "../lib/users.ts";
import type { Options } from "../lib/options.ts";

interface Entry { name: string; full: string; st: fs.Stats; }

defineApplet({
  name: "ls",
  usage: "[-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...",
  summary: "List directory contents",
  options: [
    "-1  One column output",
    "-a  Include names starting with .",
    "-A  Like -a, but exclude . and ..",
    "-d  List directory names, not contents",
    "-L  Follow symlinks",
    "-H  Follow symlinks on command line",
    "-R  Recurse",
    "-p  Append / to directory names",
    "-F  Append indicator (one of */=@|) to names",
    "-l  Long format",
    "-i  List inode numbers",
    "-n  List numeric UIDs and GIDs instead of names",
    "-s  List allocated blocks",
    "-h  Human readable sizes (1K 243M 2G)",
    "-S  Sort by size",
    "-t  Sort by mtime",
    "-r  Reverse sort order",
    "-C  List by columns",
    "-x  List by lines",
    "-c  With -l: sort by/show ctime",
    "-u  With -l: sort by/show atime",
    "-w N  Format N columns wide",
    "--full-time  List full date/time",
  ],
  async run(ctx, opts, operands) {
    if (opts["full-time"]) opts.l = 1;
    const args = operands.length ? operands : ["."];
    let status = 0;
    const files: Entry[] = [];
    const dirs: Entry[] = [];
    for (const a of args) {
      const full = resolvePath(ctx, a);
      try {
        const st = opts.L || opts.H || !(opts.l || opts.d || opts.F) ? statFollow(full) : fs.lstatSync(full);
        (st.isDirectory() && !opts.d ? dirs : files).push({ name: a, full, st });
      } catch (err) {
        await warn(ctx, `${a}: ${errorMessage(err)}`);
        status = 1;
      }
    }
    const now = Date.now();
    if (files.length) await ctx.stdout.write(render(sortEntries(files, opts), opts, now));
    const showHeaders = args.length > 1 || opts.R;
    let first = files.length === 0;
    const queue = sortEntries(dirs, opts);
    while (queue.length) {
      const dir = queue.shift()!;
      if (!first) await ctx.stdout.write("\n");
      first = false;
      if (showHeaders) await ctx.stdout.write(`${dir.name}:\n`);
      let entries: Entry[];
      try {
        entries = listDir(dir, opts);
      } catch (err) {
        await warn(ctx, `${dir.name}: ${errorMessage(err)}`);
        status = 1;
        continue;
      }
      entries = sortEntries(entries, opts);
      if (opts.l || opts.s) await ctx.stdout.write(`total ${entries.reduce((n, e) => n + Math.ceil(e.st.blocks / 2), 0)}\n`);
      await ctx.stdout.write(render(entries, opts, now));
      if (opts.R) {
        const sub = entries.filter((e) => e.st.isDirectory() && e.name !== "." && e.name !== "..");
        queue.unshift(...sub.map((e) => ({ ...e, name: path.join(dir.name, e.name) })));
      }
    }
    return status;
  },
});

function statFollow(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch {
    return fs.lstatSync(p); // a dangling link is still listed
  }
}

function listDir(dir: Entry, opts: Options): Entry[] {
  const names = fs.readdirSync(dir.full);
  if (opts.a) names.push(".", "..");
  const out: Entry[] = [];
  for (const name of names) {
    if (name.startsWith(".") && !opts.a && !opts.A) continue;
    const full = path.join(dir.full, name);
    try {
      out.push({ name, full, st: opts.L ? statFollow(full) : fs.lstatSync(full) });
    } catch {
      // Vanished while listing.
    }
  }
  return out;
}

function sortEntries(entries: Entry[], opts: Options): Entry[] {
  const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const time = (e: Entry) => (opts.c ? e.st.ctimeMs : opts.u ? e.st.atimeMs : e.st.mtimeMs);
  let cmp: (a: Entry, b: Entry) => number = byName;
  if (opts.S) cmp = (a, b) => b.st.size - a.st.size || byName(a, b);
  else if (opts.t) cmp = (a, b) => time(b) - time(a) || byName(a, b);
  entries.sort(cmp);
  if (opts.r) entries.reverse();
  return entries;
}

function render(entries: Entry[], opts: Options, now: number): string {
  let out = "";
  for (const e of entries) {
    let line = "";
    if (opts.i) line += `${String(e.st.ino).padStart(8)} `;
    if (opts.s) line += `${String(Math.ceil(e.st.blocks / 2)).padStart(4)} `;
    if (opts.l) line += longColumns(e, opts, now);
    line += e.name;
    if (opts.l && e.st.isSymbolicLink()) {
      try {
        line += ` -> ${fs.readlinkSync(e.full)}`;
      } catch {}
    }
    line += indicator(e.st, opts);
    out += line + "\n";
  }
  return out;
}

function indicator(st: fs.Stats, opts: Options): string {
  if (opts.F) {
    if (st.isDirectory()) return "/";
    if (st.isSymbolicLink()) return "@";
    if (st.isFIFO()) return "|";
    if (st.isSocket()) return "=";
    if (st.mode & 0o111) return "*";
  } else if (opts.p && st.isDirectory()) return "/";
  return "";
}

export function modeString(mode: number): string {
  const type = (mode & 0o170000) >> 12;
  const t = ({ 1: "p", 2: "c", 4: "d", 6: "b", 8: "-", 10: "l", 12: "s" } as Record<number, string>)[type] ?? "?";
  const bit = (m: number, c: string) => (mode & m ? c : "-");
  const special = (x: number, s: number, set: string, unset: string) =>
    mode & s ? (mode & x ? set : unset) : mode & x ? "x" : "-";
  return (
    t +
    bit(0o400, "r") + bit(0o200, "w") + special(0o100, 0o4000, "s", "S") +
    bit(0o040, "r") + bit(0o020, "w") + special(0o010, 0o2000, "s", "S") +
    bit(0o004, "r") + bit(0o002, "w") + special(0o001, 0o1000, "t", "T")
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function longColumns(e: Entry, opts: Options, now: number): string {
  const st = e.st;
  const owner = (opts.n ? undefined : userName(st.uid)) ?? String(st.uid);
  const group = (opts.n ? undefined : groupName(st.gid)) ?? String(st.gid);
  let size: string;
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const rdev = Number(st.rdev);
    const major = (rdev >> 8) & 0xfff;
    const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
    size = `${String(major).padStart(4)}, ${String(minor).padStart(3)}`;
  } else size = (opts.h ? humanSize(st.size) : String(st.size)).padStart(9);
  const when = opts.c ? st.ctime : opts.u ? st.atime : st.mtime;
  return `${modeString(st.mode)} ${String(st.nlink).padStart(4)} ${owner.padEnd(8)} ${group.padEnd(8)} ${size} ${dateColumn(when, now, !!opts["full-time"])} `;
}

function dateColumn(d: Date, now: number, full: boolean): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  if (full) {
    const off = -d.getTimezoneOffset();
    const tz = `${off >= 0 ? "+" : "-"}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`;
    return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${tz}`;
  }
  const md = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)}`;
  // Older than about six months (or in the future): show the year instead of the time.
  const age = now - d.getTime();
  if (age > 182.5 * 86400e3 || age < -3600e3) return `${md}  ${d.getFullYear()}`;
  return `${md} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

export function humanSize(n: number): string {
  const units = ["", "K", "M", "G", "T", "P"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  if (i === 0) return String(n);
  return (v < 10 ? v.toFixed(1).replace(/\.0$/, "") : String(Math.round(v))) + units[i];
}
