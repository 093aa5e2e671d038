// Word expansion in POSIX order: tilde, parameters, command substitution and
// arithmetic (left to right), then field splitting on IFS, pathname
// expansion, and quote removal. Strings are latin1 byte strings throughout.
//
// Expansion first produces segments that remember whether each piece was
// quoted (no splitting, no globbing) and whether it came from an expansion
// (only those are split); BREAK separates the fields of "$@".
import * as fs from "node:fs";
import * as path from "node:path";
import type { Node, Part, Word } from "./ast.ts";
import { ArithError, evalArith, type ArithVars } from "./arith.ts";
import { ShellError, type Shell } from "./state.ts";
import { compileGlob, globToRegexSource, hasGlobMagic } from "../../lib/glob.ts";
import { userByName } from "../../lib/users.ts";

interface Seg {
  s: string;
  /** Quoted: literal for globbing and never split. */
  q: boolean;
  /** The result of an unquoted expansion: subject to field splitting. */
  sp: boolean;
}
const BREAK: Seg = { s: "", q: true, sp: false };

/** Running command substitutions is the executor's business (set by exec.ts). */
export const hooks: { subst: (sh: Shell, node: Node) => Promise<string> } = {
  subst: async () => "",
};

export function arithVars(sh: Shell): ArithVars {
  return {
    get: (name) => {
      const v = sh.get(name);
      if (v === undefined && sh.opts.has("nounset")) throw new ShellError(`${name}: parameter not set`);
      return v;
    },
    set: (name, value) => sh.set(name, value),
  };
}

// ---- Parameters ----

/** A parameter's value; undefined when unset. */
export function paramValue(sh: Shell, name: string): string | undefined {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(name);
    if (n === 0) return sh.name;
    return sh.positional[n - 1];
  }
  if (name.length === 1) {
    switch (name) {
      case "@":
      case "*":
        return sh.positional.length ? sh.positional.join(ifsFirst(sh)) : undefined;
      case "#": return String(sh.positional.length);
      case "?": return String(sh.status);
      case "$": return String(sh.g.pid);
      case "!": return sh.lastBg === undefined ? undefined : String(sh.lastBg);
      case "-": return optionFlags(sh);
    }
  }
  if (name === "LINENO") return String(sh.line);
  return sh.get(name);
}

function optionFlags(sh: Shell): string {
  let s = "";
  for (const [letter, name] of [["c", "cmdstring"], ["e", "errexit"], ["f", "noglob"], ["m", "monitor"], ["n", "noexec"], ["s", "stdin"], ["x", "xtrace"], ["v", "verbose"], ["C", "noclobber"], ["a", "allexport"], ["u", "nounset"], ["i", "interactive"]]) {
    if (sh.opts.has(name)) s += letter;
  }
  return s;
}

function ifsFirst(sh: Shell): string {
  const ifs = sh.get("IFS");
  return ifs === undefined ? " " : ifs.slice(0, 1);
}

// ---- Segments ----

/**
 * `splitLiterals`: literal text is split too, as the word of an unquoted
 * ${x:+word} or ${x:-word} is (`${x:+--opt "$x"}` gives two fields).
 */
