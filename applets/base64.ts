// base64: encode FILE (or stdin) wrapping lines at -w COL (76; 0: never), or
// decode with -d the way BusyBox's read_base64() does: input is cut into
// words at whitespace (and every 80 bytes), junk characters are skipped, a
// padded quantum ends a word, and leftovers at the end are "truncated input";
// except that "==" split by a line break (base64 -w 1, 2, 3) is still padding.
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openOperand, blocksOf } from "../lib/archive/input.ts";
import type { Reader } from "../lib/io.ts";
import { parsePositiveInt } from "../lib/numbers.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

const ALPHABET = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

defineApplet({
  name: "base64",
  usage: "[-d] [-w COL] [FILE]",
  summary: "Base64 encode or decode FILE to standard output",
  options: ["-d  Decode data", "-w COL  Wrap lines at COL (default 76, 0 disables)"],
  async run(ctx, opts, files) {
    if (files.length > 1) throw new UsageError();
    const width = opts.w !== undefined ? parsePositiveInt(opts.w) : 76;
    const name = binaryOf(files[0] ?? "-");
    let input: number | Reader;
    try {
      input = openOperand(ctx, name);
    } catch (err) {
      throw new AppletError(bytesOf(`${name}: ${errorMessage(err)}`).toString("utf8"));
    }
    const chunks = readErrors(typeof input === "number" ? blocksOf(input) : input.chunks());
    if (opts.d) await decode(ctx, chunks);
    else await encode(ctx, chunks, width);
    return 0;
  },
});

/** The input's chunks, with a failed read said as BusyBox says it ("read error: Is a directory"). */
async function* readErrors(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (err) {
      throw new AppletError(`read error: ${errorMessage(err)}`);
    }
    if (r.done) return;
    yield r.value;
  }
}

async function encode(ctx: Context, chunks: AsyncIterable<Uint8Array>, width: number): Promise<void> {
  let carry = new Uint8Array(0);
  let column = 0;
  const emit = async (text: Buffer) => {
    if (width === 0) return ctx.stdout.write(text);
    const parts: Buffer[] = [];
    let off = 0;
    while (off < text.length) {
      const n = Math.min(width - column, text.length - off);
      parts.push(text.subarray(off, off + n));
      off += n;
      column += n;
      if (column === width) {
        parts.push(NL);
        column = 0;
      }
    }
    await ctx.stdout.write(Buffer.concat(parts));
  };
  for await (const chunk of chunks) {
    let data: Uint8Array = chunk;
    if (carry.length) {
      data = Buffer.concat([carry, chunk]);
    }
    const whole = data.length - (data.length % 3);
    if (whole) await emit(Buffer.from(Buffer.from(data.buffer, data.byteOffset, whole).toString("base64"), "latin1"));
    carry = data.slice(whole);
  }
  if (carry.length) await emit(Buffer.from(Buffer.from(carry).toString("base64"), "latin1"));
  if (width && column) await ctx.stdout.write(NL);
}

const NL = Buffer.from("\n");

/** BusyBox's decode_base64(): decodes buf[0, len) in place; returns [output end, unconsumed start]. */
function decodeWord(buf: Uint8Array, len: number): [number, number] {
  let ch = 0;
  let i = 0;
  let src = 0;
  let dst = 0;
  while (src < len) {
    let t = buf[src++];
    if (t >= 0x30 && t <= 0x39) t = t - 0x30 + 52;
    else if (t >= 0x41 && t <= 0x5a) t -= 0x41;
    else if (t >= 0x61 && t <= 0x7a) t = t - 0x61 + 26;
    else if (t === 0x2b) t = 62;
    else if (t === 0x2f) t = 63;
    else if (t === 0x3d && (i === 3 || (i === 2 && src < len && buf[src] === 0x3d))) t = 0x1000000;
    else continue;
    // ch grows past 32 bits only in the padding flags; keep it exact with arithmetic.
    ch = ch * 64 + t;
    i = (i + 1) & 3;
    if (i === 0) {
      const low = ch % 0x1000000;
      buf[dst++] = (low >>> 16) & 0xff;
      buf[dst++] = (low >>> 8) & 0xff;
      buf[dst++] = low & 0xff;
      if (ch >= 0x1000000) {
        // The last character was '=' (flag in bit 24); "==" also set bit 30.
        const flags = Math.floor(ch / 0x1000000);
        if (flags & 1) {
          dst--;
          if (flags & 64) dst--;
          break;
        }
      }
      ch = 0;
    }
  }
  return [dst, src - i];
}

