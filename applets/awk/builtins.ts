// awk's string and number built-ins that need no interpreter state, written
// to give BusyBox's results: substr's truncation, sub/gsub's handling of "&"
// and backslashes, glibc's random() sequence behind rand(), C's strftime.
import { toInt32 } from "./number.ts";
import type { AwkRegex } from "./regex.ts";

/** substr(s, m[, n]) with BusyBox's int conversions and clamping. */
export function substr(s: string, m: number, n?: number): string {
  const l = s.length;
  let i = toInt32(m - 1);
  if (i > l) i = l;
  if (i < 0) i = 0;
  let len = n === undefined ? l - i : toInt32(n);
  if (len < 0) len = 0;
  return s.substr(i, len);
}

export function index(s: string, t: string, icase: boolean): number {
  if (t === "" || t.length > s.length) return 0;
  if (icase) return s.toLowerCase().indexOf(t.toLowerCase()) + 1;
  return s.indexOf(t) + 1;
}

export function toLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function toUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/**
 * BusyBox's awk_sub(): replace the nm-th match (0: every match) of re in src
 * by repl, where "&" is the match, "\&" a literal "&", and with subexp
 * (gensub) "\N" group N. Returns [result, number of matches seen].
 */
export function substitute(re: AwkRegex, repl: string, nm: number, src: string, subexp: boolean): [string, number] {
  const g = re.search;
  let res = "";
  let sp = 0;
  let matchNo = 0;
  for (;;) {
    g.lastIndex = sp;
    const m = g.exec(src);
    if (!m) break;
    const so = m.index;
    const eo = so + m[0].length;
    res += src.slice(sp, eo);
    if (++matchNo >= nm) {
      res = res.slice(0, res.length - (eo - so)) + expand(repl, m, subexp);
    }
    sp = eo;
    if (matchNo === nm) break;
    if (eo === so) {
      if (sp >= src.length) return [res, matchNo];
      res += src[sp++];
    }
  }
  return [res + src.slice(sp), matchNo];
}

// The replacement text for one match. Backslashes are copied; at "&" (or a
// digit, for gensub) half of the backslashes before it are taken back, and an
// odd count makes the character literal.
function expand(repl: string, m: RegExpExecArray, subexp: boolean): string {
  if (!repl.includes("&") && !repl.includes("\\")) return repl;
  let out = "";
  let nbs = 0;
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    out += c;
    if (c === "\\") {
      nbs++;
      continue;
    }
    if (c === "&" || (subexp && c >= "0" && c <= "9")) {
      out = out.slice(0, out.length - ((nbs + 3) >> 1));
      let j = 0;
      if (c !== "&") {
        j = c.charCodeAt(0) - 48;
        nbs++;
      }
      if (nbs % 2) out += c;
      else out += m[j] ?? "";
    }
    nbs = 0;
  }
  return out;
}

/** glibc's random(): the additive feedback generator behind rand(). */
export class GlibcRandom {
  private r = new Int32Array(31);
  private f = 3;
  private b = 0;

  constructor(seed = 1) {
    this.seed(seed);
  }

  seed(seed: number): void {
    let s = seed | 0;
    if (s === 0) s = 1;
    const r = this.r;
    r[0] = s;
    let word = s;
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.f = 3;
    this.b = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  next(): number {
    const r = this.r;
    const val = (r[this.f] + r[this.b]) | 0;
    r[this.f] = val;
    const result = (val >>> 1) & 0x7fffffff;
    if (++this.f >= 31) {
      this.f = 0;
      ++this.b;
    } else if (++this.b >= 31) this.b = 0;
    return result;
  }

  /** BusyBox's rand(): 63 random bits over 2^63. */
  rand(): number {
    const a = this.next();
    const b = this.next();
    const c = this.next();
    const u = (BigInt((a << 16) >>> 0) ^ BigInt(b)) & 0xffffffffn;
    const v = (BigInt(c) << 32n) | u;
    return Number(v) / 9223372036854775808;
  }
}

/** C's (unsigned)d for srand's seed (x86: through a 64-bit conversion). */
export function toUint32(d: number): number {
  if (!Number.isFinite(d)) return 0;
  const t = Math.trunc(d);
  if (Math.abs(t) >= 9223372036854775808) return 0;
  return Number(BigInt.asUintN(32, BigInt(t)));
}

const MASK64 = 0xffffffffffffffffn;

/** BusyBox's getvar_i_int(): a double as an unsigned long for and/or/xor/shifts. */
export function toUlong(d: number): bigint {
  if (!Number.isFinite(d)) return 0x8000000000000000n;
  if (d >= 0) return d >= 18446744073709551616 ? 0x8000000000000000n : BigInt(Math.trunc(d));
  const m = -d;
  if (m >= 18446744073709551616) return 0x8000000000000000n;
  return (-BigInt(Math.trunc(m))) & MASK64;
}

export function bitOp(op: string, a: number, b: number): number {
  const x = toUlong(a);
  const y = toUlong(b);
  let r: bigint;
  switch (op) {
    case "and": r = x & y; break;
    case "or": r = x | y; break;
    case "xor": r = x ^ y; break;
    case "lshift": r = (x << (y & 63n)) & MASK64; break;
    case "rshift": r = x >> (y & 63n); break;
    default: r = ~x & MASK64; // compl
  }
  return Number(r);
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const pad = (n: number, w = 2, c = "0") => String(n).padStart(w, c);

function zoneName(d: Date): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName");
    const name = part?.value ?? "UTC";
    return name === "GMT" && d.getTimezoneOffset() === 0 ? "UTC" : name;
  } catch {
    return "UTC";
  }
}

