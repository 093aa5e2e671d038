// The shell's file descriptor table. Each shell context (the main shell, a
// subshell, one part of a pipeline) has its own table of handles; handles are
// reference-counted so that n>&m, subshell copies and pipelines share them
// the way dup(2) and fork(2) would. A handle is a real file descriptor (files,
// the shell's own stdin/stdout/stderr) or one end of an in-memory pipe, which
// is what connects in-process commands; an external program given a pipe end
// is fed or drained by a pump (see exec.ts).
import * as fs from "node:fs";
import { FdReader, FdWriter, type Reader, type Writer } from "../../lib/io.ts";

const PIPE_CAPACITY = 64 * 1024;

export function epipe(): Error {
  return Object.assign(new Error("Broken pipe"), { code: "EPIPE" });
}

export function ebadf(): Error {
  return Object.assign(new Error("Bad file descriptor"), { code: "EBADF" });
}

/** A pipe between in-process commands: a queue of chunks with backpressure. */
export class Pipe {
  private chunks: Uint8Array[] = [];
  private size = 0;
  writers = 0;
  readers = 0;
  private readerWaits: (() => void)[] = [];
  private writerWaits: (() => void)[] = [];

  get broken(): boolean {
    return this.readers === 0;
  }

  async write(b: Uint8Array): Promise<void> {
    if (this.readers === 0) throw epipe();
    if (b.length === 0) return;
    this.chunks.push(b);
    this.size += b.length;
    this.wakeReader();
    while (this.size > PIPE_CAPACITY && this.readers > 0) await new Promise<void>((r) => this.writerWaits.push(r));
  }

  /** The next chunk, or null at end of input (every writer closed). */
  async read(abort?: { aborted: boolean }): Promise<Uint8Array | null> {
    for (;;) {
      if (abort?.aborted) return null;
      if (this.chunks.length) {
        const c = this.chunks.shift()!;
        this.size -= c.length;
        if (this.size <= PIPE_CAPACITY) this.wakeWriters();
        return c;
      }
      if (this.writers === 0 || this.readers === 0) return null;
      await new Promise<void>((r) => this.readerWaits.push(r));
    }
  }

  /** Give back what a reader took but did not use (the read builtin). */
  unread(b: Uint8Array): void {
    if (b.length) {
      this.chunks.unshift(b);
      this.size += b.length;
    }
  }

  /** Whether a read would not wait: data is there, or the end. */
  ready(): boolean {
    return this.chunks.length > 0 || this.writers === 0 || this.readers === 0;
  }

  /** Wake a pending read so that it re-checks (a pump giving up). */
  interrupt(): void {
    this.wakeReader();
  }

  private wakeReader(): void {
    const ws = this.readerWaits;
    this.readerWaits = [];
    for (const w of ws) w();
  }

  private wakeWriters(): void {
    const ws = this.writerWaits;
    this.writerWaits = [];
    for (const w of ws) w();
  }

  closeWriter(): void {
    if (--this.writers === 0) this.wakeReader();
  }

  closeReader(): void {
    if (--this.readers === 0) {
      this.chunks = [];
      this.size = 0;
      this.wakeWriters();
      this.wakeReader();
    }
  }
}

export abstract class Handle {
  refs = 0;
  abstract readonly readable: boolean;
  abstract readonly writable: boolean;
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) this.close();
  }
  protected abstract close(): void;
}

/** A real file descriptor. `owned`: close it when the last reference goes. */
export class OsHandle extends Handle {
  constructor(
    readonly fd: number,
    readonly readable: boolean,
    readonly writable: boolean,
    private owned = true,
  ) {
    super();
  }
  protected close(): void {
    if (this.owned) {
      try {
        fs.closeSync(this.fd);
      } catch {}
    }
  }
}

export class PipeReadHandle extends Handle {
  readonly readable = true;
  readonly writable = false;
  constructor(readonly pipe: Pipe) {
    super();
    pipe.readers++;
  }
  protected close(): void {
    this.pipe.closeReader();
  }
}