async function expandParts(sh: Shell, parts: Part[], inDq: boolean, out: Seg[], atStart: boolean, splitLiterals = false): Promise<void> {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    switch (p.k) {
      case "lit": {
        let s = p.s;
        if (!inDq && atStart && i === 0 && s[0] === "~") {
          const t = tilde(sh, s, parts.length === 1);
          if (t) {
            out.push({ s: t[0], q: true, sp: false });
            s = t[1];
          }
        }
        if (s) out.push({ s, q: inDq, sp: splitLiterals && !inDq });
        break;
      }
      case "sq":
        out.push({ s: p.s, q: true, sp: false });
        break;
      case "dq": {
        // "$@" with no parameters is no field at all; otherwise "" is one empty field.
        if (!(p.parts.length === 1 && p.parts[0].k === "param" && p.parts[0].name === "@" && p.parts[0].op === "" && sh.positional.length === 0)) {
          out.push({ s: "", q: true, sp: false });
        }
        await expandParts(sh, p.parts, true, out, false);
        break;
      }
      case "param":
        await expandParam(sh, p, inDq, out);
        break;
      case "cmd": {
        const text = (await hooks.subst(sh, p.node)).replace(/\n+$/, "");
        out.push({ s: text, q: inDq, sp: !inDq });
        break;
      }
      case "arith": {
        const expr = await expandString(sh, p.w);
        let v: bigint;
        try {
          v = evalArith(expr, arithVars(sh));
        } catch (e) {
          if (e instanceof ArithError) throw new ShellError(e.message);
          throw e;
        }
        out.push({ s: String(v), q: inDq, sp: !inDq });
        break;
      }
      case "tilde":
        break;
    }
  }
}

/** "~" or "~user" at the start of a word: [home, rest of the literal], or undefined. */
function tilde(sh: Shell, s: string, whole: boolean): [string, string] | undefined {
  const slash = s.indexOf("/");
  if (slash < 0 && !whole) return undefined;
  const user = s.slice(1, slash < 0 ? undefined : slash);
  const rest = slash < 0 ? "" : s.slice(slash);
  if (user === "") {
    const home = sh.get("HOME");
    return home === undefined ? undefined : [home, rest];
  }
  const pw = userByName(user);
  return pw ? [pw.home, rest] : undefined;
}

async function expandParam(sh: Shell, p: Extract<Part, { k: "param" }>, inDq: boolean, out: Seg[]): Promise<void> {
  const { name, op } = p;
  const isAt = name === "@" || name === "*";
  let value = paramValue(sh, name);
  if (op === "len") {
    if (isAt) value = String(sh.positional.length);
    else {
      if (value === undefined && sh.opts.has("nounset")) throw new ShellError(`${name}: parameter not set`);
      value = String((value ?? "").length);
    }
    out.push({ s: value, q: inDq, sp: !inDq });
    return;
  }
  const unset = value === undefined || (p.colon && value === "");
  switch (op) {
    case "-":
    case "=":
      if (unset) {
        if (op === "=") {
          if (!/^[A-Za-z_]\w*$/.test(name)) throw new ShellError(`${name}: bad variable name`);
          const v = await expandString(sh, p.arg!, inDq);
          sh.set(name, v);
          out.push({ s: v, q: inDq, sp: !inDq });
        } else await expandParts(sh, p.arg!.parts, inDq, out, false, true);
        return;
      }
      break;
    case "+":
      if (!unset) await expandParts(sh, p.arg!.parts, inDq, out, false, true);
      return;
    case "?":
      if (unset) {
        const msg = p.arg && p.arg.parts.length ? await expandString(sh, p.arg) : "parameter not set";
        throw new ShellError(`${name}: ${msg}`);
      }
      break;
    case "":
      if (value === undefined && sh.opts.has("nounset") && !isAt && name !== "!") throw new ShellError(`${name}: parameter not set`);
      break;
    default: {
      if (value === undefined && sh.opts.has("nounset") && !isAt) throw new ShellError(`${name}: parameter not set`);
      value = await transform(sh, p, value ?? "");
      out.push({ s: value, q: inDq, sp: !inDq });
      return;
    }
  }
  if (isAt && sh.positional.length && (name === "@" || !inDq)) {
    // Each positional parameter is its own field ("$*" in quotes is one, joined).
    sh.positional.forEach((v, i) => {
      if (i > 0) out.push(BREAK);
      out.push({ s: v, q: inDq, sp: !inDq });
    });
    return;
  }
  if (value !== undefined) out.push({ s: value, q: inDq, sp: !inDq });
}