function isoWeek(d: Date): [number, number] {
  const t = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const day = (t.getDay() + 6) % 7;
  t.setDate(t.getDate() - day + 3);
  const firstThursday = new Date(t.getFullYear(), 0, 4);
  const week = 1 + Math.round(((t.getTime() - firstThursday.getTime()) / 86400000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7);
  return [t.getFullYear(), week];
}

/** C's strftime() in the C locale, on local time. */
export function strftime(fmt: string, seconds: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return "";
  const yday = Math.floor((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86400000);
  const conv = (c: string): string => {
    switch (c) {
      case "a": return DAYS[d.getDay()].slice(0, 3);
      case "A": return DAYS[d.getDay()];
      case "b": case "h": return MONTHS[d.getMonth()].slice(0, 3);
      case "B": return MONTHS[d.getMonth()];
      case "c": return `${conv("a")} ${conv("b")} ${conv("e")} ${conv("T")} ${d.getFullYear()}`;
      case "C": return pad(Math.floor(d.getFullYear() / 100));
      case "d": return pad(d.getDate());
      case "D": case "x": return `${conv("m")}/${conv("d")}/${conv("y")}`;
      case "e": return pad(d.getDate(), 2, " ");
      case "F": return `${d.getFullYear()}-${conv("m")}-${conv("d")}`;
      case "G": return String(isoWeek(d)[0]);
      case "g": return pad(isoWeek(d)[0] % 100);
      case "H": return pad(d.getHours());
      case "I": return pad(d.getHours() % 12 || 12);
      case "j": return pad(yday + 1, 3);
      case "k": return pad(d.getHours(), 2, " ");
      case "l": return pad(d.getHours() % 12 || 12, 2, " ");
      case "m": return pad(d.getMonth() + 1);
      case "M": return pad(d.getMinutes());
      case "n": return "\n";
      case "p": return d.getHours() < 12 ? "AM" : "PM";
      case "P": return d.getHours() < 12 ? "am" : "pm";
      case "r": return `${conv("I")}:${conv("M")}:${conv("S")} ${conv("p")}`;
      case "R": return `${conv("H")}:${conv("M")}`;
      case "s": return String(Math.floor(d.getTime() / 1000));
      case "S": return pad(d.getSeconds());
      case "t": return "\t";
      case "T": case "X": return `${conv("H")}:${conv("M")}:${conv("S")}`;
      case "u": return String(d.getDay() || 7);
      case "U": return pad(Math.floor((yday + 7 - d.getDay()) / 7));
      case "V": return pad(isoWeek(d)[1]);
      case "w": return String(d.getDay());
      case "W": return pad(Math.floor((yday + 7 - ((d.getDay() + 6) % 7)) / 7));
      case "y": return pad(d.getFullYear() % 100);
      case "Y": return String(d.getFullYear());
      case "z": {
        const off = -d.getTimezoneOffset();
        return (off < 0 ? "-" : "+") + pad(Math.floor(Math.abs(off) / 60)) + pad(Math.abs(off) % 60);
      }
      case "Z": return zoneName(d);
      case "%": return "%";
      default: return "%" + c;
    }
  };
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== "%" || i + 1 >= fmt.length) { out += fmt[i]; continue; }
    out += conv(fmt[++i]);
  }
  // BusyBox formats into a 240-byte buffer; a longer result is empty.
  return out.length >= 240 ? "" : out;
}

/** mktime("YYYY MM DD HH MM SS [DST]") on local time; -1 if malformed. */
export function mktime(spec: string): number {
  const parts = spec.trim().split(/\s+/);
  if (parts.length < 6) return -1;
  const nums = parts.slice(0, 6).map((p) => (/^[-+]?\d+/.test(p) ? parseInt(p, 10) : NaN));
  if (nums.some((n) => Number.isNaN(n))) return -1;
  const [y, mo, d, h, mi, s] = nums;
  if (mo < 1 || y < 1900) return -1;
  const t = new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isNaN(t) ? -1 : Math.floor(t / 1000);
}
