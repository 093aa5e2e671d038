// grep, egrep, fgrep: BusyBox's grep (with its GNU-regex build: -z, leftmost-
// longest matches, lazy regex compilation), byte for byte.
//
// Speed: without context options, whole buffers of lines are searched at
// once, with one regex (or indexOf for fixed strings) that cannot match across
// line ends; lines are only cut out around the matches. With -A/-B/-C the
// input is read line by line, as BusyBox does it.
import * as fs from "node:fs";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { defineApplet, operandPath, usageText, type Applet, type Context } from "../lib/applet.ts";
import { LineReader, OutBuf, latin1, openChunks, type Input } from "../lib/bufio.ts";
import { parseSuffixed32 } from "../lib/numbers.ts";
import { compileOptions, optionOrder, parseOptions } from "../lib/options.ts";
import { anchoredRegex, longestMatch, parseRegex, type ParsedRegex } from "../lib/regex.ts";

const OPTIONS = [
  "-H  Add 'filename:' prefix",
  "-h  Do not add 'filename:' prefix",
  "-n  Add 'line_no:' prefix",
  "-l  Show only names of files that match",
  "-L  Show only names of files that don't match",
  "-c  Show only count of matching lines",
  "-o  Show only the matching part of line",
  "-q  Quiet. Return 0 if PATTERN is found, 1 otherwise",
  "-v  Select non-matching lines",
  "-s  Suppress open and read errors",
  "-r  Recurse",
  "-R  Recurse and dereference symlinks",
  "-i  Ignore case",
  "-w  Match whole words only",
  "-x  Match whole lines only",
  "-F  PATTERN is a literal (not regexp)",
  "-E  PATTERN is an extended regexp",
  "-z  NUL terminated input",
  "-m N  Match up to N times per file",
  "-A N  Print N lines of trailing context",
  "-B N  Print N lines of leading context",
  "-C N  Same as '-A N -B N'",
  "-e PTRN...  Pattern to match",
  "-f FILE...  Read pattern from file",
  "-a",
  "-I",
  "--color[=WHEN]",
];

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Quit the whole run (grep -q on the first match). */
class QuitSearch {
  constructor(readonly status: number) {}
}

// ---------------------------------------------------------------------------
// Patterns.

interface Pattern {
  text: string;
  /** Per-line regex (global, for searching from an index), compiled on first use as BusyBox does. */
  re?: RegExp;
  parsed?: ParsedRegex;
  anchored?: RegExp;
}

interface Found {
  found: boolean;
  /** The pattern that matched (for -o). */
  gl: Pattern | null;
  start: number;
  end: number;
}

class Matcher {
  readonly fixed: boolean;
  readonly icase: boolean;
  readonly extended: boolean;
  readonly w: boolean;
  readonly x: boolean;
  readonly zmode: boolean;

  constructor(
    readonly patterns: Pattern[],
    opts: { F: boolean; i: boolean; E: boolean; w: boolean; x: boolean; z: boolean },
  ) {
    this.fixed = opts.F;
    this.icase = opts.i;
    this.extended = opts.E;
    this.w = opts.w;
    this.x = opts.x;
    this.zmode = opts.z;
  }

  compile(p: Pattern): void {
    if (p.re) return;
    let parsed: ParsedRegex;
    try {
      parsed = parseRegex(p.text, { extended: this.extended, ignoreCase: this.icase, grep: true, global: true, multiline: this.zmode });
    } catch {
      throw new AppletError(`bad regex '${p.text}'`, 2);
    }
    p.parsed = parsed;
    p.re = new RegExp(parsed.source, parsed.flags);
    if (parsed.alternation) p.anchored = anchoredRegex(parsed);
  }

  /** re_search(line, from): the leftmost-longest match at or after `from`. */
  search(p: Pattern, line: string, from: number): [number, number] | null {
    const re = p.re!;
    re.lastIndex = from;
    const m = re.exec(line);
    if (!m) return null;
    const s = m.index;
    const e = p.anchored ? longestMatch(p.parsed!, p.anchored, line, s, m[0].length, line.length) : s + m[0].length;
    return [s, e];
  }

