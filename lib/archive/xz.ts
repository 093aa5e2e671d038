// The .xz container (stream header, blocks, index, footer; concatenated
// streams and stream padding) over LZMA2, streaming: LZMA2 chunks are at most
// 64 KiB compressed, so each is read whole and decoded synchronously into the
// dictionary, whose new bytes are handed on as copies. The block check
// (CRC-32, CRC-64 or SHA-256) is verified. Only the LZMA2 filter is supported
// (BusyBox's unxz also lacks the BCJ filters). Errors say "corrupted data"
// as BusyBox's do.
import { createHash } from "node:crypto";
import { AppletError } from "../errors.ts";
import { ByteSource } from "./bytesource.ts";
import { Crc64 } from "./crc.ts";
import { LzmaDecoder, LzmaError } from "./lzma.ts";
import { crc32 } from "./zlib.ts";

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

export function isXzMagic(b: Uint8Array): boolean {
  return b.length >= 6 && MAGIC.every((m, i) => b[i] === m);
}

const corrupt = () => new AppletError("corrupted data");

async function need(src: ByteSource, n: number): Promise<Uint8Array> {
  const b = await src.readExact(n);
  if (!b) throw corrupt();
  return b.slice();
}

const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** A variable-length integer (7 bits a byte, little-endian) from a buffer. */
function vli(b: Uint8Array, at: { p: number }): number {
  let v = 0, mul = 1;
  for (let i = 0; i < 9; i++) {
    if (at.p >= b.length) throw corrupt();
    const c = b[at.p++];
    v += (c & 0x7f) * mul;
    if (!(c & 0x80)) {
      if (i > 0 && c === 0) throw corrupt();
      return v;
    }
    mul *= 128;
  }
  throw corrupt();
}

/** A vli read byte by byte from the stream; returns [value, bytes used]. */
async function vliFrom(src: ByteSource, crc: { c: number }): Promise<number> {
  let v = 0, mul = 1;
  for (let i = 0; i < 9; i++) {
    const b = await need(src, 1);
    crc.c = crc32(b, crc.c);
    v += (b[0] & 0x7f) * mul;
    if (!(b[0] & 0x80)) return v;
    mul *= 128;
  }
  throw corrupt();
}

interface Check {
  size: number;
  update(b: Uint8Array): void;
  digest(): Uint8Array;
}

function makeCheck(type: number): Check {
  if (type === 0) return { size: 0, update() {}, digest: () => new Uint8Array(0) };
  if (type === 1) {
    let c = 0;
    return {
      size: 4,
      update: (b) => void (c = crc32(b, c)),
      digest: () => new Uint8Array([c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24]),
    };
  }
  if (type === 4) {
    const c = new Crc64();
    return { size: 8, update: (b) => c.update(b), digest: () => c.digestBytes() };
  }
  if (type === 10) {
    const h = createHash("sha256");
    return { size: 32, update: (b) => void h.update(b), digest: () => new Uint8Array(h.digest()) };
  }
  // Unknown checks have a size by their number and cannot be verified.
  const size = type === 0 ? 0 : 4 << Math.floor((type - 1) / 3);
  if (type > 15) throw corrupt();
  return { size, update() {}, digest: () => new Uint8Array(0) };
}

/** The decompressed bytes of one or more .xz streams. */
export async function* unxz(src: ByteSource): AsyncGenerator<Uint8Array> {
  let first = true;
  for (;;) {
    if (!first) {
      // Stream padding (zero bytes, 4 at a time), then maybe another stream.
      for (;;) {
        const p = await src.peek(4);
        if (p.length === 0) return;
        if (p.length === 4 && u32(p, 0) === 0) {
          src.consume(4);
          continue;
        }
        break;
      }
      if (!isXzMagic(await src.peek(6))) throw corrupt();
    }
    const head = await src.readExact(12);
    if (!head || !isXzMagic(head)) {
      if (first) throw new AppletError("invalid magic");
      throw corrupt();
    }
    first = false;
    if (head[6] !== 0 || head[7] > 15 || crc32(head.subarray(6, 8)) !== u32(head, 8)) throw corrupt();
    const checkType = head[7];
    const records: [number, number][] = [];
    for (;;) {
      const sizeByte = await need(src, 1);
      if (sizeByte[0] === 0) break; // the index
      const [unpadded, usize] = yield* block(src, sizeByte[0], checkType);
      records.push([unpadded, usize]);
    }
    // Index: count, records (checked against what was decoded), padding, CRC-32.
    const crc = { c: crc32(new Uint8Array([0])) };
    let indexSize = 1;
    const n = await vliFrom(src, crc);
    if (n !== records.length) throw corrupt();
    const before = src.offset;
    for (const [unpadded, usize] of records) {
      if ((await vliFrom(src, crc)) !== unpadded) throw corrupt();
      if ((await vliFrom(src, crc)) !== usize) throw corrupt();
    }
    indexSize += src.offset - before + vliLen(n);
    const pad = (4 - (indexSize % 4)) % 4;
    const padBytes = await need(src, pad);
    if (padBytes.some((b) => b !== 0)) throw corrupt();
    crc.c = crc32(padBytes, crc.c);
    indexSize += pad;
    const ic = await need(src, 4);
    if (u32(ic, 0) !== crc.c) throw corrupt();
    indexSize += 4;
    // Footer: CRC-32 of backward size and flags, which match the header's.
    const foot = await need(src, 12);
    if (crc32(foot.subarray(4, 10)) !== u32(foot, 0)) throw corrupt();
    if ((u32(foot, 4) + 1) * 4 !== indexSize) throw corrupt();
    if (foot[8] !== 0 || foot[9] !== checkType || foot[10] !== 0x59 || foot[11] !== 0x5a) throw corrupt();
  }
}

