// tar: create (c), extract (x) or list (t) tar archives, BusyBox-compatible:
// ustar/GNU/pax reading (lib/archive/tar.ts), GNU-format writing with
// LongLink names, gzip through node:zlib, bzip2 and xz decoded in-process
// (compressing with them runs the external bzip2/xz, as BusyBox does),
// -Z and --lzma through the external compress/uncompress and lzma/unlzma,
// compression detected from the data when reading. Extraction goes through
// lib/archive/extract.ts: nothing is written outside the target directory,
// files land under a temporary name and are renamed into place.
// Beyond Debian's BusyBox (which is built without them): -T FILE, -X FILE
// and --exclude PATTERN, with upstream BusyBox's rules; and -p.
import * as fs from "node:fs";
import { constants as osConstants } from "node:os";
import { defineApplet, usageText, type Context } from "../lib/applet.ts";
import { AppletError, describeErrno, UsageError } from "../lib/errors.ts";
import { parseOptions, compileOptions, optionOrder } from "../lib/options.ts";
import {
  absPath, concatPath, errText, fsPath, warnBytes, S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK,
} from "../lib/fileops.ts";
import { fdChunks } from "../lib/bufio.ts";
import { compileGlob, fnmatch } from "../lib/glob.ts";
import { modeString } from "../lib/mode.ts";
import { localTm } from "../lib/datestr.ts";
import { bytesOf, binaryOf } from "../lib/text.ts";
import {
  addressOf, AT_FDCWD, closeFd, errnoName, FdCloser, O_CLOEXEC, openAt, readAt, readDirNames, SF, SF_COUNT, statFields,
} from "../lib/syscalls.ts";
import { groupName, userName } from "../lib/users.ts";
import { ByteSource } from "../lib/archive/bytesource.ts";
import { BLOCK, headerSize, putHeader, readTar, type TarEntry } from "../lib/archive/tar.ts";
import { Extractor, PrefixStripper, prefixWarning, stripUnsafePrefix } from "../lib/archive/extract.ts";
// Compression and child processes are loaded when used: tar c of plain
// files should not pay for node:zlib at start-up.
const unpack = () => import("../lib/archive/unpack.ts");
const externalModule = () => import("../lib/archive/external.ts");

const OPTIONS = [
  "-c  Create",
  "-x  Extract",
  "-t  List",
  "-f FILE  Name of TARFILE ('-' for stdin/out)",
  "-C DIR  Change to DIR before operation",
  "-v  Verbose",
  "-O  Extract to stdout",
  "-m  Don't restore mtime",
  "-o  Don't restore user:group",
  "-p  Restore access permissions (the default)",
  "-k  Don't replace existing files",
  "-Z  (De)compress using compress",
  "-z  (De)compress using gzip",
  "-J  (De)compress using xz",
  "-j  (De)compress using bzip2",
  "--lzma  (De)compress using lzma",
  "-a  (De)compress based on extension",
  "-h  Follow symlinks",
  "-T FILE...  File with names to include",
  "-X FILE...  File with glob patterns to exclude",
  "--exclude PATTERN...  Glob pattern to exclude",
  "--overwrite  Replace existing files",
  "--strip-components NUM  NUM of leading components to strip",
  "--no-recursion  Don't descend in directories",
  "--numeric-owner  Use numeric user:group",
  "--no-same-permissions  Don't restore access permissions",
  "--to-command COMMAND  Pipe files to COMMAND",
];

type Method = "gzip" | "bzip2" | "xz" | "compress" | "lzma";

const METHOD_OF_OPTION: Record<string, Method> = { z: "gzip", j: "bzip2", J: "xz", Z: "compress", lzma: "lzma" };

// Compressing runs the program (except gzip, done in-process), as BusyBox
// does. BusyBox decodes .Z and .lzma itself; we have no decoders for those
// and run these instead (on a system without them, "can't execute").
const EXTERNAL_DECODER: Partial<Record<Method, string>> = { compress: "uncompress", lzma: "unlzma" };

