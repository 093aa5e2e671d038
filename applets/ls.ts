// ls: BusyBox's listing, byte for byte. Names are byte strings (latin1), so
// any file name is listed as it is (made printable as BusyBox does). The whole
// listing is synchronous (one fstatat(2) per entry through bun:ffi, relative to
// an open directory) and written in large blocks.
//
// Formats: -1 (default when stdout is not a terminal), -C columns (default on a
// terminal; width from stdin's terminal, COLUMNS, or -w), -x rows, -l long
// (mode, links %4, owner %-8.8s, group %-8.8s, size %9 or "maj, min" or -h %7,
// date, name). When two options conflict (-C/-x/-l/-1, -t/-S, -c/-u, -H/-L),
// the last one given wins, as BusyBox's getopt32 rules say.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { absPath, errText, fsPath, S_IFMT, S_IFDIR, S_IFLNK, S_IFREG, warnBytes } from "../lib/fileops.ts";
import { humanReadable } from "../lib/human.ts";
import { modeString } from "../lib/mode.ts";
import { optionOrder, type Options } from "../lib/options.ts";
import { AT_FDCWD, devMajor, devMinor, errnoName, ioctl, readDirNames, SF, SF_COUNT, statFields, statNames, type StatEntry } from "../lib/syscalls.ts";
import { describeErrno } from "../lib/errors.ts";
import { binaryOf } from "../lib/text.ts";
import { loadZone, localtime, type Zone, type ZoneTm } from "../lib/tz.ts";
import { groupName, userName } from "../lib/users.ts";

/** A file to list: `name` is what is shown, `full` the path used (both byte strings). */
interface Node {
  name: string;
  full: string;
  st: Stat;
  /** Mode from lstat (0 if the entry was stat'ed following links). */
  lmode: number;
  /** Mode from stat (0 if not known). */
  smode: number;
  /** The time shown and sorted on (-c, -u or mtime), in seconds. */
  time: number;
}

/** The fields of struct stat that ls shows. */
type Stat = StatEntry;

const sf = new Float64Array(SF_COUNT);

/** fstatat() into a Stat and the chosen time, or an errno number. */
function statOf(dirfd: number, path: string, follow: boolean, f: Flags): [Stat, number] | number {
  const e = statFields(dirfd, path, follow, sf);
  if (e) return e;
  const st: Stat = {
    mode: sf[SF.mode], nlink: sf[SF.nlink], uid: sf[SF.uid], gid: sf[SF.gid], size: sf[SF.size],
    blocks: sf[SF.blocks], ino: sf[SF.ino], rdev: sf[SF.rdev], atime: sf[SF.atime], mtime: sf[SF.mtime], ctime: sf[SF.ctime],
  };
  return [st, timeOf(st, f)];
}

/** The time -l shows and -t sorts on. */
const timeOf = (st: Stat, f: Flags) => (f.c ? st.ctime : f.u ? st.atime : st.mtime);

const errnoText = (e: number) => describeErrno(errnoName(e), e);

interface Flags {
  C: boolean; x: boolean; one: boolean; l: boolean; a: boolean; A: boolean; d: boolean; i: boolean;
  g: boolean; n: boolean; s: boolean; F: boolean; p: boolean; R: boolean; Q: boolean;
  c: boolean; t: boolean; u: boolean; S: boolean; X: boolean; r: boolean; v: boolean;
  L: boolean; H: boolean; h: boolean; fullTime: boolean; dirsFirst: boolean;
  width: number; color: boolean;
  /** A UTF-8 locale (LC_ALL, LC_CTYPE or LANG say ".utf"): names are shown as UTF-8. */
  unicode: boolean;
}

defineApplet({
  name: "ls",
  usage: "[-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...",
  summary: "List directory contents",
  options: [
    "-1  One column output",
    "-a  Include names starting with .",
    "-A  Like -a, but exclude . and ..",
    "-C  List by columns",
    "-x  List by lines",
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
    "-c  With -l: list ctime; without: sort by ctime",
    "-u  With -l: list atime; without: sort by atime",
    "--full-time  List full date/time",
    "-h  Human readable sizes (1K 243M 2G)",
    "--group-directories-first  Directories before files",
    "-S  Sort by size",
    "-X  Sort by extension",
    "-v  Sort by version",
    "-t  Sort by mtime",
    "-r  Reverse sort order",
    "-w N  Format N columns wide",
    "--color[=WHEN]  Control coloring: always, never, auto",
    // Accepted as BusyBox does, not in its help: -g (-l without owner), -Q (quote names),
    // -k (ignored), -T N (ignored).
    "-g",
    "-Q",
    "-k",
    "-T N",
  ],
  run(ctx, opts, operands) {
    return new Lister(ctx, flagsOf(ctx, opts)).main(operands);
  },
});

