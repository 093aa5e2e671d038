// Field splitting, as BusyBox's awk_split(): FS " " splits on runs of
// whitespace (leading and trailing ignored), one other character splits on
// that character, "" on every character, anything longer is a regex. In
// paragraph mode (RS="") a newline separates fields too.
import { awkRegex, searchNonEmpty, type AwkRegex } from "./regex.ts";

export type Splitter =
  | { kind: "space" }
  | { kind: "char"; c: string }
  | { kind: "empty" }
  | { kind: "regex"; re: AwkRegex };

/** The splitter for an FS value or split()'s string separator. */
export function makeSplitter(sep: string, icase: boolean): Splitter {
  if (sep.length > 1) return { kind: "regex", re: awkRegex(sep, icase, false) };
  if (sep === "") return { kind: "empty" };
  if (sep === " ") return { kind: "space" };
  return { kind: "char", c: sep };
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

export function splitText(s: string, sp: Splitter, paragraph: boolean, icase: boolean): string[] {
  switch (sp.kind) {
    case "space": {
      const out: string[] = [];
      const n = s.length;
      let i = 0;
      for (;;) {
        while (i < n && isSpace(s.charCodeAt(i))) i++;
        if (i >= n) break;
        const start = i;
        while (i < n && !isSpace(s.charCodeAt(i))) i++;
        out.push(s.slice(start, i));
      }
      return out;
    }
    case "char": {
      if (s === "") return [];
      let c = sp.c;
      if (!paragraph && !(icase && c.toLowerCase() !== c.toUpperCase())) return s.split(c);
      const set = new Set([c]);
      if (icase) { set.add(c.toLowerCase()); set.add(c.toUpperCase()); }
      if (paragraph) set.add("\n");
      const out: string[] = [];
      let start = 0;
      for (let i = 0; i < s.length; i++) {
        if (set.has(s[i])) { out.push(s.slice(start, i)); start = i + 1; }
      }
      out.push(s.slice(start));
      void c;
      return out;
    }
    case "empty":
      return s.split("");
    case "regex":
      return splitRegex(s, sp.re, paragraph);
  }
}

// BusyBox's loop, including its count: fields after a newline boundary in
// paragraph mode that no separator preceded are dropped (n counts matches).
function splitRegex(s: string, re: AwkRegex, paragraph: boolean): string[] {
  if (s === "") return [];
  const out: string[] = [];
  let n = 1;
  let p = 0;
  const len = s.length;
  do {
    let l = len;
    if (paragraph) {
      const nl = s.indexOf("\n", p);
      if (nl >= 0) l = nl;
    }
    const m = searchNonEmpty(re, s, p);
    if (m && m[0] <= l) {
      out.push(s.slice(p, m[0]));
      p = m[1];
      n++;
    } else {
      out.push(s.slice(p, l));
      p = l < len ? l + 1 : l;
    }
  } while (p < len);
  while (out.length < n) out.push("");
  out.length = n;
  return out;
}
