// POSIX regular expressions (basic and extended, with the GNU extensions that
// glibc's regcomp accepts and busybox-static therefore has) translated to
// JavaScript RegExp. Used by grep, sed, awk, expr, find and others.
//
// Differences from POSIX that remain: JavaScript picks the first matching
// alternative where POSIX wants the longest ("ab\|abcd" matches "ab").
import { AppletError } from "./errors.ts";

export interface RegexOptions {
  /** ERE (grep -E, sed -E, awk) instead of BRE. */
  extended?: boolean;
  ignoreCase?: boolean;
  /** Add the "g" flag (for replace-all and repeated exec). */
  global?: boolean;
  /** ^ and $ match at embedded newlines (grep treats each line alone anyway). */
  multiline?: boolean;
}

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
  word: "0-9A-Za-z_",
};

const JS_SPECIAL = new Set([..."\\^$.|?*+()[]{}/"]);
const lit = (c: string) => (JS_SPECIAL.has(c) ? "\\" + c : c === "\n" ? "\\n" : c);

/** Translate a bracket expression starting at pattern[i] === "["; returns [js, next index]. */
function bracket(p: string, i: number): [string, number] {
  let j = i + 1;
  let negate = false;
  if (p[j] === "^") { negate = true; j++; }
  let out = "";
  let first = true;
  for (;;) {
    if (j >= p.length) throw new AppletError("unmatched [");
    const c = p[j];
    if (c === "]" && !first) { j++; break; }
    first = false;
    if (c === "[" && (p[j + 1] === ":" || p[j + 1] === "=" || p[j + 1] === ".")) {
      const kind = p[j + 1];
      const end = p.indexOf(kind + "]", j + 2);
      if (end < 0) throw new AppletError("unmatched [");
      const name = p.slice(j + 2, end);
      if (kind === ":") {
        const cls = CLASSES[name];
        if (!cls) throw new AppletError(`invalid character class`);
        out += cls;
      } else out += lit(name); // [=a=] and [.a.]: the character itself
      j = end + 2;
      continue;
    }
    // Inside brackets a backslash is an ordinary character in POSIX.
    if (c === "\\" || c === "]" || c === "[" || c === "^") out += "\\" + c;
    else if (c === "-" ) out += (j + 1 < p.length && p[j + 1] !== "]" && out !== "") ? "-" : "\\-";
    else out += c === "\n" ? "\\n" : c;
    j++;
  }
  return [`[${negate ? "^" : ""}${out}]`, j];
}

/** The JavaScript source of a POSIX regular expression. */
export function translateRegex(p: string, extended = false): string {
  let out = "";
  let groups = 0;
  // Where a "*" would be literal (BRE: at the start, after "\(" or "\|" or "^").
  let atStart = true;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const startBefore = atStart;
    atStart = false;
    if (c === "\\") {
      const n = p[i + 1];
      i += 2;
      if (n === undefined) throw new AppletError("trailing backslash (\\)");
      if (!extended && n === "(") { out += "("; groups++; atStart = true; continue; }
      if (!extended && n === ")") { out += ")"; continue; }
      if (!extended && n === "|") { out += "|"; atStart = true; continue; }
      if (!extended && (n === "+" || n === "?")) { out += n; continue; }
      if (!extended && n === "{") {
        const end = p.indexOf("\\}", i);
        if (end < 0) throw new AppletError("unmatched \\{");
        out += `{${p.slice(i, end)}}`;
        i = end + 2;
        continue;
      }
      if (/[1-9]/.test(n)) { out += "\\" + n; continue; }
      if (n === "<") { out += "\\b(?=\\w)"; continue; }
      if (n === ">") { out += "\\b(?<=\\w)"; continue; }
      if (n === "`") { out += "^"; continue; }
      if (n === "'") { out += "$"; continue; }
      if ("wWsSbB".includes(n)) { out += "\\" + n; continue; }
      if (n === "n") { out += "\\n"; continue; }
      if (n === "t") { out += "\\t"; continue; }
      out += lit(n);
      continue;
    }
    if (c === "[") {
      const [js, next] = bracket(p, i);
      out += js;
      i = next;
      continue;
    }
    if (c === "*") {
      out += startBefore ? "\\*" : "*";
      i++;
      continue;
    }
    if (c === "^") {
      // BRE: an anchor only at the start of the pattern or of a group/alternative.
      out += extended || startBefore ? "^" : "\\^";
      if (extended || startBefore) atStart = true;
      i++;
      continue;
    }
    if (c === "$") {
      const rest = p.slice(i + 1);
      const anchor = extended || rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|");
      out += anchor ? "$" : "\\$";
      i++;
      continue;
    }
    if (extended) {
      if (c === "(") { out += "("; groups++; atStart = true; i++; continue; }
      if (c === "|") { out += "|"; atStart = true; i++; continue; }
      if (c === ")" || c === "+" || c === "?") {
        if ((c === "+" || c === "?") && startBefore) out += "\\" + c;
        else out += c;
        i++;
        continue;
      }
      if (c === "{") {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(p.slice(i));
        if (m && (m[1] !== "" || m[3] !== "")) {
          out += `{${m[1] || "0"}${m[2]}${m[3]}}`;
          i += m[0].length;
        } else {
          out += "\\{";
          i++;
        }
        continue;
      }
    }
    out += c === "." ? "." : lit(c);
    i++;
  }
  void groups;
  return out;
}

/** Compile a POSIX regex; a bad pattern throws AppletError with a regcomp-like message. */
export function compileRegex(pattern: string, o: RegexOptions = {}): RegExp {
  const flags = "s" + (o.ignoreCase ? "i" : "") + (o.global ? "g" : "") + (o.multiline ? "m" : "");
  const source = translateRegex(pattern, o.extended);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new AppletError(`bad regex '${pattern}': ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
}
