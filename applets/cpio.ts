// cpio: extract (-i), list (-t) or create (-o -H newc) cpio archives, as
// BusyBox's. Hard links in newc carry their data in one member only: the
// others are made as links to it once it has been extracted. Extraction
// goes through lib/archive/extract.ts (nothing outside the current
// directory, temporary names renamed into place).
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { absPath, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { fdChunks } from "../lib/bufio.ts";
import { fnmatch } from "../lib/glob.ts";
import { modeString } from "../lib/mode.ts";
import { localTm } from "../lib/datestr.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { groupByName, userByName } from "../lib/users.ts";
import { ByteSource } from "../lib/archive/bytesource.ts";
import { cpioHeader, readCpio, TRAILER, type CpioEntry } from "../lib/archive/cpio.ts";
import { Extractor, stripUnsafePrefix } from "../lib/archive/extract.ts";

const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000;

defineApplet({
  name: "cpio",
  usage: "[-dmvu] [-F FILE] [-R USER[:GRP]] [-H newc] [-tio] [EXTR_FILE]...",
  summary: "Extract (-i) or list (-t) files from a cpio archive, or\ntake file list from stdin and create an archive (-o)",
  options: [
    "-t  List",
    "-i  Extract EXTR_FILEs (or all)",
    "-o  Create (requires -H newc)",
    "-H newc  Archive format",
    "-d  Make leading directories",
    "-m  Restore mtime",
    "-v  Verbose",
    "-u  Overwrite",
    "-F FILE  Input (-t,-i) or output (-o) file",
    "-R USER[:GRP]  Set owner of created files",
    "-L  Dereference symlinks",
    "-0  NUL terminated input",
    "--ignore-devno",
    "--renumber-inodes",
  ],
  async run(ctx, opts, patterns) {
    const modes = (opts.t ? 1 : 0) + (opts.i ? 1 : 0) + (opts.o ? 1 : 0);
    // -t may come with -i (cpio -it); -o goes alone.
    if (modes === 0 || (opts.o && modes > 1)) throw new UsageError();
    if (opts.H !== undefined && opts.H !== "newc") throw new AppletError(`unsupported archive format '${opts.H}'`);
    const owner = opts.R === undefined ? undefined : parseOwner(opts.R);
    if (opts.o) {
      if (opts.H === undefined) throw new UsageError();
      return create(ctx, opts, owner);
    }
    return extract(ctx, opts, patterns.map(binaryOf), owner);
  },
});

function parseOwner(spec: string): { uid?: number; gid?: number } {
  const [u, g] = spec.split(/[:.]/, 2);
  const id = (s: string, look: (n: string) => number | undefined, what: string) => {
    if (/^\d+$/.test(s)) return Number(s);
    const v = look(s);
    if (v === undefined) throw new AppletError(`unknown ${what} name: ${s}`);
    return v;
  };
  const uid = u ? id(u, (n) => userByName(n)?.uid, "user") : undefined;
  let gid = g ? id(g, (n) => groupByName(n)?.gid, "group") : undefined;
  if (g === "" && u) gid = userByName(u)?.gid;
  return { uid, gid };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function verboseLine(e: CpioEntry, link: string | undefined): string {
  const tm = localTm(e.mtime);
  const date = `${String(tm.year).padStart(4, "0")}-${pad2(tm.mon + 1)}-${pad2(tm.mday)} ${pad2(tm.hour)}:${pad2(tm.min)}:${pad2(tm.sec)}`;
  const size = (e.mode & S_IFMT) === S_IFLNK ? 0 : e.size;
  let line = `${modeString(e.mode)} ${e.uid}/${e.gid} ${String(size).padStart(9)} ${date} ${e.name}`;
  if (link !== undefined) line += ` -> ${link}`;
  return line + "\n";
}

function input(ctx: Context, file: string | undefined): AsyncIterable<Uint8Array> {
  if (file === undefined) return ctx.stdin.fd !== undefined ? fdChunks(ctx.stdin.fd) : ctx.stdin.chunks();
  let fd: number;
  try {
    fd = fs.openSync(fsPath(absPath(ctx, binaryOf(file))), "r");
  } catch (err) {
    throw new AppletError(`can't open '${file}': ${errText(err)}`);
  }
  return (async function* () {
    try {
      yield* fdChunks(fd);
    } finally {
      fs.closeSync(fd);
    }
  })();
}

async function extract(ctx: Context, opts: Record<string, any>, patterns: string[], owner?: { uid?: number; gid?: number }): Promise<number> {
  const src = new ByteSource(input(ctx, opts.F));
  const listing = !!opts.t;
  const isRoot = process.getuid?.() === 0;
  const ex = listing ? undefined : new Extractor(ctx, binaryOf(ctx.cwd), {
    leadingDirs: !!opts.d,
    existing: opts.u ? "replace" : "newer",
    restoreDate: !!opts.m,
    owner: isRoot || owner !== undefined,
    perms: true,
    numericOwner: true,
  });
  // Hard-linked members without data, by inode, waiting for the one with it.
  const pending = new Map<string, CpioEntry[]>();
  const linkedTo = new Map<string, string>();
  let warnedDots = false;
  for await (const e of readCpio(src)) {
    const stripped = stripUnsafePrefix(e.name);
    if (stripped !== e.name && e.name.slice(0, e.name.length - stripped.length).includes("..") && !warnedDots) {
      warnedDots = true;
      await warnBytes(ctx, `removing leading '${e.name.slice(0, e.name.length - stripped.length)}' from member names`);
    }
    e.name = stripped;
    if (e.name === "") continue;
    if (patterns.length && !patterns.some((p) => fnmatch(p, e.name))) continue;
    const type = e.mode & S_IFMT;
    const key = `${e.devmajor}:${e.devminor}:${e.ino}`;
    if (e.nlink > 1 && type !== S_IFDIR && type !== S_IFLNK) {
      if (e.size === 0 && !linkedTo.has(key)) {
        const list = pending.get(key) ?? [];
        list.push({ ...e });
        pending.set(key, list);
        continue;
      }
    }
    let target: string | undefined;
    if (type === S_IFLNK) {
      const d = await src.readExact(e.size);
      if (!d) throw new AppletError("short read");
      target = Buffer.from(d).toString("latin1");
    }
    if (listing) {
      await ctx.stdout.write(bytesOf(opts.v ? verboseLine(e, target) : e.name + "\n"));
      continue;
    }
    if (opts.v) await ctx.stdout.write(bytesOf(e.name + "\n"));
    const member = {
      name: e.name, mode: e.mode, uid: owner?.uid ?? e.uid, gid: owner?.gid ?? e.gid, mtime: e.mtime,
      linkname: target, major: e.rdevmajor, minor: e.rdevminor,
    };
    const linked = linkedTo.get(key);
    if (linked !== undefined) {
      await ex!.extract({ ...member, hardlink: true, linkname: linked });
      continue;
    }
    await ex!.extract(member, type === S_IFREG ? src.take(e.size) : undefined);
    if (e.nlink > 1 && type === S_IFREG) {
      linkedTo.set(key, e.name);
      for (const p of pending.get(key) ?? []) {
        if (opts.v) await ctx.stdout.write(bytesOf(p.name + "\n"));
        await ex!.extract({ ...member, name: p.name, hardlink: true, linkname: e.name });
      }
      pending.delete(key);
    }
  }
  // Links whose data never came: empty files.
  if (ex) {
    for (const list of pending.values()) {
      for (const p of list) await ex.extract({ name: p.name, mode: p.mode, uid: p.uid, gid: p.gid, mtime: p.mtime });
    }
    await ex.finish();
  }
  await ctx.stderr.write(`${Math.ceil(src.offset / 512)} blocks\n`);
  return ex?.failed ? 1 : 0;
}

async function readNames(ctx: Context, nul: boolean): Promise<string[]> {
  const parts: Uint8Array[] = [];
  for await (const c of ctx.stdin.chunks()) parts.push(c);
  const text = Buffer.concat(parts).toString("latin1");
  return text.split(nul ? "\0" : "\n").filter((l) => l !== "");
}

async function create(ctx: Context, opts: Record<string, any>, owner?: { uid?: number; gid?: number }): Promise<number> {
  const names = await readNames(ctx, !!opts["0"]);
  const out: Uint8Array[] = [];
  let size = 0;
  let fd = -1;
  let tmp = "", target = "";
  if (opts.F !== undefined) {
    target = absPath(ctx, binaryOf(opts.F));
    const slash = target.lastIndexOf("/");
    tmp = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${process.pid}.tmp`;
    try {
      fd = fs.openSync(fsPath(tmp), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o666 & ~process.umask());
    } catch (err) {
      throw new AppletError(`can't open '${opts.F}': ${errText(err)}`);
    }
  }
  const flush = async (force = false) => {
    if (!force && size < 1 << 20) return;
    const b = Buffer.concat(out);
    out.length = 0;
    size = 0;
    if (fd >= 0) {
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    } else await ctx.stdout.write(b);
  };
  let total = 0;
  const push = (b: Uint8Array) => {
    out.push(b);
    size += b.length;
    total += b.length;
  };
  const pad4 = () => {
    const p = (4 - (total % 4)) % 4;
    if (p) push(new Uint8Array(p));
  };
  const links = new Map<string, { names: string[]; st: fs.Stats }>();
  let nextIno = 1;
  const inodes = new Map<string, number>();

  const emit = async (name: string, st: fs.Stats, withData: boolean) => {
    const type = st.mode & S_IFMT;
    let data: Uint8Array | undefined;
    let fileSize = 0;
    if (type === S_IFLNK) {
      data = fs.readlinkSync(fsPath(absPath(ctx, name)), { encoding: "buffer" }) as Buffer;
      fileSize = data.length;
    } else if (type === S_IFREG && withData) fileSize = st.size;
    const devKey = `${st.dev}:${st.ino}`;
    let ino = st.ino;
    if (opts["renumber-inodes"]) {
      if (!inodes.has(devKey)) inodes.set(devKey, nextIno++);
      ino = inodes.get(devKey)!;
    }
    const noDev = !!opts["ignore-devno"];
    push(cpioHeader({
      name, ino, mode: st.mode, uid: owner?.uid ?? st.uid, gid: owner?.gid ?? st.gid, nlink: st.nlink,
      mtime: Math.floor(st.mtimeMs / 1000), size: fileSize,
      devmajor: noDev ? 0 : Math.floor(st.dev / 256) & 0xfff, devminor: noDev ? 0 : st.dev & 0xff,
      rdevmajor: Math.floor(st.rdev / 256) & 0xfff, rdevminor: (st.rdev & 0xff) | ((Math.floor(st.rdev / 1048576) & 0xfff) << 8),
    }));
    if (opts.v) await ctx.stderr.write(bytesOf(name + "\n"));
    if (data) push(data);
    else if (fileSize) {
      let fd2: number;
      try {
        fd2 = fs.openSync(fsPath(absPath(ctx, name)), "r");
      } catch (err) {
        throw new AppletError(`can't open '${name}': ${errText(err)}`);
      }
      try {
        let left = fileSize;
        while (left > 0) {
          const buf = new Uint8Array(Math.min(left, 1 << 20));
          const n = fs.readSync(fd2, buf, 0, buf.length, null);
          if (n === 0) {
            push(new Uint8Array(left)); // it shrank: zeros keep the archive consistent
            break;
          }
          push(n === buf.length ? buf : buf.subarray(0, n));
          left -= n;
          await flush();
        }
      } finally {
        fs.closeSync(fd2);
      }
    }
    pad4();
    await flush();
  };

  try {
    for (const raw of names) {
      const name = binaryOf(raw);
      let st: fs.Stats;
      try {
        st = opts.L ? fs.statSync(fsPath(absPath(ctx, name))) : fs.lstatSync(fsPath(absPath(ctx, name)));
      } catch (err) {
        throw new AppletError(`${name}: ${errText(err)}`);
      }
      if ((st.mode & S_IFMT) !== S_IFDIR && st.nlink > 1) {
        // Kept for the end, as BusyBox does; the data goes with the last written.
        const key = `${st.dev}:${st.ino}`;
        const g = links.get(key) ?? { names: [], st };
        g.names.unshift(name);
        links.set(key, g);
        continue;
      }
      await emit(name, st, true);
    }
    for (const g of [...links.values()].reverse()) for (let i = 0; i < g.names.length; i++) await emit(g.names[i], g.st, i === g.names.length - 1);
    push(cpioHeader(TRAILER));
    await flush(true);
    if (fd >= 0) {
      fs.closeSync(fd);
      fd = -1;
      fs.renameSync(fsPath(tmp), fsPath(target));
      tmp = "";
    }
  } finally {
    if (fd >= 0) fs.closeSync(fd);
    if (tmp) fs.rmSync(fsPath(tmp), { force: true });
  }
  return 0;
}