const applet = defineApplet({
  name: "tar",
  usage: "c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [--exclude PATTERN] [FILE]...",
  summary: "Create, extract, or list files from a tar file",
  options: OPTIONS,
  rawArgs: true,
  async run(ctx, _o, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(applet));
      return 0;
    }
    // "tar xvf FILE": a first word without a dash is a cluster of options.
    if (args.length && !args[0].startsWith("-")) args = ["-" + args[0], ...args.slice(1)];
    const { opts, operands } = parseOptions(spec, args);
    const modes = (opts.c ? 1 : 0) + (opts.x ? 1 : 0) + (opts.t ? 1 : 0);
    if (modes !== 1) throw new UsageError();
    // The last compression option given wins.
    const order = optionOrder(opts).filter((k) => k in METHOD_OF_OPTION);
    let method: Method | undefined = order.length ? METHOD_OF_OPTION[order[order.length - 1]] : undefined;
    const file: string = opts.f === undefined ? "-" : binaryOf(opts.f);
    if (opts.a && !method && file !== "-") method = byExtension(file);
    // As BusyBox: names from -T first, then the operands; -X patterns and --exclude ones.
    const names: string[] = [];
    for (const t of opts.T as string[]) names.push(...(await readList(ctx, binaryOf(t))));
    names.push(...operands.map((o) => dropTrailingSlash(binaryOf(o))));
    const excludes: string[] = (opts.exclude as string[]).map(binaryOf);
    for (const x of opts.X as string[]) excludes.push(...(await readList(ctx, binaryOf(x))));
    let dir = ctx.cwd;
    if (opts.C !== undefined) {
      const d = absPath(ctx, binaryOf(opts.C));
      try {
        if (!fs.statSync(fsPath(d)).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
      } catch (err) {
        throw new AppletError(`can't change directory to '${binaryOf(opts.C)}': ${errText(err)}`);
      }
      dir = d;
    }
    const t: Tar = { ctx, opts, file, method, dir: binaryOf(dir), excludes };
    if (opts.c) return create(t, names);
    return extract(t, names);
  },
});

const spec = compileOptions(OPTIONS);

interface Tar {
  ctx: Context;
  opts: Record<string, any>;
  file: string;
  method?: Method;
  /** Directory names are relative to (a byte string). */
  dir: string;
  excludes: string[];
}

function byExtension(name: string): Method | undefined {
  if (/\.(t?gz|taz)$/.test(name)) return "gzip";
  if (/\.(bz2|tbz2?)$/.test(name)) return "bzip2";
  if (/\.(xz|txz)$/.test(name)) return "xz";
  return undefined;
}

/** One trailing "/" goes, unless the name is just "/" (BusyBox's last_char_is() trim). */
function dropTrailingSlash(name: string): string {
  return name.length > 1 && name.endsWith("/") ? name.slice(0, -1) : name;
}

