// Streaming helpers for the text applets (cat, wc, head, cut, sort...):
// opening operands the way BusyBox reports failures, splitting input into
// batches of latin1 lines without a string per chunk boundary, and an output
// buffer that turns many small latin1 strings into few large writes.
import { warn, type Context } from "./applet.ts";
import { errorMessage } from "./errors.ts";
import { openInput } from "./fsutil.ts";
import type { Reader, Writer } from "./io.ts";
import { textOf } from "./text.ts";

const latin1 = textOf;

/**
 * An operand as a Reader ("-" is stdin), or undefined after printing the
 * failure: "NAME: strerror" as fopen_or_warn() prints it, or "can't open
 * 'NAME': strerror" as open_or_warn() does (cat, tail, od...).
 */
export async function openOrWarn(ctx: Context, name: string, style: "perror" | "cant-open" = "perror"): Promise<Reader | undefined> {
  try {
    return openInput(ctx, name);
  } catch (err) {
    await warn(ctx, style === "perror" ? `${name}: ${errorMessage(err)}` : `can't open '${name}': ${errorMessage(err)}`);
    return undefined;
  }
}

export interface LineBatch {
  /** Lines of the batch, without their delimiter, as latin1 strings. */
  lines: string[];
  /** The batch's last line ended the input without a delimiter. */
  partial: boolean;
}

/**
 * The lines of a Reader in batches (one per chunk read), as latin1 strings.
 * One string split per chunk is much cheaper than one generator step per line.
 * `nulEnds`: a NUL byte ends a line too, as in BusyBox's xmalloc_fgetline()
 * (cat -n, nl, cut, paste...: "a\0b\n" reads as the lines "a" and "b").
 */
export async function* lineBatches(input: Reader, delimiter = "\n", nulEnds = false): AsyncGenerator<LineBatch> {
  let carry = "";
  for await (const chunk of input.chunks()) {
    const text = carry + latin1(chunk);
    const lines = nulEnds && text.includes("\0") ? text.split(/[\n\0]/) : text.split(delimiter);
    carry = lines.pop()!;
    if (lines.length) yield { lines, partial: false };
  }
  if (carry) yield { lines: [carry], partial: true };
}

/** Every line of a Reader, one by one (for inputs that are read a line at a time, like paste's). */
export class LineReader {
  private iter: AsyncIterator<Uint8Array>;
  private lines: string[] = [];
  private pos = 0;
  private carry = "";
  private done = false;
  /** Whether the line last returned ended with the delimiter. */
  terminated = true;

  constructor(input: Reader, private delimiter = "\n", private nulEnds = false) {
    this.iter = input.chunks()[Symbol.asyncIterator]();
  }

  /** The next line without its delimiter, or undefined at end of input. */
  async next(): Promise<string | undefined> {
    while (this.pos >= this.lines.length) {
      if (this.done) return undefined;
      const r = await this.iter.next();
      if (r.done) {
        this.done = true;
        this.lines = this.carry ? [this.carry] : [];
        this.pos = 0;
        this.carry = "";
        if (this.lines.length) {
          this.terminated = false;
          return this.lines[this.pos++];
        }
        return undefined;
      }
      const text = this.carry + latin1(r.value);
      const parts = this.nulEnds && text.includes("\0") ? text.split(/[\n\0]/) : text.split(this.delimiter);
      this.carry = parts.pop()!;
      this.lines = parts;
      this.pos = 0;
    }
    this.terminated = true;
    return this.lines[this.pos++];
  }

  /** Stop reading early (closes a file opened by openInput). */
  async close(): Promise<void> {
    this.done = true;
    await this.iter.return?.();
  }
}

/**
 * Output gathered as latin1 strings and written in large blocks. Call
 * `put()` freely, `await drain()` now and then (it writes once enough is
 * queued), and `await flush()` at the end.
 */
export class TextOut {
  private parts: string[] = [];
  private size = 0;

  constructor(private out: Writer, private limit = 128 * 1024) {}

  put(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  /** Queue raw bytes after what is queued so far. */
  async putBytes(b: Uint8Array): Promise<void> {
    await this.flush();
    await this.out.write(b);
  }

  get pending(): number {
    return this.size;
  }

  async drain(): Promise<void> {
    if (this.size >= this.limit) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const s = this.parts.length === 1 ? this.parts[0] : this.parts.join("");
    this.parts = [];
    this.size = 0;
    if (s.length) await this.out.write(Buffer.from(s, "latin1"));
  }
}

/**
 * Each line of each file (stdin for none or "-") through `fn`, to stdout; a
 * last line without "\n" stays without. A file that cannot be opened is
 * reported and the rest go on; the status is 1 if any failed.
 */
export async function mapLines(ctx: Context, files: string[], fn: (line: string) => string): Promise<number> {
  const out = new TextOut(ctx.stdout);
  const status = await eachInput(ctx, files, async (input) => {
    for await (const { lines, partial } of lineBatches(input)) {
      for (let i = 0; i < lines.length; i++) {
        const r = fn(lines[i]);
        out.put(partial && i === lines.length - 1 ? r : r + "\n");
      }
      await out.drain();
    }
  });
  await out.flush();
  return status;
}

/**
 * `fn` on each operand opened as input (stdin for none or "-"), in order. One
 * that cannot be opened is reported (see openOrWarn) and skipped. The status
 * is 1 if any failed to open or `fn` returned non-zero for it, else 0.
 */
export async function eachInput(
  ctx: Context,
  files: string[],
  fn: (input: Reader, name: string) => Promise<number | void>,
  style: "perror" | "cant-open" = "perror",
): Promise<number> {
  let status = 0;
  for (const file of files.length ? files : ["-"]) {
    const input = await openOrWarn(ctx, file, style);
    if (!input || (await fn(input, file))) status = 1;
  }
  return status;
}
