// Time zones as the C library reads the TZ variable, so that date (and any
// applet showing local time) follows the context's TZ rather than the
// process's: unset means /etc/localtime; "" UTC; ":NAME" or a NAME found under
// /usr/share/zoneinfo a TZif file; anything else a POSIX rule string such as
// "EST5EDT", "<+03>-3" or "CET-1CEST,M3.5.0,M10.5.0/3".
//
//   const zone = loadZone(ctx.env.TZ);
//   const tm = localtime(zone, unixSeconds);   // fields, gmtoff, isdst, abbreviation
//   const t = mktime(zone, tm);                 // and back (fields may overflow)
import * as fs from "node:fs";

export interface ZoneTm {
  year: number; mon: number; mday: number; hour: number; min: number; sec: number;
  /** 0 = Sunday. */
  wday: number;
  /** 0-based day of the year. */
  yday: number;
  isdst: boolean;
  /** Seconds east of UTC. */
  gmtoff: number;
  zone: string;
}

interface LocalType { off: number; dst: boolean; abbr: string }

/** A POSIX TZ rule: standard time, and optionally daylight time between two rules. */
interface PosixRule {
  std: LocalType;
  dst?: LocalType;
  start?: DateRule;
  end?: DateRule;
}

/** Jn (1-365, no Feb 29), n (0-365), or Mm.w.d; at `time` seconds local time. */
interface DateRule { kind: "J" | "n" | "M"; day: number; week?: number; month?: number; time: number }

export interface Zone {
  /** Transition times (ascending) and the type in effect from each. */
  times: number[];
  types: LocalType[];
  idx: number[];
  /** Type before the first transition. */
  initial: LocalType;
  /** Rule for times after the last transition (the TZif footer), if any. */
  rule?: PosixRule;
}

const UTC: LocalType = { off: 0, dst: false, abbr: "UTC" };
const ZONEINFO = "/usr/share/zoneinfo";

/** The zone TZ names, never throwing: what cannot be read is UTC, as in libc. */
export function loadZone(tz: string | undefined): Zone {
  if (tz === undefined) return readTzif("/etc/localtime") ?? fixed(UTC);
  if (tz === "") return fixed(UTC);
  let name = tz;
  if (name.startsWith(":")) name = name.slice(1);
  if (!name.includes("..")) {
    const file = name.startsWith("/") ? name : `${ZONEINFO}/${name}`;
    const z = readTzif(file);
    if (z) return z;
  }
  if (tz.startsWith(":")) return fixed(UTC);
  const rule = parsePosixTz(tz);
  if (!rule) return fixed({ off: 0, dst: false, abbr: /^[A-Za-z]{3,}/.exec(tz)?.[0] ?? "UTC" });
  return { times: [], types: [], idx: [], initial: rule.std, rule };
}

function fixed(t: LocalType): Zone {
  return { times: [], types: [], idx: [], initial: t };
}

/** A TZif file (version 1, or the 64-bit data of 2+ and its footer rule). */
function readTzif(file: string): Zone | undefined {
  let b: Buffer;
  try {
    b = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (b.length < 44 || b.toString("latin1", 0, 4) !== "TZif") return undefined;
  const header = (at: number) => {
    const n = (k: number) => b.readUInt32BE(at + 20 + k * 4);
    return { isutc: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), chars: n(5) };
  };
  let h = header(0);
  let at = 44;
  let wide = false;
  if (b[4] >= 0x32) {
    // Skip the 32-bit block to the 64-bit one.
    at += h.time * 5 + h.type * 6 + h.chars + h.leap * 8 + h.isstd + h.isutc;
    h = header(at);
    at += 44;
    wide = true;
  }
  const size = wide ? 8 : 4;
  const times: number[] = [];
  for (let k = 0; k < h.time; k++) times.push(wide ? Number(b.readBigInt64BE(at + k * 8)) : b.readInt32BE(at + k * 4));
  at += h.time * size;
  const idx: number[] = [];
  for (let k = 0; k < h.time; k++) idx.push(b[at + k]);
  at += h.time;
  const raw: { off: number; dst: boolean; ai: number }[] = [];
  for (let k = 0; k < h.type; k++) raw.push({ off: b.readInt32BE(at + k * 6), dst: b[at + k * 6 + 4] !== 0, ai: b[at + k * 6 + 5] });
  at += h.type * 6;
  const chars = b.toString("latin1", at, at + h.chars);
  at += h.chars + h.leap * (size + 4) + h.isstd + h.isutc;
  const types = raw.map((t) => ({ off: t.off, dst: t.dst, abbr: chars.slice(t.ai, chars.indexOf("\0", t.ai) >>> 0) }));
  if (types.length === 0) return undefined;
  let rule: PosixRule | undefined;
  if (wide && b[at] === 10) {
    const end = b.indexOf(10, at + 1);
    if (end > at) rule = parsePosixTz(b.toString("latin1", at + 1, end));
  }
  // The first standard-time type applies before the first transition.
  const initial = types.find((t) => !t.dst) ?? types[0];
  return { times, types, idx, initial: times.length ? initial : types[0], rule };
}