  /** strstr/strcasestr on the line as a C string (it ends at the first NUL). */
  private strstr(line: string, pat: string, from: number): number {
    const nul = line.indexOf("\0");
    const hay = nul >= 0 ? line.slice(0, nul) : line;
    if (!this.icase) return hay.indexOf(pat, from);
    return asciiLower(hay).indexOf(asciiLower(pat), from);
  }

  /** BusyBox's per-line test: does any pattern match this line (with -w/-x)? */
  test(line: string, invert: boolean): Found {
    let found = false;
    let gl: Pattern | null = null;
    let start = 0;
    let end = 0;
    for (const p of this.patterns) {
      gl = p;
      if (this.fixed) {
        const pat = p.text;
        let from = 0;
        for (;;) {
          const match = this.strstr(line, pat, from);
          if (match < 0) break;
          if (this.x) {
            if (match === from && (match + pat.length === line.length || line.charCodeAt(match + pat.length) === 0)) found = true;
            break;
          }
          if (this.w) {
            const before = match !== 0 ? line.charCodeAt(match - 1) : 32;
            if (!isWord(before)) {
              const after = match + pat.length < line.length ? line.charCodeAt(match + pat.length) : 0;
              if (after === 0 || !isWord(after)) {
                found = true;
                break;
              }
            }
            from = match + 1;
            continue;
          }
          found = true;
          break;
        }
      } else {
        this.compile(p);
        let startPos = 0;
        for (;;) {
          const r = this.search(p, line, startPos);
          if (!r) break;
          [start, end] = r;
          if (this.x) {
            found = start === 0 && (end === line.length || line.charCodeAt(end) === 0);
          } else if (!this.w) {
            found = true;
          } else {
            let c = 32;
            if (start !== 0) c = line.charCodeAt(start - 1);
            if (!isWord(c)) c = end < line.length ? line.charCodeAt(end) : 0;
            if (!isWord(c)) found = true;
            else if (end > startPos) {
              startPos = end;
              continue;
            }
          }
          break;
        }
      }
      if (found && !invert) break;
    }
    return { found, gl, start, end };
  }
}

function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

function escapeFixed(s: string, icase: boolean): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (icase && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) out += `[${ch.toUpperCase()}${ch.toLowerCase()}]`;
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) out += ch;
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Searching files.

interface GrepOpts {
  l: boolean;
  L: boolean;
  c: boolean;
  n: boolean;
  o: boolean;
  q: boolean;
  v: boolean;
  s: boolean;
  F: boolean;
  z: boolean;
  m: number; // -1: no limit
  before: number;
  after: number;
}

class Grep {
  printFilename = false;
  openErrors = false;
  // Context state, global across files as in BusyBox.
  didPrintLine = false;
  lastLinePrinted = 0;
  beforeBuf: (string | null)[];
  private nulTerm: string;
  /** Candidate finder over buffers of lines, when the patterns allow one. */
  private scan: ((text: string, from: number) => number) | null = null;
  private scanReady = false;

  constructor(
    readonly ctx: Context,
    readonly out: OutBuf,
    readonly m: Matcher,
    readonly o: GrepOpts,
  ) {
    this.beforeBuf = new Array(o.before).fill(null);
    this.nulTerm = o.z ? "\0" : "\n";
  }

  private printLine(curFile: string, line: string, linenum: number, deco: string): void {
    if (this.o.before || this.o.after) {
      if (linenum < 1) return;
      if (this.didPrintLine && this.lastLinePrinted !== linenum - 1) this.out.push("--\n");
      this.didPrintLine = true;
      this.lastLinePrinted = linenum;
    }
    if (this.printFilename) this.out.push(curFile + deco);
    if (this.o.n) this.out.push(`${linenum}${deco}`);
    if (!(this.o.o && this.o.v)) this.out.push(line + this.nulTerm);
  }

