// The tar format: reading ustar, GNU (././@LongLink 'L'/'K' long names,
// base-256 numbers) and pax ('x'/'g' extended headers) archives as a stream
// of entries, and writing headers the way BusyBox writes them (GNU magic,
// LongLink records for names and link targets of 100 bytes or more).
// Names are latin1 byte strings.
import { AppletError } from "../errors.ts";
import { ByteSource } from "./bytesource.ts";

export const BLOCK = 512;

export interface TarEntry {
  name: string;
  /** Permission bits and file type (S_IF*). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtime: number;
  /** '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo. */
  type: string;
  linkname: string;
  devmajor: number;
  devminor: number;
}

const S_IFREG = 0o100000, S_IFDIR = 0o040000, S_IFLNK = 0o120000, S_IFCHR = 0o020000, S_IFBLK = 0o060000, S_IFIFO = 0o010000;

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

/** A NUL-terminated field. */
function str(h: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && h[end] !== 0) end++;
  return latin1(h.subarray(off, end));
}

/** An octal field (spaces and NULs around it), or base-256 when the high bit is set. */
function num(h: Uint8Array, off: number, len: number): number {
  if (h[off] & 0x80) {
    let v = h[off] & 0x3f;
    if (h[off] & 0x40) throw new AppletError("invalid tar header");
    for (let i = 1; i < len; i++) v = v * 256 + h[off + i];
    return v;
  }
  let i = off;
  const end = off + len;
  while (i < end && h[i] === 0x20) i++;
  let v = 0;
  let any = false;
  for (; i < end && h[i] >= 0x30 && h[i] <= 0x37; i++) {
    v = v * 8 + (h[i] - 0x30);
    any = true;
  }
  // What follows the digits must be a terminator.
  if (i < end && h[i] !== 0 && h[i] !== 0x20) throw new AppletError("corrupted octal value in tar header");
  return any ? v : 0;
}

function checksumOk(h: Uint8Array): boolean {
  let unsigned = 0, signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  let want: number;
  try {
    want = num(h, 148, 8);
  } catch {
    return false;
  }
  return want === unsigned || want === signed;
}

function typeToMode(type: string): number {
  switch (type) {
    case "5": return S_IFDIR;
    case "2": return S_IFLNK;
    case "3": return S_IFCHR;
    case "4": return S_IFBLK;
    case "6": return S_IFIFO;
    default: return S_IFREG;
  }
}

/** pax "LEN key=value\n" records. */
function parsePax(data: Uint8Array, into: Record<string, string>): void {
  const s = latin1(data);
  let p = 0;
  while (p < s.length) {
    const sp = s.indexOf(" ", p);
    if (sp < 0) break;
    const len = parseInt(s.slice(p, sp), 10);
    if (!(len > 0) || p + len > s.length) throw new AppletError("invalid tar header");
    const rec = s.slice(sp + 1, p + len - 1);
    const eq = rec.indexOf("=");
    if (eq > 0) into[rec.slice(0, eq)] = rec.slice(eq + 1);
    p += len;
  }
}

async function readData(src: ByteSource, size: number): Promise<Uint8Array> {
  if (size > 1 << 24) throw new AppletError("invalid tar header");
  const d = await src.readExact(size);
  if (!d) throw new AppletError("short read");
  const copy = d.slice();
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  if ((await src.skip(pad)) !== pad) throw new AppletError("short read");
  return copy;
}

/**
 * The entries of a tar stream. After each entry is yielded, the consumer
 * may read up to entry.size bytes of data from `src`; whatever it leaves is
 * skipped, with the block padding, before the next header is read.
 */