export class PipeWriteHandle extends Handle {
  readonly readable = false;
  readonly writable = true;
  constructor(readonly pipe: Pipe) {
    super();
    pipe.writers++;
  }
  protected close(): void {
    this.pipe.closeWriter();
  }
}

/** A new in-memory pipe's two ends (unreferenced: put them in tables). */
export function makePipe(): [PipeReadHandle, PipeWriteHandle] {
  const p = new Pipe();
  return [new PipeReadHandle(p), new PipeWriteHandle(p)];
}

export class FdTable {
  constructor(private map = new Map<number, Handle>()) {}

  get(fd: number): Handle | undefined {
    return this.map.get(fd);
  }

  set(fd: number, h: Handle | undefined): void {
    h?.retain();
    this.map.get(fd)?.release();
    if (h) this.map.set(fd, h);
    else this.map.delete(fd);
  }

  close(fd: number): void {
    this.set(fd, undefined);
  }

  clone(): FdTable {
    for (const h of this.map.values()) h.retain();
    return new FdTable(new Map(this.map));
  }

  releaseAll(): void {
    for (const h of this.map.values()) h.release();
    this.map.clear();
  }

  entries(): [number, Handle][] {
    return [...this.map.entries()];
  }

  /** The lowest free descriptor at or above `min` (for saving fds). */
  free(min: number): number {
    let n = min;
    while (this.map.has(n)) n++;
    return n;
  }
}

// ---- Readers and writers over handles, for builtins and in-process applets ----

class PipeReader implements Reader {
  readonly isTTY = false;
  constructor(private pipe: Pipe) {}
  async *chunks(): AsyncIterable<Uint8Array> {
    for (let c = await this.pipe.read(); c; c = await this.pipe.read()) yield c;
  }
}

class PipeWriter implements Writer {
  readonly isTTY = false;
  constructor(private pipe: Pipe) {}
  async write(data: string | Uint8Array): Promise<void> {
    const b = typeof data === "string" ? Buffer.from(data, "utf8") : data.slice();
    await this.pipe.write(b);
  }
  async flush(): Promise<void> {}
}

class ClosedStream implements Reader, Writer {
  readonly isTTY = false;
  async *chunks(): AsyncIterable<Uint8Array> {
    throw ebadf();
  }
  async write(): Promise<void> {
    throw ebadf();
  }
  async flush(): Promise<void> {}
}

export function readerOf(h: Handle | undefined): Reader {
  if (h instanceof OsHandle) return new FdReader(h.fd);
  if (h instanceof PipeReadHandle) return new PipeReader(h.pipe);
  return new ClosedStream();
}

export function writerOf(h: Handle | undefined): Writer {
  if (h instanceof OsHandle) return new FdWriter(h.fd);
  if (h instanceof PipeWriteHandle) return new PipeWriter(h.pipe);
  return new ClosedStream();
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Write all of b to a handle (the builtins' output path: unbuffered, like ash's). */
export async function writeHandle(h: Handle | undefined, b: Uint8Array): Promise<void> {
  if (h instanceof PipeWriteHandle) return h.pipe.write(b);
  if (!(h instanceof OsHandle) || !h.writable) throw ebadf();
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(h.fd, b, off, b.length - off);
    } catch (err: any) {
      if (err?.code === "EAGAIN") await pause(1);
      else throw err;
    }
  }
}

/** How long a read may wait: until `deadline` (Date.now() ms), or until `signal` aborts it. */
export interface ReadWait {
  deadline?: number;
  signal?: AbortSignal;
}

/** Whether input (or its end) is there to read at once (read -t 0). */
export async function inputReady(h: Handle | undefined): Promise<boolean> {
  if (h instanceof PipeReadHandle) return h.pipe.ready();
  if (!(h instanceof OsHandle) || !h.readable) throw ebadf();
  const { pollFd, POLLIN } = await import("../../lib/syscalls.ts");
  return pollFd(h.fd, POLLIN, 0) > 0;
}

