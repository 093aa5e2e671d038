// Dates on the command line as BusyBox's parse_datestr() reads them (touch -d
// and -t, date -d): a list of strptime formats ("HH:MM", "YYYY-MM-DD HH:MM:SS",
// "mm.dd-HH:MM", "Mon dd HH:MM:SS YYYY", with or without a +hhmm zone...),
// "@SECONDS", and the digits form [[[[[CC]YY]MM]DD]hh]mm[.ss]. Fields a format
// does not name keep the values they had (the current local time), as
// BusyBox's struct tm does. Local time is the process's (TZ).

/** struct tm with a full year and a 0-based month; gmtoff is set by %z. */
export interface Tm {
  year: number; mon: number; mday: number; hour: number; min: number; sec: number;
  gmtoff?: number;
  /** Set by %s: the Unix time itself. */
  epoch?: number;
}

export class InvalidDate extends Error {}

/** The local time of a Unix time (localtime_r). */
export function localTm(t: number): Tm {
  const d = new Date(t * 1000);
  return { year: d.getFullYear(), mon: d.getMonth(), mday: d.getDate(), hour: d.getHours(), min: d.getMinutes(), sec: d.getSeconds() };
}

/** mktime(): a local time (fields may overflow, they are normalised) as Unix seconds. */
export function mktimeLocal(tm: Tm): number {
  const d = new Date(2000, 0, 1, 0, 0, 0, 0);
  d.setFullYear(tm.year, tm.mon, tm.mday);
  d.setHours(tm.hour, tm.min, tm.sec, 0);
  const t = d.getTime();
  if (Number.isNaN(t)) throw new InvalidDate();
  return Math.floor(t / 1000);
}

/** timegm(). */
export function timegm(tm: Tm): number {
  return Math.floor(Date.UTC(tm.year, tm.mon, 1, 0, 0, 0) / 1000) + (tm.mday - 1) * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec;
}

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";

/** A small strptime() (glibc's rules) for the conversions parse_datestr uses. Returns the index where it stopped, or -1. */
export function strptime(s: string, fmt: string, tm: Tm): number {
  let i = 0;
  const num = (from: number, to: number, n: number): number | undefined => {
    while (isSpace(s[i])) i++;
    if (!(s[i] >= "0" && s[i] <= "9")) return undefined;
    let val = 0;
    do {
      val = val * 10 + (s.charCodeAt(i++) - 48);
    } while (--n > 0 && val * 10 <= to && s[i] >= "0" && s[i] <= "9");
    return val < from || val > to ? undefined : val;
  };
  const expand = fmt.replace(/%R/g, "%H:%M").replace(/%T/g, "%H:%M:%S").replace(/%D/g, "%m/%d/%y").replace(/%F/g, "%Y-%m-%d");
  for (let f = 0; f < expand.length; f++) {
    const fc = expand[f];
    if (isSpace(fc)) {
      while (isSpace(s[i])) i++;
      continue;
    }
    if (fc !== "%") {
      if (s[i] !== fc) return -1;
      i++;
      continue;
    }
    const conv = expand[++f];
    let v: number | undefined;
    switch (conv) {
      case "Y":
        if ((v = num(0, 9999, 4)) === undefined) return -1;
        tm.year = v;
        break;
      case "m":
        if ((v = num(1, 12, 2)) === undefined) return -1;
        tm.mon = v - 1;
        break;
      case "d":
        if ((v = num(1, 31, 2)) === undefined) return -1;
        tm.mday = v;
        break;
      case "H":
        if ((v = num(0, 23, 2)) === undefined) return -1;
        tm.hour = v;
        break;
      case "M":
        if ((v = num(0, 59, 2)) === undefined) return -1;
        tm.min = v;
        break;
      case "S":
        if ((v = num(0, 61, 2)) === undefined) return -1;
        tm.sec = v;
        break;
      case "b": {
        while (isSpace(s[i])) i++;
        const rest = s.slice(i).toLowerCase();
        let hit = -1;
        for (let m = 0; m < 12 && hit < 0; m++) {
          if (rest.startsWith(MONTH_NAMES[m])) { hit = m; i += MONTH_NAMES[m].length; }
          else if (rest.startsWith(MONTH_NAMES[m].slice(0, 3))) { hit = m; i += 3; }
        }
        if (hit < 0) return -1;
        tm.mon = hit;
        break;
      }
      case "z": {
        while (isSpace(s[i])) i++;
        if (s[i] === "Z") { i++; tm.gmtoff = 0; break; }
        if (s[i] !== "+" && s[i] !== "-") return -1;
        const neg = s[i++] === "-";
        let digits = "";
        while (digits.length < 4 && s[i] >= "0" && s[i] <= "9") {
          digits += s[i++];
          if (digits.length === 2 && s[i] === ":" && s[i + 1] >= "0" && s[i + 1] <= "9") i++;
        }
        if (digits.length !== 2 && digits.length !== 4) return -1;
        const hh = Number(digits.slice(0, 2));
        const mm = digits.length === 4 ? Number(digits.slice(2)) : 0;
        if (hh > 12 || mm >= 60) return -1;
        tm.gmtoff = (neg ? -1 : 1) * (hh * 3600 + mm * 60);
        break;
      }
      case "s": {
        while (isSpace(s[i])) i++;
        const m = /^-?\d+/.exec(s.slice(i));
        if (!m) return -1;
        i += m[0].length;
        tm.epoch = Number(m[0]);
        break;
      }
      case "y":
        if ((v = num(0, 99, 2)) === undefined) return -1;
        tm.year = v + (v < 69 ? 2000 : 1900);
        break;
      case "e":
        if ((v = num(1, 31, 2)) === undefined) return -1;
        tm.mday = v;
        break;
      case "n":
      case "t":
        while (isSpace(s[i])) i++;
        break;
      case "%":
        if (s[i] !== "%") return -1;
        i++;
        break;
      default:
        return -1;
    }
  }
  return i;
}

