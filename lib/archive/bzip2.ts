// A streaming bzip2 decoder: per block, Huffman-coded MTF/RLE2 symbols,
// the inverse Burrows-Wheeler transform, then the initial run-length
// encoding undone, with the block and stream CRCs checked. Memory is one
// block (at most 900k entries) plus a bounded read-ahead; concatenated
// streams are decoded one after another. Errors use BusyBox's words:
// "invalid magic", "CRC error", and "bunzip error N" with its RETVAL codes.
import { AppletError } from "../errors.ts";
import { ByteSource } from "./bytesource.ts";
import { CRC32_MSB_TABLE } from "./crc.ts";

const NOT_BZIP_DATA = -2;
const UNEXPECTED_EOF = -3;
const DATA_ERROR = -5;
const OBSOLETE_INPUT = -7;

class BzError extends Error {
  constructor(readonly code: number) {
    super(`bunzip error ${code}`);
  }
}

/** Whether bytes start like a bzip2 stream ("BZh1".."BZh9"). */
export function isBzip2Magic(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68;
}

// A compressed block of 900k bytes stays below this size, so one read-ahead
// of this much before each block lets the block be decoded synchronously.
const READ_AHEAD = 2 * 1024 * 1024;
const OUT_CHUNK = 64 * 1024;

/** An MSB-first bit reader over a buffer refilled between blocks. */
class Bits {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  acc = 0;
  count = 0;
  eof = false;
  constructor(private src: ByteSource) {}

  /** Buffer at least READ_AHEAD bytes (or all that is left). */
  async refill(): Promise<void> {
    if (this.buf.length - this.pos >= READ_AHEAD || this.eof) return;
    const parts: Uint8Array[] = [this.buf.subarray(this.pos)];
    let have = parts[0].length;
    while (have < READ_AHEAD) {
      const c = await this.src.readChunk(READ_AHEAD);
      if (!c) {
        this.eof = true;
        break;
      }
      parts.push(c);
      have += c.length;
    }
    const merged = new Uint8Array(have);
    let off = 0;
    for (const p of parts) {
      merged.set(p, off);
      off += p.length;
    }
    this.buf = merged;
    this.pos = 0;
  }

  bits(n: number): number {
    while (this.count < n) {
      if (this.pos >= this.buf.length) throw new BzError(UNEXPECTED_EOF);
      this.acc = (this.acc << 8) | this.buf[this.pos++];
      this.count += 8;
    }
    this.count -= n;
    return (this.acc >>> this.count) & ((1 << n) - 1);
  }

  bit(): number {
    return this.bits(1);
  }

  /** Drop bits up to the next byte boundary (streams end byte-aligned). */
  align(): void {
    this.count -= this.count & 7;
  }

  /** Whole bytes still unread (after align()). */
  restBytes(): Uint8Array {
    const back = this.count >> 3;
    this.count = 0;
    return this.buf.subarray(this.pos - back);
  }
}

interface Huff {
  minLen: number;
  maxLen: number;
  limit: Int32Array; // largest code of each length
  base: Int32Array; // code - base = index into perm
  perm: Uint16Array;
}

function buildHuff(lengths: Uint8Array, n: number): Huff {
  let minLen = 32, maxLen = 0;
  for (let i = 0; i < n; i++) {
    if (lengths[i] > maxLen) maxLen = lengths[i];
    if (lengths[i] < minLen) minLen = lengths[i];
  }
  const perm = new Uint16Array(n);
  let p = 0;
  for (let len = minLen; len <= maxLen; len++) for (let s = 0; s < n; s++) if (lengths[s] === len) perm[p++] = s;
  const limit = new Int32Array(22).fill(-1);
  const base = new Int32Array(22);
  let code = 0, idx = 0;
  for (let len = minLen; len <= maxLen; len++) {
    let cnt = 0;
    for (let s = 0; s < n; s++) if (lengths[s] === len) cnt++;
    base[len] = code - idx;
    code += cnt;
    idx += cnt;
    limit[len] = code - 1;
    code <<= 1;
  }
  return { minLen, maxLen, limit, base, perm };
}

