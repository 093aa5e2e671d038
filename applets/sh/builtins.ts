// The shell's builtins. Each takes the context and argv (latin1 strings)
// and returns a status; errors are thrown as ShellError and printed by the
// executor as "sh: NAME: line N: message".
import * as fs from "node:fs";
import * as path from "node:path";
import { signalList, signalNumber } from "../../lib/signals.ts";
import { processEscapes, processEscapesB } from "../../lib/escapes.ts";
import { formatC, parseCSpec } from "../../lib/cformat.ts";
import { BreakSignal, ExitSignal, OPTION_LETTERS, OPTION_NAMES, ReturnSignal, ShellError, type Shell } from "./state.ts";
import { inputReady, OsHandle, readLineFrom, type ReadWait } from "./fds.ts";
import { isatty } from "../../lib/io.ts";
import { withTerminalModes } from "../../lib/termios.ts";
import { runTest, TestError } from "./test.ts";
import { listen, trapName } from "./traps.ts";
import { background, findJob, foreground, listJobs } from "./jobs.ts";
import { ulimit } from "./ulimit.ts";
import { isName, Parser, ShSyntaxError } from "./parser.ts";

export type Builtin = (sh: Shell, argv: string[]) => Promise<number>;

export const builtins = new Map<string, Builtin>();
export const SPECIAL = new Set([":", ".", "break", "continue", "eval", "exec", "exit", "export", "local", "readonly", "return", "set", "shift", "times", "trap", "unset"]);
export const KEYWORDS = new Set(["!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "{", "}", "[["]);

const def = (names: string[], fn: Builtin) => names.forEach((n) => builtins.set(n, fn));
const lazyExec = () => import("./exec.ts");

/** Builtins that are applets too name themselves by the shell's own name ("sh: missing ]"). */
function applet(sh: Shell): string {
  return sh.g.shellName;
}

function num(s: string, what = "Illegal number"): number {
  if (!/^\d+$/.test(s)) throw new ShellError(`${what}: ${s}`, 2);
  return Number(s);
}

/** 'quoted' as ash's set and export print values. */
export function shQuote(s: string): string {
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

def([":", "true"], async () => 0);
def(["false"], async () => 1);

def(["echo"], async (sh, argv) => {
  let i = 1, nl = true, esc = false;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    for (const f of argv[i].slice(1)) {
      if (f === "n") nl = false;
      else if (f === "e") esc = true;
      else esc = false;
    }
  }
  let text = "";
  for (let k = i; k < argv.length; k++) {
    if (k > i) text += " ";
    if (esc) {
      const [s, stop] = processEscapesB(argv[k]);
      text += s;
      if (stop) { await sh.out(text); return 0; }
    } else text += argv[k];
  }
  await sh.out(nl ? text + "\n" : text);
  return 0;
});

def(["test", "["], async (sh, argv) => {
  let args = argv.slice(1);
  if (argv[0] === "[") {
    if (args[args.length - 1] !== "]") {
      await sh.write(2, `${applet(sh)}: missing ]\n`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return runTest(sh, args) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      await sh.write(2, `${applet(sh)}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
});

// ---- printf ----

function printfNumber(s: string, errors: string[]): bigint {
  if (s === "") return 0n;
  if (/^['"]/.test(s)) return BigInt(s.charCodeAt(1) || 0);
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|\d+)/.exec(s);
  if (!m || m[0].length !== s.length) {
    errors.push(`invalid number '${s}'`);
    return m ? parseIntLike(m[1], m[2]) : 0n;
  }
  return parseIntLike(m[1], m[2]);
}

function parseIntLike(sign: string, digits: string): bigint {
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === "0") v = BigInt("0o" + digits.slice(1));
  else v = BigInt(digits);
  return sign === "-" ? -v : v;
}

function formatFloat(spec: string, conv: string, v: number): string {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?$/.exec(spec)!;
  const flags = m[1];
  const width = m[2] ? Number(m[2]) : 0;
  const prec = m[3] !== undefined ? Number(m[3] || "0") : 6;
  let body: string;
  const lc = conv.toLowerCase();
  if (lc === "f") body = Math.abs(v).toFixed(prec);
  else if (lc === "e") body = Math.abs(v).toExponential(prec).replace(/e([+-])(\d)$/, "e$10$2");
  else {
    const p = prec === 0 ? 1 : prec;
    const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
    if (exp < -4 || exp >= p) body = Math.abs(v).toExponential(p - 1).replace(/e([+-])(\d)$/, "e$10$2");
    else body = Math.abs(v).toFixed(Math.max(0, p - 1 - exp));
    if (!flags.includes("#") && body.includes(".")) body = body.replace(/\.?0+(?=e|$)/, "");
  }
  if (conv === conv.toUpperCase()) body = body.toUpperCase();
  const sign = v < 0 || Object.is(v, -0) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  let out = sign + body;
  if (out.length < width) {
    if (flags.includes("-")) out = out.padEnd(width);
    else if (flags.includes("0")) out = sign + body.padStart(width - sign.length, "0");
    else out = out.padStart(width);
  }
  return out;
}

def(["printf"], async (sh, argv) => {
  if (argv.length < 2) {
    await sh.write(2, `${applet(sh)}: usage: printf FORMAT [ARGUMENT...]\n`);
    return 2;
  }
  const fmt = argv[1];
  const args = argv.slice(2);
  let ai = 0;
  let out = "";
  const errors: string[] = [];
  let stop = false;
  const next = () => (ai < args.length ? args[ai++] : undefined);
  do {
    for (let i = 0; i < fmt.length && !stop; i++) {
      const c = fmt[i];
      if (c === "\\") {
        const [ch, n] = escapeOne(fmt, i + 1);
        if (ch === null) { stop = true; break; }
        out += ch;
        i = n - 1;
        continue;
      }
      if (c !== "%") { out += c; continue; }
      const m = /^([-+ #0]*)(\*|\d*)(?:\.(\*|\d*))?([diouxXcsbeEfgG%])/.exec(fmt.slice(i + 1));
      if (!m) {
        out += fmt.slice(i);
        errors.push(`${fmt.slice(i + 1, i + 2) ? `%${fmt.slice(i + 1, i + 2)}` : "%"}: invalid format`);
        stop = true;
        break;
      }
      i += m[0].length;
      const conv = m[4];
      if (conv === "%") { out += "%"; continue; }
      let width = m[2], prec = m[3];
      if (width === "*") width = String(Number(printfNumber(next() ?? "", errors)));
      if (prec === "*") prec = String(Number(printfNumber(next() ?? "", errors)));
      const modifiers = m[1] + (width ?? "") + (prec !== undefined ? "." + prec : "");
      const arg = next();
      if (conv === "s") out += formatC(parseCSpec(modifiers, "s"), arg ?? "");
      else if (conv === "b") {
        const [s, cut] = processEscapesB(arg ?? "");
        out += formatC(parseCSpec(modifiers, "s"), s);
        if (cut) { stop = true; break; }
      } else if (conv === "c") out += formatC(parseCSpec(modifiers, "s"), (arg ?? "").slice(0, 1));
      else if ("eEfgG".includes(conv)) {
        let v = 0;
        if (arg !== undefined && arg !== "") {
          v = /^['"]/.test(arg) ? arg.charCodeAt(1) : Number(arg);
          if (Number.isNaN(v)) { errors.push(`invalid number '${arg}'`); v = 0; }
        }
        out += formatFloat(modifiers, conv, v);
      } else {
        const v = printfNumber(arg ?? "", errors);
        out += formatC(parseCSpec(modifiers, conv === "i" ? "d" : conv), v);
      }
    }
  } while (!stop && ai < args.length && ai > 0);
  await sh.out(out);
  for (const e of errors) await sh.write(2, `${applet(sh)}: ${e}\n`);
  return errors.length ? 1 : 0;
});

/** One escape of printf's format; null char means \c (stop). */
function escapeOne(s: string, i: number): [string | null, number] {
  if (s[i] === "c") return [null, i + 1];
  const j = s.slice(i).search(/[^0-7]/);
  if (/[0-7]/.test(s[i] ?? "")) {
    const digits = s.slice(i, i + Math.min(3, j < 0 ? 3 : j));
    return [String.fromCharCode(parseInt(digits, 8) & 255), i + digits.length];
  }
  const r = processEscapes("\\" + (s[i] ?? ""));
  if (s[i] === "x") {
    const m = /^x[0-9a-fA-F]{1,2}/.exec(s.slice(i));
    if (m) return [String.fromCharCode(parseInt(m[0].slice(1), 16)), i + m[0].length];
  }
  if (s[i] === undefined) return ["\\", i];
  return [r, i + 1];
}

// ---- Control flow ----

def(["break", "continue"], async (sh, argv) => {
  const n = argv[1] !== undefined ? num(argv[1]) : 1;
  if (n === 0) throw new ShellError(`Illegal number: ${argv[1]}`, 2);
  if (sh.loopDepth === 0) return 0;
  throw new BreakSignal(Math.min(n, sh.loopDepth), argv[0] === "continue");
});

def(["return"], async (sh, argv) => {
  const n = argv[1] !== undefined ? num(argv[1]) & 255 : sh.status;
  throw new ReturnSignal(n);
});

def(["exit"], async (sh, argv) => {
  const n = argv[1] !== undefined ? num(argv[1]) & 255 : sh.status;
  throw new ExitSignal(n);
});

def(["eval"], async (sh, argv) => {
  const text = argv.slice(1).join(" ");
  if (!text.trim()) return 0;
  const { execNode } = await lazyExec();
  const p = new Parser(text, 0, { aliases: sh.aliases }, sh.line);
  let status = 0;
  try {
    for (let n = p.parseNext(); n; n = p.parseNext()) status = await execNode(sh, n);
  } catch (e) {
    if (e instanceof ShSyntaxError) {
      await sh.error(e.message, "eval");
      throw new ExitSignal(2);
    }
    throw e;
  }
  return status;
});

def([".", "source"], async (sh, argv) => {
  if (argv.length < 2) throw new ShellError("filename argument required", 2);
  let file = argv[1];
  if (!file.includes("/")) {
    for (const dir of (sh.get("PATH") ?? "").split(":")) {
      const p = path.join(dir || ".", file);
      try {
        if (fs.statSync(Buffer.from(path.resolve(sh.cwd, p), "latin1")).isFile()) { file = p; break; }
      } catch {}
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(Buffer.from(path.resolve(sh.cwd, file), "latin1")).toString("latin1");
  } catch (e: any) {
    await sh.error(`can't open '${argv[1]}': ${e?.code === "ENOENT" ? "No such file or directory" : e?.message}`, argv[0]);
    throw new ExitSignal(2);
  }
  const { execNode } = await lazyExec();
  const savedPos = sh.positional;
  if (argv.length > 2) sh.positional = argv.slice(2);
  const p = new Parser(text, 0, { aliases: sh.aliases });
  let status = 0;
  try {
    for (let n = p.parseNext(); n; n = p.parseNext()) status = await execNode(sh, n);
  } catch (e) {
    if (e instanceof ShSyntaxError) {
      await sh.error(e.message);
      throw new ExitSignal(2);
    }
    if (e instanceof ReturnSignal) status = e.status;
    else throw e;
  } finally {
    if (argv.length > 2) sh.positional = savedPos;
  }
  return status;
});

def(["exec"], async (sh, argv) => {
  if (argv.length < 2) return 0;
  const { execProgram } = await import("./execve.ts");
  return execProgram(sh, argv.slice(1));
});

// ---- Variables ----

function assignArgs(sh: Shell, argv: string[], attr: { exported?: boolean; readonly?: boolean }, label: string): Promise<number> | number {
  const args = argv.slice(1).filter((a) => a !== "-p" && a !== "--");
  if (args.length === 0) {
    const lines: string[] = [];
    for (const k of [...sh.vars.keys()].sort()) {
      const v = sh.vars.get(k)!;
      if ((attr.exported && v.exported) || (attr.readonly && v.readonly)) lines.push(v.value === undefined ? `${label} ${k}\n` : `${label} ${k}=${shQuote(v.value)}\n`);
    }
    return sh.out(lines.join("")).then(() => 0);
  }
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) throw new ShellError(`${name}: bad variable name`, 2);
    sh.setAttr(name, attr, eq < 0 ? undefined : a.slice(eq + 1));
  }
  return status;
}

def(["export"], async (sh, argv) => {
  if (argv[1] === "-n") {
    for (const n of argv.slice(2)) {
      const v = sh.vars.get(n);
      if (v) sh.vars.set(n, { ...v, exported: false });
    }
    sh.invalidateEnv();
    return 0;
  }
  return assignArgs(sh, argv, { exported: true }, "export");
});
def(["readonly"], async (sh, argv) => assignArgs(sh, argv, { readonly: true }, "readonly"));

def(["local"], async (sh, argv) => {
  if (sh.locals.length === 0) throw new ShellError("not in a function", 2);
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) throw new ShellError(`${name}: bad variable name`, 2);
    sh.makeLocal(name);
    if (eq >= 0) sh.set(name, a.slice(eq + 1));
  }
  return 0;
});

def(["unset"], async (sh, argv) => {
  let funcs = false;
  let i = 1;
  for (; i < argv.length && argv[i].startsWith("-"); i++) {
    if (argv[i] === "-f") funcs = true;
    else if (argv[i] === "-v") funcs = false;
    else if (argv[i] === "--") { i++; break; }
  }
  for (const n of argv.slice(i)) {
    if (funcs) sh.funcs.delete(n);
    else {
      if (sh.vars.has(n)) sh.unset(n);
      else if (!sh.vars.has(n)) sh.funcs.delete(n);
    }
  }
  return 0;
});

def(["shift"], async (sh, argv) => {
  const n = argv[1] !== undefined ? num(argv[1]) : 1;
  if (n > sh.positional.length) return 1;
  sh.positional = sh.positional.slice(n);
  return 0;
});

def(["set"], async (sh, argv) => {
  if (argv.length === 1) {
    const lines = [...sh.vars.keys()].sort().filter((k) => sh.vars.get(k)!.value !== undefined).map((k) => `${k}=${shQuote(sh.vars.get(k)!.value!)}\n`);
    await sh.out(lines.join(""));
    return 0;
  }
  let i = 1;
  let setPositional = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { i++; setPositional = true; break; }
    if (a === "-" ) { i++; sh.opts.delete("xtrace"); sh.opts.delete("verbose"); setPositional = true; break; }
    if (a[0] !== "-" && a[0] !== "+") break;
    const on = a[0] === "-";
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === "o") {
        const name = argv[i + 1];
        if (name === undefined) {
          await listOptions(sh, on);
          return 0;
        }
        i++;
        if (!OPTION_NAMES.includes(name)) throw new ShellError(`Illegal option -o ${name}`, 2);
        if (on) sh.opts.add(name);
        else sh.opts.delete(name);
        continue;
      }
      const name = OPTION_LETTERS[c];
      if (!name) throw new ShellError(`Illegal option ${a[0]}${c}`, 2);
      if (on) sh.opts.add(name);
      else sh.opts.delete(name);
    }
  }
  if (i < argv.length || setPositional) {
    sh.positional = argv.slice(i);
    sh.optPos = 1;
  }
  return 0;
});

