// The awk value model. A value is a JS number, a JS string (latin1: one char
// per byte), undefined (uninitialized: both 0 and ""), or a UStr: text that
// came from input (fields, getline, -v, ARGV, ENVIRON, split) and is a number
// for comparisons when it looks like one (POSIX "strnum", BusyBox's VF_USER).
import { formatFloat, gDigits } from "./cfloat.ts";
import { integerText, isIntegral, looksNumeric, toInt32, toNumber } from "./number.ts";
import { AwkError } from "./errors.ts";
import { formatC } from "../../lib/cformat.ts";

export class UStr {
  private n?: number;
  private numeric?: boolean;
  constructor(readonly s: string) {}
  num(): number {
    return (this.n ??= toNumber(this.s));
  }
  isNum(): boolean {
    return (this.numeric ??= looksNumeric(this.s));
  }
}

export type Value = number | string | UStr | undefined;

export function toNum(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return toNumber(v);
  if (v === undefined) return 0;
  return v.num();
}

/** A value as a string, numbers through CONVFMT (integers as integers). */
export function toStr(v: Value, convfmt: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numToStr(v, convfmt);
  if (v === undefined) return "";
  return v.s;
}

/** Whether comparisons treat the value as a number. */
export function isNumeric(v: Value): boolean {
  if (typeof v === "number" || v === undefined) return true;
  if (typeof v === "string") return false;
  return v.isNum();
}

export function truthy(v: Value): boolean {
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v !== "";
  if (v === undefined) return false;
  return v.isNum() ? v.num() !== 0 : v.s !== "";
}

/**
 * The outcome of a comparison as BusyBox computes it: numbers subtract (so
 * NaN compares "less" and "not equal"), strings compare bytewise.
 */
export function compareValues(a: Value, b: Value, icase: boolean, convfmt: string): number {
  if (isNumeric(a) && isNumeric(b)) return toNum(a) - toNum(b);
  let x = toStr(a, convfmt);
  let y = toStr(b, convfmt);
  if (icase) { x = x.toLowerCase(); y = y.toLowerCase(); }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Number to string: integers exactly, others through fmt (CONVFMT or OFMT). */
export function numToStr(n: number, fmt: string): string {
  if (isIntegral(n)) return integerText(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "nan" : n > 0 ? "inf" : "-inf";
  if (fmt === "%.6g") {
    return n < 0 ? "-" + gDigits(-n, 6) : gDigits(n, 6);
  }
  return formatNumber(fmt, n);
}

// BusyBox's fmt_num: the format's last character picks an int or a double
// conversion for the whole format string; anything else is an error.
function formatNumber(fmt: string, n: number): string {
  const last = fmt[fmt.length - 1] ?? "";
  if (!"diouxXeEfFgGaA".includes(last) || last === "") throw new AwkError("Invalid format specifier");
  return sprintf(fmt, [n], "%.6g");
}

/**
 * awk's sprintf as BusyBox 1.35 runs it: each %-directive runs to the next
 * letter; "*" is refused; an unterminated directive at the end is copied as
 * is; missing arguments are empty.
 */
export function sprintf(fmt: string, args: Value[], convfmt: string): string {
  let out = "";
  let argi = 0;
  let i = 0;
  const n = fmt.length;
  while (i < n) {
    const j = fmt.indexOf("%", i);
    if (j < 0) { out += fmt.slice(i); break; }
    if (fmt.charCodeAt(j + 1) === 37) { out += fmt.slice(i, j + 1); i = j + 2; continue; }
    let k = j + 1;
    for (; k < n; k++) {
      const c = fmt.charCodeAt(k) | 0x20;
      if (c >= 97 && c <= 122) break;
      if (fmt.charCodeAt(k) === 42) throw new AwkError("%*x formats are not supported");
    }
    if (k >= n) { out += fmt.slice(i); break; }
    out += fmt.slice(i, j);
    out += formatOne(fmt.slice(j + 1, k), fmt[k], args[argi++], convfmt);
    i = k + 1;
  }
  return out;
}

const SIMPLE_MID = /^([-+ #0']*)(\d*)(?:\.(\d*))?$/;

function formatOne(mid: string, conv: string, arg: Value, convfmt: string): string {
  if (!"cdiouxXseEfFgGaA".includes(conv)) throw new AwkError("Invalid format specifier");
  const m = SIMPLE_MID.exec(mid);
  if (!m) return oddDirective(mid, conv, arg, convfmt);
  const flags = m[1].replace(/'/g, "");
  const width = m[2] ? Number(m[2]) : undefined;
  const precision = m[3] !== undefined ? Number(m[3] || "0") : undefined;
  return convert(flags, width, precision, conv, arg, convfmt);
}

function convert(flags: string, width: number | undefined, precision: number | undefined, conv: string, arg: Value, convfmt: string): string {
  switch (conv) {
    case "c": {
      let ch: string;
      if (isNumeric(arg)) ch = String.fromCharCode(toInt32(toNum(arg)) & 0xff);
      else ch = toStr(arg, convfmt)[0] ?? "\0";
      return formatC({ flags, width, conv: "s" }, ch);
    }
    case "s":
      return formatC({ flags, width, precision, conv: "s" }, toStr(arg, convfmt));
    case "d":
    case "i":
      return formatC({ flags, width, precision, conv: "d" }, toInt32(toNum(arg)));
    case "o":
    case "u":
    case "x":
    case "X":
      return formatC({ flags, width, precision, conv }, toInt32(toNum(arg)) >>> 0);
    default:
      return formatFloat({ flags, width, precision, conv }, toNum(arg));
  }
}

// A directive with other characters between "%" and its letter, handed whole
// to glibc's printf by BusyBox: "%5%|%c" prints "%|" and the %c.
function oddDirective(mid: string, conv: string, arg: Value, convfmt: string): string {
  const text = "%" + mid + conv;
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "%") { out += text[i++]; continue; }
    const m = /^%([-+ #0']*)(\d*)(?:\.(\d*))?(.?)/s.exec(text.slice(i))!;
    const c = m[4];
    if (c === "%") out += "%";
    else if (i + m[0].length === text.length && c === conv) {
      out += convert(m[1].replace(/'/g, ""), m[2] ? Number(m[2]) : undefined, m[3] !== undefined ? Number(m[3] || "0") : undefined, conv, arg, convfmt);
    } else out += m[0];
    i += m[0].length;
  }
  return out;
}
