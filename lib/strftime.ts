// strftime(3) in the C locale, as glibc formats it (BusyBox's date hands its
// +FORMAT to glibc): every conversion, the flags "_" "-" "0" "^" "#", a field
// width, and the E/O modifiers (which change nothing in the C locale). An
// unknown conversion is copied as it was written ("%q", "%:z", "%N").
import type { ZoneTm } from "./tz.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export interface StrftimeTm extends ZoneTm {
  /** Unix seconds, for %s. */
  t: number;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** ISO 8601 week-based year and week number (%G, %V). */
function isoWeek(tm: StrftimeTm): [year: number, week: number] {
  const wdayMon = (tm.wday + 6) % 7; // Monday = 0
  let year = tm.year;
  // The Thursday of this week decides the year.
  let yday = tm.yday - wdayMon + 3;
  if (yday < 0) {
    year--;
    yday += isLeap(year) ? 366 : 365;
  } else {
    const len = isLeap(year) ? 366 : 365;
    if (yday >= len) {
      yday -= len;
      year++;
    }
  }
  return [year, Math.floor(yday / 7) + 1];
}

export function strftime(fmt: string, tm: StrftimeTm): string {
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== "%") {
      out += fmt[i];
      continue;
    }
    const start = i;
    let flag = "";
    while ("_-0^#".includes(fmt[i + 1] ?? "x")) flag += fmt[++i];
    let width = "";
    while (fmt[i + 1] >= "0" && fmt[i + 1] <= "9") width += fmt[++i];
    if (fmt[i + 1] === "E" || fmt[i + 1] === "O") i++;
    const conv = fmt[++i];
    if (conv === undefined) {
      out += fmt.slice(start);
      break;
    }
    const r = convert(conv, tm, flag);
    if (r === undefined) {
      out += fmt.slice(start, i + 1);
      continue;
    }
    out += pad(r, flag, width);
  }
  return out;
}

/** A converted field: its text, and how it pads by default. */
interface Field { text: string; num?: boolean; digits?: number; space?: boolean }

function pad(f: Field, flag: string, width: string): string {
  let text = f.text;
  if (flag.includes("^")) text = text.toUpperCase();
  // "-": no padding, unless a width is given (then spaces).
  if (flag.includes("-") && !width) return text;
  const w = width ? Number(width) : f.num ? f.digits ?? 0 : 0;
  let padChar = f.num && !f.space ? "0" : " ";
  if (flag.includes("_") || flag.includes("-")) padChar = " ";
  if (flag.includes("0")) padChar = "0";
  if (text.length >= w) return text;
  if (padChar === "0" && f.num && text.startsWith("-")) return "-" + "0".repeat(w - text.length) + text.slice(1);
  return padChar.repeat(w - text.length) + text;
}

function num(n: number, digits: number, space = false): Field {
  return { text: String(n), num: true, digits, space };
}

function convert(c: string, tm: StrftimeTm, flag: string): Field | undefined {
  const swap = flag.includes("#");
  const str = (s: string): Field => ({ text: s });
  const hour12 = tm.hour % 12 || 12;
  switch (c) {
    case "a": return str(swap ? DAYS[tm.wday].slice(0, 3).toUpperCase() : DAYS[tm.wday].slice(0, 3));
    case "A": return str(swap ? DAYS[tm.wday].toUpperCase() : DAYS[tm.wday]);
    case "b":
    case "h": return str(swap ? MONTHS[tm.mon].slice(0, 3).toUpperCase() : MONTHS[tm.mon].slice(0, 3));
    case "B": return str(swap ? MONTHS[tm.mon].toUpperCase() : MONTHS[tm.mon]);
    case "c": return str(strftime("%a %b %e %H:%M:%S %Y", tm));
    case "C": return num(Math.floor(tm.year / 100), 2);
    case "d": return num(tm.mday, 2);
    case "D": return str(strftime("%m/%d/%y", tm));
    case "e": return num(tm.mday, 2, true);
    case "F": return str(strftime("%Y-%m-%d", tm));
    case "g": return num(((isoWeek(tm)[0] % 100) + 100) % 100, 2);
    case "G": return num(isoWeek(tm)[0], 1);
    case "H": return num(tm.hour, 2);
    case "I": return num(hour12, 2);
    case "j": return num(tm.yday + 1, 3);
    case "k": return num(tm.hour, 2, true);
    case "l": return num(hour12, 2, true);
    case "m": return num(tm.mon + 1, 2);
    case "M": return num(tm.min, 2);
    case "n": return str("\n");
    case "p": return str(swap ? (tm.hour < 12 ? "am" : "pm") : tm.hour < 12 ? "AM" : "PM");
    case "P": return str(tm.hour < 12 ? "am" : "pm");
    case "r": return str(strftime("%I:%M:%S %p", tm));
    case "R": return str(strftime("%H:%M", tm));
    case "s": return num(tm.t, 1);
    case "S": return num(tm.sec, 2);
    case "t": return str("\t");
    case "T": return str(strftime("%H:%M:%S", tm));
    case "u": return num(((tm.wday + 6) % 7) + 1, 1);
    case "U": return num(Math.floor((tm.yday + 7 - tm.wday) / 7), 2);
    case "V": return num(isoWeek(tm)[1], 2);
    case "w": return num(tm.wday, 1);
    case "W": return num(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2);
    case "x": return str(strftime("%m/%d/%y", tm));
    case "X": return str(strftime("%H:%M:%S", tm));
    case "y": return num(((tm.year % 100) + 100) % 100, 2);
    case "Y": return num(tm.year, 1);
    case "z": {
      const off = Math.abs(tm.gmtoff);
      const hhmm = Math.floor(off / 3600) * 100 + Math.floor((off % 3600) / 60);
      return { text: (tm.gmtoff < 0 ? "-" : "+") + String(hhmm).padStart(4, "0"), num: false };
    }
    case "Z": return str(swap ? tm.zone.toLowerCase() : tm.zone);
    case "%": return str("%");
  }
  return undefined;
}
