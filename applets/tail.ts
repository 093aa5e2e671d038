// tail: the last N lines or bytes (-n N, -c N; +N counts from the start),
// with BusyBox's option quirks: "tail -5"/"tail +5" as the first argument,
// -n read after -c whatever their order, a "+" that stays once seen. Regular
// files are read backwards from their end (only what is printed is read);
// pipes are streamed holding only the last N lines. -f/-F then poll the files
// every -s seconds until the reader goes away or the run is aborted.
import * as fs from "node:fs";
import { defineApplet, operandPath, usageText, warn, type Applet, type Context } from "../lib/applet.ts";
import { errnoCode, errorMessage } from "../lib/errors.ts";
import type { Reader } from "../lib/io.ts";
import { BKM_SUFFIXES, parseSuffixed32 } from "../lib/numbers.ts";
import { parseOptions } from "../lib/options.ts";

const BLOCK = 64 * 1024;

interface Input {
  name: string;
  /** -1: not open (yet), with -F. */
  fd: number;
  /** A Reader without a descriptor (stdin of an in-process pipeline). */
  reader?: Reader;
  /** Next offset to read for regular files; null for streams. */
  pos: number | null;
  /** Close it when done (not stdin). */
  own: boolean;
}

const tail: Applet = defineApplet({
  name: "tail",
  usage: "[OPTIONS] [FILE]...",
  summary: "Print last 10 lines of FILEs (or stdin) to.\nWith more than one FILE, precede each with a filename header.",
  options: [
    "-c [+]N[bkm]  Print last N bytes",
    "-n N[bkm]  Print last N lines",
    "-q  Never print headers",
    "-v  Always print headers",
    "-f  Print data as file grows",
    "-F  Same as -f, but keep retrying",
    "-s SECONDS  Wait SECONDS between reads with -f",
  ],
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(tail));
      return 0;
    }
    let fromTop = false;
    const eat = (p: string) => {
      if (p[0] === "-") p = p.slice(1);
      else if (p[0] === "+") {
        p = p.slice(1);
        fromTop = true;
      }
      return Number(parseSuffixed32(p, BKM_SUFFIXES));
    };
    let count = 10;
    if (args.length && (args[0][0] === "+" || args[0][0] === "-") && /^[0-9]$/.test(args[0][1] ?? "")) {
      count = eat(args[0]);
      args = args.slice(1);
    }
    const { opts, operands } = parseOptions(tail.spec, args);
    const bytes = opts.c !== undefined;
    if (opts.c !== undefined) count = eat(opts.c);
    if (opts.n !== undefined) count = eat(opts.n);
    let headerThreshold = 1;
    if (opts.q) headerThreshold = Infinity;
    if (opts.v) headerThreshold = 0;
    const retry = !!opts.F;
    let follow = !!(opts.f || opts.F);
    const period = opts.s !== undefined ? Number(parseSuffixed32(opts.s, [], 0n, 2147483647n)) : 1;

    let status = 0;
    const names = operands.length ? operands : [STDIN];
    if (!operands.length && ctx.stdin.fd !== undefined) {
      try {
        if (fs.fstatSync(ctx.stdin.fd).isFIFO()) follow = false;
      } catch {}
    }
    const inputs: Input[] = [];
    for (const name of names) {
      if (name === STDIN || name === "-") {
        const fd = ctx.stdin.fd;
        if (fd === undefined) inputs.push({ name, fd: -1, reader: ctx.stdin, pos: null, own: false });
        else inputs.push({ name, fd, pos: null, own: false });
        continue;
      }
      try {
        inputs.push({ name, fd: fs.openSync(operandPath(ctx, name), "r"), pos: null, own: true });
      } catch (err) {
        await warn(ctx, `can't open '${name}': ${errorMessage(err)}`);
        if (retry) inputs.push({ name, fd: -1, pos: null, own: true });
        else status = 1;
      }
    }
    if (inputs.length === 0) {
      await warn(ctx, "no files");
      return 1;
    }
    const headers = inputs.length > headerThreshold;
    let first = true;
    try {
      for (const input of inputs) {
        if (input.fd < 0 && !input.reader) continue;
        if (headers) {
          await ctx.stdout.write(Buffer.from(`${first ? "" : "\n"}==> ${input.name} <==\n`, "latin1"));
          first = false;
        }
        try {
          await tailOne(ctx, input, count, bytes, fromTop);
        } catch (err) {
          if (errnoCode(err) === "EPIPE") throw err;
          await warn(ctx, `read error: ${errorMessage(err)}`);
          status = 1;
        }
      }
      if (follow) status = await followInputs(ctx, inputs, period, retry, headers, status);
    } finally {
      for (const input of inputs) if (input.own && input.fd >= 0) fs.closeSync(input.fd);
    }
    return status;
  },
});

