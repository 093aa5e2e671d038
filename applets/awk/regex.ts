// Regular expressions for awk: POSIX EREs checked the way glibc's regcomp
// checks them (same error messages), translated to JavaScript by
// lib/regex.ts, and cached. A dynamic regex (a string used as one) that is not
// a valid ERE is tried again as a BRE, as BusyBox does.
import { translateRegex } from "../../lib/regex.ts";
import { AwkFatal } from "./errors.ts";

export interface AwkRegex {
  /** For tests (no state). */
  test: RegExp;
  /** Global, for searching from an index with lastIndex. */
  search: RegExp;
  source: string;
}

const CLASSES = new Set(["alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph", "cntrl", "xdigit"]);

/** glibc's complaint about an ERE, or undefined if it compiles. */
export function checkERE(p: string): string | undefined {
  let depth = 0;
  let groups = 0;
  // Whether a repetition operator here has nothing to repeat.
  let atStart = true;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === "\\") {
      if (i + 1 >= p.length) return "Trailing backslash";
      const n = p[i + 1];
      if (n >= "1" && n <= "9" && Number(n) > groups) return "Invalid back reference";
      i += 2;
      atStart = false;
      continue;
    }
    if (c === "[") {
      const end = bracketEnd(p, i);
      if (typeof end === "string") return end;
      i = end;
      atStart = false;
      continue;
    }
    if (c === "(") { depth++; groups++; i++; atStart = true; continue; }
    if (c === ")") {
      if (depth > 0) depth--;
      i++;
      atStart = false;
      continue;
    }
    if (c === "|") { i++; atStart = true; continue; }
    if (c === "^") { i++; atStart = true; continue; }
    if (c === "*" || c === "+" || c === "?") {
      if (atStart) return "Invalid preceding regular expression";
      i++;
      continue;
    }
    if (c === "{") {
      if (atStart) return "Invalid preceding regular expression";
      const m = /^\{(\d*)(,?)(\d*)(\}?)/.exec(p.slice(i))!;
      if (!m[4]) {
        // Runs to the end of the pattern: unmatched; otherwise bad content.
        return /^\{[\d,]*$/.test(p.slice(i)) ? "Unmatched \\{" : "Invalid content of \\{\\}";
      }
      if (m[1] === "" && !(m[2] && m[3] !== "")) return "Invalid content of \\{\\}";
      if (m[3] !== "" && Number(m[3]) < Number(m[1] || "0")) return "Invalid content of \\{\\}";
      if (Number(m[1] || "0") > 32767 || Number(m[3] || "0") > 32767) return "Regular expression too big";
      i += m[0].length;
      continue;
    }
    i++;
    atStart = false;
  }
  if (depth > 0) return "Unmatched ( or \\(";
  return undefined;
}

/** glibc's complaint about a BRE, or undefined. */
function checkBRE(p: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    if (c === "\\") {
      if (i + 1 >= p.length) return "Trailing backslash";
      const n = p[i + 1];
      if (n === "(") depth++;
      else if (n === ")") {
        if (depth === 0) return "Unmatched ) or \\)";
        depth--;
      } else if (n === "{") {
        const end = p.indexOf("\\}", i + 2);
        if (end < 0) return "Unmatched \\{";
        if (!/^\d*(,\d*)?$/.test(p.slice(i + 2, end)) || p.slice(i + 2, end) === "") return "Invalid content of \\{\\}";
        i = end + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === "[") {
      const end = bracketEnd(p, i);
      if (typeof end === "string") return end;
      i = end;
      continue;
    }
    i++;
  }
  if (depth > 0) return "Unmatched ( or \\(";
  return undefined;
}

/** Index after the bracket expression at p[i] === "[", or glibc's message. */
function bracketEnd(p: string, i: number): number | string {
  let j = i + 1;
  if (p[j] === "^") j++;
  let first = true;
  let prevChar: string | undefined;
  for (;;) {
    if (j >= p.length) return "Invalid regular expression";
    const c = p[j];
    if (c === "]" && !first) return j + 1;
    first = false;
    if (c === "[" && (p[j + 1] === ":" || p[j + 1] === "=" || p[j + 1] === ".")) {
      const kind = p[j + 1];
      const end = p.indexOf(kind + "]", j + 2);
      if (end < 0) return "Invalid regular expression";
      const name = p.slice(j + 2, end);
      if (kind === ":" && !CLASSES.has(name)) return "Invalid character class name";
      if (kind !== ":" && name.length !== 1) return "Invalid collation character";
      j = end + 2;
      prevChar = undefined;
      continue;
    }
    if (c === "-" && prevChar !== undefined && p[j + 1] !== "]" && j + 1 < p.length) {
      let hi = p[j + 1];
      let next = j + 2;
      if (hi === "[" && p[j + 2] === ".") {
        const end = p.indexOf(".]", j + 3);
        if (end < 0) return "Invalid regular expression";
        hi = p.slice(j + 3, end);
        next = end + 2;
      }
      if (hi.charCodeAt(0) < prevChar.charCodeAt(0)) return "Invalid range end";
      j = next;
      prevChar = undefined;
      continue;
    }
    prevChar = c;
    j++;
  }
}

const cache = new Map<string, AwkRegex>();

/**
 * Compile an awk regex. `dynamic` ones (strings) fall back to a BRE when they
 * are no valid ERE; a literal /.../ that is no valid ERE is an error.
 */
export function awkRegex(src: string, icase: boolean, dynamic: boolean): AwkRegex {
  const key = (icase ? "i" : "c") + (dynamic ? "d" : "l") + src;
  let r = cache.get(key);
  if (r) return r;
  let js: string;
  const err = checkERE(src);
  if (err === undefined) js = translate(src, true);
  else if (dynamic && checkBRE(src) === undefined) js = translate(src, false);
  else throw new AwkFatal(`bad regex '${src}': ${dynamic ? checkBRE(src) ?? err : err}`);
  const flags = icase ? "si" : "s";
  try {
    r = { test: new RegExp(js, flags), search: new RegExp(js, flags + "g"), source: src };
  } catch (e) {
    throw new AwkFatal(`bad regex '${src}': Invalid regular expression`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, r);
  return r;
}

function translate(src: string, extended: boolean): string {
  try {
    return translateRegex(src, extended);
  } catch {
    throw new AwkFatal(`bad regex '${src}': Invalid regular expression`);
  }
}

/**
 * The first match at or after `from` that is not an empty match right at
 * `from` (BusyBox's regexec1_nonempty, used to split fields): [start, end].
 */
export function searchNonEmpty(re: AwkRegex, s: string, from: number): [number, number] | undefined {
  const g = re.search;
  for (let o = from; o < s.length || o === from; o++) {
    g.lastIndex = o;
    const m = g.exec(s);
    if (!m) return undefined;
    if (!(m.index === o && m[0] === "")) return [m.index, m.index + m[0].length];
    if (o >= s.length) return undefined;
  }
  return undefined;
}
