// test / [ (the builtin) and [[ ... ]] (ash's bash extension): the same
// primaries, with [[ ]] taking patterns on the right of == and != and
// needing no quoting of its operands.
import * as fs from "node:fs";
import type { Word } from "./ast.ts";
import { expandPattern, expandString, patternMatch } from "./expand.ts";
import { OsHandle } from "./fds.ts";
import { ShellError, type Shell } from "./state.ts";
import { isatty } from "../../lib/io.ts";
import { fsPath } from "./exec.ts";

const UNARY = new Set(["-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-k", "-p", "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-O", "-G", "-n", "-z"]);
const BINARY = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

/** A failure of test's own syntax: printed as "sh: message", status 2. */
export class TestError extends Error {}

function toInt(s: string): bigint {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) throw new TestError(`${s}: bad number`);
  return BigInt(t);
}

function stat(sh: Shell, p: string, follow = true): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(fsPath(sh, p)) : fs.lstatSync(fsPath(sh, p));
  } catch {
    return undefined;
  }
}

function access(sh: Shell, p: string, mode: number): boolean {
  try {
    fs.accessSync(fsPath(sh, p), mode);
    return true;
  } catch {
    return false;
  }
}

export function unaryTest(sh: Shell, op: string, a: string): boolean {
  switch (op) {
    case "-n": return a !== "";
    case "-z": return a === "";
    case "-t": {
      const h = sh.fds.get(Number(a));
      return /^\d+$/.test(a) && h instanceof OsHandle && isatty(h.fd);
    }
    case "-h":
    case "-L": return !!stat(sh, a, false)?.isSymbolicLink();
    case "-r": return access(sh, a, fs.constants.R_OK);
    case "-w": return access(sh, a, fs.constants.W_OK);
    case "-x": return access(sh, a, fs.constants.X_OK);
  }
  const st = stat(sh, a);
  if (!st) return false;
  switch (op) {
    case "-e": return true;
    case "-f": return st.isFile();
    case "-d": return st.isDirectory();
    case "-b": return st.isBlockDevice();
    case "-c": return st.isCharacterDevice();
    case "-p": return st.isFIFO();
    case "-S": return st.isSocket();
    case "-s": return st.size > 0;
    case "-g": return (st.mode & 0o2000) !== 0;
    case "-u": return (st.mode & 0o4000) !== 0;
    case "-k": return (st.mode & 0o1000) !== 0;
    case "-O": return st.uid === process.getuid?.();
    case "-G": return st.gid === process.getgid?.();
  }
  return false;
}

export function binaryTest(sh: Shell, a: string, op: string, b: string): boolean {
  switch (op) {
    case "=":
    case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case ">": return a > b;
    case "-eq": return toInt(a) === toInt(b);
    case "-ne": return toInt(a) !== toInt(b);
    case "-lt": return toInt(a) < toInt(b);
    case "-le": return toInt(a) <= toInt(b);
    case "-gt": return toInt(a) > toInt(b);
    case "-ge": return toInt(a) >= toInt(b);
    case "-nt":
    case "-ot": {
      const sa = stat(sh, a), sb = stat(sh, b);
      if (op === "-nt") return !!sa && (!sb || sa.mtimeMs > sb.mtimeMs);
      return !!sb && (!sa || sa.mtimeMs < sb.mtimeMs);
    }
    case "-ef": {
      const sa = stat(sh, a), sb = stat(sh, b);
      return !!sa && !!sb && sa.dev === sb.dev && sa.ino === sb.ino;
    }
  }
  throw new TestError(`${op}: unknown operand`);
}

