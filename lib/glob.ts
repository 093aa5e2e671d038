// fnmatch(3)-style shell patterns: *, ?, [...] (with [!...] and classes), and
// backslash quoting. Used by find -name, the shell (case, pathname expansion)
// and tar --exclude.

export interface GlobOptions {
  /** "*" and "?" do not match "/" (FNM_PATHNAME). */
  pathname?: boolean;
  /** A leading "." must be matched explicitly (FNM_PERIOD). */
  period?: boolean;
  ignoreCase?: boolean;
  /** The pattern may match a leading part followed by "/" and anything (FNM_LEADING_DIR). */
  leadingDir?: boolean;
}

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "0-9A-Za-z", upper: "A-Z", lower: "a-z",
  space: " \\t\\n\\r\\f\\v", blank: " \\t", punct: "!-\\/:-@\\[-`{-~", print: " -~",
  graph: "!-~", cntrl: "\\x00-\\x1f\\x7f", xdigit: "0-9A-Fa-f",
};

const escapeRe = (c: string) => c.replace(/[\\^$.|?*+()[\]{}/-]/g, "\\$&");

/** JavaScript source for a shell pattern (anchored at both ends). */
export function globToRegexSource(pattern: string, o: GlobOptions = {}): string {
  const any = o.pathname ? "[^/]" : "[^]";
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      out += escapeRe(pattern[++i]);
    } else if (c === "*") {
      out += `${any}*`;
    } else if (c === "?") {
      out += any;
    } else if (c === "[") {
      const end = findBracketEnd(pattern, i);
      if (end < 0) {
        out += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body[0] === "!" || body[0] === "^") {
        negate = true;
        body = body.slice(1);
      }
      let cls = "";
      for (let j = 0; j < body.length; j++) {
        if (body.startsWith("[:", j)) {
          const close = body.indexOf(":]", j + 2);
          const name = body.slice(j + 2, close);
          if (close > 0 && CLASSES[name]) {
            cls += CLASSES[name];
            j = close + 1;
            continue;
          }
        }
        const ch = body[j];
        if (ch === "\\" && j + 1 < body.length) cls += escapeRe(body[++j]);
        else if (ch === "-" && j > 0 && j < body.length - 1) cls += "-";
        else cls += escapeRe(ch);
      }
      out += `[${negate ? "^" : ""}${o.pathname && negate ? "/" : ""}${cls}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return out;
}

function findBracketEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === "!" || p[j] === "^") j++;
  if (p[j] === "]") j++;
  for (; j < p.length; j++) {
    if (p[j] === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2);
      if (close > 0) { j = close + 1; continue; }
    }
    if (p[j] === "]") return j;
  }
  return -1;
}

export function compileGlob(pattern: string, o: GlobOptions = {}): RegExp {
  let src = globToRegexSource(pattern, o);
  if (o.period && !pattern.startsWith(".")) src = `(?!\\.)${src}`;
  return new RegExp(`^${src}${o.leadingDir ? "(?:/[^]*)?" : ""}$`, o.ignoreCase ? "i" : "");
}

export function fnmatch(pattern: string, text: string, o: GlobOptions = {}): boolean {
  return compileGlob(pattern, o).test(text);
}

/** Whether a word contains unquoted glob characters at all. */
export function hasGlobChars(s: string): boolean {
  return /(^|[^\\])[*?[]/.test(s);
}

/** Whether a pattern can match anything but itself: an unescaped "*" or "?",
 *  or a "[" that has its closing "]" (a lone "[", as in `[ -n x ]`, is literal). */
export function hasGlobMagic(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?") return true;
    else if (c === "[" && findBracketEnd(p, i) > 0) return true;
  }
  return false;
}
