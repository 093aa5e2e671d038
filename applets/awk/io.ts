// Input records and output streams for awk. Input is read in 64 KiB chunks
// and cut into records by RS (a character, "" for paragraphs, or a regex);
// nothing is read before it is needed, so input of any size streams. Output
// is buffered and written with write(2) so that the synchronous interpreter
// sees errors (EPIPE) at once.
import * as fs from "node:fs";
import type { Reader, Writer } from "../../lib/io.ts";
import { textOf } from "../../lib/text.ts";
import { searchNonEmpty, type AwkRegex } from "./regex.ts";

const CHUNK = 64 * 1024;

/** Block the thread for ms milliseconds (a non-blocking fd said EAGAIN). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const AGAIN = Symbol("again");

/** Where bytes come from: a file descriptor, a Reader, or memory. */
export interface ByteSource {
  /** A chunk, null at the end, or AGAIN when only an async read can tell. */
  readSync(block: boolean): Uint8Array | null | typeof AGAIN;
  readAsync(): Promise<Uint8Array | null>;
  close(): void;
}

export class FdSource implements ByteSource {
  private buf = new Uint8Array(CHUNK);
  constructor(private fd: number, private owned: boolean) {}
  readSync(block: boolean): Uint8Array | null | typeof AGAIN {
    for (;;) {
      try {
        const n = fs.readSync(this.fd, this.buf, 0, CHUNK, null);
        if (n === 0) return null;
        return this.buf.subarray(0, n);
      } catch (err: any) {
        if (err?.code === "EAGAIN") {
          if (!block) return AGAIN;
          sleepSync(1);
          continue;
        }
        if (err?.code === "EOF") return null;
        throw err;
      }
    }
  }
  async readAsync(): Promise<Uint8Array | null> {
    for (;;) {
      const r = this.readSync(false);
      if (r !== AGAIN) return r;
      await new Promise((res) => setTimeout(res, 1));
    }
  }
  close(): void {
    if (this.owned) {
      try { fs.closeSync(this.fd); } catch {}
      this.owned = false;
    }
  }
}

/** A Reader without a file descriptor: only async reads (or what was read ahead). */
export class ReaderSource implements ByteSource {
  private it: AsyncIterator<Uint8Array>;
  private ahead: (Uint8Array | null)[] = [];
  constructor(reader: Reader) {
    this.it = reader.chunks()[Symbol.asyncIterator]();
  }
  readSync(): Uint8Array | null | typeof AGAIN {
    return this.ahead.length ? this.ahead.shift()! : AGAIN;
  }
  async readAsync(): Promise<Uint8Array | null> {
    if (this.ahead.length) return this.ahead.shift()!;
    const r = await this.it.next();
    return r.done ? null : r.value;
  }
  /** Read everything now, so that synchronous reads (getline) work. */
  async slurp(): Promise<void> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) { this.ahead.push(null); return; }
      this.ahead.push(r.value);
    }
  }
  close(): void {}
}

export class MemorySource implements ByteSource {
  constructor(private data: Uint8Array | null) {}
  readSync(): Uint8Array | null {
    const d = this.data;
    this.data = null;
    return d && d.length ? d : null;
  }
  async readAsync(): Promise<Uint8Array | null> {
    return this.readSync();
  }
  close(): void {}
}

export type RecordMode = { kind: "char"; c: string } | { kind: "para" } | { kind: "regex"; re: AwkRegex };

/** Records of a byte source. */
export class RecordReader {
  private buf = "";
  private pos = 0;
  private scanFrom = 0;
  private eof = false;
  /** The text that ended the last record (RT). */
  rt = "";

  constructor(readonly src: ByteSource) {}

  /**
   * The next record, null at the end, or AGAIN if more input can only be had
   * asynchronously (then call fillAsync() and try again).
   */
  read(mode: RecordMode, block: boolean): string | null | typeof AGAIN {
    for (;;) {
      const r = this.extract(mode);
      if (r !== undefined) return r;
      const more = this.src.readSync(block);
      if (more === AGAIN) return AGAIN;
      this.append(more);
    }
  }