/** The pattern and substring operators: # ## % %% / // /# /% :off:len. */
async function transform(sh: Shell, p: Extract<Part, { k: "param" }>, v: string): Promise<string> {
  const op = p.op;
  if (op === ":") {
    const vars = arithVars(sh);
    const ev = async (w: Word) => {
      try {
        return Number(evalArith(await expandString(sh, w), vars));
      } catch (e) {
        if (e instanceof ArithError) throw new ShellError(e.message);
        throw e;
      }
    };
    let off = await ev(p.arg!);
    if (off < 0) off = Math.max(0, v.length + off);
    if (off > v.length) return "";
    if (!p.arg2) return v.slice(off);
    const len = await ev(p.arg2);
    if (len < 0) return v.slice(off, Math.max(off, v.length + len));
    return v.slice(off, off + len);
  }
  const pat = await expandPattern(sh, p.arg!);
  if (op === "#" || op === "##") {
    const re = shellPattern(pat);
    if (op === "#") {
      for (let i = 0; i <= v.length; i++) if (re.test(v.slice(0, i))) return v.slice(i);
    } else {
      for (let i = v.length; i >= 0; i--) if (re.test(v.slice(0, i))) return v.slice(i);
    }
    return v;
  }
  if (op === "%" || op === "%%") {
    const re = shellPattern(pat);
    if (op === "%") {
      for (let i = v.length; i >= 0; i--) if (re.test(v.slice(i))) return v.slice(0, i);
    } else {
      for (let i = 0; i <= v.length; i++) if (re.test(v.slice(i))) return v.slice(0, i);
    }
    return v;
  }
  // Replacement: the longest match at the leftmost place (anchored for /# and /%).
  const rep = p.arg2 ? await expandString(sh, p.arg2) : "";
  if (pat === "") return v;
  const src = globToRegexSource(pat);
  const flags = op === "//" ? "g" : "";
  const anchored = op === "/#" ? `^(?:${src})` : op === "/%" ? `(?:${src})$` : src;
  const re = new RegExp(greedy(anchored), flags);
  return v.replace(re, () => rep);
}

/** Glob regexes are greedy already; kept as a hook for the longest-match rule. */
function greedy(src: string): string {
  return src;
}

// ---- Splitting and globbing ----

interface Field {
  text: string;
  /** The field as a glob pattern: quoted characters backslash-escaped. */
  pat: string;
  glob: boolean;
  present: boolean;
}