/** "EST5EDT,M3.2.0,M11.1.0": undefined when it is not a rule at all. */
export function parsePosixTz(s: string): PosixRule | undefined {
  let i = 0;
  const name = (): string | undefined => {
    if (s[i] === "<") {
      const end = s.indexOf(">", i);
      if (end < 0) return undefined;
      const n = s.slice(i + 1, end);
      i = end + 1;
      return n;
    }
    const m = /^[A-Za-z]{3,}/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const hms = (): number | undefined => {
    const m = /^([-+]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === "-" ? -v : v;
  };
  const stdName = name();
  if (stdName === undefined) return undefined;
  const stdOff = hms();
  if (stdOff === undefined) return undefined;
  const rule: PosixRule = { std: { off: -stdOff, dst: false, abbr: stdName } };
  if (i >= s.length) return rule;
  const dstName = name();
  if (dstName === undefined) return rule;
  let dstOff = -stdOff + 3600;
  if (s[i] !== "," && i < s.length) {
    const o = hms();
    if (o !== undefined) dstOff = -o;
  }
  rule.dst = { off: dstOff, dst: true, abbr: dstName };
  const date = (): DateRule | undefined => {
    let r: DateRule;
    let m: RegExpExecArray | null;
    const rest = s.slice(i);
    if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest))) r = { kind: "M", month: Number(m[1]), week: Number(m[2]), day: Number(m[3]), time: 7200 };
    else if ((m = /^J(\d{1,3})/.exec(rest))) r = { kind: "J", day: Number(m[1]), time: 7200 };
    else if ((m = /^(\d{1,3})/.exec(rest))) r = { kind: "n", day: Number(m[1]), time: 7200 };
    else return undefined;
    i += m[0].length;
    if (s[i] === "/") {
      i++;
      const t = hms();
      if (t !== undefined) r.time = t;
    }
    return r;
  };
  if (s[i] === ",") {
    i++;
    rule.start = date();
    if (s[i] === ",") {
      i++;
      rule.end = date();
    }
  }
  // No rule given: the US rules, as glibc's default.
  if (!rule.start || !rule.end) {
    rule.start = { kind: "M", month: 3, week: 2, day: 0, time: 7200 };
    rule.end = { kind: "M", month: 11, week: 1, day: 0, time: 7200 };
  }
  return rule;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Days from 1970-01-01 to year-mon(0-based)-day (day may overflow). */
export function daysFromCivil(year: number, mon: number, day: number): number {
  year += Math.floor(mon / 12);
  mon = ((mon % 12) + 12) % 12;
  const y = mon < 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (mon + 10) % 12; // months counted from March
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Seconds from the start of `year` (local) to the rule's moment, in local standard or daylight time. */
function ruleSeconds(r: DateRule, year: number): number {
  let yday: number;
  if (r.kind === "J") yday = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  else if (r.kind === "n") yday = r.day;
  else {
    const mon = r.month! - 1;
    const first = daysFromCivil(year, mon, 1);
    const firstWday = (((first + 4) % 7) + 7) % 7;
    let mday = 1 + ((r.day - firstWday + 7) % 7) + (r.week! - 1) * 7;
    const len = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mon];
    while (mday > len) mday -= 7;
    yday = first - daysFromCivil(year, 0, 1) + mday - 1;
  }
  return yday * 86400 + r.time;
}

function ruleType(rule: PosixRule, t: number): LocalType {
  if (!rule.dst) return rule.std;
  const year = new Date(t * 1000).getUTCFullYear();
  const yearStart = daysFromCivil(year, 0, 1) * 86400;
  // Start is given in standard time, end in daylight time.
  const start = yearStart + ruleSeconds(rule.start!, year) - rule.std.off;
  const end = yearStart + ruleSeconds(rule.end!, year) - rule.dst.off;
  const inDst = start < end ? t >= start && t < end : !(t >= end && t < start);
  return inDst ? rule.dst : rule.std;
}

function typeAt(z: Zone, t: number): LocalType {
  if (z.times.length === 0 || t < z.times[0]) return z.times.length === 0 && z.rule ? ruleType(z.rule, t) : z.initial;
  if (t >= z.times[z.times.length - 1] && z.rule) return ruleType(z.rule, t);
  let lo = 0, hi = z.times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (z.times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.types[z.idx[lo]];
}

/** The UTC fields of a Unix time. */
export function gmtime(t: number): Omit<ZoneTm, "isdst" | "gmtoff" | "zone"> {
  const days = Math.floor(t / 86400);
  let rem = t - days * 86400;
  const hour = Math.floor(rem / 3600);
  rem -= hour * 3600;
  const min = Math.floor(rem / 60);
  const sec = rem - min * 60;
  // Civil date from days (Howard Hinnant's algorithm).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const mday = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mon = mp < 10 ? mp + 2 : mp - 10;
  const year = yoe + era * 400 + (mon < 2 ? 1 : 0);
  const wday = (((days + 4) % 7) + 7) % 7;
  const yday = DAYS_BEFORE[mon] + mday - 1 + (mon > 1 && isLeap(year) ? 1 : 0);
  return { year, mon, mday, hour, min, sec, wday, yday };
}

/** localtime_r() in a zone. */
export function localtime(z: Zone, t: number): ZoneTm {
  const type = typeAt(z, t);
  return { ...gmtime(t + type.off), isdst: type.dst, gmtoff: type.off, zone: type.abbr };
}

/** timegm() of fields that may overflow. */
export function timegmFields(tm: { year: number; mon: number; mday: number; hour: number; min: number; sec: number }): number {
  return daysFromCivil(tm.year, tm.mon, tm.mday) * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec;
}

/**
 * mktime() with tm_isdst = -1, converging as glibc's does from offset 0, so
 * that an ambiguous time resolves the same way; a time in a gap is read with
 * the offset from before it (02:30 becomes 03:30 summer time).
 */
export function mktime(z: Zone, tm: { year: number; mon: number; mday: number; hour: number; min: number; sec: number }): number {
  const guess = timegmFields(tm);
  let t = guess;
  const seen = new Set<number>();
  for (let k = 0; k < 8; k++) {
    const next = guess - typeAt(z, t).off;
    if (next === t) return t;
    if (seen.has(next)) break; // oscillating: a gap
    seen.add(t);
    t = next;
  }
  return guess - typeAt(z, guess - 43200).off;
}