const FORMATS = [
  "%R", "%T", "%m.%d-%R", "%m.%d-%T", "%Y.%m.%d-%R", "%Y.%m.%d-%T", "%b %d %T %Y",
  "%Y-%m-%d %R", "%Y-%m-%d %T", "%Y-%m-%d %R %z", "%Y-%m-%d %T %z", "%Y-%m-%d %H", "%Y-%m-%d",
];

/**
 * parse_datestr(): fill `tm` (which holds the current local time) from
 * `str`; then validate_tm_time()'s mktime. Returns Unix seconds, or throws
 * InvalidDate. `mktime` reads local time (default: the process's zone).
 */
export function parseDatestr(str: string, tm: Tm, mktime: (tm: Tm) => number = mktimeLocal): number {
  for (const fmt of FORMATS) {
    const t: Tm = { ...tm, gmtoff: undefined };
    const end = strptime(str, fmt, t);
    if (end >= 0 && end === str.length) {
      if (fmt.includes("%z")) return timegm(t) - (t.gmtoff ?? 0);
      return mktime(t);
    }
  }
  if (str.startsWith("@")) {
    if (!/^-?\d+$/.test(str.slice(1))) throw new InvalidDate();
    return Number(str.slice(1));
  }
  // [[[[[CC]YY]MM]DD]hh]mm[.ss]
  const dot = str.indexOf(".");
  const len = dot < 0 ? str.length : dot;
  const digits = str.slice(0, len);
  const pairs = (n: number) => {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(Number(digits.slice(k * 2, k * 2 + 2)));
    return out;
  };
  const t: Tm = { ...tm };
  if (!/^\d+$/.test(digits)) throw new InvalidDate();
  if (len === 2) [t.min] = pairs(1);
  else if (len === 4) [t.hour, t.min] = pairs(2);
  else if (len === 6) [t.mday, t.hour, t.min] = pairs(3);
  else if (len === 8) {
    const [mo, d, h, mi] = pairs(4);
    Object.assign(t, { mon: mo - 1, mday: d, hour: h, min: mi });
  } else if (len === 10) {
    const [yy, mo, d, h, mi] = pairs(5);
    const cur = tm.year - 1900;
    let year = yy;
    if (cur >= 50) {
      year += Math.floor(cur / 100) * 100;
      if (year < cur - 50) year += 100;
      if (year > cur + 50) year -= 100;
    }
    Object.assign(t, { year: year + 1900, mon: mo - 1, mday: d, hour: h, min: mi });
  } else if (len === 12) {
    Object.assign(t, {
      year: Number(digits.slice(0, 4)), mon: Number(digits.slice(4, 6)) - 1, mday: Number(digits.slice(6, 8)),
      hour: Number(digits.slice(8, 10)), min: Number(digits.slice(10, 12)),
    });
  } else throw new InvalidDate();
  t.sec = 0;
  if (dot >= 0) {
    const ss = str.slice(dot + 1);
    if (!/^\d+$/.test(ss)) throw new InvalidDate();
    t.sec = Number(ss);
  }
  // Each field in its range (a day past the month's end is normalised by mktime).
  if (t.mon < 0 || t.mon > 11 || t.mday < 1 || t.mday > 31 || t.hour > 23 || t.min > 59 || t.sec > 60) throw new InvalidDate();
  return mktime(t);
}
