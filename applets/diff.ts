// diff: unified diffs, as BusyBox makes them. Lines are hashed (after -b -w
// -i folding), the common head and tail are set aside, and the rest is
// matched with the Hunt-McIlroy/Stone longest-common-subsequence method of
// BSD diff (candidate k-chains found by binary search, with BusyBox's cap on
// tries per line unless -d): the same choices BusyBox makes, in memory
// proportional to the input. Matches are then checked byte by byte (a hash
// collision is not a match) and changes closer than 2*U+1 lines share a hunk.
// Directories are compared entry by entry, recursively with -r.
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { parsePositiveInt } from "../lib/numbers.ts";
import { readAll } from "../lib/text.ts";
import { OutBuf } from "../lib/bufio.ts";
import type { Options } from "../lib/options.ts";

const SAME = 0, DIFFER = 1, BINARY = 2;

interface Flags {
  b: boolean; w: boolean; i: boolean; B: boolean; t: boolean; T: boolean;
  a: boolean; q: boolean; s: boolean; N: boolean; r: boolean; d: boolean;
  context: number;
  labels: [string | undefined, string | undefined];
}

/** A file's bytes and where its lines end (ix[k] is one past line k; ix[0] = 0). */
interface Text {
  buf: Buffer;
  ix: Float64Array;
  n: number;
}

const EOF_TOKEN = 0x1ff;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * A line as read_token() sees it: its bytes, its "\n" (or an end-of-file
 * token when it has none), lower-cased with -i, blanks dropped with -w or
 * squeezed to one " " with -b.
 */
function tokens(t: Text, k: number, f: Flags): number[] {
  const out: number[] = [];
  const start = t.ix[k - 1];
  const end = t.ix[k];
  let space = false;
  for (let p = start; p < end; p++) {
    let c = p < t.buf.length ? t.buf[p] : -1;
    const blank = c === -1 || isSpace(c);
    if (f.i && c >= 65 && c <= 90) c += 32;
    if (f.w && blank) continue;
    c &= EOF_TOKEN;
    if (f.b) {
      if (space) {
        if (blank) continue;
        space = false;
      } else if (blank) {
        c = 32;
        space = true;
      }
    }
    out.push(c);
  }
  return out;
}

function lineHash(t: Text, k: number, f: Flags, plain: boolean): number {
  let h = 0;
  if (plain) {
    const end = t.ix[k];
    for (let p = t.ix[k - 1]; p < end; p++) h = (Math.imul(h, 127) + (p < t.buf.length ? t.buf[p] : EOF_TOKEN)) >>> 0;
  } else for (const c of tokens(t, k, f)) h = (Math.imul(h, 127) + c) >>> 0;
  return h & 0x7fffffff;
}

function sameLine(a: Text, i: number, b: Text, j: number, f: Flags): boolean {
  if (!f.b && !f.w && !f.i) {
    // Plain lines match when their bytes (and end: "\n" or end of file) do.
    const s0 = a.ix[i - 1], e0 = a.ix[i], s1 = b.ix[j - 1], e1 = b.ix[j];
    if (e0 - s0 !== e1 - s1 || (e0 > a.buf.length) !== (e1 > b.buf.length)) return false;
    return a.buf.compare(b.buf, s1, Math.min(e1, b.buf.length), s0, Math.min(e0, a.buf.length)) === 0;
  }
  const x = tokens(a, i, f);
  const y = tokens(b, j, f);
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

function splitLines(buf: Buffer): Text {
  let n = 0;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) n++;
  const last = n ? buf.lastIndexOf(10) + 1 : 0;
  const partial = buf.length > last;
  const ix = new Float64Array(n + (partial ? 1 : 0) + 2);
  let k = 0;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) ix[++k] = p + 1;
  // A last line without "\n" ends with the end-of-file token: one past the data.
  if (partial) ix[++k] = buf.length + 1;
  return { buf, ix, n: k };
}