/** The test builtin on its arguments (without "[" and "]"): true or false; throws TestError. */
export function runTest(sh: Shell, args: string[]): boolean {
  let i = 0;
  const n = args.length;
  // POSIX's rules by argument count keep "[ -n ]", "[ ! = x ]" and friends right.
  if (n === 0) return false;
  if (n === 1) return args[0] !== "";
  if (n === 2) {
    if (args[0] === "!") return args[1] === "";
    if (UNARY.has(args[0])) return unaryTest(sh, args[0], args[1]);
  }
  if (n === 3) {
    if (BINARY.has(args[1])) return binaryTest(sh, args[0], args[1], args[2]);
    if (args[0] === "!") return !runTest(sh, args.slice(1));
    if (args[0] === "(" && args[2] === ")") return args[1] !== "";
  }
  if (n === 4 && args[0] === "!") return !runTest(sh, args.slice(1));

  const peek = () => args[i];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === "-o") {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === "-a") {
      i++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === "!" && i + 1 < n) {
      i++;
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    if (i >= n) throw new TestError("argument expected");
    const a = args[i];
    if (a === "(" && i + 1 < n) {
      i++;
      const v = orExpr();
      if (args[i] !== ")") throw new TestError("')' expected");
      i++;
      return v;
    }
    if (i + 2 < n + 0 && BINARY.has(args[i + 1])) {
      i += 3;
      return binaryTest(sh, a, args[i - 2], args[i - 1]);
    }
    if (UNARY.has(a) && i + 1 < n) {
      i += 2;
      return unaryTest(sh, a, args[i - 1]);
    }
    i++;
    return a !== "";
  };
  const v = orExpr();
  if (i < n) throw new TestError(`${args[i]}: unknown operand`);
  return v;
}

/** [[ ... ]]: 0 true, 1 false. */
export async function evalDbrack(sh: Shell, words: Word[]): Promise<number> {
  let i = 0;
  const n = words.length;
  const raw = (k: number) => (k < n && isPlain(words[k]) ? words[k].raw : undefined);
  const str = (k: number) => expandString(sh, words[k]);
  const orExpr = async (): Promise<boolean> => {
    let v = await andExpr();
    while (raw(i) === "||") {
      i++;
      const r = await andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = async (): Promise<boolean> => {
    let v = await notExpr();
    while (raw(i) === "&&") {
      i++;
      if (!v) {
        await notExpr();
        continue;
      }
      v = await notExpr();
    }
    return v;
  };
  const notExpr = async (): Promise<boolean> => {
    if (raw(i) === "!") {
      i++;
      return !(await notExpr());
    }
    return primary();
  };
  const primary = async (): Promise<boolean> => {
    if (i >= n) throw new ShellError("syntax error: unexpected \"]]\"");
    if (raw(i) === "(") {
      i++;
      const v = await orExpr();
      if (raw(i) !== ")") throw new ShellError("syntax error: expected )");
      i++;
      return v;
    }
    const op1 = raw(i);
    const op2 = raw(i + 1);
    if (op2 !== undefined && (BINARY.has(op2) || op2 === "=~") && i + 2 < n) {
      const a = await str(i);
      const rhs = words[i + 2];
      i += 3;
      if (op2 === "==" || op2 === "=" || op2 === "!=") {
        const m = patternMatch(await expandPattern(sh, rhs), a);
        return op2 === "!=" ? !m : m;
      }
      if (op2 === "=~") return new RegExp(await expandString(sh, rhs)).test(a);
      return wrap(() => binaryTest(sh, a, op2, ""), async () => binaryTest(sh, a, op2, await expandString(sh, rhs)));
    }
    if (op1 !== undefined && UNARY.has(op1) && i + 1 < n) {
      i += 2;
      return unaryTest(sh, op1, await str(i - 1));
    }
    i++;
    return (await str(i - 1)) !== "";
  };
  const v = await orExpr();
  if (i < n) throw new ShellError(`syntax error: unexpected "${words[i].raw}"`);
  return v ? 0 : 1;
}

async function wrap(_probe: () => boolean, real: () => Promise<boolean>): Promise<boolean> {
  try {
    return await real();
  } catch (e) {
    if (e instanceof TestError) throw new ShellError(e.message, 2);
    throw e;
  }
}

function isPlain(w: Word): boolean {
  return w.parts.length === 1 && w.parts[0].k === "lit";
}
