// uniq: drop (or count, or keep only) adjacent repeated lines, comparing
// after -f fields and -s chars, at most -w chars, -i without case. Lines
// stream through; only the current group's first line is held.
import * as fs from "node:fs";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { FileOut, LineReader, openChunks, OutBuf, type Input } from "../lib/bufio.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openAtomicOutput, type AtomicOutput } from "../lib/fsutil.ts";
import { parseNumber } from "../lib/numbers.ts";

defineApplet({
  name: "uniq",
  usage: "[-cduiz] [-f,s,w N] [FILE [OUTFILE]]",
  summary: "Discard duplicate lines",
  options: [
    "-c  Prefix lines by the number of occurrences",
    "-d  Only print duplicate lines",
    "-u  Only print unique lines",
    "-i  Ignore case",
    "-z  NUL terminated output",
    "-f N  Skip first N fields",
    "-s N  Skip first N chars (after any skipped fields)",
    "-w N  Compare N characters in line",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    const skipFields = opts.f !== undefined ? parseNumber(opts.f) : 0;
    const skipChars = opts.s !== undefined ? parseNumber(opts.s) : 0;
    const width = opts.w !== undefined ? parseNumber(opts.w) : Infinity;
    const inName = operands[0] ?? "-";
    let input: Input;
    try {
      input = openChunks(ctx, inName);
    } catch (err) {
      throw new AppletError(`can't open '${inName}': ${errorMessage(err)}`);
    }
    if (operands.length > 2) throw new UsageError();
    // OUTFILE is replaced only once all is written: it may be FILE itself.
    let fileOut: FileOut | undefined;
    let target: AtomicOutput | undefined;
    if (operands[1] !== undefined && operands[1] !== "-") {
      try {
        target = openAtomicOutput(resolvePath(ctx, operands[1]));
      } catch (err) {
        throw new AppletError(`can't open '${operands[1]}': ${errorMessage(err)}`);
      }
      fileOut = new FileOut(target.fd);
    }
    const out = new OutBuf(ctx.stdout);
    const put = fileOut ? (s: string) => fileOut!.push(s) : (s: string) => out.push(s);
    const eol = opts.z ? "\0" : "\n";
    const ignoreCase = !!opts.i;
    const onlyDup = !!opts.d, onlyUniq = !!opts.u, count = !!opts.c;
    const simple = skipFields === 0 && skipChars === 0 && width === Infinity && !ignoreCase;
    // The part of a line that is compared.
    const keyOf = (line: string): string => {
      let p = 0;
      for (let f = 0; f < skipFields; f++) {
        while (p < line.length && isSpace(line.charCodeAt(p))) p++;
        while (p < line.length && !isSpace(line.charCodeAt(p))) p++;
      }
      p = Math.min(line.length, p + skipChars);
      const k = width === Infinity ? line.slice(p) : line.slice(p, p + width);
      // C's tolower: ASCII letters only.
      return ignoreCase ? k.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : k;
    };
    const emit = (line: string, n: number) => {
      if ((onlyDup && n === 1) || (onlyUniq && n > 1)) return;
      put(count ? `${String(n).padStart(7)} ${line}${eol}` : line + eol);
    };
    if (simple && !count && !onlyDup && !onlyUniq && !opts.z) {
      try {
        const toFile = (b: Uint8Array) => {
          for (let off = 0; off < b.length; ) off += fs.writeSync(target!.fd, b, off, b.length - off);
        };
        await dropRepeats(input, target ? toFile : (b) => out.pushBytes(b), () => out.maybeFlush());
        fileOut?.flush();
        await out.flush();
        target?.commit();
      } finally {
        input.close();
        target?.abort();
      }
      return 0;
    }
    const reader = new LineReader(input.chunks);
    let prev: string | null = null;
    let prevKey = "";
    let n = 0;
    try {
      for (;;) {
        let line = reader.take();
        if (line === undefined) {
          if (out.full) await out.maybeFlush();
          await reader.fill();
          continue;
        }
        if (line === null) break;
        if (prev !== null && (simple ? line === prev : keyOf(line) === prevKey)) {
          n++;
          continue;
        }
        if (prev !== null) emit(prev, n);
        prev = line;
        if (!simple) prevKey = keyOf(line);
        n = 1;
        line = null;
      }
      if (prev !== null) emit(prev, n);
      fileOut?.flush();
      await out.flush();
      target?.commit();
    } finally {
      input.close();
      target?.abort();
    }
    return 0;
  },
});

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Plain uniq on bytes: lines between repeats are contiguous in the input,
 * so they go out as whole slices of each chunk; only the previous line is
 * kept (copied when a chunk ends).
 */
async function dropRepeats(input: Input, put: (b: Uint8Array) => void, drain: () => Promise<void>): Promise<void> {
  let prev = new Uint8Array(0);
  let havePrev = false;
  let carry = new Uint8Array(0);
  for (;;) {
    const r = await input.chunks.next();
    let buf: Uint8Array;
    if (r.done) {
      if (!carry.length) break;
      // A last line without its newline: compared as is, printed with one.
      buf = new Uint8Array(carry.length + 1);
      buf.set(carry);
      buf[carry.length] = 10;
      carry = new Uint8Array(0);
    } else if (carry.length) {
      buf = new Uint8Array(carry.length + r.value.length);
      buf.set(carry);
      buf.set(r.value, carry.length);
    } else buf = new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.length);
    let runStart = 0;
    let s = 0;
    let prevS = -1, prevE = -1; // the previous line, when it is in this buffer
    for (;;) {
      const e = buf.indexOf(10, s);
      if (e < 0) break;
      let same = false;
      if (prevS >= 0) same = e - s === prevE - prevS && equalBytes(buf, s, buf, prevS, e - s);
      else if (havePrev) same = e - s === prev.length && equalBytes(buf, s, prev, 0, e - s);
      if (same) {
        if (s > runStart) put(buf.subarray(runStart, s));
        runStart = e + 1;
      } else {
        prevS = s;
        prevE = e;
      }
      havePrev = true;
      s = e + 1;
    }
    if (s > runStart) put(buf.subarray(runStart, s));
    if (prevS >= 0) prev = buf.slice(prevS, prevE);
    carry = buf.slice(s);
    await drain();
    if (r.done) break;
  }
}

function equalBytes(a: Uint8Array, as: number, b: Uint8Array, bs: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}