/** The Stone/BSD matching: J[i] is the line of file 1 that line i of file 0 matches, or 0. */
function match(t0: Text, t1: Text, f: Flags): Int32Array {
  const plain = !f.b && !f.w && !f.i;
  const n0 = t0.n, n1 = t1.n;
  const h0 = new Int32Array(n0 + 2), h1 = new Int32Array(n1 + 2);
  for (let k = 1; k <= n0; k++) h0[k] = lineHash(t0, k, f, plain);
  for (let k = 1; k <= n1; k++) h1[k] = lineHash(t1, k, f, plain);
  let pref = 0;
  while (pref < n0 && pref < n1 && h0[pref + 1] === h1[pref + 1]) pref++;
  let suff = 0;
  while (suff < n0 - pref && suff < n1 - pref && h0[n0 - suff] === h1[n1 - suff]) suff++;
  const s0 = n0 - pref - suff, s1 = n1 - pref - suff;
  // Lines of the middle parts sorted by (hash, position).
  const sorted = (h: Int32Array, len: number) => {
    const idx = new Int32Array(len + 2);
    for (let k = 1; k <= len; k++) idx[k] = k;
    const body = idx.subarray(1, len + 1);
    body.sort((x, y) => h[pref + x] - h[pref + y] || x - y);
    return idx;
  };
  const a = sorted(h0, s0), b = sorted(h1, s1);
  const av = (k: number) => h0[pref + a[k]];
  const bv = (k: number) => h1[pref + b[k]];
  // equiv(): each middle line of file 0 gets the first index of its class in b; member[] lists the classes.
  const cls0 = new Int32Array(s0 + 2);
  let i = 1, j = 1;
  while (i <= s0 && j <= s1) {
    if (av(i) < bv(j)) cls0[i++] = 0;
    else if (av(i) === bv(j)) cls0[i++] = j;
    else j++;
  }
  while (i <= s0) cls0[i++] = 0;
  const member = new Int32Array(s1 + 2);
  j = 0;
  while (++j <= s1) {
    member[j] = -b[j];
    while (j + 1 <= s1 && bv(j + 1) === bv(j)) {
      j++;
      member[j] = b[j];
    }
  }
  member[j] = -1;
  // unsort(): classes back in file order.
  const cls = new Int32Array(s0 + 2);
  for (let k = 1; k <= s0; k++) cls[a[k]] = cls0[k];

  const J = new Int32Array(n0 + 2);
  const delta = n1 - n0;
  for (let k = 0; k <= n0; k++) J[k] = k <= pref ? k : k > n0 - suff ? k + delta : 0;
  stone(cls, s0, member, J, pref, f.d);
  J[n0 + 1] = n1 + 1;

  // Confirm each match byte by byte (as BusyBox does, a line after a run is passed over).
  for (let i = 1; i <= n0; i++) {
    if (!J[i]) continue;
    for (let j = J[i]; i <= n0 && J[i] === j; i++, j++) {
      if (!sameLine(t0, i, t1, j, f)) J[i] = 0;
    }
  }
  return J;
}

function stone(a: Int32Array, n: number, b: Int32Array, J: Int32Array, pref: number, minimal: boolean): void {
  const bound = minimal ? Infinity : Math.max(256, Math.floor(Math.sqrt(n)));
  // Candidates: (x, y, pred) in parallel growable arrays; candidate 0 is the sentinel.
  let cap = 1024;
  let cx = new Int32Array(cap), cy = new Int32Array(cap), cp = new Int32Array(cap);
  let clen = 1;
  const klist = new Int32Array(n + 2);
  let k = 0;
  const search = (y: number) => {
    if (cy[klist[k]] < y) return k + 1;
    let lo = 0, hi = k + 1;
    for (;;) {
      const l = (lo + hi) >> 1;
      if (l <= lo) return l + 1;
      const t = cy[klist[l]];
      if (t > y) hi = l;
      else if (t < y) lo = l;
      else return l;
    }
  };
  for (let x = 1; x <= n; x++) {
    let j = a[x];
    if (j === 0) continue;
    let y = -b[j];
    let pred = klist[0];
    let oldl = 0;
    let tries = 0;
    do {
      if (y <= cy[pred]) continue;
      const l = search(y);
      if (l !== oldl + 1) pred = klist[l - 1];
      if (l <= k && cy[klist[l]] <= y) continue;
      if (clen === cap) {
        cap *= 2;
        const grow = (o: Int32Array) => {
          const g = new Int32Array(cap);
          g.set(o);
          return g;
        };
        cx = grow(cx);
        cy = grow(cy);
        cp = grow(cp);
      }
      cx[clen] = x;
      cy[clen] = y;
      cp[clen] = pred;
      const tc = klist[l];
      klist[l] = clen++;
      if (l <= k) {
        pred = tc;
        oldl = l;
        tries++;
      } else {
        k++;
        break;
      }
    } while ((y = b[++j]) > 0 && tries < bound);
  }
  for (let q = klist[k]; cy[q]; q = cp[q]) J[cx[q] + pref] = cy[q] + pref;
}

