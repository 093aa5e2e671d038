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
