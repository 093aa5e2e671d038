// Byte-exact reading for the binary applets (od, hexdump, xxd, cmp, strings):
// read(n) gives up to n bytes (fewer only at end of input), like fread(3),
// over a file descriptor or any Reader; files can also seek, like fseeko(3).
import * as fs from "node:fs";
import { resolvePath, type Context } from "./applet.ts";
import type { Reader } from "./io.ts";

const BLOCK = 64 * 1024;

export class ByteReader {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private eof = false;
  private iter?: AsyncIterator<Uint8Array>;
  /** File offset of the next byte read from fd (regular files only). */
  private offset = 0;

  private constructor(
    private fd: number | undefined,
    /** A regular file: reads are positioned and seekTo() works. */
    readonly seekable: boolean,
    /** Its size when seekable. */
    readonly size: number,
    private owned: boolean,
    reader?: Reader,
  ) {
    if (reader) this.iter = reader.chunks()[Symbol.asyncIterator]();
  }

  /** Open an operand ("-" is stdin). Throws the open error. */
  static open(ctx: Context, name: string): ByteReader {
    if (name === "-") return ByteReader.fromReader(ctx.stdin);
    const fd = fs.openSync(resolvePath(ctx, name), "r");
    try {
      // A directory opens (as fopen() lets it); reading it fails with EISDIR.
      const st = fs.fstatSync(fd);
      return new ByteReader(fd, st.isFile(), st.size, true);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** stdin or another Reader: never seekable (BusyBox cannot seek a pipe either). */
  static fromReader(r: Reader): ByteReader {
    if (r.fd !== undefined) {
      let st: fs.Stats | undefined;
      try {
        st = fs.fstatSync(r.fd);
      } catch {}
      // A regular file on stdin can seek, as fseeko(stdin) can; read it by position from where it is now.
      if (st?.isFile()) {
        const br = new ByteReader(r.fd, false, st.size, false);
        return br;
      }
      return new ByteReader(r.fd, false, 0, false);
    }
    return new ByteReader(undefined, false, 0, false, r);
  }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    if (this.iter) {
      const r = await this.iter.next();
      if (r.done) {
        this.eof = true;
        return false;
      }
      this.buf = r.value;
      this.pos = 0;
      return true;
    }
    const b = new Uint8Array(BLOCK);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(this.fd!, b, 0, BLOCK, this.seekable ? this.offset : null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        if (err?.code === "EOF") n = 0;
        else throw err;
      }
      if (n === 0) {
        this.eof = true;
        return false;
      }
      this.offset += n;
      this.buf = b.subarray(0, n);
      this.pos = 0;
      return true;
    }
  }

  /** Up to n bytes; fewer only at end of input. */
  async read(n: number): Promise<Uint8Array> {
    if (this.pos + n <= this.buf.length) {
      const r = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return r;
    }
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      if (this.pos >= this.buf.length && !(await this.fill())) break;
      const take = Math.min(n - got, this.buf.length - this.pos);
      out.set(this.buf.subarray(this.pos, this.pos + take), got);
      this.pos += take;
      got += take;
    }
    return got === n ? out : out.subarray(0, got);
  }

  /** One byte, or -1 at end of input (getc). */
  async getc(): Promise<number> {
    if (this.pos < this.buf.length) return this.buf[this.pos++];
    if (!(await this.fill())) return -1;
    return this.buf[this.pos++];
  }

  /** Whatever is buffered (at least one byte), or undefined at end of input. */
  async chunk(): Promise<Uint8Array | undefined> {
    if (this.pos >= this.buf.length && !(await this.fill())) return undefined;
    const r = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return r;
  }

  /** Read and drop n bytes; returns how many there were. */
  async discard(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.pos >= this.buf.length && !(await this.fill())) break;
      const take = Math.min(left, this.buf.length - this.pos);
      this.pos += take;
      left -= take;
    }
    return n - left;
  }

  /** Move to an absolute offset of a seekable file. */
  seekTo(off: number): void {
    this.offset = off;
    this.buf = new Uint8Array(0);
    this.pos = 0;
    this.eof = false;
  }

  close(): void {
    if (this.owned && this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    void this.iter?.return?.();
  }
}