/** Wait until the descriptor has input, polling so that timers and signal handlers keep running. */
async function waitReadable(fd: number, wait: ReadWait): Promise<"timeout" | "interrupt" | undefined> {
  const { pollFd, POLLIN } = await import("../../lib/syscalls.ts");
  for (;;) {
    if (wait.signal?.aborted) return "interrupt";
    try {
      if (pollFd(fd, POLLIN, 0) > 0) return undefined;
    } catch {
      return undefined; // let the read itself fail
    }
    if (wait.deadline !== undefined && Date.now() >= wait.deadline) return "timeout";
    await pause(10);
  }
}

/** The next chunk of an in-memory pipe, or why none came in time. */
async function readPipe(pipe: Pipe, wait: ReadWait): Promise<Uint8Array | null | "timeout" | "interrupt"> {
  if (wait.deadline === undefined && !wait.signal) return pipe.read();
  const stop = { aborted: false };
  let why: "timeout" | "interrupt" | undefined;
  const end = (w: "timeout" | "interrupt") => () => {
    why ??= w;
    stop.aborted = true;
    pipe.interrupt();
  };
  const onAbort = end("interrupt");
  const timer = wait.deadline === undefined ? undefined : setTimeout(end("timeout"), Math.max(wait.deadline - Date.now(), 0));
  wait.signal?.addEventListener("abort", onAbort, { once: true });
  if (wait.signal?.aborted) onAbort();
  try {
    const c = await pipe.read(stop);
    return c ?? why ?? null;
  } finally {
    clearTimeout(timer);
    wait.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Read a line (up to `delim`) for the read builtin without taking more than
 * it returns, so the next command sees the rest: byte by byte from a real
 * descriptor, whole chunks (giving back the remainder) from a pipe.
 * Returns the bytes (latin1), whether the delimiter was seen, and whether
 * the wait ended it (`wait`: read -t, or Ctrl-C on a terminal).
 */
export async function readLineFrom(h: Handle | undefined, delim: number, max = Infinity, wait: ReadWait = {}): Promise<[string, boolean, ("timeout" | "interrupt")?]> {
  let out = "";
  if (h instanceof PipeReadHandle) {
    while (out.length < max) {
      const c = await readPipe(h.pipe, wait);
      if (c === "timeout" || c === "interrupt") return [out, false, c];
      if (!c) return [out, false];
      let i = 0;
      for (; i < c.length && out.length < max; i++) {
        if (c[i] === delim) {
          h.pipe.unread(c.subarray(i + 1));
          return [out, true];
        }
        out += String.fromCharCode(c[i]);
      }
      h.pipe.unread(c.subarray(i));
    }
    return [out, false];
  }
  if (!(h instanceof OsHandle) || !h.readable) throw ebadf();
  const one = Buffer.alloc(1);
  const polled = wait.deadline !== undefined || wait.signal !== undefined;
  while (out.length < max) {
    let n: number;
    if (polled) {
      const why = await waitReadable(h.fd, wait);
      if (why) return [out, false, why];
    }
    try {
      n = fs.readSync(h.fd, one, 0, 1, null);
    } catch (err: any) {
      if (err?.code === "EAGAIN") { await pause(1); continue; }
      if (err?.code === "EOF") return [out, false];
      throw err;
    }
    if (n === 0) return [out, false];
    if (one[0] === delim) return [out, true];
    out += String.fromCharCode(one[0]);
  }
  return [out, false];
}

/**
 * The terminal as stdin of an in-process applet in an interactive shell:
 * reads only when poll(2) says input is there, so the event loop keeps
 * running and SIGINT (`signal`) can end the read, as it would kill a process.
 */
export class InterruptibleTtyReader implements Reader {
  readonly isTTY = true;
  constructor(readonly fd: number, private signal: AbortSignal) {}
  async *chunks(): AsyncIterable<Uint8Array> {
    const { pollFd, POLLIN } = await import("../../lib/syscalls.ts");
    for (;;) {
      if (this.signal.aborted) return;
      let ready = 1;
      try {
        ready = pollFd(this.fd, POLLIN, 0);
      } catch {}
      if (!ready) {
        await pause(10);
        continue;
      }
      const buf = new Uint8Array(64 * 1024);
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, 0, buf.length, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") { await pause(10); continue; }
        if (err?.code === "EOF" || err?.code === "EIO") return;
        throw err;
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  }
}