// getopt32's rules for ls: an option turns others on and off, in order.
const IMPLIES: Record<string, string[]> = { n: ["l"], g: ["l"], "full-time": ["l"] };
const CANCELS: Record<string, string[]> = {
  t: ["S"], S: ["t"], H: ["L"], L: ["H"],
  C: ["x", "l", "1"], x: ["C", "l", "1"], l: ["x", "C"], "1": ["C", "x"],
  c: ["u"], u: ["c"],
};

function flagsOf(ctx: Context, opts: Options): Flags {
  const on = new Set<string>();
  for (const k of optionOrder(opts)) {
    on.add(k);
    for (const i of IMPLIES[k] ?? []) on.add(i);
    for (const c of CANCELS[k] ?? []) on.delete(c);
  }
  const has = (k: string) => on.has(k);
  const f: Flags = {
    C: has("C"), x: has("x"), one: has("1"), l: has("l"), a: has("a"), A: has("A"), d: has("d"), i: has("i"),
    g: has("g"), n: has("n"), s: has("s"), F: has("F"), p: has("p"), R: has("R"), Q: has("Q"),
    c: has("c"), t: has("t"), u: has("u"), S: has("S"), X: has("X"), r: has("r"), v: has("v"),
    L: has("L"), H: has("H"), h: has("h"), fullTime: has("full-time"), dirsFirst: has("group-directories-first"),
    width: 0, color: false, unicode: false,
  };
  const locale = ctx.env.LC_ALL ?? ctx.env.LC_CTYPE ?? ctx.env.LANG;
  f.unicode = locale !== undefined && /\.utf/i.test(locale);
  if (opts.w !== undefined && has("w")) {
    if (!/^\d+$/.test(opts.w)) throw new AppletError(`invalid number '${opts.w}'`);
    f.width = Number(opts.w);
  } else f.width = terminalWidth(ctx) - 1;

  // Colours: on a terminal by default (unless LS_COLORS is empty or "none").
  const tty = ctx.stdout.isTTY;
  if (tty) {
    const lc = ctx.env.LS_COLORS;
    if (lc === undefined || (lc !== "" && lc !== "none")) f.color = true;
  }
  if (has("color")) {
    const when = opts.color === "" ? "always" : String(opts.color);
    if (when[0] === "n") f.color = false;
    else {
      const i = indexInSubstrings(["always", "yes", "force", "auto", "tty", "if-tty"], when);
      if (i >= 0 && i <= 2) f.color = true;
      else if (i >= 3) f.color = tty;
    }
  }
  if (f.d) f.R = false;
  // Without -l, -c and -u sort by that time.
  if (!f.l && (f.c || f.u)) f.t = true;
  if (!(f.l || f.one || f.x || f.C)) {
    if (tty) f.C = true;
    else f.one = true;
  }
  return f;
}

/** BusyBox's index_in_substrings(): exact match, or a unique prefix; -1 otherwise. */
function indexInSubstrings(list: string[], key: string): number {
  if (!key) return -1;
  let found = -1;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === key) return i;
    if (list[i].startsWith(key)) {
      if (found >= 0) return -1;
      found = i;
    }
  }
  return found;
}

const TIOCGWINSZ = 0x5413;

/** get_terminal_width(STDIN_FILENO): the terminal's columns, COLUMNS overriding, else 80. */
function terminalWidth(ctx: Context): number {
  let value = 0;
  const fd = ctx.stdin.fd;
  if (fd !== undefined && ctx.stdin.isTTY) {
    try {
      const ws = new Uint8Array(8);
      ioctl(fd, TIOCGWINSZ, ws);
      value = ws[2] | (ws[3] << 8);
    } catch {}
  }
  const env = ctx.env.COLUMNS;
  if (env !== undefined) value = atoi(env);
  if (value <= 1 || value >= 30000) value = 80;
  return value;
}