const STDIN = "standard input";

function regularSize(fd: number): number | null {
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

async function tailOne(ctx: Context, input: Input, count: number, bytes: boolean, fromTop: boolean): Promise<void> {
  const size = input.fd >= 0 ? regularSize(input.fd) : null;
  if (size !== null && !fromTop) {
    input.pos = size;
    if (count === 0 || size === 0) return;
    const start = bytes ? Math.max(0, size - count) : lastLinesStart(input.fd, size, count);
    await copyRange(ctx, input.fd, start, size);
    return;
  }
  // A stream, or from the top: read forward.
  if (size !== null) input.pos = 0;
  const chunks = readForward(input);
  if (fromTop) {
    let skip = Math.max(count, 1) - 1; // bytes, or newlines, to pass over
    for await (const chunk of chunks) {
      let from = 0;
      if (skip > 0) {
        if (bytes) {
          from = Math.min(skip, chunk.length);
          skip -= from;
        } else {
          let i = -1;
          while (skip > 0 && (i = chunk.indexOf(10, i + 1)) >= 0) skip--;
          from = skip > 0 ? chunk.length : i + 1;
        }
      }
      if (from < chunk.length) await ctx.stdout.write(from ? chunk.subarray(from) : chunk);
    }
    return;
  }
  // The last `count` lines or bytes of a stream: hold just enough chunks.
  const held: Buffer[] = [];
  const newlines: number[] = [];
  let heldSize = 0;
  let laterNewlines = 0; // newlines in held[1..]
  for await (const chunk of chunks) {
    if (count === 0) continue;
    held.push(chunk);
    heldSize += chunk.length;
    const nl = bytes ? 0 : countNewlines(chunk);
    newlines.push(nl);
    if (held.length > 1) laterNewlines += nl;
    while (held.length > 1 && (bytes ? heldSize - held[0].length >= count : laterNewlines >= count + 1)) {
      heldSize -= held.shift()!.length;
      newlines.shift();
      laterNewlines -= newlines[0];
    }
  }
  if (count === 0 || heldSize === 0) return;
  const all = Buffer.concat(held, heldSize);
  await ctx.stdout.write(all.subarray(bytes ? Math.max(0, all.length - count) : lastLinesIn(all, count)));
}

/** Chunks of an input from its position on (regular files through pread, so -f can go on from there). */
async function* readForward(input: Input): AsyncGenerator<Buffer> {
  if (input.reader) {
    for await (const c of input.reader.chunks()) yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    return;
  }
  for (;;) {
    const buf = Buffer.allocUnsafe(BLOCK);
    let n: number;
    try {
      n = fs.readSync(input.fd, buf, 0, BLOCK, input.pos);
    } catch (err: any) {
      if (err?.code === "EAGAIN") {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      throw err;
    }
    if (n === 0) return;
    if (input.pos !== null) input.pos += n;
    yield buf.subarray(0, n);
  }
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** Where the last `count` lines of `buf` start (an unterminated last line counts as one). */
export function lastLinesIn(buf: Buffer, count: number): number {
  let i = buf.length;
  if (i && buf[i - 1] === 10) i--;
  let seen = 0;
  while (i > 0) {
    const j = buf.lastIndexOf(10, i - 1);
    if (j < 0) return 0;
    if (++seen === count) return j + 1;
    i = j;
  }
  return 0;
}

/** The offset where the last `count` lines of a regular file start, reading blocks backwards from its end. */
function lastLinesStart(fd: number, size: number, count: number): number {
  let end = size;
  let seen = 0;
  let skipFinal = true;
  const buf = Buffer.allocUnsafe(BLOCK);
  while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const n = fs.readSync(fd, buf, 0, end - start, start);
    let i = n;
    if (skipFinal) {
      skipFinal = false;
      if (i && buf[i - 1] === 10) i--;
    }
    while (i > 0) {
      const j = buf.lastIndexOf(10, i - 1);
      if (j < 0) break;
      if (++seen === count) return start + j + 1;
      i = j;
    }
    end = start;
  }
  return 0;
}

async function copyRange(ctx: Context, fd: number, start: number, end: number): Promise<void> {
  while (start < end) {
    const buf = Buffer.allocUnsafe(Math.min(BLOCK * 4, end - start));
    const n = fs.readSync(fd, buf, 0, buf.length, start);
    if (n === 0) return;
    await ctx.stdout.write(buf.subarray(0, n));
    start += n;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function sameFile(fd: number, name: string): boolean {
  try {
    const a = fs.fstatSync(fd);
    const b = fs.statSync(name);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/** -f / -F: poll every input for new data until stopped. */
async function followInputs(ctx: Context, inputs: Input[], period: number, retry: boolean, headers: boolean, status: number): Promise<number> {
  const say = async (msg: string) => {
    await ctx.stdout.flush();
    await warn(ctx, msg);
    await ctx.stderr.flush();
  };
  let prev: Input | undefined = [...inputs].reverse().find((i) => i.fd >= 0);
  const buf = Buffer.allocUnsafe(BLOCK);
  for (;;) {
    // Whatever was said so far is seen now, not when the run ends.
    await ctx.stderr.flush();
    await ctx.stdout.flush();
    await sleep(period * 1000, ctx.signal);
    if (ctx.signal?.aborted) return status;
    for (const input of inputs) {
      if (input.reader) continue;
      let replacement = -1;
      if (retry && input.own) {
        const full = operandPath(ctx, input.name);
        if (input.fd < 0 || !sameFile(input.fd, full)) {
          try {
            replacement = fs.openSync(full, "r");
            await say(`${input.name} has ${input.fd < 0 ? "appeared" : "been replaced"}; following end of new file`);
            if (input.fd < 0) {
              input.fd = replacement;
              input.pos = regularSize(replacement) !== null ? 0 : null;
              replacement = -1;
            }
          } catch (err) {
            if (input.fd >= 0) await say(`${input.name} has been renamed or deleted: ${errorMessage(err)}`);
          }
        }
      }
      if (input.fd < 0) continue;
      let header = headers;
      for (;;) {
        const size = regularSize(input.fd);
        if (size !== null && input.pos !== null && size > 0 && size < input.pos) input.pos = 0;
        let n: number;
        try {
          n = fs.readSync(input.fd, buf, 0, BLOCK, input.pos);
        } catch (err) {
          await say(`read error: ${errorMessage(err)}`);
          status = 1;
          n = 0;
        }
        if (n <= 0) {
          if (replacement < 0) break;
          fs.closeSync(input.fd);
          input.fd = replacement;
          input.pos = regularSize(replacement) !== null ? 0 : null;
          replacement = -1;
          continue;
        }
        if (input.pos !== null) input.pos += n;
        if (header && input !== prev) {
          await ctx.stdout.write(Buffer.from(`\n==> ${input.name} <==\n`, "latin1"));
          prev = input;
        }
        header = false;
        await ctx.stdout.write(Buffer.from(buf.subarray(0, n)));
        await ctx.stdout.flush();
      }
    }
  }
}