  async fillAsync(): Promise<void> {
    this.append(await this.src.readAsync());
  }

  private append(chunk: Uint8Array | null): void {
    if (chunk === null) {
      this.eof = true;
      return;
    }
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.scanFrom -= this.pos;
      this.pos = 0;
    }
    this.buf += textOf(chunk);
  }

  /** A record from what is buffered, null at the end, undefined if more input is needed. */
  private extract(mode: RecordMode): string | null | undefined {
    const buf = this.buf;
    if (mode.kind === "char") {
      const i = buf.indexOf(mode.c, Math.max(this.pos, this.scanFrom));
      if (i >= 0) {
        const rec = buf.slice(this.pos, i);
        this.rt = mode.c;
        this.pos = this.scanFrom = i + 1;
        return rec;
      }
      this.scanFrom = buf.length;
      return this.rest();
    }
    if (mode.kind === "para") {
      let p = this.pos;
      while (p < buf.length && buf.charCodeAt(p) === 10) p++;
      this.pos = p;
      const i = buf.indexOf("\n\n", Math.max(p, this.scanFrom));
      if (i >= 0) {
        let e = i;
        while (e < buf.length && buf.charCodeAt(e) === 10) e++;
        if (e < buf.length || this.eof) {
          this.rt = buf.slice(i, e);
          this.pos = this.scanFrom = e;
          return buf.slice(p, i);
        }
        this.scanFrom = i;
        return undefined;
      }
      this.scanFrom = Math.max(p, buf.length - 1);
      return this.rest();
    }
    const m = searchNonEmpty(mode.re, buf, this.pos);
    if (m && (m[1] < buf.length || this.eof)) {
      const rec = buf.slice(this.pos, m[0]);
      this.rt = buf.slice(m[0], m[1]);
      this.pos = m[1];
      return rec;
    }
    if (m) return undefined;
    return this.rest();
  }

  // At the end of input, what is left is the last record.
  private rest(): string | null | undefined {
    if (!this.eof) return undefined;
    if (this.pos >= this.buf.length) return null;
    const rec = this.buf.slice(this.pos);
    this.rt = "";
    this.pos = this.scanFrom = this.buf.length;
    return rec;
  }

  close(): void {
    this.src.close();
  }
}

/** An output stream: stdout, stderr, a file, or a command's input. */
export interface Output {
  write(s: string): void;
  flush(): void;
  /** Flush and release; the status close() returns. */
  close(): number;
}

/** Writes to a file descriptor with write(2), waiting out EAGAIN. */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    } catch (err: any) {
      if (err?.code === "EAGAIN") sleepSync(1);
      else throw err;
    }
  }
}

/** The context's stdout or stderr. */
export class WriterOutput implements Output {
  private buf = "";
  pending: Promise<unknown>[] = [];
  constructor(private w: Writer, private limit = CHUNK) {}
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= this.limit) this.flush();
  }
  flush(): void {
    if (this.buf === "") return;
    const bytes = Buffer.from(this.buf, "latin1");
    this.buf = "";
    if (this.w.fd !== undefined) writeAllSync(this.w.fd, bytes);
    else {
      this.pending.push(this.w.write(bytes));
      this.pending.push(this.w.flush());
    }
  }
  close(): number {
    this.flush();
    return 0;
  }
  async settle(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    await Promise.all(p);
  }
}

export class FileOutput implements Output {
  private buf = "";
  constructor(private fd: number) {}
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.buf === "") return;
    const bytes = Buffer.from(this.buf, "latin1");
    this.buf = "";
    writeAllSync(this.fd, bytes);
  }
  close(): number {
    this.flush();
    fs.closeSync(this.fd);
    return 0;
  }
}

/** print | "cmd": collected, and fed to the command when closed. */
export class PipeOutput implements Output {
  private parts: string[] = [];
  constructor(private run: (input: Uint8Array) => number) {}
  write(s: string): void {
    this.parts.push(s);
  }
  flush(): void {}
  close(): number {
    const input = Buffer.from(this.parts.join(""), "latin1");
    this.parts = [];
    return this.run(input);
  }
}