function atoi(s: string): number {
  const m = /^\s*([-+]?\d+)/.exec(s);
  return m ? parseInt(m[1], 10) : 0;
}

// Colours by file type, as BusyBox's COLOR()/ATTR() tables (index: mode >> 12; 15 = executable).
const FG = [31, 35, 35, 37, 34, 37, 35, 35, 0, 37, 36, 37, 35, 37, 37, 32];
const BOLD = [1, 0, 1, 7, 1, 7, 1, 7, 0, 7, 1, 7, 1, 7, 7, 1];

function colorIndex(mode: number): number {
  if ((mode & S_IFMT) === S_IFREG && mode & 0o111) return 15;
  return (mode >> 12) & 15;
}

function appendChar(mode: number, f: Flags): string {
  if (!(f.F || f.p)) return "";
  if ((mode & S_IFMT) === S_IFDIR) return "/";
  if (!f.F) return "";
  if ((mode & S_IFMT) === S_IFREG && mode & 0o111) return "*";
  switch (mode & S_IFMT) {
    case 0o010000: return "|";
    case S_IFLNK: return "@";
    case 0o140000: return "=";
  }
  return "";
}

const NOT_PLAIN = /[^\x20-\x7e]/;

/**
 * A name as BusyBox shows it (printable_string): valid UTF-8 up to U+02FF is
 * kept, control characters, invalid sequences and anything beyond become '?'.
 * Returns the bytes to print (see columnsOf() for the width they take).
 */
function printable(name: string, unicode: boolean): string {
  if (!NOT_PLAIN.test(name)) return name;
  // Not a UTF-8 locale: every byte outside ' '..'~' is a '?'.
  if (!unicode) return name.replace(/[^\x20-\x7e]/g, "?");
  let out = "";
  let i = 0;
  while (i < name.length) {
    let c = name.charCodeAt(i++);
    if (c < 0x80) {
      out += c < 0x20 || c === 0x7f ? "?" : name[i - 1];
      continue;
    }
    const start = i - 1;
    let bytes = 0;
    do { c <<= 1; bytes++; } while (c & 0x80 && bytes < 6);
    let wc = -1;
    if (bytes > 1) {
      let v = (c & 0xff) >> bytes;
      let ok = true;
      while (--bytes) {
        const ch = i < name.length ? name.charCodeAt(i) : 0;
        if ((ch & 0xc0) !== 0x80) { ok = false; break; }
        v = v * 64 + (ch & 0x3f);
        i++;
      }
      if (ok && v > 0x7f) wc = v;
    }
    if (wc >= 0xa0 && wc <= 0x2ff) out += name.slice(start, i);
    else out += "?";
  }
  return out;
}

/**
 * Columns a printable() text takes: one per character, a UTF-8 sequence being
 * one character (its continuation bytes take none).
 */
function columnsOf(text: string): number {
  return NOT_PLAIN.test(text) ? text.replace(/[\x80-\xbf]/g, "").length : text.length;
}

function quoteName(s: string, f: Flags): string {
  const p = printable(s, f.unicode);
  return f.Q ? `"${p.replace(/["\\]/g, "\\$&")}"` : p;
}

const OUT_BLOCK = 64 * 1024;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => (n < 10 ? "0" + n : String(n));
/** PAD[n]: n spaces. */
const PAD = Array.from({ length: 10 }, (_, n) => " ".repeat(n));
/** printf("%*s"): right-aligned in `w` columns (w <= 9). */
const padL = (s: string, w: number) => (s.length >= w ? s : PAD[w - s.length] + s);

class Lister {
  status = 0;
  /** Output not yet written: byte strings, joined and written at once. */
  pending: string[] = [];
  pendingBytes = 0;
  now = Math.floor(Date.now() / 1000);
  /** "-rw-r--r-- ", and owner and group as "%-8.8s ". */
  modes = new Memo((mode) => modeString(mode) + " ");
  users = new Memo((uid) => binaryOf(userName(uid) ?? String(uid)).slice(0, 8).padEnd(8) + " ");
  groups = new Memo((gid) => binaryOf(groupName(gid) ?? String(gid)).slice(0, 8).padEnd(8) + " ");
  dates = new Memo((key) => this.dateText(key));
  zone: Zone | undefined;
  /** The last mode, links and owner shown by -l, and their text. */
  owned = { mode: -1, nlink: -1, uid: -1, gid: -1, text: "" };
  /** The columns the last entry took (see single()). */
  width = 0;
  showDirname = false;
  /** Warnings found while formatting, printed after the lines before them. */
  late: string[] = [];

