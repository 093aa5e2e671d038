// Numbers on the command line the way BusyBox's xatou*() family reads them:
// decimal digits only (no sign, no leading space), an optional suffix from a
// table, a range, and the exact messages: "invalid number 'x'",
// "number 0 is not in 1..N range". Values are bigints (off_t-sized counts).
import { AppletError } from "./errors.ts";

export type Suffixes = readonly (readonly [suffix: string, multiplier: number])[];

/** dd's bs=, count=, skip=... */
export const CWBKMG_SUFFIXES: Suffixes = [
  ["c", 1], ["w", 2], ["b", 512], ["kB", 1000], ["kD", 1000], ["k", 1024], ["KB", 1000], ["KD", 1000], ["K", 1024],
  ["MB", 1000000], ["MD", 1000000], ["M", 1048576], ["GB", 1000000000], ["GD", 1000000000], ["G", 1073741824],
];

/** df -B, du -B and friends. */
export const KMG_I_SUFFIXES: Suffixes = [
  ["KiB", 1024], ["kiB", 1024], ["K", 1024], ["k", 1024], ["MiB", 1048576], ["miB", 1048576], ["M", 1048576],
  ["m", 1048576], ["GiB", 1073741824], ["giB", 1073741824], ["G", 1073741824], ["g", 1073741824],
  ["KB", 1000], ["MB", 1000000], ["GB", 1000000000],
];

export const U64_MAX = 18446744073709551615n;
export const INT_MAX = 2147483647n;

/**
 * BusyBox's xstrtoull_range_sfx(numstr, 10, lower, upper, suffixes): throws
 * AppletError with its message when the text is no number or out of range.
 */
export function parseSuffixed(numstr: string, suffixes: Suffixes = [], lower = 0n, upper = U64_MAX): bigint {
  const inval = () => new AppletError(`invalid number '${numstr}'`);
  const m = /^(\d+)(.*)$/s.exec(numstr);
  if (!m) throw inval();
  let r = BigInt(m[1]);
  if (r > U64_MAX) throw inval(); // strtoull: ERANGE
  const rest = m[2];
  if (rest !== "" || suffixes.some(([s]) => s === "")) {
    const hit = suffixes.find(([s]) => s === rest);
    if (!hit) throw inval();
    if (U64_MAX / BigInt(hit[1]) < r) throw new AppletError(`number ${numstr} is not in ${lower}..${upper} range`);
    r *= BigInt(hit[1]);
  }
  if (r < lower || r > upper) throw new AppletError(`number ${numstr} is not in ${lower}..${upper} range`);
  return r;
}

/** xatoul / xatou_range without suffixes, as a JS number. */
export function parseNumber(numstr: string, lower = 0n, upper = U64_MAX): number {
  return Number(parseSuffixed(numstr, [], lower, upper));
}

/** xatoi_positive: 0..INT_MAX. */
export function parsePositiveInt(numstr: string): number {
  return parseNumber(numstr, 0n, INT_MAX);
}

/**
 * xatou_sfx / xatoi_positive and the other narrower-than-64-bit readers:
 * digits worth more than 32 bits are "invalid number", a suffix that
 * overflows or a value past `upper` is out of range.
 */
export function parseSuffixed32(numstr: string, suffixes: Suffixes = [], lower = 0n, upper = 4294967295n): bigint {
  const m = /^(\d+)/.exec(numstr);
  if (m && BigInt(m[1]) > 4294967295n) throw new AppletError(`invalid number '${numstr}'`);
  return parseSuffixed(numstr, suffixes, lower, upper);
}

/** head, tail, od...: b (512), k (1024), m (1024^2). */
export const BKM_SUFFIXES: Suffixes = [["b", 512], ["k", 1024], ["m", 1048576]];

const SPACE = /[ \t\n\v\f\r]/;

/**
 * C's strtod() on a latin1 string from `start`: leading white space, a sign,
 * decimal or hex digits with an exponent, "inf"/"infinity"/"nan". Returns the
 * value, where parsing stopped (`end === start` when there was no number) and
 * whether strtod would set ERANGE.
 */