class Differ {
  out: OutBuf;
  status = 0;
  constructor(private ctx: Context, private f: Flags) {
    this.out = new OutBuf(ctx.stdout);
  }

  /** A file's contents ("-" is stdin; with -N a missing file is empty). */
  private async load(name: string): Promise<Buffer | undefined> {
    if (name === "-") return readAll(this.ctx.stdin);
    try {
      return fs.readFileSync(resolvePath(this.ctx, name));
    } catch (err) {
      if (this.f.N && (err as any)?.code === "ENOENT") return Buffer.alloc(0);
      await this.out.flush();
      await warn(this.ctx, `can't open '${name}': ${errorMessage(err)}`);
      return undefined;
    }
  }

  /** diffreg(): one pair of files. */
  async files(names: [string, string], shown: [string, string] = names): Promise<number> {
    const b0 = await this.load(names[0]);
    if (!b0) return SAME;
    const b1 = names[1] === "-" && names[0] === "-" ? b0 : await this.load(names[1]);
    if (!b1) return SAME;
    const min = Math.min(b0.length, b1.length);
    const differ = b0.length !== b1.length || !b0.equals(b1);
    let status = SAME;
    if (differ) {
      // Binary: a NUL in either file within the length they share.
      const binary = b0.subarray(0, min).includes(0) || b1.subarray(0, min).includes(0);
      if (binary && !this.f.a) status = BINARY;
      else if (await this.unified(splitLines(b0), splitLines(b1), names)) status = DIFFER;
    }
    if (status !== SAME) this.status |= 1;
    this.report(status, shown);
    return status;
  }

  report(status: number, names: [string, string]): void {
    if (status === BINARY || (status === DIFFER && this.f.q)) this.out.push(`Files ${names[0]} and ${names[1]} differ\n`);
    else if (status === SAME && this.f.s) this.out.push(`Files ${names[0]} and ${names[1]} are identical\n`);
  }

  /** The hunks; whether there were any changes. */
  private async unified(t0: Text, t1: Text, names: [string, string]): Promise<boolean> {
    const f = this.f;
    const J = match(t0, t1, f);
    const n0 = t0.n, n1 = t1.n;
    const U = f.context;
    let any = false;
    let i = 1;
    type Vec = [number, number, number, number]; // a0 b0 a1 b1
    do {
      const vec: Vec[] = [];
      let nonempty = false;
      for (;;) {
        let a0 = i;
        while (a0 <= n0 && J[a0] === J[a0 - 1] + 1) a0++;
        const a1 = J[a0 - 1] + 1;
        let b0 = a0 - 1;
        while (b0 < n0 && !J[b0 + 1]) b0++;
        const b1 = J[b0 + 1] - 1;
        if (a0 <= b0 || a1 <= b1) {
          const ct = 2 * U + 1;
          const last = vec[vec.length - 1];
          if (last && a0 > last[1] + ct && a1 > last[3] + ct) break;
          for (let k = a0; k <= b0; k++) nonempty ||= t0.ix[k] - t0.ix[k - 1] !== 1;
          for (let k = a1; k <= b1; k++) nonempty ||= t1.ix[k] - t1.ix[k - 1] !== 1;
          vec.push([a0, b0, a1, b1]);
        }
        i = b0 + 1;
        if (i > n0) break;
        J[b0] = b1;
      }
      if (vec.length === 0 || (f.B && !nonempty)) continue;
      if (!f.q) {
        const out = this.out;
        if (!any) {
          out.push(`--- ${f.labels[0] ?? names[0]}\n`);
          out.push(`+++ ${f.labels[1] ?? names[1]}\n`);
        }
        const first = vec[0], lastv = vec[vec.length - 1];
        const s0 = Math.max(1, first[0] - U), e0 = Math.min(n0, lastv[1] + U);
        const s1 = Math.max(1, first[2] - U), e1 = Math.min(n1, lastv[3] + U);
        const range = (a: number, b: number) => `${Math.min(a, b)}${a === b ? "" : `,${a < b ? b - a + 1 : 0}`}`;
        out.push(`@@ -${range(s0, e0)} +${range(s1, e1)} @@\n`);
        let low = s0;
        for (let c = 0; ; c++) {
          const end = c >= vec.length;
          this.fetch(t0, low, end ? e0 : vec[c][0] - 1, " ");
          if (end) break;
          this.fetch(t0, vec[c][0], vec[c][1], "-");
          this.fetch(t1, vec[c][2], vec[c][3], "+");
          low = vec[c][1] + 1;
        }
        await out.maybeFlush();
      }
      any = true;
    } while (i <= n0);
    return any;
  }

