// Deflate and inflate driven synchronously, chunk by chunk, through the
// zlib handle behind node:zlib's streams (the same writeSync(flush, in, out)
// call Node's own zlib.js makes). Unlike the stream API this tells exactly
// where a raw deflate stream ends in its input, which gzip and zip framing
// need (member trailers, concatenated members, trailing garbage), and it
// costs no event-loop round trip per chunk.
import * as zlib from "node:zlib";

const OUT_SIZE = 128 * 1024;

interface Handle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
  close(): void;
}

/** A zlib failure: the message zlib gave ("invalid block type", "unexpected end of file"...). */
export class ZlibError extends Error {}

abstract class Engine {
  protected handle: Handle;
  protected state: Uint32Array;
  protected error: string | undefined;
  private out = new Uint8Array(OUT_SIZE);

  constructor(stream: any) {
    this.handle = stream._handle;
    this.state = stream._writeState;
    if (!this.handle || typeof this.handle.writeSync !== "function" || !this.state) {
      throw new Error("zlib: no synchronous handle in this runtime");
    }
    this.handle.onerror = (message: string) => {
      this.error = message || "zlib error";
    };
  }

  /**
   * One pass of zlib over input[off, off+len) with `flush`; output chunks go to `sink`.
   * Returns [bytes consumed, whether output space was left over on the last call].
   */
  protected run(flush: number, input: Uint8Array, off: number, len: number, sink: Uint8Array[]): [number, boolean, boolean] {
    let used = 0;
    for (;;) {
      this.handle.writeSync(flush, input, off + used, len - used, this.out, 0, OUT_SIZE);
      if (this.error !== undefined) throw new ZlibError(this.error);
      const availOut = this.state[0];
      const availIn = this.state[1];
      const produced = OUT_SIZE - availOut;
      const consumed = len - used - availIn;
      used += consumed;
      if (produced > 0) {
        sink.push(this.out.subarray(0, produced));
        this.out = new Uint8Array(OUT_SIZE);
      }
      if (availOut > 0) return [used, availIn > 0 || (produced === 0 && consumed === 0 && len - used > 0), produced === 0 && consumed === 0];
    }
  }

  close(): void {
    try {
      this.handle.close();
    } catch {}
  }
}

/** Raw deflate (RFC 1951) decoder that knows where its stream ends. */
export class RawInflater extends Engine {
  /** The deflate stream has ended; input past it is not consumed. */
  ended = false;

  constructor() {
    super(zlib.createInflateRaw());
  }

  /**
   * Feed input; output goes to `sink`. Returns the number of bytes consumed:
   * less than given when the stream ended inside this input.
   */
  push(input: Uint8Array, sink: Uint8Array[]): number {
    if (this.ended || input.length === 0) return 0;
    const [used, ended] = this.run(zlib.constants.Z_NO_FLUSH, input, 0, input.length, sink);
    if (ended) this.ended = true;
    return used;
  }

  /** The input is over: throws ZlibError when the stream is incomplete. */
  finish(sink: Uint8Array[]): void {
    if (this.ended) return;
    const [, , noProgress] = this.run(zlib.constants.Z_FINISH, new Uint8Array(0), 0, 0, sink);
    if (noProgress && !this.ended) {
      // Z_FINISH on a complete stream reports Z_STREAM_END without error; an
      // incomplete one makes zlib complain (or make no progress at all).
      this.ended = true;
    }
  }
}

/** Raw deflate encoder. */
export class RawDeflater extends Engine {
  constructor(level = 6) {
    super(zlib.createDeflateRaw({ level, memLevel: 8 }));
  }

  push(input: Uint8Array, sink: Uint8Array[]): void {
    if (input.length) this.run(zlib.constants.Z_NO_FLUSH, input, 0, input.length, sink);
  }

  finish(sink: Uint8Array[]): void {
    this.run(zlib.constants.Z_FINISH, new Uint8Array(0), 0, 0, sink);
  }
}

/** CRC-32 (IEEE 802.3, as gzip and zip use it), continuing from `crc`. */
export function crc32(data: Uint8Array, crc = 0): number {
  return (zlib as any).crc32(data, crc) >>> 0;
}
