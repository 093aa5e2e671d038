// sort's keys: -k START[.CHAR][FLAGS][,END[.CHAR][FLAGS]] parsed as BusyBox
// parses it, each key cut out of a line's bytes the way BusyBox's get_key()
// does (with END.CHAR counted from the start of field END, as POSIX says),
// and the comparisons: bytes (C locale), -n (atof), -g/-h (strtod, with
// KMGT suffixes for -h), -M (month names), -V (glibc's strverscmp).
import { AppletError } from "../../lib/errors.ts";
import { strtod } from "../../lib/numbers.ts";

export const F_n = 1, F_g = 2, F_h = 4, F_M = 8, F_V = 16, F_b = 32, F_bb = 64, F_r = 128, F_d = 256, F_f = 512, F_i = 1024;
const TYPES = F_n | F_g | F_h | F_M | F_V;

export interface KeyDef {
  /** Start field and char, end field and char (1-based; 0 = not given). */
  range: [number, number, number, number];
  /** Its own flags, or the global ones when it has none. */
  flags: number;
}

const FLAG_OF: Record<string, number> = { n: F_n, g: F_g, h: F_h, M: F_M, b: F_b, r: F_r, d: F_d, f: F_f, i: F_i };
// Letters (and getopt punctuation) of BusyBox's option string: known, but not allowed in a key.
const OTHER_OPTION_CHARS = "VucszmS:T:o:k*t";

const fail = (m: string) => new AppletError(m, 2);

function fieldNumber(s: string, pos: { i: number }): number {
  const m = /^\d+/.exec(s.slice(pos.i));
  if (!m) throw fail("bad field specification");
  const v = Number(m[0]);
  if (v === 0 || v > 2147483647) throw fail("bad field specification");
  pos.i += m[0].length;
  return v;
}

/** One -k argument. */
export function parseKey(spec: string): KeyDef {
  const key: KeyDef = { range: [0, 0, 0, 0], flags: 0 };
  const pos = { i: 0 };
  let half = 0;
  while (pos.i < spec.length) {
    key.range[2 * half] = fieldNumber(spec, pos);
    if (spec[pos.i] === ".") {
      pos.i++;
      key.range[2 * half + 1] = fieldNumber(spec, pos);
    }
    while (pos.i < spec.length) {
      const c = spec[pos.i];
      if (c === "," && half++ === 0) {
        pos.i++;
        break;
      }
      let flag = FLAG_OF[c];
      if (flag === undefined) {
        if (!OTHER_OPTION_CHARS.includes(c)) throw fail("unknown key option");
        throw fail("unknown sort type");
      }
      // 'b' after the comma strips trailing blanks.
      if (half && flag === F_b) flag = F_bb;
      key.flags |= flag;
      pos.i++;
    }
  }
  return key;
}

/** The flags a key compares with. */
export function effectiveFlags(k: KeyDef, globalFlags: number): number {
  return k.flags || globalFlags;
}

export function checkType(flags: number): void {
  const t = flags & TYPES;
  if (t & (t - 1)) throw fail("unknown sort type");
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * The key's [start, end) within the line buf[s..e), before -d/-i/-f.
 * Returns start in out[0], end in out[1] (absolute offsets).
 */
export function keyRange(buf: Uint8Array, s: number, e: number, key: KeyDef, flags: number, sep: number, out: Int32Array): void {
  const len = e - s;
  const r = key.range;
  let start = 0;
  let end = 0;
  for (let j = 0; j < 2; j++) {
    if (!r[2 * j]) end = len;
    else {
      let ch = 0;
      let fields = r[2 * j] + j;
      if (j && r[3]) fields--;
      end = 0;
      for (let i = 1; i < fields; i++) {
        if (sep >= 0) {
          ch = 0;
          while (end < len) {
            ch = buf[s + end++];
            if (ch === sep) break;
          }
          if (end >= len && ch !== sep) ch = 0;
        } else {
          while (end < len && isSpace(buf[s + end])) end++;
          while (end < len && !isSpace(buf[s + end])) end++;
        }
      }
      // "abc:def:" is the key "abc:def".
      if (j && ch && !r[3]) end--;
    }
    if (!j) start = end;
  }
  if (flags & F_b) while (start < len && isSpace(buf[s + start])) start++;
  if (flags & F_bb) while (end > start && isSpace(buf[s + end - 1])) end--;
  if (r[3]) {
    end += r[3];
    if (end > len) end = len;
  }
  if (r[1]) {
    start += r[1] - 1;
    if (start > len) start = len;
  }
  if (end < start) end = start;
  out[0] = s + start;
  out[1] = s + end;
}

/** Whether the key is the whole line, untouched (no copy needed). */
export function wholeLine(key: KeyDef, flags: number): boolean {
  const r = key.range;
  return r[0] === 1 && !r[1] && !r[2] && !r[3] && !(flags & (F_b | F_d | F_f | F_i | F_bb));
}

/** The key's bytes after -d, -i and -f, as a latin1 string. */
export function transformKey(buf: Uint8Array, s: number, e: number, flags: number): string {
  let out = "";
  for (let p = s; p < e; p++) {
    let c = buf[p];
    if (flags & F_d && !(isSpace(c) || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122))) continue;
    if (flags & F_i && !(c >= 32 && c < 127)) continue;
    if (flags & F_f && c >= 97 && c <= 122) c -= 32;
    out += String.fromCharCode(c);
  }
  return out;
}

