// sort: BusyBox's sort (keys, -t, -n -g -h -M -V, -b -d -f -i -r, -s -u -z,
// -c, -o) in the C locale's byte order. Input is read into large buffers;
// when one fills past the memory limit (-S, default 128 MiB) it is sorted and
// spilled to a temporary file (-T DIR, $TMPDIR or /tmp), and the runs are
// merged at the end, so input larger than memory works. Plain sorts of whole
// lines use a radix sort over the bytes (sort/radix.ts); keyed sorts cut
// every key out once (sort/table.ts). Output goes to -o FILE only after all
// input is read, through a temporary file renamed over it.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, usageText, type Applet, type Context } from "../lib/applet.ts";
import { openChunks, type Input } from "../lib/bufio.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { FdWriter } from "../lib/io.ts";
import { openAtomicOutput, type AtomicOutput } from "../lib/fsutil.ts";
import { parseOptions } from "../lib/options.ts";
import { binaryOf } from "../lib/text.ts";
import { cmpBytes, F_b, F_bb, F_d, F_f, F_g, F_h, F_i, F_M, F_n, F_r, F_V, parseKey } from "./sort/keys.ts";
import { byteSort } from "./sort/radix.ts";
import { ByteOut, LineIndex, LineSource, writeAllSync } from "./sort/runs.ts";
import { isPlain, Table, type SortSpec } from "./sort/table.ts";

const DEFAULT_LIMIT = 128 << 20;
/** Runs merged at once; more are merged in rounds. */
const FAN_IN = 32;

const sort: Applet = defineApplet({
  name: "sort",
  usage: "[-nrugMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...",
  summary: "Sort lines of text",
  options: [
    "-o FILE  Output to FILE",
    "-c  Check whether input is sorted",
    "-b  Ignore leading blanks",
    "-f  Ignore case",
    "-i  Ignore unprintable characters",
    "-d  Dictionary order (blank or alphanumeric only)",
    "-n  Sort numbers",
    "-g  General numerical sort",
    "-h  Sort human readable numbers (2K 1G)",
    "-M  Sort month",
    "-V  Sort version",
    "-t CHAR  Field separator",
    "-k KEYDEF...  Sort by key: N[.C][OPTS][,M[.C][OPTS]]",
    "-r  Reverse sort order",
    "-s  Stable (don't sort ties alphabetically)",
    "-u  Suppress duplicate lines",
    "-z  NUL terminated input and output",
    "-m  Ignored (inputs are sorted whole)",
    "-S SIZE  Memory to use before spilling to temporary files",
    "-T DIR  Directory for temporary files",
  ],
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(sort));
      return 0;
    }
    let parsed;
    try {
      parsed = parseOptions(sort.spec, args);
    } catch (err) {
      // sort's usage errors exit 2, as its other fatal errors do.
      if (err instanceof UsageError) throw new UsageError(err.message, 2);
      throw err;
    }
    const { opts, operands } = parsed;
    let global = 0;
    const letters: [string, number][] = [["n", F_n], ["g", F_g], ["h", F_h], ["M", F_M], ["V", F_V], ["b", F_b | F_bb], ["r", F_r], ["d", F_d], ["f", F_f], ["i", F_i]];
    for (const [l, f] of letters) if (opts[l]) global |= f;
    let sep = -1;
    if (opts.t !== undefined) {
      const t = binaryOf(opts.t);
      if (t.length !== 1) throw new AppletError("bad -t parameter", 2);
      sep = t.charCodeAt(0);
    }
    const spec: SortSpec = { keys: (opts.k as string[]).map((k) => parseKey(binaryOf(k))), global, stable: !!opts.s, sep };
    const job: Job = {
      ctx,
      spec,
      plain: isPlain(spec),
      unique: !!opts.u,
      delim: opts.z ? 0 : 10,
      nulEnds: !opts.z,
      limit: memoryLimit(opts.S),
      tmpBase: opts.T ?? ctx.env.TMPDIR ?? "/tmp",
      runs: [],
    };
    const files = operands.length ? operands : ["-"];
    if (opts.c) return await check(job, files);
    try {
      const last = await readRuns(job, files);
      const output = openOutput(ctx, opts.o);
      try {
        if (job.runs.length === 0) await writeRun(job, last, output.out);
        else {
          if (last.index.n) await spill(job, last);
          await mergeAll(job, output.out);
        }
        await output.out.flush();
        output.commit();
      } finally {
        output.abort();
      }
    } finally {
      if (job.tmpDir) fs.rmSync(job.tmpDir, { recursive: true, force: true });
    }
    return 0;
  },
});