  /** -o: every match of the line, from the first one found. */
  private printMatches(curFile: string, line: string, linenum: number, f: Found): void {
    if (this.o.F) {
      if (f.found) this.printLine(curFile, f.gl!.text, linenum, ":");
      return;
    }
    const p = f.gl!;
    let { start, end } = f;
    for (;;) {
      const len = end - start;
      if (len !== 0) this.printLine(curFile, line.slice(start, end), linenum, ":");
      if (end >= line.length || line.charCodeAt(end) === 0) break;
      if (len === 0) end++;
      this.m.compile(p);
      const r = this.m.search(p, line, end);
      if (!r) break;
      [start, end] = r;
    }
  }

  /** grep_file() for one input; returns nmatches (or 1 for an early -l/-L exit). */
  async file(input: Input, curFile: string): Promise<number> {
    if (this.o.before || this.o.after || this.o.m === 0 || !this.canScan()) return this.fileByLines(input, curFile);
    const o = this.o;
    if (this.needle && !o.v && !o.o && !o.n && !this.m.w && !this.m.x && (o.c || o.q || o.l || o.L || !this.printFilename))
      return this.fileByBytes(input, curFile, this.needle);
    return this.fileByBlocks(input, curFile);
  }

  /** A single plain string to find (no -i): searched for in the raw bytes. */
  private needle: Buffer | null = null;