/** The decoder's state between yields of output. */
class BlockDecoder {
  tt: Uint32Array;
  constructor(level: number) {
    this.tt = new Uint32Array(level * 100000);
  }

  /** Read one block's symbols into tt; returns [origPtr, count]. */
  readBlock(br: Bits): [number, number] {
    if (br.bit()) throw new BzError(OBSOLETE_INPUT); // randomised blocks (bzip2 0.9.0)
    const origPtr = br.bits(24);
    // The symbol map: which byte values occur.
    const seqToUnseq = new Uint8Array(256);
    let nInUse = 0;
    const used16 = br.bits(16);
    for (let i = 0; i < 16; i++) {
      if (!(used16 & (0x8000 >> i))) continue;
      const bitsUsed = br.bits(16);
      for (let j = 0; j < 16; j++) if (bitsUsed & (0x8000 >> j)) seqToUnseq[nInUse++] = i * 16 + j;
    }
    if (nInUse === 0) throw new BzError(DATA_ERROR);
    const alphaSize = nInUse + 2;
    const nGroups = br.bits(3);
    if (nGroups < 2 || nGroups > 6) throw new BzError(DATA_ERROR);
    const nSelectors = br.bits(15);
    if (nSelectors === 0) throw new BzError(DATA_ERROR);
    // Selectors, MTF-coded in unary.
    const mtfGroups = [0, 1, 2, 3, 4, 5];
    const selectors = new Uint8Array(nSelectors);
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (br.bit()) if (++j >= nGroups) throw new BzError(DATA_ERROR);
      const g = mtfGroups[j];
      for (; j > 0; j--) mtfGroups[j] = mtfGroups[j - 1];
      mtfGroups[0] = g;
      selectors[i] = g;
    }
    // Code lengths per group, delta-coded.
    const tables: Huff[] = [];
    const lengths = new Uint8Array(258);
    for (let g = 0; g < nGroups; g++) {
      let len = br.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (len < 1 || len > 20) throw new BzError(DATA_ERROR);
          if (!br.bit()) break;
          len += br.bit() ? -1 : 1;
        }
        lengths[s] = len;
      }
      tables.push(buildHuff(lengths, alphaSize));
    }

    // Symbols: RUNA/RUNB runs of the front byte, MTF indexes, end of block.
    const mtf = new Uint8Array(256);
    for (let i = 0; i < 256; i++) mtf[i] = i;
    const byteCount = new Int32Array(256);
    const tt = this.tt;
    const max = tt.length;
    const eob = nInUse + 1;
    let count = 0;
    let groupLeft = 0, sel = 0;
    let h = tables[0];
    let runPos = 0, run = 0;
    for (;;) {
      if (groupLeft === 0) {
        if (sel >= nSelectors) throw new BzError(DATA_ERROR);
        h = tables[selectors[sel++]];
        groupLeft = 50;
      }
      groupLeft--;
      let n = h.minLen;
      let v = br.bits(n);
      while (v > h.limit[n]) {
        if (++n > h.maxLen) throw new BzError(DATA_ERROR);
        v = (v << 1) | br.bit();
      }
      const sym = h.perm[v - h.base[n]];
      if (sym <= 1) {
        // RUNA (0) adds runPos, RUNB (1) adds twice that: a bijective base-2 count.
        if (runPos === 0) {
          runPos = 1;
          run = 0;
        }
        run += runPos << sym;
        runPos <<= 1;
        if (run > max) throw new BzError(DATA_ERROR);
        continue;
      }
      if (runPos) {
        runPos = 0;
        if (count + run > max) throw new BzError(DATA_ERROR);
        const b = seqToUnseq[mtf[0]];
        byteCount[b] += run;
        tt.fill(b, count, count + run);
        count += run;
      }
      if (sym === eob) break;
      if (count >= max) throw new BzError(DATA_ERROR);
      // Move-to-front of index sym-1.
      const k = sym - 1;
      const c = mtf[k];
      mtf.copyWithin(1, 0, k);
      mtf[0] = c;
      const b = seqToUnseq[c];
      byteCount[b]++;
      tt[count++] = b;
    }
    if (origPtr >= count) throw new BzError(DATA_ERROR);
    // Inverse BWT: link each position to the next in the original order.
    let sum = 0;
    for (let i = 0; i < 256; i++) {
      const c = byteCount[i];
      byteCount[i] = sum;
      sum += c;
    }
    for (let i = 0; i < count; i++) {
      const b = tt[i] & 0xff;
      tt[byteCount[b]++] |= i << 8;
    }
    return [origPtr, count];
  }
}

