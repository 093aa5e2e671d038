// A pull-based byte source over any async chunk stream, for the archive
// formats: read exact counts (tar's 512-byte headers, cpio's fields), skip,
// look ahead, and hand a member's bytes on as chunks without copying them.
// Nothing is read from the underlying stream before it is needed.

const EMPTY = new Uint8Array(0);

export class ByteSource {
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private iter: AsyncIterator<Uint8Array>;
  private done = false;
  /** Bytes consumed so far (the offset of the next byte in the stream). */
  offset = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iter = chunks[Symbol.asyncIterator]();
  }

  /** Bytes buffered and not yet consumed. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** The buffered, unconsumed bytes (valid until the next call that reads). */
  peekBuffered(): Uint8Array {
    return this.buf.subarray(this.pos);
  }

  /** Whether the underlying stream is exhausted and nothing is buffered. */
  async atEnd(): Promise<boolean> {
    return (await this.fill(1)) === 0;
  }

  /** Buffer at least n bytes if the stream has them; returns how many are buffered. */
  async fill(n: number): Promise<number> {
    while (this.available < n && !this.done) {
      const r = await this.iter.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const chunk = r.value;
      if (chunk.length === 0) continue;
      if (this.available === 0) {
        this.buf = chunk;
        this.pos = 0;
      } else {
        const rest = this.buf.subarray(this.pos);
        const merged = new Uint8Array(rest.length + chunk.length);
        merged.set(rest, 0);
        merged.set(chunk, rest.length);
        this.buf = merged;
        this.pos = 0;
      }
    }
    return this.available;
  }

  /** One chunk of whatever is available (at most max bytes), or undefined at the end. */
  async readChunk(max = Infinity): Promise<Uint8Array | undefined> {
    if (this.available === 0 && (await this.fill(1)) === 0) return undefined;
    const n = Math.min(max, this.available);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return out;
  }

  /** Up to n bytes (fewer only at the end of the stream). The result may share memory with the buffer. */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const k = Math.min(n, this.available);
    const out = this.buf.subarray(this.pos, this.pos + k);
    this.pos += k;
    this.offset += k;
    return out;
  }

  /** Exactly n bytes, or undefined when the stream ends first (what was there is consumed). */
  async readExact(n: number): Promise<Uint8Array | undefined> {
    const b = await this.read(n);
    return b.length === n ? b : undefined;
  }

  /** Peek at up to n bytes without consuming them. */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    return this.buf.subarray(this.pos, this.pos + Math.min(n, this.available));
  }

  /** The buffered bytes, reading one more chunk only when nothing is buffered (empty at the end). */
  async peekSome(): Promise<Uint8Array> {
    if (this.available === 0) await this.fill(1);
    return this.buf.subarray(this.pos);
  }

  /** Consume n bytes already known to be buffered. */
  consume(n: number): void {
    this.pos += n;
    this.offset += n;
  }

  /** Skip n bytes; returns how many could be skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const c = await this.readChunk(left);
      if (!c) break;
      left -= c.length;
    }
    return n - left;
  }

  /** The next n bytes as chunks, without copying; stops early at the end of the stream. */
  async *take(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      const c = await this.readChunk(left);
      if (!c) return;
      left -= c.length;
      yield c;
    }
  }

  /** Everything that is left, chunk by chunk. */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const c = await this.readChunk();
      if (!c) return;
      yield c;
    }
  }
}

/** Chunks of a byte array, for tests and in-memory archives. */
export async function* chunksOf(data: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}
