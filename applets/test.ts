// test, [ and [[: evaluate a conditional expression, exit 0 (true), 1 (false)
// or 2 (error). The grammar is BusyBox's (and the historical test's):
//   oexpr ::= aexpr [-o oexpr]    aexpr ::= nexpr [-a aexpr]
//   nexpr ::= ["!"] nexpr | primary
//   primary ::= "(" oexpr ")" | UNOP operand | operand BINOP operand | operand
// with POSIX's rules for one to four arguments tried first, so that
// "test '(' = '('" compares strings. "[[" is BusyBox's bash flavour: && and ||
// instead of -a and -o, = == != match shell patterns, =~ an extended regex.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { absPath, fsPath, warnBytes } from "../lib/fileops.ts";
import { fnmatch } from "../lib/glob.ts";
import { isatty } from "../lib/io.ts";
import { compileRegex } from "../lib/regex.ts";
import { binaryOf } from "../lib/text.ts";

const UNOPS = new Set(["-r", "-w", "-x", "-e", "-f", "-d", "-c", "-b", "-p", "-u", "-g", "-k", "-s", "-t", "-z", "-n", "-h", "-O", "-G", "-L", "-S"]);
const BINOPS = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-ge", "-gt", "-le", "-lt", "-nt", "-ot", "-ef"]);

type Kind = "eoi" | "operand" | "unop" | "binop" | "not" | "and" | "or" | "lparen" | "rparen";

/** A syntax error: message (may be empty) and status 2. */
class TestError extends Error {}

/** "OP: message", or the message alone when OP is empty. */
const syntax = (op: string, msg: string) => new TestError(op ? `${op}: ${msg}` : msg);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SPACE = /^[ \t\n\v\f\r]*/;

class Evaluator {
  private i = 0;
  constructor(private ctx: Context, private args: string[], private bash: boolean) {}

  kind(s: string | undefined): Kind {
    if (s === undefined) return "eoi";
    if (UNOPS.has(s)) return "unop";
    if (BINOPS.has(s) || (this.bash && s === "=~")) return "binop";
    if (s === "!") return "not";
    if (s === "(") return "lparen";
    if (s === ")") return "rparen";
    if (this.bash ? s === "&&" : s === "-a") return "and";
    if (this.bash ? s === "||" : s === "-o") return "or";
    return "operand";
  }

  private at(k: number): Kind {
    return this.kind(this.args[k]);
  }

  /** The whole expression; returns the exit status. */
  run(): number {
    const res = this.oexpr();
    // Anything left over after a complete expression: "test 3 -lt 5 6".
    if (this.args[this.i] !== undefined && this.args[++this.i] !== undefined) {
      throw syntax(this.args[this.i], "unknown operand");
    }
    return res ? 0 : 1;
  }

  /** The binary test of args[i], args[i+1], args[i+2]. */
  binop(): boolean {
    const a = this.args[this.i++];
    const op = this.args[this.i++];
    const b = this.args[this.i];
    if (b === undefined) throw syntax(op, "argument expected");
    return binary(this.ctx, a, op, b, this.bash);
  }

  // Each of these leaves i on the last token it used, as BusyBox's parser does.
  private oexpr(): boolean {
    const res = this.aexpr();
    if (this.at(++this.i) === "or") {
      this.i++;
      return this.oexpr() || res; // both sides are evaluated (and checked)
    }
    this.i--;
    return res;
  }

  private aexpr(): boolean {
    const res = this.nexpr();
    if (this.at(++this.i) === "and") {
      this.i++;
      return this.aexpr() && res;
    }
    this.i--;
    return res;
  }

  private nexpr(): boolean {
    if (this.at(this.i) === "not") {
      // "[ ! ]" and "[ a -a ! ]": a lone "!" is true.
      if (this.at(++this.i) === "eoi") {
        this.i--;
        return true;
      }
      return !this.nexpr();
    }
    return this.primary();
  }

  private primary(): boolean {
    const k = this.at(this.i);
    if (k === "eoi") throw new TestError("argument expected");
    if (k === "lparen") {
      this.i++;
      const res = this.oexpr();
      if (this.at(++this.i) !== "rparen") throw new TestError("closing paren expected");
      return res;
    }
    // "a = b" is tried before "-n x", as coreutils does.
    const next = this.at(this.i + 1);
    if (next !== "eoi" && this.args[this.i + 2] !== undefined && next === "binop") return this.binop();
    if (k === "unop") {
      if (this.args[this.i + 1] === undefined) return this.args[this.i] !== "";
      const op = this.args[this.i++];
      return unary(this.ctx, op, this.args[this.i]);
    }
    if (next === "binop") return this.binop();
    return this.args[this.i] !== "";
  }
}

/** strtoll() as test reads integers: blanks around, a sign, decimal digits. */
function integer(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([-+]?\d+)/.exec(s);
  if (m) {
    const v = BigInt(m[1]);
    if (v < INT64_MIN || v > INT64_MAX) throw syntax(s, "out of range");
    if (s.slice(m[0].length).replace(SPACE, "") === "") return v;
  }
  throw syntax(s, "bad number");
}

function statOf(ctx: Context, name: string, follow = true): fs.BigIntStats | undefined {
  if (name === "") return undefined;
  try {
    const p = fsPath(absPath(ctx, name));
    return follow ? fs.statSync(p, { bigint: true }) : fs.lstatSync(p, { bigint: true });
  } catch {
    return undefined;
  }
}