interface Job {
  ctx: Context;
  spec: SortSpec;
  plain: boolean;
  unique: boolean;
  delim: number;
  nulEnds: boolean;
  limit: number;
  tmpBase: string;
  tmpDir?: string;
  /** Spilled runs, in input order. */
  runs: string[];
}

/** -S SIZE: a number of KiB, or with a b/K/M/G/T suffix. Anything else keeps the default (BusyBox ignores -S). */
function memoryLimit(s: string | undefined): number {
  const m = s === undefined ? null : /^(\d+)([bkKmMgGtT]?)$/.exec(s);
  if (!m) return DEFAULT_LIMIT;
  const unit = { "": 1024, b: 1, k: 1024, K: 1024, m: 1 << 20, M: 1 << 20, g: 1 << 30, G: 1 << 30, t: 2 ** 40, T: 2 ** 40 }[m[2]]!;
  return Math.min(Math.max(Number(m[1]) * unit, 4096), 1 << 30);
}

function openInputOrDie(ctx: Context, name: string): Input {
  try {
    return openChunks(ctx, name);
  } catch (err) {
    throw new AppletError(`${name}: ${errorMessage(err)}`, 2);
  }
}

/** A run in memory: its bytes and line index. */
interface Run {
  buf: Buffer;
  index: LineIndex;
}

/** Something to read bytes from: a file descriptor, or an in-process Reader's chunks. */
interface Source {
  fd?: number;
  chunks?: AsyncIterator<Uint8Array>;
  pending?: Uint8Array;
  size: number;
  close(): void;
}

function openSource(ctx: Context, name: string): Source {
  try {
    if (name === "-") {
      if (ctx.stdin.fd !== undefined) return { fd: ctx.stdin.fd, size: regularSize(ctx.stdin.fd), close() {} };
      return { chunks: ctx.stdin.chunks()[Symbol.asyncIterator](), size: 0, close() {} };
    }
    const fd = fs.openSync(resolvePath(ctx, name), "r");
    return { fd, size: regularSize(fd), close: () => fs.closeSync(fd) };
  } catch (err) {
    throw new AppletError(`${name}: ${errorMessage(err)}`, 2);
  }
}