/**
 * Undo the initial RLE (four equal bytes, then a repeat count) while walking
 * the BWT links, into fixed-size output chunks, computing the block CRC.
 */
function* unrle(tt: Uint32Array, origPtr: number, count: number, crcOut: { crc: number }): Generator<Uint8Array> {
  const T = CRC32_MSB_TABLE;
  let pos = tt[origPtr] >>> 8;
  let left = count;
  let last = -1, same = 0;
  let crc = 0xffffffff;
  let out = new Uint8Array(OUT_CHUNK);
  let o = 0;
  while (left > 0) {
    const e = tt[pos];
    const b = e & 0xff;
    pos = e >>> 8;
    left--;
    if (same === 4) {
      // b is a repeat count of the last byte.
      for (let r = 0; r < b; r++) {
        if (o === OUT_CHUNK) {
          yield out;
          out = new Uint8Array(OUT_CHUNK);
          o = 0;
        }
        out[o++] = last;
        crc = (crc << 8) ^ T[((crc >>> 24) ^ last) & 0xff];
      }
      same = 0;
      last = -1;
      continue;
    }
    if (b === last) same++;
    else {
      last = b;
      same = 1;
    }
    if (o === OUT_CHUNK) {
      yield out;
      out = new Uint8Array(OUT_CHUNK);
      o = 0;
    }
    out[o++] = b;
    crc = (crc << 8) ^ T[((crc >>> 24) ^ b) & 0xff];
  }
  if (o) yield out.subarray(0, o);
  crcOut.crc = ~crc >>> 0;
}

/** The decompressed bytes of one or more concatenated bzip2 streams. */
export async function* bunzip2(src: ByteSource): AsyncGenerator<Uint8Array> {
  const br = new Bits(src);
  let first = true;
  try {
    for (;;) {
      await br.refill();
      const rest = br.buf.subarray(br.pos);
      // BusyBox checks "BZ" as the magic, then "h" and the level as a header.
      if (rest.length < 2 || rest[0] !== 0x42 || rest[1] !== 0x5a) {
        if (first) throw new AppletError("invalid magic");
        return; // trailing garbage after a stream: ignored
      }
      if (rest.length < 4 || rest[2] !== 0x68 || rest[3] < 0x31 || rest[3] > 0x39) {
        if (first) throw new BzError(NOT_BZIP_DATA);
        return;
      }
      first = false;
      const level = rest[3] - 0x30;
      br.pos += 4;
      const dec = new BlockDecoder(level);
      let streamCrc = 0;
      for (;;) {
        await br.refill();
        const hi = br.bits(24), lo = br.bits(24);
        const want = br.bits(16) * 65536 + br.bits(16);
        if (hi === 0x177245 && lo === 0x385090) {
          if (want !== streamCrc >>> 0) throw new AppletError("CRC error");
          break;
        }
        if (hi !== 0x314159 || lo !== 0x265359) throw new BzError(NOT_BZIP_DATA);
        const [origPtr, count] = dec.readBlock(br);
        const c = { crc: 0 };
        yield* unrle(dec.tt, origPtr, count, c);
        if (c.crc !== want) throw new AppletError("CRC error");
        streamCrc = (((streamCrc << 1) | (streamCrc >>> 31)) ^ c.crc) >>> 0;
      }
      br.align();
      const left = br.restBytes();
      br.buf = left;
      br.pos = 0;
    }
  } catch (err) {
    if (err instanceof BzError) throw new AppletError(err.message);
    throw err;
  }
}
