// The plumbing of sort's external merge: finding line ends in a buffer,
// writing lines in large blocks, and reading a sorted run (or an input)
// back one line at a time for the k-way merge and for -c.
import * as fs from "node:fs";
import type { Input } from "../../lib/bufio.ts";

/**
 * Line ends of buf[from..to): NUL ends a line too when `nulEnds` (BusyBox's
 * getline). Line i is buf[se[2i]..se[2i+1]): start and end side by side,
 * so that sorting reaches both with one memory access.
 */
export class LineIndex {
  se = new Int32Array(2048);
  n = 0;

  private push(s: number, e: number): void {
    if (2 * this.n + 2 > this.se.length) {
      const se = new Int32Array(this.se.length * 2 + 2);
      se.set(this.se);
      this.se = se;
    }
    this.se[2 * this.n] = s;
    this.se[2 * this.n++ + 1] = e;
  }

  /** Index every line of buf[from..to); the last one must end with a delimiter. */
  build(buf: Buffer, from: number, to: number, delim: number, nulEnds: boolean): void {
    this.n = 0;
    // Room for lines of 32 bytes on average from the start: fewer copies as it grows.
    const guess = (to - from) >> 4;
    if (this.se.length < guess) this.se = new Int32Array(guess);
    // Uint8Array's indexOf is much cheaper per call than Buffer's.
    const u8 = new Uint8Array(buf.buffer, buf.byteOffset, to);
    const nul = nulEnds ? u8.indexOf(0, from) : -1;
    if (nul < 0) {
      let p = from;
      while (p < to) {
        const e = u8.indexOf(delim, p);
        if (e < 0 || e >= to) break;
        this.push(p, e);
        p = e + 1;
      }
      return;
    }
    let p = from;
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (c === delim || c === 0) {
        this.push(p, i);
        p = i + 1;
      }
    }
  }
}

/** Bytes gathered into large blocks for a sink (a file descriptor or the applet's stdout). */
export class ByteOut {
  private block: Buffer;
  private off = 0;
  /** Filled blocks waiting for flush(), and (when reusing) blocks free to fill again. */
  private pending: Buffer[] = [];
  private spare: Buffer[] = [];

  /** `reuse`: the sink is done with a block when it returns, so the block can be refilled. */
  constructor(private sink: (b: Buffer) => Promise<void> | void, private reuse = false, private size = 1 << 20) {
    this.block = Buffer.allocUnsafe(size);
  }

  /** buf[s..e) and then the delimiter (synchronous: await flush() when `full`). */
  line(buf: Uint8Array, s: number, e: number, delim: number): void {
    const len = e - s + 1;
    if (this.off + len > this.size) {
      this.pending.push(this.block.subarray(0, this.off));
      this.block = this.spare.pop() ?? Buffer.allocUnsafe(Math.max(this.size, len));
      this.off = 0;
      if (len > this.block.length) this.block = Buffer.allocUnsafe(len);
    }
    const b = this.block;
    let o = this.off;
    if (len < 256) for (let q = s; q < e; q++) b[o++] = buf[q];
    else {
      b.set(buf.subarray(s, e), o);
      o += len - 1;
    }
    b[o++] = delim;
    this.off = o;
  }

  /** Whether blocks are waiting for flush(). */
  get full(): boolean {
    return this.pending.length > 0;
  }

  async flush(): Promise<void> {
    if (this.off) {
      this.pending.push(this.block.subarray(0, this.off));
      this.block = this.spare.pop() ?? Buffer.allocUnsafe(this.size);
      this.off = 0;
    }
    for (const b of this.pending.splice(0)) {
      await this.sink(b);
      if (this.reuse && b.buffer.byteLength >= this.size && this.spare.length < 2) this.spare.push(Buffer.from(b.buffer, b.byteOffset, this.size));
    }
  }
}

export function writeAllSync(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}

/** Lines of an input, one at a time: the current one is buf[start..end). */
export class LineSource {
  buf: Buffer;
  start = 0;
  end = -1;
  private filled = 0;
  private eof = false;

  constructor(private input: Input, private delim: number, private nulEnds: boolean, size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** A Uint8Array over buf: its indexOf is much cheaper than Buffer's. */
  private view: Uint8Array;

  private findEnd(from: number): number {
    const buf = this.buf;
    if (!this.nulEnds) {
      if (this.view.buffer !== buf.buffer || this.view.byteOffset !== buf.byteOffset || this.view.length !== buf.length) this.view = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
      const e = this.view.indexOf(this.delim, from);
      return e >= this.filled ? -1 : e;
    }
    for (let i = from; i < this.filled; i++) if (buf[i] === this.delim || buf[i] === 0) return i;
    return -1;
  }

  /** Move to the next line; false at the end. */
  async next(): Promise<boolean> {
    let pos = this.end + 1;
    for (;;) {
      if (pos < this.filled) {
        const e = this.findEnd(pos);
        if (e >= 0) {
          this.start = pos;
          this.end = e;
          return true;
        }
      }
      if (this.eof) {
        if (pos >= this.filled) return false;
        // A last line without its delimiter.
        this.start = pos;
        this.end = this.filled;
        this.buf[this.filled] = this.delim;
        return true;
      }
      // Keep the partial line, read more after it.
      const keep = this.filled - pos;
      if (pos > 0) this.buf.copy(this.buf, 0, pos, this.filled);
      else if (keep >= this.buf.length - 1) {
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, keep);
        this.buf = bigger;
      }
      this.filled = keep;
      this.end = -1;
      pos = 0;
      const r = await this.input.chunks.next();
      if (r.done) {
        this.eof = true;
        // Room for the delimiter added to a last unterminated line.
        if (this.filled >= this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length + 1);
          this.buf.copy(bigger, 0, 0, this.filled);
          this.buf = bigger;
        }
        continue;
      }
      const chunk = r.value;
      if (this.filled + chunk.length + 1 > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.filled + chunk.length + 1));
        this.buf.copy(bigger, 0, 0, this.filled);
        this.buf = bigger;
      }
      this.buf.set(chunk, this.filled);
      this.filled += chunk.length;
    }
  }

  close(): void {
    this.input.close();
  }
}
