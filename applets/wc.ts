// wc: BusyBox's counting rules (a word is a run of printable non-space ASCII
// broken by space, \t \n \v \f \r; other bytes neither start nor end one; -m
// counts bytes that are not UTF-8 continuation bytes in a UTF-8 locale, bytes otherwise; -L expands tabs to 8)
// and its layout: "%9llu" columns, except a lone count for one file or stdin.
// Lines alone (the common wc -l) are counted by scanning for 0x0A natively.
import { defineApplet, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import type { Reader } from "../lib/io.ts";
import { utf8Locale } from "../lib/text.ts";
import { eachInput } from "../lib/textio.ts";

const LINES = 0, WORDS = 1, CHARS = 2, BYTES = 3, LENGTH = 4;

type Counts = [lines: number, words: number, chars: number, bytes: number, length: number];

defineApplet({
  name: "wc",
  usage: "[-cmlwL] [FILE]...",
  summary: "Count lines, words, and bytes for FILEs (or stdin)",
  options: ["-c  Count bytes", "-m  Count characters", "-l  Count newlines", "-w  Count words", "-L  Print longest line length"],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    let want = [!!opts.l, !!opts.w, !!opts.m, !!opts.c, !!opts.L];
    if (!want.some(Boolean)) want = [true, true, false, true, false];
    const nWanted = want.filter(Boolean).length;
    let nameSuffix = (name: string) => ` ${name}\n`;
    if (files.length === 0) {
      files = ["-"];
      nameSuffix = () => "\n";
    }
    const bare = files.length === 1 && nWanted === 1;
    const totals: Counts = [0, 0, 0, 0, 0];
    const print = async (c: Counts, name: string) => {
      let s = "";
      for (let u = 0; u < 5; u++) {
        if (!want[u]) continue;
        s += s === "" ? (bare ? String(c[u]) : String(c[u]).padStart(9)) : " " + String(c[u]).padStart(9);
      }
      await ctx.stdout.write(Buffer.from(s + nameSuffix(name), "latin1"));
    };
    const status = await eachInput(ctx, files, async (input, file) => {
      const counts: Counts = [0, 0, 0, 0, 0];
      let failed = 0;
      try {
        await count(input, counts, want);
        // In the C locale a character is a byte.
        if (!utf8Locale(ctx.env)) counts[CHARS] = counts[BYTES];
      } catch (err) {
        await warn(ctx, `${file}: ${errorMessage(err)}`);
        failed = 1;
      }
      for (let u = 0; u < 4; u++) totals[u] += counts[u];
      totals[LENGTH] = Math.max(totals[LENGTH], counts[LENGTH]);
      await print(counts, file);
      return failed;
    });
    if (files.length > 1) await print(totals, "total");
    return status;
  },
});

async function count(input: Reader, c: Counts, want: boolean[]): Promise<void> {
  const needScan = want[WORDS] || want[LENGTH];
  if (!needScan) {
    // Lines, bytes, characters: no per-byte state machine needed.
    for await (const chunk of input.chunks()) {
      c[BYTES] += chunk.length;
      if (want[LINES]) c[LINES] += countNewlines(chunk);
      if (want[CHARS]) {
        let cont = 0;
        for (let i = 0; i < chunk.length; i++) if ((chunk[i] & 0xc0) === 0x80) cont++;
        c[CHARS] += chunk.length - cont;
      }
    }
    return;
  }
  const st: ScanState = { linepos: 0, inWord: 0, words: 0, lines: 0, longest: 0, chars: 0 };
  for await (const chunk of input.chunks()) {
    c[BYTES] += chunk.length;
    scan(chunk, st);
  }
  if (st.linepos > st.longest) st.longest = st.linepos;
  c[LINES] = st.lines;
  c[WORDS] = st.words + st.inWord;
  c[CHARS] = st.chars;
  c[LENGTH] = st.longest;
}

interface ScanState { linepos: number; inWord: number; words: number; lines: number; longest: number; chars: number }

// Byte classes: 0 other (no effect), 1 printable non-space, 2 space, 3 tab, 4 \n, 5 \r or \f, 6 \v.
const CLASS = new Uint8Array(256);
for (let ch = 0x21; ch < 0x7f; ch++) CLASS[ch] = 1;
CLASS[0x20] = 2;
CLASS[9] = 3;
CLASS[10] = 4;
CLASS[13] = CLASS[12] = 5;
CLASS[11] = 6;

/** The word/line/length state machine over one chunk (kept out of the async function for the JIT). */
function scan(chunk: Uint8Array, st: ScanState): void {
  let { linepos, inWord, words, lines, longest, chars } = st;
  const n = chunk.length;
  for (let i = 0; i < n; i++) {
    const ch = chunk[i];
    chars += (ch & 0xc0) !== 0x80 ? 1 : 0;
    const k = CLASS[ch];
    if (k === 1) {
      linepos++;
      inWord = 1;
      continue;
    }
    if (k === 0) continue;
    if (k === 2) linepos++;
    else if (k === 3) linepos = (linepos | 7) + 1;
    else {
      if (linepos > longest) longest = linepos;
      if (k === 4) lines++;
      if (k !== 6) linepos = 0;
    }
    words += inWord;
    inWord = 0;
  }
  st.linepos = linepos;
  st.inWord = inWord;
  st.words = words;
  st.lines = lines;
  st.longest = longest;
  st.chars = chars;
}

/** Newlines in a chunk: memchr-speed scanning through Buffer.indexOf. */
export function countNewlines(chunk: Uint8Array): number {
  const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