/** -r -w -x with the effective ids; root may read and write anything, and execute what has an x bit. */
function access(st: fs.BigIntStats, want: number): boolean {
  const mode = Number(st.mode);
  const euid = process.geteuid?.() ?? 0;
  if (euid === 0) {
    if (want !== 1) return true;
    if (mode & 0o111) return true;
  }
  let bits = want;
  if (Number(st.uid) === euid) bits <<= 6;
  else if (inGroup(Number(st.gid))) bits <<= 3;
  return (mode & bits) !== 0;
}

function inGroup(gid: number): boolean {
  if (gid === process.getgid?.() || gid === process.getegid?.()) return true;
  return (process.getgroups?.() ?? []).includes(gid);
}

function isTerminal(ctx: Context, fd: bigint): boolean {
  if (fd === 0n) return ctx.stdin.isTTY;
  if (fd === 1n) return ctx.stdout.isTTY;
  if (fd === 2n) return ctx.stderr.isTTY;
  return fd > 0n && fd < 2n ** 31n && isatty(Number(fd));
}

const S_IFMT = 0o170000;
const TYPES: Record<string, number> = { "-f": 0o100000, "-d": 0o040000, "-c": 0o020000, "-b": 0o060000, "-p": 0o010000, "-S": 0o140000 };
const BITS: Record<string, number> = { "-u": 0o4000, "-g": 0o2000, "-k": 0o1000 };

function unary(ctx: Context, op: string, arg: string): boolean {
  if (op === "-z") return arg === "";
  if (op === "-n") return arg !== "";
  if (op === "-t") return isTerminal(ctx, integer(arg));
  if (op === "-h" || op === "-L") {
    const st = statOf(ctx, arg, false);
    return !!st && (Number(st.mode) & S_IFMT) === 0o120000;
  }
  const st = statOf(ctx, arg);
  if (!st) return false;
  const mode = Number(st.mode);
  switch (op) {
    case "-e": return true;
    case "-r": return access(st, 4);
    case "-w": return access(st, 2);
    case "-x": return access(st, 1);
    case "-s": return st.size > 0n;
    case "-O": return Number(st.uid) === (process.geteuid?.() ?? 0);
    case "-G": return Number(st.gid) === (process.getegid?.() ?? 0);
  }
  if (op in TYPES) return (mode & S_IFMT) === TYPES[op];
  return (mode & BITS[op]) !== 0;
}

function binary(ctx: Context, a: string, op: string, b: string, bash: boolean): boolean {
  switch (op) {
    case "-eq": return integer(a) === integer(b);
    case "-ne": return integer(a) !== integer(b);
    case "-ge": return integer(a) >= integer(b);
    case "-gt": return integer(a) > integer(b);
    case "-le": return integer(a) <= integer(b);
    case "-lt": return integer(a) < integer(b);
    case "=":
    case "==": return bash ? fnmatch(b, a) : a === b;
    case "!=": return bash ? !fnmatch(b, a) : a !== b;
    case "<": return a < b; // latin1 strings: byte order, as strcmp
    case ">": return a > b;
    case "=~": {
      let re: RegExp;
      try {
        re = compileRegex(b, { extended: true });
      } catch {
        throw new TestError(""); // BusyBox fails silently on a bad regex
      }
      return re.test(a);
    }
  }
  // -nt -ot -ef. POSIX: -nt is also true when only the first file exists
  // (and -ot when only the second does); times compare to the nanosecond.
  const sa = statOf(ctx, a);
  const sb = statOf(ctx, b);
  if (op === "-ef") return !!sa && !!sb && sa.dev === sb.dev && sa.ino === sb.ino;
  if (op === "-nt") return !!sa && (!sb || sa.mtimeNs > sb.mtimeNs);
  return !!sb && (!sa || sa.mtimeNs < sb.mtimeNs);
}

/** POSIX's rules for up to four arguments, then the general parser. */
function evaluate(ctx: Context, args: string[], bash: boolean): number {
  let negate = false;
  for (;;) {
    const e = new Evaluator(ctx, args, bash);
    const n = args.length;
    if (n === 0) return negate ? 0 : 1;
    if (n === 1) return (args[0] !== "") !== negate ? 0 : 1;
    if (n === 3) {
      if (e.kind(args[1]) === "binop") return e.binop() !== negate ? 0 : 1;
      // "( x )": the one-argument test of x.
      if (args[0] === "(" && args[2] === ")") return (args[1] !== "") !== negate ? 0 : 1;
    }
    if (n === 4 && args[0] === "(" && args[3] === ")") args = args.slice(1, 3);
    // A leading "!" negates the test of the rest (longer expressions go to
    // the parser, where "!" binds to the primary after it).
    if (n <= 4 && args[0] === "!") {
      args = args.slice(1);
      negate = !negate;
      continue;
    }
    const status = new Evaluator(ctx, args, bash).run();
    return negate ? 1 - status : status;
  }
}

function define(name: string, close?: string): void {
  defineApplet({
    name,
    dir: "/usr/bin",
    usage: close ? `EXPRESSION ${close}` : "EXPRESSION",
    summary: "Check file types, compare values etc. Return a 0/1 exit code\ndepending on logical value of EXPRESSION",
    rawArgs: true,
    async run(ctx, _opts, argv) {
      let args = argv.map(binaryOf);
      if (close) {
        if (args[args.length - 1] !== close) {
          await warnBytes(ctx, `missing ${close}`);
          return 2;
        }
        args = args.slice(0, -1);
      }
      try {
        return evaluate(ctx, args, name === "[[");
      } catch (err) {
        if (!(err instanceof TestError)) throw err;
        if (err.message) await warnBytes(ctx, err.message);
        return 2;
      }
    },
  });
}

define("test");
define("[", "]");
define("[[", "]]");
