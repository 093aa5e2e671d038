// Numbers as BusyBox awk (glibc, C locale) reads and writes them: strtod with
// BusyBox's hex/octal extension ("0x1A" and "010" are numbers, in the program
// and in input alike), C integer conversions that saturate like x86's, and
// number-to-string conversion (integers print as integers, the rest through
// CONVFMT/OFMT).

const SPACE = (c: number) => c === 32 || (c >= 9 && c <= 13); // isspace in the C locale
const DIGIT = (c: number) => c >= 48 && c <= 57;

/** Where the last scanNumber() stopped (an index into the scanned string). */
export let scanEnd = 0;

/**
 * BusyBox's my_strtod(): a leading "0x..." is hexadecimal and "0NNN" octal
 * (strtoull base 0), anything else goes to strtod. Sets scanEnd to the index
 * just past what was used (the start when nothing was).
 */
export function scanNumber(s: string, start = 0): number {
  const c0 = s.charCodeAt(start);
  if (c0 === 48) {
    const c1 = s.charCodeAt(start + 1);
    const x = (c1 | 0x20) === 120;
    if (x || DIGIT(c1)) {
      const v = strtoull(s, start);
      if (x) return v;
      const c = s.charCodeAt(scanEnd);
      if (!DIGIT(c) && c !== 46) return v;
      // "009.5" or "00.5": a decimal number after all.
    }
  }
  return strtod(s, start);
}

/** strtoull(s, &end, 0) for a string starting with "0" (octal or hex). */
function strtoull(s: string, start: number): number {
  let i = start + 1;
  let v = 0n;
  if ((s.charCodeAt(i) | 0x20) === 120) {
    let j = i + 1;
    let any = false;
    for (;; j++) {
      const c = s.charCodeAt(j);
      const d = DIGIT(c) ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
      if (d < 0) break;
      v = v * 16n + BigInt(d);
      any = true;
    }
    if (!any) { scanEnd = start + 1; return 0; } // "0x" alone: the "0" is the number
    scanEnd = j;
  } else {
    for (;; i++) {
      const c = s.charCodeAt(i);
      if (!(c >= 48 && c <= 55)) break; // NaN past the end too
      v = v * 8n + BigInt(c - 48);
    }
    scanEnd = i;
  }
  return v > 0xffffffffffffffffn ? 18446744073709551615 : Number(v);
}

/** glibc strtod: leading space, sign, decimal or hex digits, inf, nan. */
export function strtod(s: string, start = 0): number {
  let i = start;
  const n = s.length;
  while (i < n && SPACE(s.charCodeAt(i))) i++;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) { neg = c === 45; i++; c = s.charCodeAt(i); }
  const numStart = i;
  // Fast path: plain decimal integer.
  if (DIGIT(c)) {
    let v = 0;
    let j = i;
    while (j < n && DIGIT(s.charCodeAt(j)) && j - i < 15) v = v * 10 + (s.charCodeAt(j++) - 48);
    const cj = s.charCodeAt(j);
    if (!(DIGIT(cj) || cj === 46 || (cj | 0x20) === 101 || ((cj | 0x20) === 120 && j === i + 1 && c === 48))) {
      scanEnd = j;
      return neg ? -v : v;
    }
  }
  const lc = c | 0x20;
  if (lc === 105 || lc === 110) {
    const word = s.slice(i, i + 8).toLowerCase();
    if (word.startsWith("infinity")) { scanEnd = i + 8; return neg ? -Infinity : Infinity; }
    if (word.startsWith("inf")) { scanEnd = i + 3; return neg ? -Infinity : Infinity; }
    if (word.startsWith("nan")) {
      let j = i + 3;
      if (s.charCodeAt(j) === 40) {
        let k = j + 1;
        while (k < n && /[0-9A-Za-z_]/.test(s[k])) k++;
        if (s.charCodeAt(k) === 41) j = k + 1;
      }
      scanEnd = j;
      return NaN;
    }
    scanEnd = start;
    return 0;
  }
  if (c === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    const r = hexFloat(s, i + 2);
    if (r !== undefined) return neg ? -r : r;
    // "0x" without hex digits: just the 0.
    scanEnd = i + 1;
    return neg ? -0 : 0;
  }
  let j = i;
  let digits = 0;
  while (j < n && DIGIT(s.charCodeAt(j))) { j++; digits++; }
  if (s.charCodeAt(j) === 46) {
    j++;
    while (j < n && DIGIT(s.charCodeAt(j))) { j++; digits++; }
  }
  if (digits === 0) { scanEnd = start; return 0; }
  if ((s.charCodeAt(j) | 0x20) === 101) {
    let k = j + 1;
    const sc = s.charCodeAt(k);
    if (sc === 43 || sc === 45) k++;
    if (DIGIT(s.charCodeAt(k))) {
      while (k < n && DIGIT(s.charCodeAt(k))) k++;
      j = k;
    }
  }
  scanEnd = j;
  let text = s.slice(numStart, j);
  if (text.charCodeAt(0) === 46) text = "0" + text;
  const v = Number(text.endsWith(".") ? text + "0" : text);
  return neg ? -v : v;
}