function splitFields(sh: Shell, segs: Seg[]): Field[] {
  const ifsVar = sh.get("IFS");
  const ifs = ifsVar === undefined ? " \t\n" : ifsVar;
  const fields: Field[] = [];
  let f: Field = { text: "", pat: "", glob: false, present: false };
  let afterWs = false;
  const end = (force: boolean) => {
    if (f.present || force) fields.push(f);
    f = { text: "", pat: "", glob: false, present: false };
  };
  for (const seg of segs) {
    if (seg === BREAK) {
      end(false);
      afterWs = false;
      continue;
    }
    if (seg.q) {
      f.present = true;
      f.text += seg.s;
      f.pat += seg.s.replace(/[\\*?[\]]/g, "\\$&");
      afterWs = false;
      continue;
    }
    if (!seg.sp || ifs === "") {
      if (seg.s) {
        f.present = true;
        f.text += seg.s;
        f.pat += seg.s;
        if (/[*?[]/.test(seg.s)) f.glob = true;
        afterWs = false;
      }
      continue;
    }
    for (const c of seg.s) {
      if (ifs.includes(c)) {
        if (c === " " || c === "\t" || c === "\n") {
          if (f.present) {
            end(false);
            afterWs = true;
          }
        } else if (afterWs) afterWs = false;
        else end(true);
        continue;
      }
      f.present = true;
      f.text += c;
      f.pat += c;
      if (c === "*" || c === "?" || c === "[") f.glob = true;
      afterWs = false;
    }
  }
  end(false);
  return fields;
}

/** Expand words into fields: the arguments of a command, the list of a for loop. */
export async function expandWords(sh: Shell, words: Word[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    // Plain words (the common case) need no machinery.
    if (w.parts.length === 1 && w.parts[0].k === "lit" && !/[*?[~]/.test(w.parts[0].s)) {
      out.push(w.parts[0].s);
      continue;
    }
    const segs: Seg[] = [];
    await expandParts(sh, w.parts, false, segs, true);
    for (const f of splitFields(sh, segs)) {
      if (f.glob && !sh.opts.has("noglob") && hasGlobMagic(f.pat)) {
        const m = glob(sh.cwd, f.pat);
        if (m.length) {
          out.push(...m);
          continue;
        }
      }
      out.push(f.text);
    }
  }
  return out;
}

/** One string, no splitting or globbing (assignments, redirections, case words, here-documents). */
export async function expandString(sh: Shell, w: Word, inDq = false): Promise<string> {
  if (w.parts.length === 1 && w.parts[0].k === "lit" && w.parts[0].s[0] !== "~") return w.parts[0].s;
  const segs: Seg[] = [];
  await expandParts(sh, w.parts, inDq, segs, true);
  let s = "";
  for (let i = 0; i < segs.length; i++) {
    if (segs[i] === BREAK) s += " ";
    else s += segs[i].s;
  }
  return s;
}

/** A word as a pattern (case, ${x#pat}): quoted characters match themselves. */
export async function expandPattern(sh: Shell, w: Word): Promise<string> {
  const segs: Seg[] = [];
  await expandParts(sh, w.parts, false, segs, true);
  let s = "";
  for (const seg of segs) s += seg.q ? seg.s.replace(/[\\*?[\]]/g, "\\$&") : seg.s;
  return s;
}

/** Pathname expansion of a pattern (relative to cwd): sorted matches, or [] for none. */
export function glob(cwd: string, pattern: string): string[] {
  const abs = pattern.startsWith("/");
  const comps = pattern.split("/").filter((c, i) => c !== "" || i === 0);
  let bases: string[] = [abs ? "/" : ""];
  const start = abs ? 1 : 0;
  for (let i = start; i < comps.length; i++) {
    const comp = comps[i];
    const last = i === comps.length - 1;
    const next: string[] = [];
    if (!hasGlobMagic(comp)) {
      const name = comp.replace(/\\(.)/g, "$1");
      for (const b of bases) {
        const p = b + name;
        if (exists(cwd, p)) next.push(last ? p : p + "/");
      }
    } else {
      const re = compileGlob(comp, { period: true, pathname: true });
      for (const b of bases) {
        let names: string[];
        try {
          names = (fs.readdirSync(Buffer.from(path.resolve(cwd, b || "."), "latin1"), { encoding: "buffer" }) as Buffer[]).map((n) => n.toString("latin1"));
        } catch {
          continue;
        }
        names.sort(byteOrder);
        for (const n of names) {
          if (!re.test(n)) continue;
          const p = b + n;
          if (last) next.push(p);
          else if (isDir(cwd, p)) next.push(p + "/");
        }
      }
    }
    bases = next;
    if (!bases.length) return [];
  }
  if (pattern.endsWith("/")) return bases;
  return bases.map((b) => (b.endsWith("/") && b !== "/" ? b.slice(0, -1) : b));
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function exists(cwd: string, p: string): boolean {
  try {
    fs.lstatSync(Buffer.from(path.resolve(cwd, p), "latin1"));
    return true;
  } catch {
    return false;
  }
}

function isDir(cwd: string, p: string): boolean {
  try {
    return fs.statSync(Buffer.from(path.resolve(cwd, p), "latin1")).isDirectory();
  } catch {
    return false;
  }
}

/** Does `s` match the shell pattern `pat`? */
export function patternMatch(pat: string, s: string): boolean {
  return shellPattern(pat).test(s);
}

// Loops and functions test the same few patterns over and over; compiling
// each once saves most of a case statement's cost.
const patternCache = new Map<string, RegExp>();

function shellPattern(pat: string): RegExp {
  let re = patternCache.get(pat);
  if (!re) {
    if (patternCache.size >= 512) patternCache.clear();
    re = compileGlob(pat);
    patternCache.set(pat, re);
  }
  return re;
}
