// C's floating-point conversions (%e %f %g %a, upper-case variants) exactly as
// glibc prints them: correctly rounded from the binary value, ties to even.
// JavaScript's toFixed/toExponential round exact ties away from zero, so ties
// are detected and redone with exact BigInt arithmetic.

export interface FloatSpec {
  flags: string;
  width?: number;
  precision?: number;
  conv: string; // e E f F g G a A
}

/** Decompose a finite positive double into m * 2^e with integer m. */
function decompose(x: number): [bigint, number] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return [mant, -1074];
  mant |= 1n << 52n;
  return [mant, exp - 1075];
}

const pow10 = (n: number) => 10n ** BigInt(n);

/**
 * x (finite, >= 0) * 10^scale rounded to an integer, half to even, as a
 * BigInt: the digits of a conversion before the point is placed.
 */
function scaledRound(x: number, scale: number): bigint {
  const [m, e] = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (scale >= 0) num *= pow10(scale);
  else den *= pow10(-scale);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Digits of %.{prec}f for x >= 0 (no sign). */
export function fixedDigits(x: number, prec: number): string {
  if (prec <= 100 && x < 1e21 && !isTie(x, prec)) return x.toFixed(prec);
  const q = scaledRound(x, prec).toString();
  if (prec === 0) return q;
  const padded = q.padStart(prec + 1, "0");
  return padded.slice(0, padded.length - prec) + "." + padded.slice(padded.length - prec);
}

/**
 * Whether x * 10^scale lies exactly halfway between two integers, the one
 * case where JavaScript (away from zero) and glibc (to even) round apart.
 * x * 10^s * 2 must be an odd integer: for s >= 0 that is x * 2^(s+1) odd
 * (5^s is odd and x is dyadic); for s < 0, 2x / 10^-s odd.
 */
function isTie(x: number, scale: number): boolean {
  if (scale >= 0) {
    const t = x * Math.pow(2, scale + 1);
    return t <= 9007199254740992 && Number.isInteger(t) && t % 2 === 1;
  }
  if (!Number.isInteger(x)) return false;
  if (x * 2 > 9007199254740992 || -scale > 22) {
    const d = pow10(-scale);
    const b = BigInt(x) * 2n;
    return b % d === 0n && ((b / d) & 1n) === 1n;
  }
  const d = Math.pow(10, -scale);
  return (x * 2) % d === 0 && ((x * 2) / d) % 2 === 1;
}

/** [digits "d.ddd" without sign, exponent] of %.{prec}e for x >= 0. */
export function expDigits(x: number, prec: number): [string, number] {
  if (x === 0) return [prec > 0 ? "0." + "0".repeat(prec) : "0", 0];
  if (prec <= 100) {
    const s = x.toExponential(prec);
    const k = s.indexOf("e");
    const exp = Number(s.slice(k + 1));
    if (!isTie(x, prec - exp) && !isTie(x, prec - exp + 1)) return [s.slice(0, k), exp];
    return exactExp(x, prec, exp);
  }
  return exactExp(x, prec, Math.floor(Math.log10(x)));
}

function exactExp(x: number, prec: number, expGuess: number): [string, number] {
  let exp = expGuess;
  for (let tries = 0; tries < 4; tries++) {
    const q = scaledRound(x, prec - exp).toString();
    if (q.length === prec + 2) { exp++; continue; } // rounded up to the next power of ten
    if (q.length < prec + 1) { exp--; continue; }
    return [prec > 0 ? q[0] + "." + q.slice(1) : q, exp];
  }
  const q = scaledRound(x, prec - exp).toString();
  return [prec > 0 ? q[0] + "." + q.slice(1, prec + 1) : q[0], exp];
}

const expText = (e: number) => (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");

/** One floating conversion with its flags, width and precision. */
export function formatFloat(spec: FloatSpec, value: number): string {
  const { flags, conv } = spec;
  const upper = conv === "E" || conv === "F" || conv === "G" || conv === "A";
  const lc = conv.toLowerCase();
  const alt = flags.includes("#");
  let neg = value < 0 || Object.is(value, -0);
  let x = Math.abs(value);
  let body: string;
  let finite = true;
  if (Number.isNaN(value)) {
    body = "nan";
    neg = false;
    finite = false;
  } else if (!Number.isFinite(x)) {
    body = "inf";
    finite = false;
  } else if (lc === "f") {
    body = fixedDigits(x, spec.precision ?? 6);
    if (alt && !body.includes(".")) body += ".";
  } else if (lc === "e") {
    const [m, e] = expDigits(x, spec.precision ?? 6);
    body = (alt && !m.includes(".") ? m + "." : m) + "e" + expText(e);
  } else if (lc === "g") {
    body = gDigits(x, spec.precision ?? 6, alt);
  } else {
    body = hexDigits(x, spec.precision, alt);
  }
  if (upper) body = body.toUpperCase();
  const sign = neg ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const width = spec.width ?? 0;
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (flags.includes("-")) return sign + body + " ".repeat(width - len);
  if (flags.includes("0") && finite) {
    if (lc === "a") {
      const p = body.slice(0, 2);
      return sign + p + "0".repeat(width - len) + body.slice(2);
    }
    return sign + "0".repeat(width - len) + body;
  }
  return " ".repeat(width - len) + sign + body;
}

/** %g: the shorter of %e and %f, trailing zeros removed unless "#". */
export function gDigits(x: number, precision: number, alt = false): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) {
    if (alt) return p > 1 ? "0." + "0".repeat(p - 1) : "0.";
    return "0";
  }
  const [m, e] = expDigits(x, p - 1);
  let out: string;
  if (e < p && e >= -4) {
    out = fixedDigits(x, p - 1 - e);
    if (alt) { if (!out.includes(".")) out += "."; return out; }
    return out.includes(".") ? out.replace(/\.?0+$/, "") : out;
  }
  out = m;
  if (alt) { if (!out.includes(".")) out += "."; }
  else if (out.includes(".")) out = out.replace(/\.?0+$/, "");
  return out + "e" + expText(e);
}

function hexDigits(x: number, precision: number | undefined, alt: boolean): string {
  if (x === 0) {
    const frac = precision ? "." + "0".repeat(precision) : alt ? "." : "";
    return "0x0" + frac + "p+0";
  }
  let [m, e] = decompose(x);
  // Normalize to 1.xxxx (52 fraction bits), subnormals included.
  while (m < 1n << 52n) { m <<= 1n; e--; }
  let lead = m >> 52n;
  let frac = m & ((1n << 52n) - 1n);
  let exp = e + 52;
  let digits = frac.toString(16).padStart(13, "0");
  if (precision === undefined) digits = digits.replace(/0+$/, "");
  else if (precision < 13) {
    const shift = BigInt((13 - precision) * 4);
    let f = frac >> shift;
    const rem = frac & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (f & 1n) === 1n)) f++;
    if (f >> BigInt(precision * 4) !== 0n) { lead++; f = 0n; }
    digits = precision ? f.toString(16).padStart(precision, "0") : "";
    if (lead === 2n) { lead = 1n; exp++; }
  } else digits = digits.padEnd(precision, "0");
  return "0x" + lead.toString(16) + (digits || alt ? "." + digits : "") + "p" + (exp < 0 ? "-" : "+") + Math.abs(exp);
}