  private fetch(t: Text, a: number, b: number, mark: string): void {
    const out = this.out;
    for (let k = a; k <= b; k++) {
      out.push(this.f.T ? mark + "\t" : mark);
      const start = t.ix[k - 1];
      const end = t.ix[k];
      const eof = end > t.buf.length;
      const stop = eof ? t.buf.length : end;
      if (this.f.t) {
        let s = "";
        let col = 0;
        for (let p = start; p < stop; p++) {
          const c = t.buf[p];
          if (c === 9) do s += " "; while (++col & 7);
          else {
            s += String.fromCharCode(c);
            col++;
          }
        }
        out.push(s);
      } else out.pushBytes(t.buf.subarray(start, stop));
      if (eof) out.push("\n\\ No newline at end of file\n");
    }
  }

  /** diffdir(): two directories, entry by entry. */
  async dirs(p: [string, string], start?: string): Promise<void> {
    const lists = [this.list(p[0], p[1]), this.list(p[1], p[0])];
    const pos = [0, 0];
    if (start !== undefined) for (const k of [0, 1]) while (pos[k] < lists[k].length && lists[k][pos[k]] < start) pos[k]++;
    for (;;) {
      const d0 = lists[0][pos[0]], d1 = lists[1][pos[1]];
      if (d0 === undefined && d1 === undefined) break;
      const cmp = d0 === undefined ? 1 : d1 === undefined ? -1 : d0 < d1 ? -1 : d0 > d1 ? 1 : 0;
      const k = cmp > 0 ? 1 : 0;
      if (cmp && !this.f.N) {
        this.out.push(`Only in ${p[k]}: ${cmp > 0 ? d1 : d0}\n`);
        this.status |= 1;
      } else {
        const rel = cmp > 0 ? d1 : d0;
        const full: [string, string] = [join(p[0], rel), join(p[1], rel)];
        const paths: [string, string] = [...full];
        const st: (fs.Stats | undefined)[] = [statOf(this.ctx, full[0]), statOf(this.ctx, full[1])];
        if (cmp) {
          // -N: the missing side is /dev/null, of the same kind as the other.
          const missing = cmp > 0 ? 0 : 1;
          paths[missing] = "/dev/null";
          st[missing] = st[1 - missing];
        }
        const isDir = (s?: fs.Stats) => !!s?.isDirectory();
        const isReg = (s?: fs.Stats) => !!s?.isFile();
        if (isDir(st[0]) && isDir(st[1])) this.out.push(`Common subdirectories: ${full[0]} and ${full[1]}\n`);
        else if (!isReg(st[0]) && !isDir(st[0])) this.out.push(`File ${full[0]} is not a regular file or directory and was skipped\n`);
        else if (!isReg(st[1]) && !isDir(st[1])) this.out.push(`File ${full[1]} is not a regular file or directory and was skipped\n`);
        else if (isDir(st[0]) !== isDir(st[1])) {
          const kind = (s?: fs.Stats) => (isDir(s) ? "directory" : "regular file");
          this.out.push(`File ${full[0]} is a ${kind(st[0])} while file ${full[1]} is a ${kind(st[1])}\n`);
        } else await this.files(paths, full);
      }
      if (cmp <= 0) pos[0]++;
      if (cmp >= 0) pos[1]++;
      await this.out.maybeFlush();
    }
  }

  /** Entries under root, relative and sorted; subdirectories only with -r. */
  private list(root: string, other: string): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
      const dir = rel ? join(root, rel) : root;
      let names: string[];
      try {
        names = fs.readdirSync(resolvePath(this.ctx, dir));
      } catch {
        return;
      }
      for (const name of names) {
        const r = rel ? `${rel}/${name}` : name;
        const st = statOf(this.ctx, join(root, r));
        if (st?.isDirectory()) {
          if (!this.f.r) out.push(r);
          else if (!this.f.N && !statOf(this.ctx, join(other, r))?.isDirectory()) {
            // Not on the other side: reported, not entered (POSIX: "Only in"; BusyBox forgets it).
            out.push(r);
          } else walk(r);
        } else out.push(r);
      }
    };
    walk("");
    return out.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  }
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