  /** The fastest path: a plain string, lines counted or copied out as bytes. */
  private async fileByBytes(input: Input, curFile: string, needle: Buffer): Promise<number> {
    const o = this.o;
    const sep = o.z ? 0 : 10;
    const listing = o.q || o.l || o.L;
    let nmatches = 0;
    let done = false;
    let carry: Buffer | null = null;
    const nulCuts = this.m.fixed && !o.z;
    const block = (buf: Buffer, end: number): void => {
      let pos = 0;
      while (pos < end) {
        const p = buf.indexOf(needle, pos);
        if (p < 0 || p >= end) return;
        const le = buf.indexOf(sep, p);
        if (nulCuts) {
          // strstr() sees the line only up to its first NUL.
          const z = buf.indexOf(0, pos);
          if (z >= 0 && z < p) {
            const ls = buf.lastIndexOf(sep, p - 1) + 1;
            if (z >= ls) {
              pos = le + 1;
              continue;
            }
          }
        }
        nmatches++;
        if (listing) {
          done = true;
          return;
        }
        if (!o.c) {
          const ls = p === 0 ? 0 : buf.lastIndexOf(sep, p - 1) + 1;
          this.out.pushBytes(buf.subarray(Math.max(ls, pos), le + 1));
        }
        pos = le + 1;
        if (o.m >= 0 && nmatches >= o.m) {
          done = true;
          return;
        }
      }
    };
    try {
      while (!done) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await input.chunks.next();
        } catch (err) {
          if ((err as any)?.code === "EISDIR") break;
          throw err;
        }
        if (r.done) break;
        const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
        const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
        const cut = buf.lastIndexOf(sep);
        if (cut < 0) {
          carry = Buffer.from(buf);
          continue;
        }
        block(buf, cut + 1);
        carry = cut + 1 < buf.length ? Buffer.from(buf.subarray(cut + 1)) : null;
        if (this.out.full) await this.out.flush();
      }
      if (!done && carry) block(Buffer.concat([carry, Buffer.of(sep)]), carry.length + 1);
    } finally {
      input.close();
    }
    return this.finishFile(curFile, nmatches, done && (o.l || o.L || o.q) && nmatches > 0);
  }

  /** Whether buffers can be searched at once: every pattern compiles (errors must come at the right line). */
  private canScan(): boolean {
    if (this.scanReady) return this.scan !== null;
    this.scanReady = true;
    const sep = this.o.z ? "\0" : "\n";
    // A pattern holding the line separator can match no line.
    const pats = this.m.fixed ? this.m.patterns.filter((p) => !p.text.includes(sep)) : this.m.patterns;
    if (pats.length === 0) {
      this.scan = () => -1;
      return true;
    }
    if (this.m.fixed && !this.m.icase && pats.length > 1) {
      // indexOf for each string, remembering where each was next found.
      const strs = pats.map((p) => p.text);
      const next = new Array<number>(strs.length).fill(-1);
      let cur: string | null = null;
      this.scan = (text, from) => {
        if (text !== cur) {
          cur = text;
          next.fill(-2);
        }
        let best = -1;
        for (let i = 0; i < strs.length; i++) {
          let at = next[i];
          if (at === -2 || (at >= 0 && at < from)) at = next[i] = text.indexOf(strs[i], from);
          if (at >= 0 && (best < 0 || at < best)) best = at;
        }
        return best;
      };
      return true;
    }
    if (this.m.fixed) {
      if (this.m.icase || pats.length > 1) {
        const re = new RegExp(pats.map((p) => escapeFixed(p.text, this.m.icase)).join("|") || "(?:)", "g");
        this.scan = (text, from) => {
          re.lastIndex = from;
          const r = re.exec(text);
          return r ? r.index : -1;
        };
      } else {
        const pat = pats[0].text;
        this.scan = (text, from) => text.indexOf(pat, from);
        if (pat !== "" && !pat.includes("\0")) this.needle = Buffer.from(pat, "latin1");
      }
      return true;
    }
    const parsed: ParsedRegex[] = [];
    for (const p of pats) {
      try {
        parsed.push(parseRegex(p.text, { extended: this.m.extended, ignoreCase: this.m.icase, grep: true, global: true, separators: sep, multiline: this.o.z }));
      } catch {
        return false;
      }
    }
    if (parsed.length === 1 && parsed[0].literal !== null && !this.m.icase && !parsed[0].literal.includes(sep)) {
      const lit = parsed[0].literal;
      this.scan = (text, from) => text.indexOf(lit, from);
      if (lit !== "" && !lit.includes("\0")) this.needle = Buffer.from(lit, "latin1");
      return true;
    }
    const scanners: RegExp[] = [];
    if (parsed.length > 1 && parsed.some((p) => p.backrefs)) for (const p of parsed) scanners.push(new RegExp(p.source, p.flags));
    else scanners.push(new RegExp(parsed.map((p) => (parsed.length > 1 ? `(?:${p.source})` : p.source)).join("|"), parsed[0].flags));
    if (scanners.length === 1) {
      const re = scanners[0];
      this.scan = (text, from) => {
        re.lastIndex = from;
        const r = re.exec(text);
        return r ? r.index : -1;
      };
    } else {
      this.scan = (text, from) => {
        let best = -1;
        for (const re of scanners) {
          re.lastIndex = from;
          const r = re.exec(text);
          if (r && (best < 0 || r.index < best)) best = r.index;
        }
        return best;
      };
    }
    return true;
  }

  /** Buffers of whole lines at once (no context lines wanted). */
  private async fileByBlocks(input: Input, curFile: string): Promise<number> {
    const o = this.o;
    const sep = o.z ? "\0" : "\n";
    const scan = this.scan!;
    const out = this.out;
    const invert = o.v;
    const listing = o.q || o.l || o.L;
    const simplePrint = !o.c && !listing && !o.o && !o.n && !this.printFilename;
    let linenum = 0;
    let nmatches = 0;
    let carry = "";
    let done = false;
    const needLineNumbers = o.n;
    const needVerify = this.m.w || this.m.x || o.o;

    // Lines [a, b) of text that did not match: selected with -v.
    const nonMatching = (text: string, a: number, b: number): void => {
      if (a >= b) return;
      if (!invert) {
        if (needLineNumbers) linenum += countOf(text, sep, a, b);
        return;
      }
      if (listing) {
        nmatches++;
        done = true;
        return;
      }
      if (o.m >= 0 || o.c || !simplePrint) {
        let pos = a;
        while (pos < b) {
          const e = text.indexOf(sep, pos);
          linenum++;
          nmatches++;
          if (!o.c) this.printLine(curFile, text.slice(pos, e), linenum, ":");
          pos = e + 1;
          if (o.m >= 0 && nmatches >= o.m) {
            done = true;
            return;
          }
        }
        return;
      }
      // Plain -v output: the lines as they are.
      nmatches += countOf(text, sep, a, b);
      out.push(sep === "\n" ? text.slice(a, b) : text.slice(a, b));
    };

    const block = (text: string): void => {
      let pos = 0;
      const len = text.length;
      while (pos < len && !done) {
        const cand = scan(text, pos);
        let ls: number;
        if (cand < 0) ls = len;
        else if (cand === 0) ls = 0;
        else ls = Math.max(pos, text.lastIndexOf(sep, cand - 1) + 1);
        nonMatching(text, pos, ls);
        if (cand < 0 || done) return;
        const le = text.indexOf(sep, cand);
        const line = text.slice(ls, le);
        let f: Found | null = null;
        let found = true;
        if (needVerify || (this.m.fixed && line.includes("\0"))) {
          f = this.m.test(line, invert);
          found = f.found;
        }
        if (found === invert) {
          // Not selected.
          if (invert) linenum++;
          else nonMatching(text, ls, le + 1);
          pos = le + 1;
          continue;
        }
        linenum++;
        nmatches++;
        if (listing) {
          done = true;
          return;
        }
        if (!o.c) {
          if (o.o) this.printMatches(curFile, line, linenum, f ?? this.m.test(line, invert));
          else if (simplePrint) out.push(line + sep);
          else this.printLine(curFile, line, linenum, ":");
        }
        pos = le + 1;
        if (o.m >= 0 && nmatches >= o.m) done = true;
      }
    };

    try {
      while (!done) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await input.chunks.next();
        } catch (err) {
          if ((err as any)?.code === "EISDIR") break;
          throw err;
        }
        if (r.done) break;
        const text = carry + latin1(r.value);
        const cut = text.lastIndexOf(sep);
        if (cut < 0) {
          carry = text;
          continue;
        }
        if (cut === text.length - 1) {
          carry = "";
          block(text);
        } else {
          carry = text.slice(cut + 1);
          block(text.slice(0, cut + 1));
        }
        if (out.full) await out.flush();
      }
      if (!done && carry) block(carry + sep);
    } finally {
      input.close();
    }
    return this.finishFile(curFile, nmatches, done && (o.l || o.L || o.q) && nmatches > 0);
  }

  /** After a file: -q, -l, -L, -c output; the return value of grep_file(). */
  private finishFile(curFile: string, nmatches: number, earlyExit: boolean): number {
    const o = this.o;
    if (earlyExit) {
      if (o.q) throw new QuitSearch(0);
      if (o.l) this.out.push(curFile + "\n");
      return o.L ? 0 : 1;
    }
    if (o.c) {
      if (this.printFilename) this.out.push(curFile + ":");
      this.out.push(`${nmatches}\n`);
    }
    if (o.L) {
      // The exit status of -L counts the files listed.
      this.out.push(curFile + "\n");
      return 1;
    }
    return nmatches;
  }

  /** BusyBox's grep_file(), line by line (context lines, or patterns that must compile lazily). */
  private async fileByLines(input: Input, curFile: string): Promise<number> {
    const o = this.o;
    const reader = new LineReader(input.chunks, false, o.z ? "\0" : "\n");
    let linenum = 0;
    let nmatches = 0;
    let printAfter = 0;
    let curpos = 0;
    const lb = o.before;
    const bb = this.beforeBuf;
    try {
      for (;;) {
        let line = reader.take();
        if (line === undefined) {
          try {
            await reader.fill();
          } catch (err) {
            if ((err as any)?.code === "EISDIR") break;
            throw err;
          }
          if (this.out.full) await this.out.flush();
          continue;
        }
        if (line === null) break;
        linenum++;
        const f = this.m.test(line, o.v);
        if (f.found !== o.v) {
          nmatches++;
          if (o.q || o.l || o.L) {
            if (o.q) throw new QuitSearch(0);
            if (o.l) this.out.push(curFile + "\n");
            return o.L ? 0 : 1;
          }
          if (o.m >= 0 && nmatches > o.m) break;
          if (!o.c) {
            const prevpos = curpos === 0 ? lb - 1 : curpos - 1;
            if (lb && bb[prevpos] !== null) {
              let first = linenum - lb;
              let idx = curpos;
              while (bb[idx] === null) {
                idx = (idx + 1) % lb;
                first++;
              }
              while (bb[idx] !== null) {
                this.printLine(curFile, bb[idx]!, first, "-");
                bb[idx] = null;
                idx = (idx + 1) % lb;
                first++;
              }
            }
            printAfter = o.after;
            if (o.o) this.printMatches(curFile, line, linenum, f);
            else this.printLine(curFile, line, linenum, ":");
          }
        } else {
          if (printAfter) {
            this.printLine(curFile, line, linenum, "-");
            printAfter--;
          } else if (lb) {
            bb[curpos] = line;
            curpos = (curpos + 1) % lb;
          }
        }
        if (o.m >= 0 && !printAfter && nmatches === o.m) break;
      }
    } finally {
      input.close();
    }
    return this.finishFile(curFile, nmatches, false);
  }
}