  constructor(readonly ctx: Context, readonly f: Flags) {}

  async main(operands: string[]): Promise<number> {
    const f = this.f;
    const args = operands.length ? operands.map(binaryOf) : ["."];
    this.showDirname = args.length > 1;
    const nodes: Node[] = [];
    // Links on the command line are followed unless -l, -s or -F (or always with -H/-L).
    const follow = !(f.l || f.s || f.F) || f.H;
    for (const a of args) {
      const n = await this.stat(a, a, absPath(this.ctx, a), follow, AT_FDCWD);
      if (n) nodes.push(n);
    }
    if (nodes.length) {
      if (f.d) await this.showFiles(this.sort(nodes));
      else {
        const files = nodes.filter((n) => (n.st.mode & S_IFMT) !== S_IFDIR);
        const dirs = nodes.filter((n) => (n.st.mode & S_IFMT) === S_IFDIR);
        if (files.length) await this.showFiles(this.sort(files));
        await this.flushIfBig();
        if (dirs.length) await this.showDirs(this.sort(dirs), files.length === 0);
      }
    }
    await this.flushIfBig();
    await this.flush();
    return this.status;
  }

  /** Append a byte string to the output. */
  private emit(s: string): void {
    this.pending.push(s);
    this.pendingBytes += s.length;
  }