export async function* readTar(src: ByteSource): AsyncGenerator<TarEntry> {
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  const globalPax: Record<string, string> = {};
  let first = true;
  for (;;) {
    const h = await src.read(BLOCK);
    if (h.length === 0 && !first) return;
    if (h.length < BLOCK) throw new AppletError("short read");
    first = false;
    if (h.every((b) => b === 0)) return; // end-of-archive block
    const magic = latin1(h.subarray(257, 262));
    if (magic !== "ustar") {
      // Pre-POSIX archives have no magic; BusyBox takes them too.
      if (!h.subarray(257, 262).every((b) => b === 0)) throw new AppletError("invalid tar magic");
    }
    if (!checksumOk(h)) throw new AppletError("invalid tar header checksum");
    let type = String.fromCharCode(h[156] || 0x30);
    const size = num(h, 124, 12);
    if (type === "L" || type === "K") {
      const d = await readData(src, size);
      const s = str(d, 0, d.length);
      if (type === "L") longName = s;
      else longLink = s;
      continue;
    }
    if (type === "x" || type === "g") {
      parsePax(await readData(src, size), type === "x" ? pax : globalPax);
      continue;
    }
    let name = str(h, 0, 100);
    const posix = h[262] === 0; // "ustar\0": the prefix field holds a path prefix
    if (posix) {
      const prefix = str(h, 345, 155);
      if (prefix) name = prefix + "/" + name;
    }
    const e: TarEntry = {
      name,
      mode: num(h, 100, 8) & 0o7777,
      uid: num(h, 108, 8),
      gid: num(h, 116, 8),
      uname: magic === "ustar" ? str(h, 265, 32) : "",
      gname: magic === "ustar" ? str(h, 297, 32) : "",
      size,
      mtime: num(h, 136, 12),
      type,
      linkname: str(h, 157, 100),
      devmajor: magic === "ustar" ? num(h, 329, 8) : 0,
      devminor: magic === "ustar" ? num(h, 337, 8) : 0,
    };
    const ext = { ...globalPax, ...pax };
    if (ext.path !== undefined) e.name = ext.path;
    if (ext.linkpath !== undefined) e.linkname = ext.linkpath;
    if (ext.size !== undefined) e.size = Number(ext.size);
    if (ext.mtime !== undefined) e.mtime = Math.floor(Number(ext.mtime));
    if (ext.uid !== undefined) e.uid = Number(ext.uid);
    if (ext.gid !== undefined) e.gid = Number(ext.gid);
    if (ext.uname !== undefined) e.uname = ext.uname;
    if (ext.gname !== undefined) e.gname = ext.gname;
    if (longName !== undefined) e.name = longName;
    if (longLink !== undefined) e.linkname = longLink;
    longName = longLink = undefined;
    pax = {};
    if (!Number.isFinite(e.size) || e.size < 0) throw new AppletError("invalid tar header");
    // Old archives mark directories with a trailing slash only.
    if ((type === "0" || type === "7") && e.name.endsWith("/")) type = "5";
    if (type === "7") type = "0";
    e.type = type;
    e.mode |= typeToMode(type);
    // Links, directories and devices carry no data (GNU tar may still give a size for links).
    const dataSize = type === "0" || type === "1" ? e.size : type === "5" || type === "2" || type === "3" || type === "4" || type === "6" ? 0 : e.size;
    if (type === "1" || type === "2" || type === "5") e.size = type === "1" ? e.size : 0;
    const dataStart = src.offset;
    yield e;
    // Skip what the consumer did not read, and the padding.
    const consumed = src.offset - dataStart;
    const total = Math.ceil(dataSize / BLOCK) * BLOCK;
    const left = dataSize - consumed;
    if (left > 0 && (await src.skip(left)) !== left) throw new AppletError("short read");
    const pad = total - dataSize;
    if (pad && (await src.skip(pad)) !== pad) throw new AppletError("short read");
  }
}

// ---- writing ----
// Headers are written in place into zeroed memory (tar c puts them straight
// into its output block): no per-field strings or buffers, and the checksum
// is summed as the fields are written rather than over the 512 bytes after.

/** The sum of the bytes written since the header was begun. */
let sum = 0;

/** The first len chars of a latin1 string, one byte each. */
function putStr(h: Uint8Array, off: number, len: number, s: string): void {
  const n = Math.min(len, s.length);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) & 0xff;
    h[off + i] = c;
    sum += c;
  }
}