function hexFloat(s: string, i: number): number | undefined {
  let mant = 0n;
  let exp = 0;
  let any = false;
  const hex = (c: number) => (DIGIT(c) ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1);
  for (let d; (d = hex(s.charCodeAt(i))) >= 0; i++) { mant = mant * 16n + BigInt(d); any = true; }
  if (s.charCodeAt(i) === 46) {
    i++;
    for (let d; (d = hex(s.charCodeAt(i))) >= 0; i++) { mant = mant * 16n + BigInt(d); exp -= 4; any = true; }
  }
  if (!any) return undefined;
  if ((s.charCodeAt(i) | 0x20) === 112) {
    let k = i + 1;
    let eneg = false;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) { eneg = s.charCodeAt(k) === 45; k++; }
    if (DIGIT(s.charCodeAt(k))) {
      let e = 0;
      while (DIGIT(s.charCodeAt(k))) e = Math.min(e * 10 + (s.charCodeAt(k++) - 48), 100000);
      exp += eneg ? -e : e;
      i = k;
    }
  }
  scanEnd = i;
  return Number(mant) * Math.pow(2, exp);
}

/** A string's numeric value (awk's string-to-number conversion). */
export function toNumber(s: string): number {
  return s === "" ? 0 : scanNumber(s, 0);
}

/**
 * Whether input text "looks numeric" (POSIX strnum): BusyBox takes the number
 * strtod reads and allows only blanks (and backslash-newlines) after it.
 */
export function looksNumeric(s: string): boolean {
  if (s === "") return false;
  const start = 0;
  scanNumber(s, start);
  let i = scanEnd;
  if (i === start) {
    // Nothing was read: only a string of spaces would reach the end, and an
    // empty number is no number.
    return false;
  }
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) i++;
    else if (c === 92 && s.charCodeAt(i + 1) === 10) i += 2;
    else return false;
  }
  return true;
}

const TWO63 = 9223372036854775808;

/** C's (long long)d on x86-64: out of range and NaN give LLONG_MIN. */
export function toLongLong(d: number): number {
  if (!(d > -TWO63 - 1025 && d < TWO63)) return -TWO63;
  return Math.trunc(d) || 0;
}

/** C's (int)d on x86-64: out of range and NaN give INT_MIN. */
export function toInt32(d: number): number {
  if (!(d > -2147483649 && d < 2147483648)) return -2147483648;
  return Math.trunc(d) | 0;
}

/** The decimal text of an integral double, exactly as %lld prints it. */
export function integerText(n: number): string {
  if (n > -9007199254740992 && n < 9007199254740992) return String(n === 0 ? 0 : n);
  return BigInt(n).toString();
}

/** Whether n == (long long)n: such numbers print as integers. */
export function isIntegral(n: number): boolean {
  return Number.isInteger(n) && n >= -TWO63 && n < TWO63;
}