/**
 * Whether decodeWord() would skip buf[len-1], a "=" in the third place of a
 * quantum, only for want of a second "=" after it in the same word.
 */
function endsInHalfPadding(buf: Uint8Array, len: number): boolean {
  let i = 0;
  for (let src = 0; src < len; src++) {
    const t = buf[src];
    if ((t >= 0x30 && t <= 0x39) || (t >= 0x41 && t <= 0x5a) || (t >= 0x61 && t <= 0x7a) || t === 0x2b || t === 0x2f) i = (i + 1) & 3;
    else if (t === 0x3d) {
      // A padded quantum ends the decoding of the word there.
      if (i === 3 || (i === 2 && src + 1 < len && buf[src + 1] === 0x3d)) return false;
      if (i === 2 && src === len - 1) return true;
    }
  }
  return false;
}

async function decode(ctx: Context, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const BUFFER_SIZE = 80;
  const buf = new Uint8Array(BUFFER_SIZE + 2);
  let inCount = 0;
  const iter = chunks[Symbol.asyncIterator]();
  let cur: Uint8Array = new Uint8Array(0);
  let pos = 0;
  let eof = false;
  const out: Uint8Array[] = [];
  let outSize = 0;
  /**
   * Take the next byte that is not whitespace if it is "=", leaving the
   * whitespace before it unread (BusyBox decodes once per word, empty or not).
   */
  const takePadAhead = async (): Promise<boolean> => {
    let j = pos;
    for (;;) {
      while (j < cur.length && cur[j] <= 0x20) j++;
      if (j < cur.length) break;
      if (eof) return false;
      const r = await iter.next();
      if (r.done) {
        eof = true;
        return false;
      }
      j -= pos;
      cur = Buffer.concat([cur.subarray(pos), r.value]);
      pos = 0;
    }
    if (cur[j] !== 0x3d) return false;
    cur = Buffer.concat([cur.subarray(pos, j), cur.subarray(j + 1)]);
    pos = 0;
    return true;
  };
  for (;;) {
    let termSeen = false;
    while (inCount < BUFFER_SIZE) {
      if (pos >= cur.length) {
        if (eof) {
          termSeen = true;
          break;
        }
        const r = await iter.next();
        if (r.done) {
          eof = true;
          termSeen = true;
          break;
        }
        cur = r.value;
        pos = 0;
        continue;
      }
      const c = cur[pos++];
      if (c <= 0x20) {
        // "==" cut by a line break, as base64 -w 1, 2 or 3 writes it: BusyBox
        // loses that padding (and the quantum); the next "=" belongs with it.
        pos--; // the whitespace itself is read again below, after any "=" taken from ahead of it
        if (inCount && buf[inCount - 1] === 0x3d && endsInHalfPadding(buf, inCount) && (await takePadAhead())) buf[inCount++] = 0x3d;
        pos++;
        break;
      }
      buf[inCount++] = c;
    }
    const [end, tail] = decodeWord(buf, inCount);
    if (end) {
      out.push(buf.slice(0, end));
      outSize += end;
      if (outSize >= 65536) {
        await ctx.stdout.write(Buffer.concat(out));
        out.length = 0;
        outSize = 0;
      }
    }
    if (termSeen) {
      if (out.length) await ctx.stdout.write(Buffer.concat(out));
      if (tail >= inCount) return;
      throw new AppletError("truncated input");
    }
    buf.copyWithin(0, tail, inCount);
    inCount -= tail;
  }
}
