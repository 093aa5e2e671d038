// Byte streams for applets. An applet never touches process.stdout/stdin
// directly: it gets a Reader and Writers in its context, so the shell can run
// it in-process with pipes of its own.
import * as fs from "node:fs";

export interface Writer {
  /** Queue bytes; resolves when they may be considered written (buffered). */
  write(data: string | Uint8Array): Promise<void>;
  /** Push everything buffered to the underlying file. */
  flush(): Promise<void>;
  readonly fd?: number;
  readonly isTTY: boolean;
}

export interface Reader {
  /** Chunks until end of input. */
  chunks(): AsyncIterable<Uint8Array>;
  readonly fd?: number;
  readonly isTTY: boolean;
}

const CHUNK = 64 * 1024;
const encoder = new TextEncoder();

/**
 * Whether fd is a terminal. Only character devices can be, and loading
 * node:tty costs ~10 ms of start-up, so pipes and files never pay for it.
 */
export function isatty(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    // Major 1 is /dev/null, /dev/zero and friends: never terminals.
    if (!st.isCharacterDevice() || Number(st.rdev) >> 8 === 1) return false;
    return require("node:tty").isatty(fd);
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Buffered writer over a file descriptor. */
export class FdWriter implements Writer {
  private parts: Uint8Array[] = [];
  private size = 0;
  private tty?: boolean;

  constructor(readonly fd: number) {}

  /** Asked lazily: most runs never need to know. */
  get isTTY(): boolean {
    return (this.tty ??= isatty(this.fd));
  }

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    // A terminal sees each write at once; pipes and files get 64 KiB blocks.
    if (this.size >= CHUNK || this.isTTY) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const buf = this.parts.length === 1 ? this.parts[0] : concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off, buf.length - off);
      } catch (err: any) {
        // A non-blocking pipe that is full: wait for the reader instead of spinning.
        if (err?.code === "EAGAIN") await pause(1);
        else throw err;
      }
    }
  }
}

/** Reader over a file descriptor. */
export class FdReader implements Reader {
  private tty?: boolean;
  constructor(readonly fd: number) {}

  get isTTY(): boolean {
    return (this.tty ??= isatty(this.fd));
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, 0, CHUNK, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") { await pause(1); continue; }
        if (err?.code === "EOF") return;
        throw err;
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  }
}

/** A Writer that collects everything, for tests and command substitution. */
export class MemoryWriter implements Writer {
  private parts: Uint8Array[] = [];
  readonly isTTY = false;
  async write(data: string | Uint8Array) {
    this.parts.push(typeof data === "string" ? encoder.encode(data) : data.slice());
  }
  async flush() {}
  bytes(): Uint8Array {
    return concat(this.parts, this.parts.reduce((n, p) => n + p.length, 0));
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/** A Reader over bytes already in memory. */
export class MemoryReader implements Reader {
  readonly isTTY = false;
  constructor(private data: Uint8Array | string = "") {}
  async *chunks() {
    const bytes = typeof this.data === "string" ? encoder.encode(this.data) : this.data;
    if (bytes.length) yield bytes;
  }
}

export function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