  private async flushIfBig(): Promise<void> {
    if (this.late.length) {
      const late = this.late;
      this.late = [];
      for (const w of late) await this.error(w);
    }
    if (this.pendingBytes >= OUT_BLOCK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingBytes = 0;
    await this.ctx.stdout.write(Buffer.from(text, "latin1"));
  }

  private async error(message: string): Promise<void> {
    // Keep stdout and stderr in order, as BusyBox's stdio does when both are a terminal.
    await this.flush();
    await warnBytes(this.ctx, message);
    this.status = 1;
  }

  /** my_stat(): stat or lstat one file; reports the error and returns undefined on failure. */
  private async stat(name: string, shown: string, full: string, follow: boolean, dirfd: number): Promise<Node | undefined> {
    const r = statOf(dirfd, full, follow || this.f.L, this.f);
    if (typeof r === "number") {
      await this.error(`${shown}: ${errnoText(r)}`);
      return undefined;
    }
    return this.node(name, shown, r[0], r[1], follow || this.f.L);
  }

  private node(name: string, full: string, st: Stat, time: number, followed: boolean): Node {
    return { name, full, st, lmode: followed ? 0 : st.mode, smode: followed ? st.mode : 0, time };
  }

  /** scan_one_dir(): the entries of a directory, stat'ed; undefined if it can't be opened. */
  private async scanDir(dir: string, shown: string): Promise<Node[] | undefined> {
    const f = this.f;
    let fd: number;
    let names: string[];
    try {
      fd = fs.openSync(fsPath(absPath(this.ctx, dir)), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch (err) {
      await this.error(`can't open '${shown}': ${errText(err)}`);
      return undefined;
    }
    const out: Node[] = [];
    try {
      names = readDirNames(fd, f.a || f.A);
      if (f.a) names.push(".", "..");
      // Sorted by name here, by the engine's own sort, when that is the order shown.
      if (byNameOnly(f)) {
        names.sort();
        if (f.r) names.reverse();
      }
      const stats = statNames(fd, names, f.L);
      const prefix = dir.endsWith("/") ? dir : dir + "/";
      // As node() says: with -L the modes are stat's, else lstat's.
      const lmode = !f.L;
      for (let i = 0; i < names.length; i++) {
        const st = stats[i];
        if (typeof st === "number") {
          await this.error(`${prefix + names[i]}: ${errnoText(st)}`);
          continue;
        }
        out.push({ name: names[i], full: prefix + names[i], st, lmode: lmode ? st.mode : 0, smode: lmode ? 0 : st.mode, time: timeOf(st, f) });
      }
    } catch (err) {
      await this.error(`can't open '${shown}': ${errText(err)}`);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  private async showDirs(dirs: Node[], first: boolean): Promise<void> {
    const f = this.f;
    for (const dir of dirs) {
      if (this.showDirname || f.R) {
        if (!first) this.emit("\n");
        first = false;
        this.emit(`${dir.full}:\n`);
      }
      const entries = await this.scanDir(dir.full, dir.full);
      if (f.s || f.l) {
        let blocks = 1;
        for (const e of entries ?? []) blocks += e.st.blocks;
        blocks = Math.floor(blocks / 2);
        this.emit(f.h ? `total ${humanReadable(blocks * 1024, 0, 0).padEnd(7)}\n` : `total ${blocks}\n`);
      }
      if (entries && entries.length) {
        await this.showFiles(this.sort(entries, true));
        await this.flushIfBig();
        if (f.R) {
          const subdirs = entries.filter(
            (e) => (e.st.mode & S_IFMT) === S_IFDIR && e.name !== "." && e.name !== "..",
          );
          if (subdirs.length) await this.showDirs(this.sort(subdirs), false);
        }
      }
    }
  }

  /** The order shown; `scanned` says nodes come from scanDir(), already sorted if by name only. */
  private sort(nodes: Node[], scanned = false): Node[] {
    const f = this.f;
    if (byNameOnly(f)) return scanned ? nodes : sortByName(nodes, f.r);
    const byName = (a: Node, b: Node) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    let key: ((a: Node, b: Node) => number) | undefined;
    if (f.S) key = (a, b) => Math.sign(b.st.size - a.st.size);
    else if (f.t) key = (a, b) => Math.sign(b.time - a.time);
    else if (f.v) key = (a, b) => Math.sign(strverscmp(a.name, b.name));
    else if (f.X) key = (a, b) => { const x = ext(a.name), y = ext(b.name); return x < y ? -1 : x > y ? 1 : 0; };
    const dirsFirst = f.dirsFirst;
    const sign = f.r ? -1 : 1;
    const cmp = (a: Node, b: Node): number => {
      if (dirsFirst) {
        const d = Number((b.st.mode & S_IFMT) === S_IFDIR) - Number((a.st.mode & S_IFMT) === S_IFDIR);
        if (d) return sign * d;
      }
      return sign * ((key && key(a, b)) || byName(a, b));
    };
    return nodes.sort(cmp);
  }

  /** display_files(): one column, or columns/rows filling the width. */
  private async showFiles(nodes: Node[]): Promise<void> {
    const f = this.f;
    if (f.l || f.one) {
      for (let i = 0; i < nodes.length; i++) {
        this.emit(this.single(nodes[i], false) + "\n");
        // Written as it fills: the memory of lines written is used again.
        if (this.pendingBytes >= OUT_BLOCK) await this.flushIfBig();
      }
      return;
    }
    let colWidth = 0;
    for (const n of nodes) {
      const w = columnsOf(quoteName(n.name, f));
      if (w > colWidth) colWidth = w;
    }
    colWidth += 2 + (f.i ? 8 : 0) + (f.s ? 5 : 0);
    let ncols = Math.floor(f.width / colWidth);
    let nrows: number;
    if (ncols > 1) {
      nrows = Math.ceil(nodes.length / ncols);
    } else {
      nrows = nodes.length;
      ncols = 1;
    }
    for (let row = 0; row < nrows; row++) {
      let line = "";
      let column = 0;
      let nexttab = 0;
      for (let nc = 0; nc < ncols; nc++) {
        const i = f.x ? row * ncols + nc : nc * nrows + row;
        if (i >= nodes.length) continue;
        if (column > 0) {
          const pad = nexttab - column;
          // printf("%*s") with a negative width pads nothing... as an unsigned, BusyBox pads nothing too.
          if (pad > 0) {
            line += " ".repeat(pad);
            column += pad;
          }
        }
        nexttab = column + colWidth;
        line += this.single(nodes[i], true);
        column += this.width;
      }
      this.emit(line + "\n");
    }
  }

  /**
   * display_single(): one entry's text. With `measure`, the columns it takes
   * are left in this.width (one column per line needs no width).
   */
  private single(n: Node, measure: boolean): string {
    const f = this.f;
    const st = n.st;
    let line = "";
    if (f.i) line += padL(String(st.ino), 7) + " ";
    if (f.s) line += padL(String(Math.floor(st.blocks / 2)), 6) + " ";
    let lpath: string | undefined;
    if (f.l) {
      if ((st.mode & S_IFMT) === S_IFLNK) lpath = this.linkTarget(n);
      line += this.longFields(st) + (f.fullTime ? this.fullTime(n.time) + " " : this.date(n.time));
    }
    // All ASCII so far: one column per byte.
    let column = line.length;
    const name = f.Q || NOT_PLAIN.test(n.name) ? quoteName(n.name, f) : n.name;
    let append = f.F || f.p ? appendChar(st.mode, f) : "";
    if (f.color) {
      let mode = n.lmode;
      if (!mode) mode = this.modeOf(n.full, false);
      line += `\x1b[${BOLD[colorIndex(mode)]};${FG[colorIndex(mode)]}m${name}\x1b[m`;
    } else line += name;
    if (measure) column += columnsOf(name);
    if (lpath !== undefined) {
      line += " -> ";
      if (f.F || f.p || f.color) {
        let mode = n.smode;
        if (!mode) mode = this.modeOf(n.full, true);
        append = appendChar(mode, f);
        if (f.color) line += `\x1b[${BOLD[colorIndex(mode)]};${FG[colorIndex(mode)]}m`;
      }
      const target = quoteName(lpath, f);
      line += target;
      if (measure) column += columnsOf(target) + 4;
      if (f.color) line += "\x1b[m";
    }
    if (append) {
      line += append;
      column++;
    }
    this.width = column;
    return line;
  }

  /** -l's mode, links, owner and size (or device numbers), each followed by a space. */
  private longFields(st: Stat): string {
    const f = this.f;
    const type = st.mode & S_IFMT;
    let size: string;
    if (type === 0o060000 || type === 0o020000) {
      size = `${padL(String(devMajor(st.rdev)), 4)}, ${padL(String(devMinor(st.rdev)), 3)} `;
    } else if (f.h) size = padL(humanReadable(st.size, 1, 0), 7) + " ";
    else {
      const digits = "" + st.size;
      size = digits.length < 9 ? `${PAD[9 - digits.length]}${digits} ` : `${digits} `;
    }
    // Neighbours mostly share mode, links and owner: the text of the last one is kept.
    const o = this.owned;
    if (st.mode !== o.mode || st.nlink !== o.nlink || st.uid !== o.uid || st.gid !== o.gid) {
      let s = this.modes.get(st.mode) + padL(String(st.nlink), 4) + " ";
      if (f.n) s += f.g ? `${String(st.gid).padEnd(8)} ` : `${String(st.uid).padEnd(8)} ${String(st.gid).padEnd(8)} `;
      else if (f.g) s += this.groups.get(st.gid);
      else s += this.users.get(st.uid) + this.groups.get(st.gid);
      this.owned = { mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, text: s };
    }
    return `${this.owned.text}${size}`;
  }

  /** A symlink's target, or undefined (reported later) if it vanished since it was listed. */
  private linkTarget(n: Node): string | undefined {
    try {
      return fs.readlinkSync(fsPath(absPath(this.ctx, n.full)), { encoding: "buffer" }).toString("latin1");
    } catch (err) {
      // Said once the lines so far are out.
      this.late.push(`${n.full}: ${errText(err)}`);
      return undefined;
    }
  }

  private modeOf(full: string, follow: boolean): number {
    return statFields(AT_FDCWD, absPath(this.ctx, full), follow, sf) ? 0 : sf[SF.mode];
  }

  /** localtime() in the zone TZ names, as BusyBox's C library reads it. */
  private localtime(t: number): ZoneTm {
    this.zone ??= loadZone(this.ctx.env.TZ);
    return localtime(this.zone, t);
  }

  /** "Mmm dd hh:mm " within six months (and up to 15 minutes ahead), else "Mmm dd  yyyy ". */
  private date(t: number): string {
    const age = this.now - t;
    const recent = age < (3600 * 24 * 365) / 2 && age > -15 * 60;
    // Recent times show the minute, others the day: cached by minute (even keys) or second (odd).
    return this.dates.get(recent ? Math.floor(t / 60) * 2 : t * 2 + 1);
  }

  private dateText(key: number): string {
    const recent = key % 2 === 0;
    const tm = this.localtime(recent ? key * 30 : (key - 1) / 2);
    const md = `${MONTHS[tm.mon]} ${padL(String(tm.mday), 2)} `;
    return recent ? `${md}${p2(tm.hour)}:${p2(tm.min)} ` : `${md}${padL(String(tm.year), 5)} `;
  }

  /** strftime("%Y-%m-%d %H:%M:%S %z"). */
  private fullTime(t: number): string {
    const tm = this.localtime(t);
    const off = Math.floor(Math.abs(tm.gmtoff) / 60);
    const tz = `${tm.gmtoff < 0 ? "-" : "+"}${p2(Math.floor(off / 60))}${p2(off % 60)}`;
    return `${tm.year}-${p2(tm.mon + 1)}-${p2(tm.mday)} ${p2(tm.hour)}:${p2(tm.min)}:${p2(tm.sec)} ${tz}`;
  }
}

/**
 * Strings made from numbers (modes, owners, dates), cached: a listing asks
 * for the same few again and again, most often the one it asked for last.
 */
class Memo {
  private lastKey = NaN;
  private lastText = "";
  private readonly texts = new Map<number, string>();

  constructor(private readonly make: (key: number) => string) {}

  get(key: number): string {
    if (key === this.lastKey) return this.lastText;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = this.make(key);
      this.texts.set(key, text);
    }
    this.lastKey = key;
    this.lastText = text;
    return text;
  }
}

/** No sort key but the name (-r may reverse it). */
const byNameOnly = (f: Flags) => !(f.S || f.t || f.v || f.X || f.dirsFirst);

/** Sorted by name (byte order), through the engine's own string sort: no comparator calls. */
function sortByName(nodes: Node[], reverse: boolean): Node[] {
  const byName = new Map<string, Node | Node[]>();
  const names: string[] = [];
  for (const n of nodes) {
    const had = byName.get(n.name);
    if (had === undefined) {
      byName.set(n.name, n);
      names.push(n.name);
    } else if (Array.isArray(had)) had.push(n);
    else byName.set(n.name, [had, n]);
  }
  // Latin1 strings compare code unit by code unit: byte order, as strcmp().
  names.sort();
  if (reverse) names.reverse();
  const out: Node[] = [];
  for (const name of names) {
    const v = byName.get(name)!;
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

/** The part of a name from its first dot (-X), as strchrnul(name, '.'). */
function ext(name: string): string {
  const i = name.indexOf(".");
  return i < 0 ? "" : name.slice(i);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** glibc's strverscmp(): names with numbers in natural order (-v). */
export function strverscmp(s1: string, s2: string): number {
  const S_N = 0, S_I = 3, S_F = 6, S_Z = 9, CMP = 2, LEN = 3;
  const next = [S_N, S_I, S_Z, S_N, S_I, S_I, S_N, S_F, S_F, S_N, S_F, S_Z];
  const result = [
    CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP,
    CMP, -1, -1, +1, LEN, LEN, +1, LEN, LEN,
    CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP,
    CMP, +1, +1, -1, CMP, CMP, -1, CMP, CMP,
  ];
  const at = (s: string, i: number) => (i < s.length ? s.charCodeAt(i) : 0);
  if (s1 === s2) return 0;
  let i1 = 0, i2 = 0;
  let c1 = at(s1, i1++);
  let c2 = at(s2, i2++);
  let state = S_N + (Number(c1 === 48) + Number(isDigit(c1)));
  let diff: number;
  while ((diff = c1 - c2) === 0) {
    if (c1 === 0) return diff;
    state = next[state];
    c1 = at(s1, i1++);
    c2 = at(s2, i2++);
    state += Number(c1 === 48) + Number(isDigit(c1));
  }
  const r = result[state * 3 + (Number(c2 === 48) + Number(isDigit(c2)))];
  if (r === CMP) return diff;
  if (r === LEN) {
    while (isDigit(at(s1, i1++))) if (!isDigit(at(s2, i2++))) return 1;
    return isDigit(at(s2, i2)) ? -1 : diff;
  }
  return r;
}