/** v as `digits` octal digits, zero-padded (v < 8 ** digits). */
function putOctal(h: Uint8Array, off: number, digits: number, v: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    const c = 48 + (v % 8);
    h[off + i] = c;
    sum += c;
    v = Math.floor(v / 8);
  }
}

/** "%0*o" in len-1 digits and a NUL; base-256 when it does not fit. */
function putNum(h: Uint8Array, off: number, len: number, v: number): void {
  const digits = len - 1;
  if (v < 0) {
    // (Pre-1970 times: written as before, the minus sign among the digits.)
    putStr(h, off, digits, v.toString(8).padStart(digits, "0"));
    return;
  }
  if (v < 8 ** digits) {
    putOctal(h, off, digits, v);
    return;
  }
  h[off] = 0x80;
  sum += 0x80;
  for (let i = len - 1; i > 0; i--) {
    h[off + i] = v % 256;
    sum += v % 256;
    v = Math.floor(v / 256);
  }
}

/** The checksum of the header block at `off`: its fields' sum, and spaces for the checksum field itself. */
function finishHeader(h: Uint8Array, off: number): void {
  putOctal(h, off + 148, 6, sum + 8 * 0x20);
  h[off + 154] = 0;
  h[off + 155] = 0x20;
}

/** A ././@LongLink record (header and NUL-terminated text) at `off`; returns its length. */
function putLongLink(h: Uint8Array, off: number, type: number, s: string): number {
  sum = 0;
  putStr(h, off, 100, "././@LongLink");
  putNum(h, off + 100, 8, 0);
  putNum(h, off + 108, 8, 0);
  putNum(h, off + 116, 8, 0);
  putNum(h, off + 124, 12, s.length + 1);
  putNum(h, off + 136, 12, 0);
  h[off + 156] = type;
  sum += type;
  putStr(h, off + 257, 8, "ustar  ");
  finishHeader(h, off);
  putStr(h, off + BLOCK, s.length, s);
  return longLinkSize(s);
}

/** Bytes of ././@LongLink record a name or link target needs (none below 100 bytes). */
function longLinkSize(s: string): number {
  return s.length >= 100 ? BLOCK * (1 + Math.ceil((s.length + 1) / BLOCK)) : 0;
}

/** Bytes of header (long-name records first) the entry needs. */
export function headerSize(e: TarEntry): number {
  return longLinkSize(e.linkname) + longLinkSize(e.name) + BLOCK;
}

/**
 * The header blocks for an entry, BusyBox-style GNU format, written into
 * zeroed memory at `off` (headerSize(e) bytes). Returns the bytes written.
 */
export function putHeader(h: Uint8Array, off: number, e: TarEntry): number {
  const start = off;
  if (e.linkname.length >= 100) off += putLongLink(h, off, 0x4b /* K */, e.linkname);
  if (e.name.length >= 100) off += putLongLink(h, off, 0x4c /* L */, e.name);
  sum = 0;
  putStr(h, off, 100, e.name);
  putNum(h, off + 100, 8, e.mode & 0o7777);
  putNum(h, off + 108, 8, e.uid);
  putNum(h, off + 116, 8, e.gid);
  putNum(h, off + 124, 12, e.size);
  putNum(h, off + 136, 12, e.mtime);
  const type = e.type.charCodeAt(0);
  h[off + 156] = type;
  sum += type;
  putStr(h, off + 157, 100, e.linkname);
  putStr(h, off + 257, 8, "ustar  ");
  putStr(h, off + 265, 32, e.uname);
  putStr(h, off + 297, 32, e.gname);
  if (e.type === "3" || e.type === "4") {
    putNum(h, off + 329, 8, e.devmajor);
    putNum(h, off + 337, 8, e.devminor);
  }
  finishHeader(h, off);
  return off + BLOCK - start;
}

/** The header blocks for an entry as a new buffer (see putHeader). */
export function tarHeader(e: TarEntry): Uint8Array {
  const h = new Uint8Array(headerSize(e));
  putHeader(h, 0, e);
  return h;
}