function countOf(text: string, sep: string, a: number, b: number): number {
  let n = 0;
  for (let i = text.indexOf(sep, a); i >= 0 && i < b; i = text.indexOf(sep, i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------

const SPEC = compileOptions(OPTIONS);

function count(s: string, flag: string): number {
  return s === undefined ? -1 : parseCount(s, flag);
}

function parseCount(s: string, _flag: string): number {
  try {
    return Number(parseSuffixed32(s, [], 0n, 2147483647n));
  } catch (err) {
    throw new AppletError((err as Error).message, 2);
  }
}

async function run(applet: Applet, ctx: Context, args: string[]): Promise<number> {
  if (args[0] === "--help") {
    await ctx.stdout.write(usageText(applet));
    return 0;
  }
  let opts: Record<string, any>;
  let operands: string[];
  try {
    ({ opts, operands } = parseOptions(SPEC, args));
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(err.message, 2);
    throw err;
  }
  const name = (ctx.argv[0] ?? "grep").replace(/^.*\//, "");
  const F = !!opts.F || name.startsWith("f");
  const E = !!opts.E || name.startsWith("e");
  const m = count(opts.m, "m");
  let after = count(opts.A, "A");
  let before = count(opts.B, "B");
  // getopt32's "H-h:C-AB": a later -H cancels -h, a later -C cancels -A and -B.
  const order = optionOrder(opts);
  const last = (k: string) => order.lastIndexOf(k);
  if (opts.C !== undefined) {
    const c = parseCount(opts.C, "C");
    if (last("A") < last("C")) after = c;
    if (last("B") < last("C")) before = c;
  }
  if (after < 0) after = 0;
  if (before < 0) before = 0;
  let n = !!opts.n;
  if (opts.c || opts.q || opts.l || opts.L) {
    n = false;
    before = 0;
    after = 0;
  }
  let invert = !!opts.v;
  // Patterns: BusyBox prepends each one (a pattern with newlines is several) to
  // its list, -e ones first, then the lines of -f files: the last is tried first.
  const seq: string[] = [];
  for (const e of opts.e as string[]) seq.push(...binaryString(e).split("\n"));
  for (const file of opts.f as string[]) {
    let data: string;
    try {
      data = file === "-" ? await readStdin(ctx) : fs.readFileSync(operandPath(ctx, file), "latin1");
    } catch (err) {
      throw new AppletError(`${file}: ${errorMessage(err)}`, 2);
    }
    const lines = data.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    seq.push(...lines);
  }
  if (seq.length === 0 && (opts.f as string[]).length) {
    seq.push("");
    invert = !invert;
  }
  if (seq.length === 0) {
    if (operands.length === 0) throw new UsageError("", 2);
    seq.push(...binaryString(operands.shift()!).split("\n"));
  }
  const texts = seq.reverse();
  const matcher = new Matcher(
    texts.map((text) => ({ text })),
    { F, i: !!opts.i, E, w: !!opts.w, x: !!opts.x, z: !!opts.z },
  );
  const out = new OutBuf(ctx.stdout);
  const g = new Grep(ctx, out, matcher, {
    l: !!opts.l, L: !!opts.L, c: !!opts.c, n, o: !!opts.o, q: !!opts.q, v: invert, s: !!opts.s, F, z: !!opts.z, m, before, after,
  });
  if (operands.length >= 2) g.printFilename = true;
  if (opts.H) g.printFilename = true;
  if (opts.h && last("h") > last("H")) g.printFilename = false;
  const recurse = opts.r || opts.R;
  let matched = 0;
  try {
    const files = operands.length ? operands : ["-"];
    for (const file of files) {
      if (file === "-") {
        matched += await g.file(openChunks(ctx, "-"), "(standard input)");
        continue;
      }
      if (recurse) {
        let st: fs.Stats | undefined;
        try {
          st = fs.statSync(operandPath(ctx, file));
        } catch {
          st = undefined;
        }
        if (st?.isDirectory()) {
          if (!opts.h) g.printFilename = true;
          matched += await grepDir(ctx, g, file, !!opts.R, 0, !!opts.s);
          continue;
        }
      }
      matched += await grepPath(ctx, g, file, !!opts.s);
    }
  } catch (err) {
    if (err instanceof QuitSearch) {
      await out.flush();
      return err.status;
    }
    await out.flush();
    throw err;
  }
  await out.flush();
  if (g.openErrors) return 2;
  return matched ? 0 : 1;
}

async function grepPath(ctx: Context, g: Grep, file: string, quiet: boolean): Promise<number> {
  let input: Input;
  try {
    input = openChunks(ctx, file);
  } catch (err) {
    if (!quiet) {
      await g.out.flush();
      await ctx.stderr.write(`grep: ${file}: ${errorMessage(err)}\n`);
    }
    g.openErrors = true;
    return 0;
  }
  return g.file(input, file);
}

/** recursive_action() with BusyBox's flags: directory order as the kernel gives it. */
async function grepDir(ctx: Context, g: Grep, file: string, follow: boolean, depth: number, quiet: boolean): Promise<number> {
  const full = operandPath(ctx, file);
  let st: fs.Stats;
  try {
    st = depth === 0 || follow ? fs.statSync(full) : fs.lstatSync(full);
  } catch (err) {
    await g.out.flush();
    await ctx.stderr.write(`grep: ${file}: ${errorMessage(err)}\n`);
    return 0;
  }
  if (st.isSymbolicLink()) {
    // A link met while recursing without -R: one to a directory is skipped, a
    // dangling one is reported (unless -s) without making the status 2, as BusyBox does.
    let target: fs.Stats;
    try {
      target = fs.statSync(full);
    } catch (err) {
      if (!quiet) {
        await g.out.flush();
        await ctx.stderr.write(`grep: ${file}: ${errorMessage(err)}\n`);
      }
      return 0;
    }
    if (target.isDirectory()) return 0;
  }
  if (!st.isDirectory()) return grepPath(ctx, g, file, quiet);
  let names: string[];
  try {
    names = fs.readdirSync(full);
  } catch (err) {
    await g.out.flush();
    await ctx.stderr.write(`grep: ${file}: ${errorMessage(err)}\n`);
    return 0;
  }
  let matched = 0;
  for (const n of names) {
    const sub = file.endsWith("/") ? file + n : `${file}/${n}`;
    matched += await grepDir(ctx, g, sub, follow, depth + 1, quiet);
  }
  return matched;
}

function binaryString(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, "utf8").toString("latin1");
}

async function readStdin(ctx: Context): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of ctx.stdin.chunks()) parts.push(c);
  return Buffer.concat(parts).toString("latin1");
}

for (const name of ["grep", "egrep", "fgrep"]) {
  const applet: Applet = defineApplet({
    name,
    usage: "[-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...",
    summary: "Search for PATTERN in FILEs (or stdin)",
    options: OPTIONS,
    rawArgs: true,
    run: (ctx, _opts, args) => run(applet, ctx, args),
  });
}
