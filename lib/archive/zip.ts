// Reading zip archives: the central directory (found from the end record)
// lists the members; each member's data is streamed from its local header
// with positioned reads, stored or inflated through node:zlib, and its
// CRC-32 and length are checked. Zip64 sizes and offsets are understood.
import * as fs from "node:fs";
import { AppletError } from "../errors.ts";
import { RawInflater, ZlibError, crc32 } from "./zlib.ts";

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  /** DOS date and time. */
  dosTime: number;
  dosDate: number;
  /** Unix mode when the archive was made on Unix (else 0). */
  unixMode: number;
  offset: number;
  flags: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;

function pread(fd: number, len: number, pos: number): Uint8Array {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, b, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

/** The members listed in the central directory, in order. */
export function readCentralDirectory(fd: number): ZipEntry[] {
  const size = fs.fstatSync(fd).size;
  const tailLen = Math.min(size, 65535 + 22);
  const tail = pread(fd, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new AppletError("not a zip file");
  let count = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOff = u32(tail, eocd + 16);
  // Zip64: the locator just before the end record points to the zip64 end record.
  if ((cdOff === 0xffffffff || count === 0xffff) && eocd >= 20 && u32(tail, eocd - 20) === 0x07064b50) {
    const recOff = u64(tail, eocd - 20 + 8);
    const rec = pread(fd, 56, recOff);
    if (rec.length < 56 || u32(rec, 0) !== 0x06064b50) throw new AppletError("corrupted zip64 end record");
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOff = u64(rec, 48);
  }
  if (cdOff + cdSize > size) throw new AppletError("corrupted central directory");
  const cd = pread(fd, cdSize, cdOff);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) throw new AppletError("corrupted central directory");
    const madeBy = u16(cd, p + 4);
    const nameLen = u16(cd, p + 28), extraLen = u16(cd, p + 30), commentLen = u16(cd, p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw new AppletError("corrupted central directory");
    const e: ZipEntry = {
      flags: u16(cd, p + 8),
      method: u16(cd, p + 10),
      dosTime: u16(cd, p + 12),
      dosDate: u16(cd, p + 14),
      crc: u32(cd, p + 16),
      csize: u32(cd, p + 20),
      usize: u32(cd, p + 24),
      unixMode: madeBy >> 8 === 3 ? u32(cd, p + 38) >>> 16 : 0,
      offset: u32(cd, p + 42),
      name: Buffer.from(cd.subarray(p + 46, p + 46 + nameLen)).toString("latin1"),
    };
    // Zip64 extra field: the 64-bit values of the fields that are all ones, in order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = u16(cd, x), len = u16(cd, x + 2);
      if (id === 1) {
        let q = x + 4;
        if (e.usize === 0xffffffff && q + 8 <= x + 4 + len) (e.usize = u64(cd, q)), (q += 8);
        if (e.csize === 0xffffffff && q + 8 <= x + 4 + len) (e.csize = u64(cd, q)), (q += 8);
        if (e.offset === 0xffffffff && q + 8 <= x + 4 + len) e.offset = u64(cd, q);
      }
      x += 4 + len;
    }
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const CHUNK = 256 * 1024;

/** A member's uncompressed bytes, checked against its CRC-32 and length. */
export async function* memberData(fd: number, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const lh = pread(fd, 30, e.offset);
  if (lh.length < 30 || u32(lh, 0) !== 0x04034b50) throw new AppletError("corrupted data");
  if (e.flags & 1) throw new AppletError("zip flag 1 (encryption) is not supported");
  let pos = e.offset + 30 + u16(lh, 26) + u16(lh, 28);
  let left = e.csize;
  let crc = 0;
  let size = 0;
  if (e.method === 0) {
    while (left > 0) {
      const b = pread(fd, Math.min(CHUNK, left), pos);
      if (b.length === 0) throw new AppletError("short read");
      pos += b.length;
      left -= b.length;
      crc = crc32(b, crc);
      size += b.length;
      yield b;
    }
  } else if (e.method === 8) {
    const inf = new RawInflater();
    try {
      while (!inf.ended) {
        const sink: Uint8Array[] = [];
        if (left === 0) {
          inf.finish(sink);
          if (!inf.ended) throw new AppletError("corrupted data");
        } else {
          const b = pread(fd, Math.min(CHUNK, left), pos);
          if (b.length === 0) throw new AppletError("short read");
          const used = inf.push(b, sink);
          pos += used;
          left -= used;
          if (used < b.length && !inf.ended) throw new AppletError("corrupted data");
        }
        for (const o of sink) {
          crc = crc32(o, crc);
          size += o.length;
          yield o;
        }
        if (!inf.ended && left === 0 && sink.length === 0) {
          const tail: Uint8Array[] = [];
          inf.finish(tail);
          for (const o of tail) {
            crc = crc32(o, crc);
            size += o.length;
            yield o;
          }
          if (!inf.ended) throw new AppletError("corrupted data");
        }
      }
    } catch (err) {
      if (err instanceof ZlibError) throw new AppletError("corrupted data");
      throw err;
    } finally {
      inf.close();
    }
  } else throw new AppletError(`unsupported method ${e.method}`);
  if (size !== e.usize) throw new AppletError("bad length");
  if (crc !== e.crc) throw new AppletError(`crc error`);
}