function regularSize(fd: number): number {
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/** Up to len bytes into buf at off; 0 at the end (or on a read error: a directory reads as empty). */
async function readInto(src: Source, buf: Buffer, off: number, len: number): Promise<number> {
  if (src.fd !== undefined) {
    for (;;) {
      try {
        return fs.readSync(src.fd, buf, off, len, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") await new Promise((r) => setTimeout(r, 1));
        else return 0;
      }
    }
  }
  if (!src.pending?.length) {
    const r = await src.chunks!.next();
    if (r.done) return 0;
    src.pending = r.value;
  }
  const n = Math.min(len, src.pending!.length);
  buf.set(src.pending!.subarray(0, n), off);
  src.pending = src.pending!.subarray(n);
  return n;
}

/** Read every input; spill full buffers as sorted runs; return what is left in memory. */
async function readRuns(job: Job, files: string[]): Promise<Run> {
  let cap = 0;
  let buf = Buffer.allocUnsafe(0);
  let used = 0;
  const index = new LineIndex();
  const grow = (need: number) => {
    if (need <= cap) return;
    cap = Math.max(Math.min(cap * 2, job.limit + (1 << 20)), need);
    const bigger = Buffer.allocUnsafe(cap);
    buf.copy(bigger, 0, 0, used);
    buf = bigger;
  };
  for (const name of files) {
    const src = openSource(job.ctx, name);
    try {
      // A regular file: room for all of it (up to the limit) at once.
      grow(Math.min(used + src.size + (1 << 16), job.limit + (1 << 20)));
      for (;;) {
        if (cap - used < 1 << 16) grow(cap + (1 << 20));
        const n = await readInto(src, buf, used, cap - used - 1);
        if (n === 0) break;
        used += n;
        if (used >= job.limit) {
          // Spill up to the last complete line; keep the rest for the next run.
          const cut = Math.max(buf.lastIndexOf(job.delim, used - 1), job.nulEnds ? buf.lastIndexOf(0, used - 1) : -1) + 1;
          if (cut > 0) {
            index.build(buf, 0, cut, job.delim, job.nulEnds);
            await spill(job, { buf, index });
            buf.copy(buf, 0, cut, used);
            used -= cut;
          } else grow(cap * 2);
        }
      }
    } finally {
      src.close();
    }
    // Each file's last line ends there, delimiter or not.
    if (used > 0 && buf[used - 1] !== job.delim && !(job.nulEnds && buf[used - 1] === 0)) {
      grow(used + 1);
      buf[used++] = job.delim;
    }
  }
  index.build(buf, 0, used, job.delim, job.nulEnds);
  return { buf, index };
}

/** The order of a run's lines, and the table that compares them (keyed sorts). */
function sortRun(job: Job, run: Run): { order: Int32Array; table?: Table } {
  const { buf, index } = run;
  const n = index.n;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (job.plain) {
    byteSort(buf, index.se, order);
    // Equal lines are identical, so reversing the order is -r.
    if (job.spec.global & F_r) order.reverse();
    return { order };
  }
  const table = new Table(job.spec, n);
  table.buf = buf;
  const se = index.se;
  for (let i = 0; i < n; i++) table.set(i, buf, se[2 * i], se[2 * i + 1]);
  const idx = Array.from(order);
  idx.sort((a, b) => table.compare(a, b));
  return { order: Int32Array.from(idx), table };
}

/** Write a run's lines in order, dropping -u duplicates. */
async function writeRun(job: Job, run: Run, out: ByteOut): Promise<void> {
  const { order, table } = sortRun(job, run);
  const { buf } = run;
  const { se } = run.index;
  let prev = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (job.unique && prev >= 0) {
      const same = table ? table.compareKeys(prev, i) === 0 : cmpBytes(buf, se[2 * prev], se[2 * prev + 1], buf, se[2 * i], se[2 * i + 1]) === 0;
      if (same) continue;
    }
    prev = i;
    out.line(buf, se[2 * i], se[2 * i + 1], job.delim);
    if (out.full) await out.flush();
  }
}

async function spill(job: Job, run: Run): Promise<void> {
  job.tmpDir ??= mkTempDir(job.tmpBase);
  const file = path.join(job.tmpDir, `run${job.runs.length}`);
  await writeToFile(file, (out) => writeRun(job, run, out));
  job.runs.push(file);
}

function mkTempDir(base: string): string {
  try {
    return fs.mkdtempSync(path.join(base, "pika-sort-"));
  } catch (err) {
    throw new AppletError(`can't create temporary directory in '${base}': ${errorMessage(err)}`, 2);
  }
}

async function writeToFile(file: string, fill: (out: ByteOut) => Promise<void>): Promise<void> {
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    const out = new ByteOut((b) => writeAllSync(fd, b), true);
    await fill(out);
    await out.flush();
  } finally {
    fs.closeSync(fd);
  }
}

/** Merge the spilled runs, FAN_IN at a time, into the output. */
async function mergeAll(job: Job, out: ByteOut): Promise<void> {
  let runs = job.runs;
  let round = 0;
  while (runs.length > FAN_IN) {
    const next: string[] = [];
    for (let i = 0; i < runs.length; i += FAN_IN) {
      const group = runs.slice(i, i + FAN_IN);
      if (group.length === 1) {
        next.push(group[0]);
        continue;
      }
      const file = path.join(job.tmpDir!, `merge${round}-${i}`);
      await writeToFile(file, (o) => merge(job, group, o));
      for (const g of group) fs.rmSync(g, { force: true });
      next.push(file);
    }
    runs = next;
    round++;
  }
  await merge(job, runs, out);
}