/** Lines of a name list (-T, -X), "-" being stdin, each without one trailing "/". Empty lines stay, as in BusyBox. */
async function readList(ctx: Context, name: string): Promise<string[]> {
  let text: string;
  try {
    if (name === "-") {
      const parts: Uint8Array[] = [];
      for await (const c of ctx.stdin.chunks()) parts.push(c);
      text = Buffer.concat(parts).toString("latin1");
    } else text = fs.readFileSync(fsPath(absPath(ctx, name))).toString("latin1");
  } catch (err) {
    throw new AppletError(`can't open '${name}': ${errText(err)}`);
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map(dropTrailingSlash);
}

/**
 * BusyBox's exclude_file() for tar c: a pattern ("*" not matching "/")
 * matches the member name from the start of any of its components on, and
 * a directory's pattern its contents too; one starting with "/" matches from
 * the start only.
 */
function excluder(patterns: string[]): (name: string) => boolean {
  const compiled = patterns.map((p) => ({ anchored: p.startsWith("/"), re: compileGlob(p, { pathname: true, leadingDir: true }) }));
  return (name) => {
    for (const { anchored, re } of compiled) {
      if (anchored) {
        if (re.test(name)) return true;
        continue;
      }
      for (let i = 0; i < name.length; i++) {
        if ((i === 0 || name[i - 1] === "/") && name[i] !== "/" && re.test(i ? name.slice(i) : name)) return true;
      }
    }
    return false;
  };
}

// ---- listing ----

const pad2 = (n: number) => String(n).padStart(2, "0");

function verboseLine(e: TarEntry, name: string, numeric: boolean): string {
  const user = !numeric && e.uname ? e.uname : String(e.uid);
  const group = !numeric && e.gname ? e.gname : String(e.gid);
  const tm = localTm(e.mtime);
  const date = `${String(tm.year).padStart(4, "0")}-${pad2(tm.mon + 1)}-${pad2(tm.mday)} ${pad2(tm.hour)}:${pad2(tm.min)}:${pad2(tm.sec)}`;
  const size = e.type === "1" ? 0 : e.size;
  let line = `${modeString(e.mode)} ${user}/${group} ${String(size).padStart(9)} ${date} ${name}`;
  if (e.type === "2" || e.type === "1") line += ` -> ${e.linkname}`;
  return line + "\n";
}

// BusyBox's find_list_entry2(): the name cut to as many components as the pattern has.
function matches(patterns: string[], name: string): boolean {
  for (const p of patterns) {
    let slashes = 0;
    for (const c of p) if (c === "/") slashes++;
    let end = 0;
    while (end < name.length) {
      if (name[end] === "/" && slashes-- === 0) break;
      end++;
    }
    if (fnmatch(p, name.slice(0, end))) return true;
  }
  return false;
}

// ---- extract and list ----

function openArchive(t: Tar): AsyncIterable<Uint8Array> {
  if (t.file === "-") return t.ctx.stdin.fd !== undefined ? fdChunks(t.ctx.stdin.fd) : t.ctx.stdin.chunks();
  let fd: number;
  try {
    fd = fs.openSync(fsPath(absPath(t.ctx, t.file)), "r");
  } catch (err) {
    throw new AppletError(`can't open '${t.file}': ${errText(err)}`);
  }
  return (async function* () {
    try {
      yield* fdChunks(fd);
    } finally {
      fs.closeSync(fd);
    }
  })();
}

async function extract(t: Tar, operands: string[]): Promise<number> {
  const { ctx, opts } = t;
  let src: ByteSource;
  const external = t.method && EXTERNAL_DECODER[t.method];
  if (external) {
    const { externalFilter } = await externalModule();
    src = new ByteSource((await externalFilter(ctx, [external, "-c"], openArchive(t), {})).output);
  } else {
    const raw = new ByteSource(openArchive(t));
    const magic = await raw.peek(6);
    const { decoder, detectCompression } = await unpack();
    const method = (t.method ?? detectCompression(magic)) as "gzip" | "bzip2" | "xz" | undefined;
    src = method ? new ByteSource(decoder(method)(raw)) : raw;
  }
  // Member names are compared without their trailing "/", so the patterns are too.
  const accept = operands.map((p) => p.replace(/\/+$/, "") || p);
  const reject = t.excludes.map((p) => p.replace(/\/+$/, "") || p);
  const passed = new Set<string>();
  const stripper = new PrefixStripper(ctx);
  const listing = !!opts.t;
  const isRoot = process.getuid?.() === 0;
  const extractor = listing || opts.O ? undefined : new Extractor(ctx, t.dir, {
    leadingDirs: true,
    existing: opts.k && !opts.overwrite ? "keep" : "replace",
    restoreDate: !opts.m,
    owner: isRoot && !opts.o,
    perms: !opts["no-same-permissions"],
    numericOwner: !!opts["numeric-owner"],
  });
  const strip = opts["strip-components"] === undefined ? 0 : Number(opts["strip-components"]);
  if (!Number.isInteger(strip) || strip < 0) throw new AppletError(`invalid number '${opts["strip-components"]}'`);
  const vOut = opts.O || t.file === "-" ? ctx.stderr : ctx.stdout;
  let status = 0;

  for await (const e of readTar(src)) {
    const name = await stripper.strip(e.name);
    if (name === "") continue;
    const key = name.replace(/\/+$/, "") || name;
    if (reject.length && matches(reject, key)) continue;
    if (accept.length && !matches(accept, key)) continue;
    passed.add(key);
    if (listing) {
      await ctx.stdout.write(bytesOf(opts.v ? verboseLine(e, name, !!opts["numeric-owner"]) : name + "\n"));
      continue;
    }
    if (opts.v) await vOut.write(bytesOf(opts.v > 1 ? verboseLine(e, name, !!opts["numeric-owner"]) : name + "\n"));
    if (opts.O) {
      if (e.type === "0") for await (const c of src.take(e.size)) await ctx.stdout.write(c.slice());
      continue;
    }
    if (opts["to-command"] !== undefined) {
      if (e.type === "0") status |= await toCommand(t, e, name, src);
      continue;
    }
    let member = name;
    let link = e.linkname;
    if (strip) {
      const parts = member.split("/");
      if (parts.filter((p) => p !== "").length <= strip && !(parts.length > strip && parts[strip] !== "")) continue;
      member = parts.slice(strip).join("/");
      if (member === "") continue;
      if (e.type === "1") link = link.split("/").slice(strip).join("/");
    }
    const isFile = e.type === "0";
    await extractor!.extract(
      {
        name: member, mode: e.mode, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname, mtime: e.mtime,
        linkname: link, hardlink: e.type === "1", major: e.devmajor, minor: e.devminor,
      },
      isFile ? copies(src.take(e.size)) : undefined,
    );
  }
  if (extractor) {
    await extractor.finish();
    if (extractor.failed) status = 1;
  }
  for (const p of accept) {
    if (!reject.some((r) => fnmatch(r, p)) && ![...passed].some((n) => n === p || fnmatch(n, p))) {
      throw new AppletError(`${p}: not found in archive`);
    }
  }
  return status;
}

async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** --to-command: the member's data on the command's stdin, with GNU tar's TAR_* variables. */
async function toCommand(t: Tar, e: TarEntry, name: string, src: ByteSource): Promise<number> {
  const env = {
    ...t.ctx.env,
    TAR_FILETYPE: "f",
    TAR_MODE: (e.mode & 0o7777).toString(8).padStart(4, "0"),
    TAR_FILENAME: name,
    TAR_REALNAME: name,
    TAR_UNAME: e.uname,
    TAR_GNAME: e.gname,
    TAR_SIZE: String(e.size),
    TAR_UID: String(e.uid),
    TAR_GID: String(e.gid),
  };
  const { externalFilter } = await externalModule();
  const sink = await externalFilter(t.ctx, ["/bin/sh", "-c", t.opts["to-command"]], src.take(e.size), { env, cwd: t.dir, inheritStdout: true });
  for await (const _ of sink.output);
  const code = await sink.exited;
  if (code !== 0) throw new AppletError(`'${t.opts["to-command"]}' returned status ${code}`);
  return 0;
}

// ---- create ----

const OUT_BLOCK = 256 * 1024;

/**
 * Gathers archive bytes into large zeroed blocks, filled in place (headers,
 * file data read straight in). Blocks the writer is done with come back
 * through release(): fresh blocks cost a page fault for every 4 KiB.
 */
class Blocks {
  private spare: Uint8Array[] = [];
  buf: Uint8Array = new Uint8Array(OUT_BLOCK);
  /** buf's address, for readAt(). */
  addr = addressOf(this.buf);
  off = 0;
  ready: Uint8Array[] = [];
  /** Room for n bytes at `off` (n <= OUT_BLOCK). */
  room(n: number): void {
    if (this.off + n > OUT_BLOCK) this.cut();
  }
  cut(): void {
    if (this.off) this.ready.push(this.buf.subarray(0, this.off));
    this.buf = this.spare.pop() ?? new Uint8Array(OUT_BLOCK);
    this.addr = addressOf(this.buf);
    this.off = 0;
  }
  take(): Uint8Array[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }
  /** A block from take() that nothing refers to any more, to be zeroed and used again. */
  release(chunk: Uint8Array): void {
    const whole = new Uint8Array(chunk.buffer, 0, OUT_BLOCK);
    whole.fill(0, 0, chunk.byteLength);
    this.spare.push(whole);
  }
}

async function create(t: Tar, names: string[]): Promise<number> {
  const { ctx, opts } = t;
  if (names.length === 0) throw new AppletError("empty archive");
  const toStdout = t.file === "-";
  const target = toStdout ? "" : absPath(ctx, t.file);
  let archiveIno: [number, number] | undefined;
  let outFd = -1;
  let tmp = "";
  if (!toStdout) {
    // A regular file (or a new one) is written under a temporary name; devices and pipes directly.
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(fsPath(target));
    } catch {}
    try {
      if (st && !st.isFile()) outFd = fs.openSync(fsPath(target), "w");
      else {
        const slash = target.lastIndexOf("/");
        tmp = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${process.pid}.tmp`;
        outFd = fs.openSync(fsPath(tmp), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o666 & ~process.umask());
      }
      const ost = fs.fstatSync(outFd);
      archiveIno = [ost.dev, ost.ino];
    } catch (err) {
      throw new AppletError(`can't open '${t.file}': ${errText(err)}`);
    }
  }
  const state = { status: 0 };
  const out = new Blocks();
  let stream: AsyncIterable<Uint8Array> = produce(t, names, archiveIno, state, out);
  if (t.method === "gzip") stream = (await import("../lib/archive/gzip.ts")).gzip(stream, { level: 6 });
  else if (t.method) {
    const { externalFilter } = await externalModule();
    const f = await externalFilter(ctx, [t.method, "-c"], stream, {});
    stream = f.output;
  }
  try {
    for await (const chunk of stream) {
      if (outFd >= 0) {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(outFd, chunk, off, chunk.length - off);
      } else {
        await ctx.stdout.write(chunk);
        await ctx.stdout.flush();
      }
      // Uncompressed, the chunk is one of out's blocks, and written now.
      if (!t.method) out.release(chunk);
    }
    if (outFd >= 0) {
      fs.closeSync(outFd);
      outFd = -1;
      if (tmp) fs.renameSync(fsPath(tmp), fsPath(target));
      tmp = "";
    }
  } finally {
    if (outFd >= 0) fs.closeSync(outFd);
    if (tmp) fs.rmSync(fsPath(tmp), { force: true });
  }
  if (state.status) throw new AppletError("error exit delayed from previous errors");
  return 0;
}

const O_READ = fs.constants.O_RDONLY | O_CLOEXEC;
const errnoText = (e: number) => describeErrno(errnoName(e), e);
const { EINTR, EMFILE } = osConstants.errno;

/** What the walk has to say, in order: warnings (stderr) and -v lines. */
interface Message { verbose: boolean; text: string }

// The walk makes raw system calls (statFields, openAt, readAt, FdCloser) on
// names relative to a descriptor of t.dir, and reuses one entry and one stat
// array: with thousands of small files, Node's fs calls and their objects
// cost more than the files. It is synchronous, and collects its messages for
// the caller to write: an async generator this size costs the JIT more to
// compile than a short run spends in it.
class Walker {
  /** Names still to archive, the next one last (depth first, in readdir order). */
  private stack: string[];
  private readonly dirfd: number;
  private readonly closer = new FdCloser();
  private readonly sf = new Float64Array(SF_COUNT);
  private readonly e: TarEntry = { name: "", mode: 0, uid: 0, gid: 0, uname: "", gname: "", size: 0, mtime: 0, type: "0", linkname: "", devmajor: 0, devminor: 0 };
  private readonly links = new Map<string, string>();
  private readonly users = new Map<number, string>();
  private readonly groups = new Map<number, string>();
  // Most members share one owner: the last one's names are kept at hand.
  private lastUid = -1;
  private lastGid = -1;
  private warnedPrefix = false;
  private readonly excluded?: (name: string) => boolean;
  /** A member whose data did not fit in the block that was passed on. */
  private fd = -1;
  private name = "";
  private left = 0;
  messages: Message[] = [];
  failed = false;

  constructor(private readonly t: Tar, names: string[], private readonly archiveIno: [number, number] | undefined, private readonly out: Blocks) {
    this.stack = [...names].reverse();
    this.excluded = t.excludes.length ? excluder(t.excludes) : undefined;
    this.dirfd = openAt(AT_FDCWD, t.dir, O_READ | fs.constants.O_DIRECTORY);
    if (this.dirfd < 0) throw new AppletError(`can't change directory to '${t.dir}': ${errnoText(-this.dirfd)}`);
  }

  /** Archives members until a block is ready for the caller (true) or all are done (false). */
  step(): boolean {
    const out = this.out;
    if (this.fd >= 0 && !this.copy()) return true;
    while (this.stack.length) {
      this.member(this.stack.pop()!);
      if (this.fd >= 0 && !this.copy()) return true;
      if (out.ready.length) return true;
    }
    return false;
  }

  close(): void {
    if (this.fd >= 0) this.closer.close(this.fd);
    this.fd = -1;
    this.closer.flush();
    closeFd(this.dirfd);
  }

  private warn(text: string, failed = true): void {
    this.messages.push({ verbose: false, text });
    if (failed) this.failed = true;
  }

  /** More of the current member's data; true when it is all there and padded. */
  private copy(): boolean {
    this.left = copyData(this.out, this.fd, this.name, this.left);
    if (this.left > 0) return false;
    this.closer.close(this.fd);
    this.fd = -1;
    const pad = (BLOCK - (this.e.size % BLOCK)) % BLOCK;
    if (pad) {
      this.out.room(pad);
      this.out.off += pad;
    }
    return true;
  }

  private open(name: string, flags: number): number {
    const fd = openAt(this.dirfd, name, flags);
    if (fd !== -EMFILE) return fd;
    this.closer.flush(); // the descriptors held for closing are in the way
    return openAt(this.dirfd, name, flags);
  }

  /** One name: its header, and its data opened for copy(), or its directory's names stacked. */
  private member(name: string): void {
    const { sf, e, t } = this;
    const err = statFields(this.dirfd, name, !!t.opts.h, sf);
    if (err) return this.warn(`${name}: ${errnoText(err)}`);
    if (this.archiveIno && sf[SF.dev] === this.archiveIno[0] && sf[SF.ino] === this.archiveIno[1]) {
      return this.warn(`${name}: file is the archive; skipping`, false);
    }
    const mode = sf[SF.mode];
    const kind = mode & S_IFMT;
    const header = stripUnsafePrefix(name);
    if (header !== name && !this.warnedPrefix) {
      this.warnedPrefix = true;
      this.warn(prefixWarning(name, header), false);
    }
    if (header === "" && kind !== S_IFDIR) return;
    // Checked after the stat, as BusyBox does: a missing name is an error even when excluded.
    if (this.excluded?.(header)) return;
    const uid = sf[SF.uid], gid = sf[SF.gid];
    e.name = header;
    e.mode = mode;
    e.uid = uid;
    e.gid = gid;
    if (uid !== this.lastUid) {
      e.uname = this.users.get(uid) ?? (this.users.set(uid, userName(uid) ?? String(uid)), this.users.get(uid)!);
      this.lastUid = uid;
    }
    if (gid !== this.lastGid) {
      e.gname = this.groups.get(gid) ?? (this.groups.set(gid, groupName(gid) ?? String(gid)), this.groups.get(gid)!);
      this.lastGid = gid;
    }
    e.size = 0;
    e.mtime = sf[SF.mtime];
    e.type = "0";
    e.linkname = "";
    e.devmajor = e.devminor = 0;
    if (kind !== S_IFDIR && sf[SF.nlink] > 1) {
      const k = `${sf[SF.dev]}:${sf[SF.ino]}`;
      const first = this.links.get(k);
      if (first !== undefined) {
        e.type = "1";
        e.linkname = first;
      } else this.links.set(k, header);
    }
    let fd = -1;
    if (e.type === "1") {
      // a hard link to a member already written
    } else if (kind === S_IFREG) {
      e.size = sf[SF.size];
      fd = this.open(name, O_READ);
      if (fd < 0) return this.warn(`can't open '${name}': ${errnoText(-fd)}`);
    } else if (kind === S_IFDIR) {
      e.type = "5";
      if (header !== "" && !header.endsWith("/")) e.name = header + "/";
    } else if (!this.special(name, kind)) return;
    if (e.name !== "") {
      if (t.opts.v) this.messages.push({ verbose: true, text: e.name });
      this.out.room(headerSize(e));
      this.out.off += putHeader(this.out.buf, this.out.off, e);
    }
    if (fd >= 0) {
      this.fd = fd;
      this.name = name;
      this.left = e.size;
    } else if (e.type === "5" && !t.opts["no-recursion"]) this.stackDir(name);
  }

  /** The entry fields of a symlink, fifo or device; false for a socket (left out with a warning). */
  private special(name: string, kind: number): boolean {
    const e = this.e;
    if (kind === S_IFLNK) {
      e.type = "2";
      const full = name.startsWith("/") ? name : concatPath(this.t.dir, name);
      e.linkname = (fs.readlinkSync(fsPath(full), { encoding: "buffer" }) as Buffer).toString("latin1");
    } else if (kind === S_IFIFO) e.type = "6";
    else if (kind === S_IFCHR || kind === S_IFBLK) {
      const rdev = this.sf[SF.rdev];
      e.type = kind === S_IFCHR ? "3" : "4";
      e.devmajor = Math.floor(rdev / 256) & 0xfff;
      e.devminor = (rdev & 0xff) | ((Math.floor(rdev / 1048576) & 0xfff) << 8);
    } else {
      this.warn(`${name}: socket ignored`, false);
      return false;
    }
    return true;
  }

  private stackDir(name: string): void {
    const dfd = this.open(name, O_READ | fs.constants.O_DIRECTORY);
    if (dfd < 0) return this.warn(`${name}: ${errnoText(-dfd)}`);
    let kids: string[];
    try {
      kids = readDirNames(dfd);
    } catch (err) {
      return this.warn(`${name}: ${errText(err)}`);
    } finally {
      closeFd(dfd);
    }
    const prefix = name.endsWith("/") ? name : name + "/";
    for (let i = kids.length - 1; i >= 0; i--) this.stack.push(prefix + kids[i]);
  }
}

async function* produce(t: Tar, names: string[], archiveIno: [number, number] | undefined, state: { status: number }, out: Blocks): AsyncGenerator<Uint8Array> {
  const { ctx } = t;
  const verbose = t.file === "-" ? ctx.stderr : ctx.stdout;
  const walker = new Walker(t, names, archiveIno, out);
  const say = async () => {
    for (const m of walker.messages) {
      if (m.verbose) await verbose.write(bytesOf(m.text + "\n"));
      else await warnBytes(ctx, m.text);
    }
    walker.messages = [];
    if (walker.failed) state.status = 1;
  };
  try {
    for (let more = true; more; ) {
      more = walker.step();
      await say();
      if (out.ready.length) yield* out.take();
    }
  } finally {
    walker.close();
    await say();
  }
  // Two zero blocks end the archive.
  out.room(2 * BLOCK);
  out.off += 2 * BLOCK;
  out.cut();
  yield* out.take();
}

/**
 * Part of a member's data, `left` bytes to go, read straight into the output
 * blocks until it is all there or a block is full (for the caller to pass
 * on). A file that shrank is padded with zeros. Returns what is left.
 */
function copyData(out: Blocks, fd: number, name: string, left: number): number {
  while (left > 0) {
    out.room(left < OUT_BLOCK ? left : OUT_BLOCK);
    const want = Math.min(left, OUT_BLOCK - out.off);
    const n = readAt(fd, out.addr + out.off, want);
    if (n === -EINTR) continue;
    if (n < 0) throw new AppletError(`${name}: ${errnoText(-n)}`);
    // At end of file (it shrank), zeros: output blocks start zeroed.
    const got = n || want;
    out.off += got;
    left -= got;
    if (out.off === OUT_BLOCK) out.cut();
    if (out.ready.length) break;
  }
  return left;
}