export function strtod(s: string, start = 0): { value: number; end: number; erange: boolean } {
  let i = start;
  while (i < s.length && SPACE.test(s[i])) i++;
  const numStart = i;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") neg = s[i++] === "-";
  const rest = s.slice(i, i + 9).toLowerCase();
  if (rest.startsWith("inf")) {
    const len = rest.startsWith("infinity") ? 8 : 3;
    return { value: neg ? -Infinity : Infinity, end: i + len, erange: false };
  }
  if (rest.startsWith("nan")) {
    let j = i + 3;
    const m = /^\([0-9A-Za-z_]*\)/.exec(s.slice(j, j + 256));
    if (m) j += m[0].length;
    return { value: NaN, end: j, erange: false };
  }
  if (s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X")) {
    const m = /^([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/.exec(s.slice(i + 2));
    if (m && (m[1] || m[2])) {
      let j = i + 2 + m[0].length;
      const digits = m[1] + (m[2] ?? "");
      let exp = -4 * (m[2] ?? "").length;
      const pm = /^[pP]([+-]?\d+)/.exec(s.slice(j));
      if (pm) {
        exp += Number(pm[1]);
        j += pm[0].length;
      }
      let v = 0;
      for (const c of digits) v = v * 16 + parseInt(c, 16);
      v *= 2 ** exp;
      return { value: neg ? -v : v, end: j, erange: !Number.isFinite(v) };
    }
    // "0x" without hex digits: just the "0".
    return { value: neg ? -0 : 0, end: i + 1, erange: false };
  }
  let j = i;
  let digits = 0;
  let nonzero = false;
  while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
    if (s[j] !== "0") nonzero = true;
    j++;
    digits++;
  }
  if (s[j] === ".") {
    j++;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
      if (s[j] !== "0") nonzero = true;
      j++;
      digits++;
    }
  }
  if (digits === 0) return { value: 0, end: start, erange: false };
  const em = /^[eE][+-]?\d+/.exec(s.slice(j, j + 400));
  if (em) j += em[0].length;
  const v = Number(s.slice(numStart, j));
  const erange = !Number.isFinite(v) || (nonzero && Math.abs(v) < 2.2250738585072014e-308);
  return { value: v, end: j, erange };
}

/**
 * xstrtoull_range_sfx(numstr, 0, ...): like parseSuffixed, but the number may
 * be written as C reads it with base 0 (0x1F hex, 017 octal, 15 decimal), as
 * hexdump -s, xxd -s/-l and od -j/-N take it.
 */
export function parseSuffixedAnyBase(numstr: string, suffixes: Suffixes = [], lower = 0n, upper = U64_MAX): bigint {
  const inval = () => new AppletError(`invalid number '${numstr}'`);
  let m = /^0[xX]([0-9a-fA-F]+)/.exec(numstr);
  let r: bigint;
  if (m) r = BigInt("0x" + m[1]);
  else if ((m = /^0([0-7]*)/.exec(numstr))) r = BigInt("0o" + (m[1] || "0"));
  else if ((m = /^[1-9]\d*/.exec(numstr))) r = BigInt(m[0]);
  else throw inval();
  if (r > U64_MAX) throw inval();
  const rest = numstr.slice(m[0].length);
  if (rest !== "") {
    const hit = suffixes.find(([s]) => s === rest);
    if (!hit) throw inval();
    if (U64_MAX / BigInt(hit[1]) < r) throw new AppletError(`number ${numstr} is not in ${lower}..${upper} range`);
    r *= BigInt(hit[1]);
  }
  if (r < lower || r > upper) throw new AppletError(`number ${numstr} is not in ${lower}..${upper} range`);
  return r;
}

const DURATION_UNIT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** "1.5", "2m", "1h": seconds, as BusyBox's sleep accepts them. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) throw new AppletError(`invalid number '${s}'`);
  return parseFloat(m[1]) * DURATION_UNIT[m[2]];
}
