// The state of a running awk program: variables, the current record and its
// fields, the input files named by ARGV, and the open files and commands.
import * as fs from "node:fs";
import { operandPath, type Context } from "../../lib/applet.ts";
import { describeErrno } from "../../lib/errors.ts";
import { bytesOf } from "../../lib/text.ts";
import { AwkArray } from "./arrays.ts";
import { GlibcRandom } from "./builtins.ts";
import { AwkError, AwkFatal } from "./errors.ts";
import { runShell } from "./exec.ts";
import {
  AGAIN, FdSource, FileOutput, MemorySource, PipeOutput, ReaderSource, RecordReader, WriterOutput,
  type ByteSource, type Output, type RecordMode,
} from "./io.ts";
import { unescape } from "./lexer.ts";
import { toInt32, toNumber } from "./number.ts";
import { awkRegex } from "./regex.ts";
import { makeSplitter, splitText, type Splitter } from "./split.ts";
import { toNum, toStr, truthy, UStr, type Value } from "./values.ts";

/** Variables with a meaning to the interpreter, in BusyBox's order. */
export const SPECIAL_NAMES = [
  "CONVFMT", "OFMT", "FS", "OFS", "ORS", "RS", "RT", "FILENAME", "SUBSEP", "ARGIND", "ARGC", "ARGV",
  "ERRNO", "FNR", "NR", "NF", "IGNORECASE", "ENVIRON", "RSTART", "RLENGTH",
] as const;

type ArrayRef = AwkArray | (() => AwkArray) | undefined;

/** A function call's parameters and locals. */
export interface Frame {
  vals: Value[];
  arrs: ArrayRef[];
}

interface Stream {
  out?: Output;
  in?: RecordReader;
  /** For input pipes: the command's wait status. */
  status?: number;
}

export class Runtime {
  // Variables: a scalar and an array part per name, as in BusyBox.
  readonly G: Value[] = [];
  readonly GA: (AwkArray | undefined)[] = [];
  readonly slots = new Map<string, number>();
  /** Setters with side effects, by slot. */
  readonly hooks: (((v: Value) => void) | undefined)[] = [];
  frame: Frame = { vals: [], arrs: [] };
  retval: Value = undefined;

  // Cached settings.
  convfmt = "%.6g";
  ofmt = "%.6g";
  ofs = " ";
  ors = "\n";
  subsep = "\x1c";
  icase = false;
  fsSplitter: Splitter = { kind: "space" };
  rsMode: RecordMode = { kind: "char", c: "\n" };
  paragraph = false;

  // The record.
  private recText = "";
  private recVal: Value = undefined; // set when $0 was assigned a value, or cached UStr
  private fstr: string[] = [""];
  private fval: (Value | null)[] = [];
  nf = 0;
  private split = true;

  // Main input.
  private argIndex = 0;
  private inputSeen = false;
  private main: RecordReader | undefined;
  private mainDone = false;
  stdinReader: ByteSource;

  readonly streams = new Map<string, Stream>();
  readonly stdout: WriterOutput;
  readonly stderr: WriterOutput;

  readonly random = new GlibcRandom(1);
  seed = 1;
  exitCode = 0;
  progname = "cmd. line";
  line = 0;

  // Slots of the variables the runtime itself updates.
  readonly S: Record<(typeof SPECIAL_NAMES)[number], number>;

  constructor(readonly ctx: Context) {
    this.stdout = new WriterOutput(ctx.stdout);
    this.stderr = new WriterOutput(ctx.stderr, 1);
    this.stdinReader = ctx.stdin.fd !== undefined ? new FdSource(ctx.stdin.fd, false) : new ReaderSource(ctx.stdin);
    const S = {} as Record<(typeof SPECIAL_NAMES)[number], number>;
    for (const name of SPECIAL_NAMES) S[name] = this.slot(name);
    this.S = S;
    const G = this.G;
    G[S.CONVFMT] = "%.6g";
    G[S.OFMT] = "%.6g";
    G[S.FS] = " ";
    G[S.OFS] = " ";
    G[S.ORS] = "\n";
    G[S.RS] = "\n";
    G[S.RT] = "";
    G[S.FILENAME] = "";
    G[S.SUBSEP] = "\x1c";
    for (const n of ["ARGIND", "ARGC", "ERRNO", "FNR", "NR", "NF", "IGNORECASE"] as const) G[S[n]] = 0;
    G[S.RSTART] = 0;
    G[S.RLENGTH] = -1;
    this.hooks[S.CONVFMT] = (v) => (this.convfmt = toStr(v, "%.6g"));
    this.hooks[S.OFMT] = (v) => (this.ofmt = this.str(v));
    this.hooks[S.OFS] = (v) => (this.ofs = this.str(v));
    this.hooks[S.ORS] = (v) => (this.ors = this.str(v));
    this.hooks[S.SUBSEP] = (v) => (this.subsep = this.str(v));
    this.hooks[S.IGNORECASE] = (v) => {
      this.icase = truthy(v);
      this.fsSplitter = makeSplitter(this.str(G[S.FS]), this.icase);
      this.setRS(G[S.RS]);
    };
    this.hooks[S.FS] = (v) => {
      // Fields of the current record keep the old FS (POSIX).
      this.ensureSplit();
      this.fsSplitter = makeSplitter(this.str(v), this.icase);
    };
    this.hooks[S.RS] = (v) => this.setRS(v);
    this.hooks[S.NF] = (v) => this.setNF(v);
    const env = this.array(S.ENVIRON);
    for (const [k, v] of Object.entries(ctx.env)) env.set(binary(k), new UStr(binary(v)));
  }

  slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.G.length;
      this.slots.set(name, s);
      this.G.push(undefined);
      this.GA.push(undefined);
      this.hooks.push(undefined);
    }
    return s;
  }

  str(v: Value): string {
    return toStr(v, this.convfmt);
  }

  /** The array part of a global. */
  array(slot: number): AwkArray {
    return (this.GA[slot] ??= new AwkArray());
  }

  /** The array part of the current frame's local i (a parameter may stand for the caller's array). */
  localArray(i: number): AwkArray {
    return resolveArray(this.frame.arrs, i);
  }

  /** Assign a global by slot, with the side effects special variables have. */
  setGlobal(slot: number, v: Value): void {
    this.G[slot] = v;
    const h = this.hooks[slot];
    if (h) h(v);
  }

  private setRS(v: Value): void {
    const rs = this.str(v);
    this.paragraph = rs === "";
    if (rs === "") this.rsMode = { kind: "para" };
    else if (rs.length === 1) this.rsMode = { kind: "char", c: rs };
    else this.rsMode = { kind: "regex", re: awkRegex(rs, this.icase, false) };
  }

  // ---- the record and its fields ----

  setRecord(text: string): void {
    this.recText = text;
    this.recVal = undefined;
    this.split = false;
  }

  /** $0 as a value (input text is a strnum). */
  record(): Value {
    return (this.recVal ??= new UStr(this.recText));
  }

  recordText(): string {
    return this.recText;
  }

  setRecordValue(v: Value): void {
    this.recText = this.str(v);
    this.recVal = v === undefined ? "" : v;
    this.split = false;
  }

  ensureSplit(): void {
    if (this.split) return;
    this.split = true;
    const f = splitText(this.recText, this.fsSplitter, this.paragraph, this.icase);
    f.unshift("");
    this.fstr = f;
    this.fval = [];
    this.nf = f.length - 1;
    this.G[this.S.NF] = this.nf;
  }

  field(i: number): Value {
    if (i === 0) return this.record();
    this.ensureSplit();
    if (i > this.nf) return undefined;
    const v = this.fval[i];
    if (v !== undefined && v !== null) return v;
    const u = new UStr(this.fstr[i]);
    this.fval[i] = u;
    return u;
  }

  fieldText(i: number): string {
    if (i === 0) return this.recText;
    this.ensureSplit();
    if (i > this.nf) return "";
    const v = this.fval[i];
    if (v !== undefined && v !== null) return this.str(v);
    return this.fstr[i];
  }

  /** A field's numeric value (assigned numbers keep their precision). */
  fieldNum(i: number): number {
    if (i === 0) return this.recVal === undefined ? toNumber(this.recText) : toNum(this.recVal);
    this.ensureSplit();
    if (i > this.nf) return 0;
    const v = this.fval[i];
    if (v !== undefined && v !== null) return toNum(v);
    return toNumber(this.fstr[i]);
  }

  fieldIndex(d: number, line: number): number {
    const i = toInt32(d);
    if (i < 0) throw new AwkError("Access to negative field", line);
    return i;
  }

  setField(i: number, v: Value): void {
    if (i === 0) {
      this.setRecordValue(v);
      return;
    }
    this.ensureSplit();
    if (i > this.nf) {
      for (let j = this.nf + 1; j < i; j++) { this.fstr[j] = ""; this.fval[j] = null; }
      this.nf = i;
    }
    this.fstr[i] = "";
    this.fval[i] = v === undefined ? "" : v;
    this.rebuild();
  }

  getNF(): number {
    this.ensureSplit();
    return this.nf;
  }

  setNF(v: Value): void {
    const n = toInt32(toNum(v));
    if (n < 0) throw new AwkError("NF set to negative value", this.line);
    this.ensureSplit();
    for (let j = this.nf + 1; j <= n; j++) { this.fstr[j] = ""; this.fval[j] = null; }
    this.fstr.length = n + 1;
    this.fval.length = Math.min(this.fval.length, n + 1);
    this.nf = n;
    this.rebuild();
  }

  private rebuild(): void {
    let s = "";
    for (let j = 1; j <= this.nf; j++) {
      if (j > 1) s += this.ofs;
      s += this.fieldText(j);
    }
    this.recText = s;
    this.recVal = s;
    this.G[this.S.NF] = this.nf;
  }

  // ---- main input ----

  /** Open the next input named by ARGV (or stdin if none); false when there is none. */
  private nextInput(): boolean {
    if (this.main) {
      this.main.close();
      this.main = undefined;
    }
    const G = this.G;
    const S = this.S;
    for (;;) {
      this.argIndex++;
      if (this.argIndex >= toNum(G[S.ARGC])) {
        if (this.inputSeen) return false;
        this.main = new RecordReader(this.stdinReader);
        this.inputSeen = true;
        G[S.FNR] = 0;
        G[S.FILENAME] = "-";
        return true;
      }
      const name = this.str(this.array(S.ARGV).get(String(this.argIndex)));
      if (name === "") continue;
      if (this.assignOperand(name)) continue;
      this.main = new RecordReader(this.openFile(name, true));
      this.inputSeen = true;
      G[S.FNR] = 0;
      G[S.ARGIND] = this.argIndex;
      G[S.FILENAME] = name;
      return true;
    }
  }

  /** A "var=value" operand: assign it (value with escapes, a strnum). */
  assignOperand(arg: string): boolean {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/s.exec(arg);
    if (!m) return false;
    this.assign(m[1], arg.slice(m[0].length));
    return true;
  }

  /** -v and operand assignments. */
  assign(name: string, raw: string): void {
    this.setGlobal(this.slot(name), new UStr(unescape(raw)));
  }

  private openFile(name: string, fatal: boolean): ByteSource {
    if (name === "-" && fatal) return this.stdinReader;
    try {
      const fd = fs.openSync(name === "" ? "" : bytesOf(operandPath(this.ctx, name)), "r");
      return new FdSource(fd, true);
    } catch (err: any) {
      if (fatal) throw new AwkFatal(`${name}: ${describeErrno(err?.code)}`);
      throw err;
    }
  }

  /**
   * The next record of the main input into $0 (or undefined at the end), or
   * AGAIN when the main loop must wait for input.
   */
  nextMainRecord(block: boolean): string | null | typeof AGAIN {
    for (;;) {
      if (this.mainDone) return null;
      if (!this.main && !this.nextInput()) {
        this.mainDone = true;
        return null;
      }
      const r = this.readMain(block);
      if (r !== null) return r;
      if (!this.nextInput()) {
        this.mainDone = true;
        return null;
      }
    }
  }

  private readMain(block: boolean): string | null | typeof AGAIN {
    let r: string | null | typeof AGAIN;
    try {
      r = this.main!.read(this.rsMode, block);
    } catch (err: any) {
      if (err?.code) throw new AwkError(describeErrno(err.code), this.line);
      throw err;
    }
    if (typeof r === "string") this.G[this.S.RT] = this.main!.rt;
    return r;
  }

  async fillMain(): Promise<void> {
    await this.main!.fillAsync();
  }

  /** Skip the rest of the current input file (nextfile). */
  nextFile(): void {
    if (this.main) {
      this.main.close();
      this.main = undefined;
    }
  }

  /** Plain getline: the next record of the current input file (no moving on to the next). */
  getlineMain(): string | null | -1 {
    if (!this.main) {
      if (this.mainDone || !this.nextInput()) {
        this.mainDone = true;
        return -1;
      }
    }
    const r = this.readMain(true);
    return r === AGAIN ? null : r;
  }

  countRecord(): void {
    const G = this.G;
    const S = this.S;
    G[S.NR] = toNum(G[S.NR]) + 1;
    G[S.FNR] = toNum(G[S.FNR]) + 1;
  }

  // ---- redirections ----

  flushAll(): void {
    this.stdout.flush();
    this.stderr.flush();
    for (const s of this.streams.values()) s.out?.flush();
  }

  output(kind: string, name: string): Output {
    if (kind !== "|") {
      if (name === "/dev/stdout") return this.stdout;
      if (name === "/dev/stderr") {
        this.stdout.flush();
        return this.stderr;
      }
    }
    let s = this.streams.get(name);
    if (s?.out) return s.out;
    let out: Output;
    if (kind === "|") {
      out = new PipeOutput((input) => {
        this.flushAll();
        return runShell(this.ctx, name, { stdin: input, stdout: "inherit" }).status;
      });
    } else {
      let fd: number;
      try {
        // "" is no file (ENOENT); an empty Buffer would be refused as a bad argument.
        fd = fs.openSync(name === "" ? "" : bytesOf(operandPath(this.ctx, name)), kind === ">>" ? "a" : "w", 0o666);
      } catch (err: any) {
        throw new AwkFatal(`can't open '${name}': ${describeErrno(err?.code)}`);
      }
      out = new FileOutput(fd);
    }
    if (!s) this.streams.set(name, (s = {}));
    s.out = out;
    return out;
  }

  /** getline < file: the file's reader, or undefined if it cannot be opened. */
  inputFile(name: string): RecordReader | undefined {
    const s = this.streams.get(name);
    if (s?.in) return s.in;
    let src: ByteSource;
    if (name === "/dev/stdin") src = this.stdinReader;
    else {
      try {
        src = this.openFile(name, false);
      } catch (err: any) {
        this.G[this.S.ERRNO] = errnoNumber(err?.code);
        return undefined;
      }
    }
    const reader = new RecordReader(src);
    if (s) s.in = reader;
    else this.streams.set(name, { in: reader });
    return reader;
  }

  /** cmd | getline: the command's output, read when first asked for. */
  inputPipe(cmd: string): RecordReader {
    const s = this.streams.get(cmd);
    if (s?.in) return s.in;
    this.flushAll();
    const r = runShell(this.ctx, cmd, { stdout: "collect" });
    if (r.stderr) this.stderr.write(Buffer.from(r.stderr).toString("latin1"));
    const reader = new RecordReader(new MemorySource(r.stdout ?? null));
    const stream: Stream = { in: reader, status: r.status };
    if (s) Object.assign(s, stream);
    else this.streams.set(cmd, stream);
    return reader;
  }

  /** The next record of a getline source; null at the end, -1 when reading failed (getline's -1, as a directory gives). */
  readFrom(reader: RecordReader): string | null | -1 {
    try {
      const r = reader.read(this.rsMode, true);
      if (typeof r === "string") this.G[this.S.RT] = reader.rt;
      return r === AGAIN ? null : r;
    } catch (err: any) {
      if (err?.code) {
        this.G[this.S.ERRNO] = errnoNumber(err.code);
        return -1;
      }
      throw err;
    }
  }

  close(name: string): number {
    const s = this.streams.get(name);
    if (!s) return 0;
    this.streams.delete(name);
    let status = 0;
    if (s.out) status = s.out.close();
    if (s.in) {
      s.in.close();
      if (s.status !== undefined) status = s.status;
    }
    return status;
  }

  fflush(name: string | undefined): number {
    if (name === undefined) this.stdout.flush();
    else {
      const s = this.streams.get(name);
      if (s?.out) s.out.flush();
      else this.flushAll();
    }
    return 0;
  }

  system(cmd: string): number {
    this.flushAll();
    if (cmd === "") return 0;
    const r = runShell(this.ctx, cmd, { stdout: "inherit" });
    if (r.stdout) this.stdout.write(Buffer.from(r.stdout).toString("latin1"));
    if (r.stderr) this.stderr.write(Buffer.from(r.stderr).toString("latin1"));
    return r.status >> 8;
  }

  /** At exit: flush and close everything, running the output pipes. */
  closeAll(): void {
    this.stdout.flush();
    for (const name of [...this.streams.keys()]) {
      try {
        this.close(name);
      } catch {
        // A file that cannot be written any more: nothing to do at exit.
      }
    }
    this.stdout.flush();
    this.stderr.flush();
  }
}

function resolveArray(arrs: ArrayRef[], i: number): AwkArray {
  const a = arrs[i];
  if (a instanceof AwkArray) return a;
  const r = a ? a() : new AwkArray();
  arrs[i] = r;
  return r;
}

/** A lazy reference to a frame's local array (for passing it on by reference). */
export function arrayRefOf(arrs: ArrayRef[], i: number): AwkArray | (() => AwkArray) {
  const a = arrs[i];
  if (a instanceof AwkArray) return a;
  return () => resolveArray(arrs, i);
}

const ERRNO_NUMBERS: Record<string, number> = { ENOENT: 2, EACCES: 13, EISDIR: 21, ENOTDIR: 20, EMFILE: 24, EIO: 5 };

function errnoNumber(code: string | undefined): number {
  return (code && ERRNO_NUMBERS[code]) || 5;
}

/** A name or value from argv/env: UTF-8 text as latin1 bytes. */
export function binary(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, "utf8").toString("latin1");
}