/** k-way merge through a binary heap of run numbers; ties go to the earlier run (input order). */
async function merge(job: Job, files: string[], out: ByteOut): Promise<void> {
  const k = files.length;
  const chunk = Math.max(64 << 10, Math.min(1 << 20, Math.floor(job.limit / (2 * k))));
  const sources = files.map((f) => {
    const fd = fs.openSync(f, "r");
    const input: Input = { chunks: chunksOf(fd, chunk), close: () => fs.closeSync(fd) };
    return new LineSource(input, job.delim, false, chunk);
  });
  // Slot k keeps a copy of the last line written, for -u.
  const table = new Table(job.spec, k + 1, true);
  let lastBuf = Buffer.allocUnsafe(0);
  let haveLast = false;
  const less = (a: number, b: number) => {
    const c = table.compare(a, b);
    return c < 0 || (c === 0 && a < b);
  };
  const heap: number[] = [];
  const down = (i: number) => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && less(heap[r], heap[l]) ? r : l;
      if (!less(heap[m], heap[i])) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  };
  try {
    for (let s = 0; s < k; s++) {
      if (await sources[s].next()) {
        table.set(s, sources[s].buf, sources[s].start, sources[s].end);
        heap.push(s);
      }
    }
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length) {
      const s = heap[0];
      const src = sources[s];
      let skip = false;
      if (job.unique) {
        if (haveLast && table.compareKeys(k, s) === 0) skip = true;
        else {
          const len = src.end - src.start;
          if (lastBuf.length < len) lastBuf = Buffer.allocUnsafe(Math.max(len, lastBuf.length * 2, 256));
          src.buf.copy(lastBuf, 0, src.start, src.end);
          table.copyFrom(table, s, k, lastBuf, 0);
          haveLast = true;
        }
      }
      if (!skip) {
        out.line(src.buf, src.start, src.end, job.delim);
        if (out.full) await out.flush();
      }
      if (await src.next()) {
        table.set(s, src.buf, src.start, src.end);
        down(0);
      } else {
        const lastItem = heap.pop()!;
        if (heap.length) {
          heap[0] = lastItem;
          down(0);
        }
      }
    }
  } finally {
    for (const s of sources) s.close();
  }
}

async function* chunksOf(fd: number, size: number): AsyncGenerator<Buffer> {
  for (;;) {
    const b = Buffer.allocUnsafe(size);
    const n = fs.readSync(fd, b, 0, size, null);
    if (n === 0) return;
    yield b.subarray(0, n);
  }
}

interface Output {
  out: ByteOut;
  commit(): void;
  abort(): void;
}

/**
 * Standard output, or -o FILE: a regular file (or a new one) is written
 * under a temporary name and renamed over FILE at the end, so that FILE
 * may be one of the inputs and is never left half written.
 */
function openOutput(ctx: Context, file: string | undefined): Output {
  if (file === undefined) {
    // Once an FdWriter is flushed it holds nothing of ours, so the block can be reused.
    const reuse = ctx.stdout instanceof FdWriter;
    const sink = async (b: Buffer) => {
      await ctx.stdout.write(b);
      if (reuse) await ctx.stdout.flush();
    };
    return { out: new ByteOut(sink, reuse), commit() {}, abort() {} };
  }
  let file_: AtomicOutput;
  try {
    file_ = openAtomicOutput(resolvePath(ctx, file));
  } catch (err) {
    throw new AppletError(`can't open '${file}': ${errorMessage(err)}`, 2);
  }
  const f = file_;
  return { out: new ByteOut((b) => writeAllSync(f.fd, b), true), commit: () => f.commit(), abort: () => f.abort() };
}

/** -c: report the first line out of order ("Check line N", 0-based), status 1. */
async function check(job: Job, files: string[]): Promise<number> {
  // BusyBox reads every input before checking: a missing one is fatal first.
  const inputs = files.map((f) => openInputOrDie(job.ctx, f));
  const table = new Table(job.spec, 2, true);
  const limit = job.unique ? -1 : 0;
  let prevBuf = Buffer.allocUnsafe(256);
  let line = 0;
  let status = 0;
  try {
    for (const input of inputs) {
      const src = new LineSource(input, job.delim, job.nulEnds);
      while (status === 0 && (await src.next().catch(() => false))) {
        table.set(1, src.buf, src.start, src.end);
        if (line > 0 && table.compare(0, 1) > limit) {
          await job.ctx.stderr.write(`Check line ${line}\n`);
          status = 1;
          break;
        }
        const len = src.end - src.start;
        if (prevBuf.length < len) prevBuf = Buffer.allocUnsafe(len * 2);
        src.buf.copy(prevBuf, 0, src.start, src.end);
        table.copyFrom(table, 1, 0, prevBuf, 0);
        line++;
      }
      if (status) break;
    }
  } finally {
    for (const i of inputs) i.close();
  }
  return status;
}