function statOf(ctx: Context, p: string): fs.Stats | undefined {
  try {
    return fs.statSync(resolvePath(ctx, p));
  } catch {
    return undefined;
  }
}

defineApplet({
  name: "diff",
  usage: "[-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2",
  summary: "Compare files line by line and output the differences between them.\nThis implementation supports unified diffs only.",
  options: [
    "-a, --text  Treat all files as text",
    "-b, --ignore-space-change  Ignore changes in the amount of whitespace",
    "-B, --ignore-blank-lines  Ignore changes whose lines are all blank",
    "-d, --minimal  Try hard to find a smaller set of changes",
    "-i, --ignore-case  Ignore case differences",
    "-L LABEL..., --label=LABEL...  Use LABEL instead of the filename in the unified header",
    "-N, --new-file  Treat absent files as empty",
    "-q, --brief  Output only whether files differ",
    "-r, --recursive  Recurse",
    "-S FILE, --starting-file=FILE  Start with FILE when comparing directories",
    "-T, --initial-tab  Make tabs line up by prefixing a tab when necessary",
    "-s, --report-identical-files  Report when two files are the same",
    "-t, --expand-tabs  Expand tabs to spaces in output",
    "-U LINES, --unified=LINES  Output LINES lines of context",
    "-w, --ignore-all-space  Ignore all whitespace",
    "-u",
    "-p, --show-c-function",
    "-E, --ignore-tab-expansion",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    if (operands.length !== 2) throw new UsageError();
    const f = flagsOf(opts);
    const d = new Differ(ctx, f);
    try {
      await compare(ctx, d, f, operands as [string, string], opts.S);
    } finally {
      await d.out.flush();
    }
    return d.status;
  },
});

function flagsOf(opts: Options): Flags {
  const labels: [string | undefined, string | undefined] = [undefined, undefined];
  for (const l of opts.L as string[]) labels[labels[0] === undefined ? 0 : 1] = l;
  return {
    b: !!opts.b, w: !!opts.w, i: !!opts.i, B: !!opts.B, t: !!opts.t, T: !!opts.T, a: !!opts.a, q: !!opts.q,
    s: !!opts.s, N: !!opts.N, r: !!opts.r, d: !!opts.d,
    context: opts.U !== undefined ? parsePositiveInt(opts.U) : 3,
    labels,
  };
}

async function compare(ctx: Context, d: Differ, f: Flags, file: [string, string], start?: string): Promise<void> {
  const st: fs.Stats[] = [];
  let stdin = 0;
  for (const k of [0, 1]) {
    if (file[k] === "-") {
      st[k] = ctx.stdin.fd !== undefined ? fs.fstatSync(ctx.stdin.fd) : fs.statSync("/dev/null");
      stdin++;
      continue;
    }
    try {
      st[k] = fs.statSync(resolvePath(ctx, file[k]));
    } catch (err) {
      if (f.N) st[k] = fs.statSync("/dev/null");
      else throw new AppletError(`can't stat '${file[k]}': ${errorMessage(err)}`, 2);
    }
  }
  if (stdin && (st[0].isDirectory() || st[1].isDirectory())) throw new AppletError("can't compare stdin to a directory", 1);
  // The same file twice: nothing to compare.
  const [x, y] = st;
  if (x.ino === y.ino && x.dev === y.dev && x.size === y.size && x.mtimeMs === y.mtimeMs && x.ctimeMs === y.ctimeMs &&
      x.mode === y.mode && x.nlink === y.nlink && x.uid === y.uid && x.gid === y.gid) return;
  if (x.isDirectory() && y.isDirectory()) return d.dirs(file, start);
  if (x.isDirectory() || y.isDirectory()) {
    // A directory and a file: the file of the same name in the directory.
    const dir = y.isDirectory() ? 1 : 0;
    const other = file[1 - dir];
    file[dir] = join(file[dir], other.slice(other.lastIndexOf("/") + 1));
    try {
      fs.statSync(resolvePath(ctx, file[dir]));
    } catch (err) {
      throw new AppletError(`can't stat '${file[dir]}': ${errorMessage(err)}`, 1);
    }
  }
  if (stdin > 1) d.report(SAME, file);
  else await d.files(file);
}