async function listOptions(sh: Shell, human: boolean): Promise<void> {
  let out = "";
  for (const n of OPTION_NAMES) {
    const on = sh.opts.has(n);
    out += human ? `${n.padEnd(16)}${on ? "on" : "off"}\n` : `set ${on ? "-" : "+"}o ${n}\n`;
  }
  await sh.out(out);
}

def(["times"], async (sh) => {
  const u = process.cpuUsage();
  const f = (us: number) => `${Math.floor(us / 60e6)}m${((us % 60e6) / 1e6).toFixed(2)}s`;
  await sh.out(`${f(u.user)} ${f(u.system)}\n0m0.00s 0m0.00s\n`);
  return 0;
});

def(["trap"], async (sh, argv) => {
  let args = argv.slice(1);
  if (args[0] === "--") args = args.slice(1);
  if (args.length === 0) {
    let out = "";
    for (const [sig, action] of sh.traps) out += `trap -- ${shQuote(action)} ${sig}\n`;
    await sh.out(out);
    return 0;
  }
  if (args[0] === "-l") {
    await sh.out(signalList().map(([n, s]) => `${String(n).padStart(2)}) ${s}`).join("\n") + "\n");
    return 0;
  }
  let action: string | undefined = args[0];
  let sigs = args.slice(1);
  // "trap N..." (a number first) resets, as does "trap - SIG".
  if (/^\d+$/.test(args[0])) { action = undefined; sigs = args; }
  else if (args[0] === "-") action = undefined;
  if (sigs.length === 0) throw new ShellError("usage: trap [action] signal...", 2);
  let status = 0;
  for (const s of sigs) {
    const name = trapName(s);
    if (!name) {
      await sh.error(`${s}: invalid signal specification`, "trap");
      status = 1;
      continue;
    }
    if (action === undefined) sh.traps.delete(name);
    else sh.traps.set(name, action);
    if (!sh.subshell) listen(sh, name, action !== undefined);
  }
  return status;
});

