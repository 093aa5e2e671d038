// The gzip format (RFC 1952) over raw deflate: members with their headers
// and CRC-32/length trailers, concatenated members, and trailing garbage
// ignored the way BusyBox's unpack_gz_stream() ignores it. Streams both ways:
// memory use does not grow with the input.
import { AppletError } from "../errors.ts";
import { ByteSource } from "./bytesource.ts";
import { RawDeflater, RawInflater, ZlibError, crc32 } from "./zlib.ts";

export interface GunzipInfo {
  /** MTIME of the first member's header (0 when unset). */
  mtime: number;
}

const FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

/** Whether bytes start like a gzip member. */
export function isGzipMagic(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

async function need(src: ByteSource, n: number): Promise<Uint8Array> {
  const b = await src.readExact(n);
  if (!b) throw new AppletError("corrupted data");
  return b;
}

async function skipString(src: ByteSource): Promise<void> {
  for (;;) {
    const b = await need(src, 1);
    if (b[0] === 0) return;
  }
}

/**
 * The decompressed bytes of a gzip stream. Throws AppletError with BusyBox's
 * words: "invalid magic" when the first member is no gzip at all, "corrupted
 * data" for broken deflate data or a truncated stream, "crc error" and
 * "incorrect length" for a bad trailer.
 */
export async function* gunzip(src: ByteSource, info: GunzipInfo = { mtime: 0 }, magicChecked = false): AsyncGenerator<Uint8Array> {
  let first = true;
  for (;;) {
    if (!(first && magicChecked)) {
      const magic = await src.peek(2);
      if (!isGzipMagic(magic)) {
        if (first) throw new AppletError("invalid magic");
        return; // trailing garbage (or zero padding) after a member: ignored
      }
    }
    const head = await need(src, 10);
    if (head[2] !== 8) throw new AppletError(`unknown compression method ${head[2]}`);
    const flags = head[3];
    if (first) info.mtime = (head[4] | (head[5] << 8) | (head[6] << 16) | (head[7] << 24)) >>> 0;
    if (flags & FEXTRA) {
      const x = await need(src, 2);
      const len = x[0] | (x[1] << 8);
      if ((await src.skip(len)) !== len) throw new AppletError("corrupted data");
    }
    if (flags & FNAME) await skipString(src);
    if (flags & FCOMMENT) await skipString(src);
    if (flags & FHCRC) await need(src, 2);
    first = false;

    const inflater = new RawInflater();
    let crc = 0;
    let size = 0;
    try {
      while (!inflater.ended) {
        const chunk = await src.peekSome();
        const sink: Uint8Array[] = [];
        if (chunk.length === 0) {
          inflater.finish(sink);
          if (!inflater.ended) throw new AppletError("corrupted data");
        } else {
          const used = inflater.push(chunk, sink);
          src.consume(used);
        }
        for (const out of sink) {
          crc = crc32(out, crc);
          size = (size + out.length) >>> 0;
          yield out;
        }
      }
    } catch (err) {
      if (err instanceof ZlibError) throw new AppletError("corrupted data");
      throw err;
    } finally {
      inflater.close();
    }
    const trailer = await need(src, 8);
    const wantCrc = (trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (trailer[3] << 24)) >>> 0;
    const wantSize = (trailer[4] | (trailer[5] << 8) | (trailer[6] << 16) | (trailer[7] << 24)) >>> 0;
    if (wantCrc !== crc) throw new AppletError("crc error");
    if (wantSize !== size) throw new AppletError("incorrect length");
  }
}

export interface GzipOptions {
  level?: number;
  /** MTIME for the header (seconds; 0 = none). */
  mtime?: number;
}

/** A gzip member of the input: header, raw deflate, CRC-32 and length. */
export async function* gzip(input: AsyncIterable<Uint8Array>, o: GzipOptions = {}): AsyncGenerator<Uint8Array> {
  const level = o.level ?? 6;
  const mtime = o.mtime ?? 0;
  const head = new Uint8Array([0x1f, 0x8b, 8, 0, mtime & 0xff, (mtime >>> 8) & 0xff, (mtime >>> 16) & 0xff, (mtime >>> 24) & 0xff, level === 9 ? 2 : level === 1 ? 4 : 0, 3]);
  yield head;
  const deflater = new RawDeflater(level);
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of input) {
      if (chunk.length === 0) continue;
      crc = crc32(chunk, crc);
      size = (size + chunk.length) >>> 0;
      const sink: Uint8Array[] = [];
      deflater.push(chunk, sink);
      yield* sink;
    }
    const sink: Uint8Array[] = [];
    deflater.finish(sink);
    yield* sink;
  } finally {
    deflater.close();
  }
  const t = new Uint8Array(8);
  const dv = new DataView(t.buffer);
  dv.setUint32(0, crc, true);
  dv.setUint32(4, size, true);
  yield t;
}