export function latin1(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1");
}

/** atof() of the bytes: a fast path for plain decimals, strtod for the rest. */
export function atofBytes(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e && isSpace(buf[p])) p++;
  let neg = false;
  if (p < e && (buf[p] === 45 || buf[p] === 43)) neg = buf[p++] === 45;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  while (p < e && buf[p] >= 48 && buf[p] <= 57) {
    mant = mant * 10 + (buf[p++] - 48);
    if (mant) digits++;
  }
  if (p < e && buf[p] === 46) {
    p++;
    while (p < e && buf[p] >= 48 && buf[p] <= 57) {
      mant = mant * 10 + (buf[p++] - 48);
      if (mant) digits++;
      scale++;
    }
  }
  const next = p < e ? buf[p] | 32 : 0;
  // Exponents, hex, inf, nan and long mantissas: let strtod decide.
  if (digits > 15 || scale > 22 || next === 101 || next === 120 || next === 105 || next === 110) {
    return strtod(latin1(buf, s, e)).value;
  }
  const v = scale ? mant / 10 ** scale : mant;
  return neg ? -v : v;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** strptime("%b") in the C locale: 0..11, or -1 when the key starts with no month name. */
export function monthOf(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 3) return -1;
  const head = latin1(buf, s, Math.min(e, s + 9)).toLowerCase();
  for (let m = 0; m < 12; m++) if (head.startsWith(MONTHS[m].slice(0, 3))) return m;
  return -1;
}

/** -g and -h: a rank (0 not a number, 1 NaN, 2 and up: numbers, by -h suffix) and the value. */
export function generalNumber(buf: Uint8Array, s: number, e: number, human: boolean, out: Float64Array, slot: number, rank: Int8Array): void {
  const text = latin1(buf, s, e);
  const r = strtod(text);
  if (r.end === 0) {
    rank[slot] = 0;
    out[slot] = 0;
    return;
  }
  if (Number.isNaN(r.value)) {
    rank[slot] = 1;
    out[slot] = 0;
    return;
  }
  let suffix = -1;
  if (human && r.end < text.length) {
    const c = text[r.end];
    const n = "kmgtpezy".indexOf(c.toLowerCase());
    // Only "k" may be lower case.
    if (n >= 0 && !(n !== 0 && c >= "a")) suffix = n;
  }
  rank[slot] = human ? 3 + suffix : 2;
  out[slot] = r.value;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** glibc's strverscmp() on two byte ranges: digit runs compare as numbers, leading zeros as fractions. */
export function verscmp(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  // States: 0 normal, 1 integral part, 2 fractional part, 3 leading zeros.
  const NEXT = [0, 1, 3, 0, 1, 1, 0, 2, 2, 0, 2, 3];
  const CMP = 2, LEN = 3;
  const RESULT = [
    CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP,
    CMP, -1, -1, 1, LEN, LEN, 1, LEN, LEN,
    CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP,
    CMP, 1, 1, -1, CMP, CMP, -1, CMP, CMP,
  ];
  const at = (buf: Uint8Array, p: number, end: number) => (p < end ? buf[p] : 0);
  const cls = (c: number) => (c === 48 ? 2 : isDigit(c) ? 1 : 0);
  let p = as, q = bs;
  let c1 = at(a, p++, ae);
  let c2 = at(b, q++, be);
  let state = cls(c1);
  let diff: number;
  while ((diff = c1 - c2) === 0) {
    if (c1 === 0) return 0;
    state = NEXT[state] * 3;
    c1 = at(a, p++, ae);
    c2 = at(b, q++, be);
    state += cls(c1);
  }
  const res = RESULT[state * 3 + cls(c2)];
  if (res === CMP) return diff;
  if (res === LEN) {
    while (isDigit(at(a, p++, ae))) if (!isDigit(at(b, q++, be))) return 1;
    return isDigit(at(b, q, be)) ? -1 : diff;
  }
  return res;
}

/** strcmp() of two byte ranges. */
export function cmpBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as, lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = a[as + k] - b[bs + k];
    if (d) return d;
  }
  return la - lb;
}