function vliLen(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** One block: header, LZMA2 data, padding and check. Returns [unpadded size, uncompressed size]. */
async function* block(src: ByteSource, sizeByte: number, checkType: number): AsyncGenerator<Uint8Array, [number, number]> {
  const headerSize = (sizeByte + 1) * 4;
  const rest = await need(src, headerSize - 1);
  const header = new Uint8Array(headerSize);
  header[0] = sizeByte;
  header.set(rest, 1);
  if (crc32(header.subarray(0, headerSize - 4)) !== u32(header, headerSize - 4)) throw corrupt();
  const flags = header[1];
  if (flags & 0x3c) throw corrupt();
  const at = { p: 2 };
  const wantCompressed = flags & 0x40 ? vli(header, at) : -1;
  const wantUncompressed = flags & 0x80 ? vli(header, at) : -1;
  const nFilters = (flags & 3) + 1;
  let dictSize = 0;
  for (let i = 0; i < nFilters; i++) {
    const id = vli(header, at);
    const propSize = vli(header, at);
    if (id !== 0x21 || i !== nFilters - 1 || propSize !== 1) throw new AppletError("corrupted data");
    const p = header[at.p++];
    if (p > 40) throw corrupt();
    dictSize = p === 40 ? 0xffffffff : (2 | (p & 1)) * 2 ** (Math.floor(p / 2) + 11);
  }
  if (at.p > headerSize - 4 || header.subarray(at.p, headerSize - 4).some((b) => b !== 0)) throw corrupt();

  const check = makeCheck(checkType);
  const dec = new LzmaDecoder(Math.min(dictSize, 1 << 30));
  const start = src.offset;
  let produced = 0;
  let needDictReset = true;
  let needProps = true;
  for (;;) {
    const ctl = (await need(src, 1))[0];
    if (ctl === 0) break;
    if (ctl === 1 || ctl === 2) {
      // An uncompressed chunk (1: after a dictionary reset).
      if (ctl === 1) {
        dec.resetDict();
        needDictReset = false;
      } else if (needDictReset) throw corrupt();
      const s = await need(src, 2);
      let size = ((s[0] << 8) | s[1]) + 1;
      while (size > 0) {
        const part = await src.readChunk(size);
        if (!part) throw corrupt();
        size -= part.length;
        for (let o = 0; o < part.length; ) {
          if (dec.pos === dec.dict.length) dec.pos = 0;
          const n = Math.min(part.length - o, dec.dict.length - dec.pos);
          dec.dict.set(part.subarray(o, o + n), dec.pos);
          dec.pos += n;
          dec.total += n;
          dec.full = Math.min(dec.dict.length, dec.full + n);
          o += n;
        }
        const out = part.slice();
        check.update(out);
        produced += out.length;
        yield out;
      }
      continue;
    }
    if (ctl < 0x80) throw corrupt();
    const h = await need(src, 4);
    const usize = ((ctl & 0x1f) << 16) + ((h[0] << 8) | h[1]) + 1;
    const csize = ((h[2] << 8) | h[3]) + 1;
    const reset = (ctl >> 5) & 3;
    if (reset === 3) {
      dec.resetDict();
      needDictReset = false;
    } else if (needDictReset) throw corrupt();
    if (reset >= 2) {
      try {
        dec.setProps((await need(src, 1))[0]);
      } catch {
        throw corrupt();
      }
      needProps = false;
    } else if (needProps) throw corrupt();
    if (reset >= 1) dec.resetState();
    const data = await need(src, csize);
    try {
      dec.startChunk(data);
      let left = usize;
      while (left > 0) {
        if (dec.pos === dec.dict.length) dec.pos = 0;
        const from = dec.pos;
        const n = dec.decode(left);
        left -= n;
        const out = dec.dict.slice(from, from + n);
        check.update(out);
        produced += out.length;
        yield out;
      }
      if (!dec.chunkDone()) throw corrupt();
    } catch (err) {
      if (err instanceof LzmaError) throw corrupt();
      throw err;
    }
  }
  const compressed = src.offset - start;
  if (wantCompressed >= 0 && wantCompressed !== compressed) throw corrupt();
  if (wantUncompressed >= 0 && wantUncompressed !== produced) throw corrupt();
  const unpadded = headerSize + compressed + check.size;
  const pad = (4 - (compressed % 4)) % 4;
  const padBytes = await need(src, pad);
  if (padBytes.some((b) => b !== 0)) throw corrupt();
  const stored = await need(src, check.size);
  const got = check.digest();
  if (got.length && got.some((b, i) => b !== stored[i])) throw corrupt();
  return [unpadded, produced];
}
