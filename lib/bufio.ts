// Streaming text at speed, for the text-processing applets (sed, grep, ...):
// large reads straight from a file descriptor, a line reader over latin1
// strings that takes "\n" (and optionally "\0") as line ends, and an output
// buffer that turns many small latin1 strings into few large writes.
import * as fs from "node:fs";
import { operandPath, type Context } from "./applet.ts";
import type { Reader, Writer } from "./io.ts";

const BIG = 1 << 20;

/** Chunks of an opened input: large synchronous reads for files, the Reader's own chunks otherwise. */
export async function* fdChunks(fd: number, size = BIG): AsyncGenerator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, size, null);
    } catch (err: any) {
      if (err?.code === "EAGAIN") {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      if (err?.code === "EOF") return;
      throw err;
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/** An input operand opened for reading ("-" is stdin); throws the open error. */
export interface Input {
  chunks: AsyncIterator<Uint8Array>;
  close(): void;
}

export function openChunks(ctx: Context, name: string, size = BIG): Input {
  if (name === "-") return readerInput(ctx.stdin, size);
  const fd = fs.openSync(operandPath(ctx, name), "r");
  return { chunks: fdChunks(fd, size), close: () => fs.closeSync(fd) };
}

export function readerInput(r: Reader, size = BIG): Input {
  if (r.fd !== undefined) return { chunks: fdChunks(r.fd, size), close() {} };
  return { chunks: r.chunks()[Symbol.asyncIterator](), close() {} };
}

export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

/** Line ends a LineReader reports besides "\n" (10) and "\0" (0). */
export const NO_EOL = -1;

/**
 * Lines of an Input as latin1 strings. take() is synchronous: it returns
 * undefined when the buffer holds no complete line and fill() must be
 * awaited first, so the per-line cost stays free of promises.
 */
export class LineReader {
  private text = "";
  private pos = 0;
  private eof = false;
  /** Position of the next "\0" at or after pos, -1 if none in the buffer, -2 unknown. */
  private nul = -2;
  /** The terminator of the last line taken: 10, 0, or NO_EOL. */
  term = 10;

  constructor(
    private input: AsyncIterator<Uint8Array>,
    /** Also end lines at NUL bytes (BusyBox sed does). */
    private nulEnds = false,
    /** The line delimiter ("\0" for grep -z). */
    private sep = "\n",
  ) {}

  get atEof(): boolean {
    return this.eof && this.pos >= this.text.length;
  }

  /** Everything buffered has been taken. */
  get drained(): boolean {
    return this.pos >= this.text.length;
  }

  /** The input has no more chunks to give. */
  get ended(): boolean {
    return this.eof;
  }

  /** Read another chunk; false at end of input. */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    const r = await this.input.next();
    if (r.done) {
      this.eof = true;
      return false;
    }
    this.text = (this.pos < this.text.length ? this.text.slice(this.pos) : "") + latin1(r.value);
    this.pos = 0;
    this.nul = -2;
    return true;
  }

  /** The next line, null at end of input, undefined if fill() is needed. */
  take(): string | null | undefined {
    const text = this.text;
    const pos = this.pos;
    let end = text.indexOf(this.sep, pos);
    let term = this.sep.charCodeAt(0);
    if (this.nulEnds) {
      if (this.nul === -2 || (this.nul >= 0 && this.nul < pos)) this.nul = text.indexOf("\0", pos);
      if (this.nul >= 0 && (end < 0 || this.nul < end)) {
        end = this.nul;
        term = 0;
      }
    }
    if (end < 0) {
      if (!this.eof) return undefined;
      if (pos >= text.length) return null;
      this.pos = text.length;
      this.term = NO_EOL;
      return text.slice(pos);
    }
    this.pos = end + 1;
    this.term = term;
    return text.slice(pos, end);
  }

  /** Whether input continues after what was taken (reads ahead if needed). */
  async more(): Promise<boolean> {
    while (this.pos >= this.text.length) if (!(await this.fill())) return false;
    return true;
  }

  /** Take a line, reading as needed. */
  async line(): Promise<string | null> {
    for (;;) {
      const l = this.take();
      if (l !== undefined) return l;
      await this.fill();
    }
  }
}

const OUT_BLOCK = 1 << 18;

/** Collects latin1 text and writes it in large blocks. */
export class OutBuf {
  private buf = Buffer.allocUnsafe(OUT_BLOCK);
  private off = 0;
  constructor(readonly writer: Writer) {}

  get size(): number {
    return this.off;
  }

  push(s: string): void {
    const n = s.length;
    if (n === 0) return;
    if (this.off + n > OUT_BLOCK) {
      this.pending.push(this.take());
      if (n > OUT_BLOCK) {
        this.pending.push(Buffer.from(s, "latin1"));
        return;
      }
    }
    if (n === 1) this.buf[this.off++] = s.charCodeAt(0);
    else this.off += (this.buf as any).latin1Write(s, this.off);
  }

  /** Raw bytes. */
  pushBytes(b: Uint8Array): void {
    const n = b.length;
    if (n === 0) return;
    if (this.off + n > OUT_BLOCK) {
      this.pending.push(this.take());
      if (n > OUT_BLOCK) {
        this.pending.push(Buffer.from(b));
        return;
      }
    }
    this.buf.set(b, this.off);
    this.off += n;
  }

  /** Blocks filled but not yet handed to the writer. */
  private pending: Buffer[] = [];

  private take(): Buffer {
    const b = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(OUT_BLOCK);
    this.off = 0;
    return b;
  }

  /** Write out if enough has gathered. */
  async maybeFlush(limit = 1 << 16): Promise<void> {
    if (this.off >= limit || this.pending.length) await this.flush();
  }

  /** Whether maybeFlush() would write. */
  get full(): boolean {
    return this.off >= 1 << 16 || this.pending.length > 0;
  }

  async flush(): Promise<void> {
    for (const b of this.pending.splice(0)) await this.writer.write(b);
    if (this.off) await this.writer.write(this.take());
  }
}

/** A file written synchronously in large blocks (sed -i's temporary file, sed's w files). */
export class FileOut {
  private buf = Buffer.allocUnsafe(OUT_BLOCK);
  private off = 0;
  constructor(readonly fd: number) {}

  push(s: string): void {
    const n = s.length;
    if (n === 0) return;
    if (this.off + n > OUT_BLOCK) {
      this.flush();
      if (n > OUT_BLOCK) {
        writeAll(this.fd, Buffer.from(s, "latin1"));
        return;
      }
    }
    this.off += (this.buf as any).latin1Write(s, this.off);
  }

  flush(): void {
    if (this.off === 0) return;
    writeAll(this.fd, this.buf.subarray(0, this.off));
    this.off = 0;
  }
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}