// ---- Directories ----

def(["cd"], async (sh, argv) => {
  let args = argv.slice(1);
  let physical = false;
  while (args[0] === "-P" || args[0] === "-L") { physical = args[0] === "-P"; args = args.slice(1); }
  if (args[0] === "--") args = args.slice(1);
  let dir: string | undefined = args[0];
  let print = false;
  if (dir === undefined) {
    dir = sh.get("HOME");
    if (!dir) return 0;
  } else if (dir === "-") {
    dir = sh.get("OLDPWD") ?? sh.cwd;
    print = true;
  }
  let target = path.resolve(sh.cwd, dir);
  if (!dir.startsWith("/") && !/^\.\.?(\/|$)/.test(dir) && sh.get("CDPATH")) {
    for (const base of sh.get("CDPATH")!.split(":")) {
      const t = path.resolve(sh.cwd, base || ".", dir);
      if (isDir(t)) {
        target = t;
        if (base) print = true;
        break;
      }
    }
  }
  try {
    const st = fs.statSync(Buffer.from(target, "latin1"));
    if (!st.isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    fs.accessSync(Buffer.from(target, "latin1"), fs.constants.X_OK);
  } catch (e: any) {
    const why = { ENOENT: "No such file or directory", ENOTDIR: "Not a directory", EACCES: "Permission denied" }[e?.code as string] ?? String(e?.code);
    throw new ShellError(`can't cd to ${dir}: ${why}`, 2);
  }
  if (physical) target = fs.realpathSync(Buffer.from(target, "latin1"), { encoding: "buffer" }).toString("latin1");
  sh.set("OLDPWD", sh.cwd);
  sh.cwd = target;
  sh.set("PWD", target);
  if (print) await sh.out(target + "\n");
  return 0;
});

function isDir(p: string): boolean {
  try {
    return fs.statSync(Buffer.from(p, "latin1")).isDirectory();
  } catch {
    return false;
  }
}

def(["pwd"], async (sh, argv) => {
  let p = sh.cwd;
  if (argv[1] === "-P") p = fs.realpathSync(Buffer.from(p, "latin1"), { encoding: "buffer" }).toString("latin1");
  await sh.out(p + "\n");
  return 0;
});

def(["umask"], async (sh, argv) => {
  let args = argv.slice(1);
  const symbolic = args[0] === "-S";
  if (symbolic) args = args.slice(1);
  if (args.length === 0) {
    if (symbolic) {
      const perm = (bits: number) => (bits & 4 ? "r" : "") + (bits & 2 ? "w" : "") + (bits & 1 ? "x" : "");
      const m = ~sh.umask & 0o777;
      await sh.out(`u=${perm(m >> 6)},g=${perm((m >> 3) & 7)},o=${perm(m & 7)}\n`);
    } else await sh.out(sh.umask.toString(8).padStart(4, "0") + "\n");
    return 0;
  }
  const a = args[0];
  if (/^[0-7]+$/.test(a)) sh.umask = parseInt(a, 8) & 0o777;
  else {
    const { parseMode } = await import("../../lib/mode.ts").catch(() => ({ parseMode: undefined as any }));
    if (!parseMode) throw new ShellError(`Illegal mode: ${a}`, 1);
    const m = parseMode(a, ~sh.umask & 0o777);
    if (m === undefined) throw new ShellError(`Illegal mode: ${a}`, 1);
    sh.umask = ~m & 0o777;
  }
  return 0;
});

// ---- Input ----

def(["read"], async (sh, argv) => {
  let raw = false, prompt: string | undefined, silent = false, nchars = Infinity, delim = "\n", timeout: number | undefined;
  let fd = 0;
  let i = 1;
  for (; i < argv.length && argv[i][0] === "-" && argv[i] !== "-"; i++) {
    const a = argv[i];
    if (a === "--") { i++; break; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const val = () => {
        const v = a.slice(j + 1) || argv[++i];
        j = a.length;
        if (v === undefined) throw new ShellError(`no arg for -${c} option`, 2);
        return v;
      };
      if (c === "r") raw = true;
      else if (c === "s") silent = true;
      else if (c === "p") prompt = val();
      else if (c === "n") nchars = num(val(), "invalid count");
      else if (c === "d") delim = val()[0] ?? "\0";
      else if (c === "t") {
        // ash takes seconds with an optional fraction: "1", "0.5", "1." (not ".5").
        const v = val();
        if (!/^\d+(\.\d*)?$/.test(v)) throw new ShellError("invalid timeout", 2);
        timeout = Number(v.endsWith(".") ? v.slice(0, -1) : v);
      } else if (c === "u") fd = num(val(), "invalid file descriptor");
      else throw new ShellError(`-${c}: invalid option`, 2);
    }
  }
  const names = argv.slice(i);
  if (names.length === 0) names.push("REPLY");
  for (const n of names) if (!isName(n)) throw new ShellError(`'${n}': not a valid identifier`, 2);
  const h = sh.fds.get(fd);
  // -t 0 only asks whether input is there; nothing is read or assigned.
  if (timeout === 0) return (await inputReady(h)) ? 0 : 1;
  const tty = h instanceof OsHandle && h.readable && isatty(h.fd);
  // As ash: the prompt only for a terminal.
  if (prompt !== undefined && tty) await sh.write(2, prompt);
  // An interactive shell's Ctrl-C ends a read from the terminal (and puts echo back).
  const wait: ReadWait = {
    deadline: timeout === undefined ? undefined : Date.now() + timeout * 1000,
    signal: tty && !sh.background ? sh.g.abort?.signal : undefined,
  };
  let line = "";
  let ended = false;
  let stop: "timeout" | "interrupt" | undefined;
  const readOnce = async () => {
    for (;;) {
      const [part, got, why] = await readLineFrom(h, delim.charCodeAt(0), nchars - line.length, wait);
      stop = why;
      if (!raw) {
        // A backslash quotes the next character; backslash-newline continues the line.
        if (got && /(^|[^\\])(\\\\)*\\$/.test(part)) {
          line += part.slice(0, -1);
          continue;
        }
      }
      line += part;
      ended = got || line.length >= nchars;
      return got || part.length > 0;
    }
  };
  // -s: no echo; -n: each key as it is typed (ash sets both on a terminal).
  const modes = { echo: silent ? false : undefined, canonical: nchars !== Infinity ? false : undefined };
  const gotAny = tty && (silent || nchars !== Infinity) ? await withTerminalModes((h as OsHandle).fd, modes, readOnce) : await readOnce();
  if (stop === "interrupt") return 130;
  // A timeout leaves the variables as they were.
  if (stop === "timeout") return 1;
  assignRead(sh, names, line, raw);
  return ended && gotAny ? 0 : 1;
});

function assignRead(sh: Shell, names: string[], line: string, raw: boolean): void {
  const ifsVar = sh.get("IFS");
  const ifs = ifsVar === undefined ? " \t\n" : ifsVar;
  const isWs = (c: string) => (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
  // Split into chars with "escaped" marks (backslashes without -r).
  const chars: [string, boolean][] = [];
  for (let k = 0; k < line.length; k++) {
    if (!raw && line[k] === "\\" && k + 1 < line.length) chars.push([line[++k], true]);
    else if (!raw && line[k] === "\\") continue;
    else chars.push([line[k], false]);
  }
  let p = 0;
  const skipWs = () => { while (p < chars.length && !chars[p][1] && isWs(chars[p][0])) p++; };
  skipWs();
  for (let v = 0; v < names.length; v++) {
    if (v === names.length - 1) {
      // The last variable takes the rest, less trailing IFS whitespace.
      let end = chars.length;
      while (end > p && !chars[end - 1][1] && isWs(chars[end - 1][0])) end--;
      sh.set(names[v], chars.slice(p, end).map((c) => c[0]).join(""));
      break;
    }
    let field = "";
    while (p < chars.length && (chars[p][1] || !ifs.includes(chars[p][0]))) field += chars[p++][0];
    if (p < chars.length) {
      // One delimiter: whitespace around at most one non-whitespace IFS char.
      skipWs();
      if (p < chars.length && !chars[p][1] && ifs.includes(chars[p][0]) && !isWs(chars[p][0])) p++;
      skipWs();
    }
    sh.set(names[v], field);
  }
}

def(["getopts"], async (sh, argv) => {
  if (argv.length < 3) throw new ShellError("usage: getopts optstring var [arg]", 2);
  const optstring = argv[1];
  const name = argv[2];
  const args = argv.length > 3 ? argv.slice(3) : sh.positional;
  const silent = optstring.startsWith(":");
  const spec = silent ? optstring.slice(1) : optstring;
  let ind = Number(sh.get("OPTIND") ?? "1") || 1;
  const done = () => {
    sh.set(name, "?");
    sh.optPos = 1;
    return 1;
  };
  if (ind > args.length) return done();
  let arg = args[ind - 1];
  if (sh.optPos === 1) {
    if (arg === "--") { sh.set("OPTIND", String(ind + 1)); return done(); }
    if (!arg || arg[0] !== "-" || arg === "-") return done();
  }
  const c = arg[sh.optPos];
  let pos = sh.optPos + 1;
  const advance = () => {
    if (pos >= arg.length) { ind++; pos = 1; }
  };
  const k = spec.indexOf(c);
  if (k < 0 || c === ":") {
    advance();
    sh.set("OPTIND", String(ind));
    sh.optPos = pos;
    sh.set(name, "?");
    if (silent) sh.set("OPTARG", c);
    else {
      sh.unset("OPTARG");
      await sh.write(2, `Illegal option -${c}\n`);
    }
    return 0;
  }
  if (spec[k + 1] === ":") {
    let val: string | undefined;
    if (pos < arg.length) val = arg.slice(pos);
    else val = args[ind];
    if (pos >= arg.length) ind++;
    ind++;
    pos = 1;
    if (val === undefined) {
      sh.set("OPTIND", String(ind - 1));
      sh.optPos = 1;
      if (silent) { sh.set(name, ":"); sh.set("OPTARG", c); }
      else {
        sh.set(name, "?");
        sh.unset("OPTARG");
        await sh.write(2, `No arg for -${c} option\n`);
      }
      return 0;
    }
    sh.set("OPTARG", val);
  } else {
    advance();
    sh.unset("OPTARG");
  }
  sh.set("OPTIND", String(ind));
  sh.optPos = pos;
  sh.set(name, c);
  return 0;
});

// ---- Commands ----

async function describe(sh: Shell, name: string, verbose: boolean, pathOnly = false): Promise<boolean> {
  const { lookPath } = await lazyExec();
  const say = (s: string) => sh.out(s + "\n");
  if (!pathOnly) {
    if (sh.aliases.has(name)) {
      await say(verbose ? `${name} is an alias for ${sh.aliases.get(name)}` : `alias ${name}=${shQuote(sh.aliases.get(name)!)}`);
      return true;
    }
    if (KEYWORDS.has(name)) {
      await say(verbose ? `${name} is a shell keyword` : name);
      return true;
    }
    if (SPECIAL.has(name)) {
      await say(verbose ? `${name} is a special shell builtin` : name);
      return true;
    }
    if (sh.funcs.has(name)) {
      await say(verbose ? `${name} is a function` : name);
      return true;
    }
    if (builtins.has(name)) {
      await say(verbose ? `${name} is a shell builtin` : name);
      return true;
    }
    if (!name.includes("/")) {
      const { loadApplet } = await import("../../lib/applet.ts");
      if (await loadApplet(name)) {
        await say(verbose ? `${name} is ${name}` : name);
        return true;
      }
    }
  }
  const p = lookPath(sh, name);
  if (p) {
    await say(verbose ? `${name} is ${p}` : p);
    return true;
  }
  if (verbose) await say(`${name}: not found`);
  return false;
}

def(["type"], async (sh, argv) => {
  let status = 0;
  for (const n of argv.slice(1)) if (!(await describe(sh, n, true))) status = 127;
  return status;
});

def(["command"], async (sh, argv) => {
  let i = 1;
  let v = false, V = false, p = false;
  for (; i < argv.length && /^-[vVp]+$/.test(argv[i]); i++) {
    if (argv[i].includes("v")) v = true;
    if (argv[i].includes("V")) V = true;
    if (argv[i].includes("p")) p = true;
  }
  if (argv[i] === "--") i++;
  const rest = argv.slice(i);
  if (rest.length === 0) return 0;
  if (v || V) {
    const ok = await describe(sh, rest[0], V);
    return ok ? 0 : 127;
  }
  const { runCommand, runProgram } = await lazyExec();
  if (p) {
    const saved = sh.get("PATH");
    const vars = new Map(sh.vars);
    sh.vars.set("PATH", { value: "/sbin:/usr/sbin:/bin:/usr/bin", exported: true });
    try {
      return builtins.has(rest[0]) ? await runCommand(sh, rest, [], true) : await runProgram(sh, rest, [], true);
    } finally {
      sh.vars = vars;
      void saved;
    }
  }
  return runCommand(sh, rest, [], true);
});

def(["hash"], async (sh, argv) => {
  const { lookPath } = await lazyExec();
  if (argv[1] === "-r") { sh.hashed.clear(); return 0; }
  if (argv.length === 1) {
    await sh.out([...sh.hashed.values()].map((p) => p + "\n").join(""));
    return 0;
  }
  let status = 0;
  for (const n of argv.slice(1)) {
    sh.hashed.delete(n);
    if (!lookPath(sh, n)) { await sh.error(`${n}: not found`, "hash"); status = 1; }
  }
  return status;
});

def(["alias"], async (sh, argv) => {
  if (argv.length === 1) {
    await sh.out([...sh.aliases].map(([k, v]) => `${k}=${shQuote(v)}\n`).join(""));
    return 0;
  }
  let status = 0;
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    if (eq > 0) sh.aliases.set(a.slice(0, eq), a.slice(eq + 1));
    else if (sh.aliases.has(a)) await sh.out(`${a}=${shQuote(sh.aliases.get(a)!)}\n`);
    else { await sh.error(`${a}: not found`, "alias"); status = 1; }
  }
  return status;
});

def(["unalias"], async (sh, argv) => {
  if (argv[1] === "-a") { sh.aliases.clear(); return 0; }
  let status = 0;
  for (const a of argv.slice(1)) {
    if (!sh.aliases.delete(a)) { await sh.error(`${a}: not found`, "unalias"); status = 1; }
  }
  return status;
});

def(["let"], async (sh, argv) => {
  const { evalArith, ArithError } = await import("./arith.ts");
  const { arithVars } = await import("./expand.ts");
  let v = 0n;
  for (const e of argv.slice(1)) {
    try {
      v = evalArith(e, arithVars(sh));
    } catch (err) {
      if (err instanceof ArithError) throw new ShellError(err.message, 2);
      throw err;
    }
  }
  return v === 0n ? 1 : 0;
});

// ---- Resources ----

def(["ulimit"], ulimit);

// ---- Jobs ----

def(["wait"], async (sh, argv) => {
  const g = sh.g;
  const waitFor = async (p: Promise<number>) => {
    let wake!: () => void;
    const sig = new Promise<string>((r) => (wake = () => r("sig")));
    g.signalWaiters.add(wake);
    try {
      const r = await Promise.race([p, sig]);
      if (r === "sig") {
        const name = g.pendingSignals[0];
        const { runTraps } = await import("./traps.ts");
        await runTraps(sh);
        return 128 + (signalNumber(name ?? "") ?? 0);
      }
      return r as number;
    } finally {
      g.signalWaiters.delete(wake);
    }
  };
  if (argv.length === 1) {
    for (const [pid, job] of [...g.jobs]) {
      const s = await waitFor(job.done);
      if (s > 128 && job.status === undefined) return s;
    }
    return 0;
  }
  let status = 0;
  for (const a of argv.slice(1)) {
    let pid = Number(a);
    if (a.startsWith("%")) {
      const id = Number(a.slice(1));
      pid = [...g.jobs.values()].find((j) => j.id === id)?.pid ?? -1;
    }
    const job = g.jobs.get(pid);
    if (!job) { status = 127; continue; }
    // The job stays in the table, as in ash, until `jobs` or a notice reports it.
    status = await waitFor(job.done);
  }
  return status;
});

def(["jobs"], async (sh, argv) => {
  let mode: "normal" | "long" | "pids" = "normal";
  let i = 1;
  for (; i < argv.length && argv[i][0] === "-" && argv[i].length > 1; i++) {
    if (argv[i] === "--") { i++; break; }
    for (const c of argv[i].slice(1)) {
      if (c === "l") mode = "long";
      else if (c === "p") mode = "pids";
      else throw new ShellError(`illegal option -${c}`, 2);
    }
  }
  await listJobs(sh, mode, argv.slice(i));
  return 0;
});

def(["fg"], async (sh, argv) => foreground(sh, argv[1]));

def(["bg"], async (sh, argv) => background(sh, argv.slice(1)));

def(["kill"], async (sh, argv) => {
  let sig = 15;
  let i = 1;
  const a1 = argv[1];
  if (a1 === "-l" || a1 === "-L") {
    if (argv[2] !== undefined) {
      const n = Number(argv[2]);
      const s = signalList().find(([k]) => k === (n > 128 ? n - 128 : n));
      await sh.out((s ? s[1] : argv[2]) + "\n");
    } else await sh.out(signalList().map(([n, s]) => `${String(n).padStart(2)}) ${s}`).join("\n") + "\n");
    return 0;
  }
  if (a1 === "-s" || a1 === "-n") {
    const n = signalNumber(argv[2] ?? "");
    if (n === undefined) { await sh.write(2, `${applet(sh)}: bad signal name '${argv[2]}'\n`); return 1; }
    sig = n;
    i = 3;
  } else if (a1 && a1[0] === "-" && a1 !== "--") {
    const n = signalNumber(a1.slice(1));
    if (n === undefined) { await sh.write(2, `${applet(sh)}: bad signal name '${a1.slice(1)}'\n`); return 1; }
    sig = n;
    i = 2;
  }
  if (argv[i] === "--") i++;
  if (i >= argv.length) {
    await sh.write(2, `${applet(sh)}: usage: kill [-s SIGNAL | -SIGNAL] PID...\n`);
    return 1;
  }
  let status = 0;
  for (const a of argv.slice(i)) {
    let pid = Number(a);
    if (a.startsWith("%")) pid = findJob(sh.g, a).pid;
    const job = sh.g.jobs.get(pid);
    // A job's programs share a process group (job control); an in-process part ends at its next command.
    if (job && job.status === undefined && (job.pgid !== undefined || pid >= 10_000_000)) {
      if (job.pgid !== undefined && job.procs.size > 0) {
        try {
          process.kill(-job.pgid, sig);
        } catch {
          // Its trampoline has not made the group yet: each program then.
          for (const p of job.procs.keys()) try { process.kill(p, sig); } catch {}
        }
      }
      job.kill?.(sig);
      continue;
    }
    if (!/^-?\d+$/.test(a) && !a.startsWith("%")) {
      await sh.write(2, `${applet(sh)}: invalid number '${a}'\n`);
      status = 1;
      continue;
    }
    try {
      process.kill(pid, sig);
      // A signal to ourselves is handled before the next command, as in ash.
      if (pid === sh.g.pid && sig !== 0) {
        for (let t = 0; t < 50 && !sh.g.pendingSignals.length; t++) await new Promise((r) => setTimeout(r, 1));
      }
    } catch (e: any) {
      await sh.write(2, `${applet(sh)}: can't kill pid ${a}: ${e?.code === "ESRCH" ? "No such process" : e?.code === "EPERM" ? "Operation not permitted" : e?.message}\n`);
      status = 1;
    }
  }
  return status;
});
