// Backslash escapes as BusyBox's bb_process_escape_sequence() reads them
// (echo -e, printf, tr, ...): \a \b \e \f \n \r \t \v \\, octal \NNN (at
// most three digits, stopping before the value would pass 255), hex \xHH.
// Anything else (and a lone trailing backslash) stands for a backslash, and
// the character after it is kept. Strings are latin1: one char per byte.

const LETTERS: Record<string, string> = {
  a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\",
};

/**
 * The escape starting at s[i] (just after the backslash): its byte as a
 * one-char string, and the index after what it consumed.
 */
export function escapeAt(s: string, i: number): [char: string, next: number] {
  let q = i;
  let base = 8;
  let digits = 0;
  let n = 0;
  if (s[q] === "x") {
    q++;
    base = 16;
    digits++;
  }
  do {
    const ch = s.charCodeAt(q);
    let d = (ch | 0x20) - 48;
    if (d >= 10) d += 48 - 97 + 10;
    if (!(q < s.length) || d < 0 || d >= base) {
      if (base === 16 && --digits === 0) return ["\\", i];
      break;
    }
    const r = n * base + d;
    if (r > 255) break;
    n = r;
    q++;
  } while (++digits < 3);
  if (digits === 0) {
    const c = s[q];
    if (c !== undefined && LETTERS[c] !== undefined) return [LETTERS[c], q + 1];
    return ["\\", q];
  }
  return [String.fromCharCode(n), q];
}

/** All escapes in a string processed (tr's sets, printf's format). */
export function processEscapes(s: string): string {
  let i = s.indexOf("\\");
  if (i < 0) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const c = s[i++];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const [ch, next] = escapeAt(s, i);
    out += ch;
    i = next;
  }
  return out;
}

/**
 * printf's %b (and echo -e): escapes as above, plus "\0NNN" taking up to
 * three octal digits after the 0. Returns the text and whether "\c" cut it.
 */
export function processEscapesB(s: string): [string, boolean] {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i++];
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (s[i] === "c") return [out, true];
    if (s[i] === "0" && i + 1 < s.length && s.charCodeAt(i + 1) - 48 >= 0 && s.charCodeAt(i + 1) - 48 < 8) i++;
    const [ch, next] = escapeAt(s, i);
    out += ch;
    i = next;
  }
  return [out, false];
}
