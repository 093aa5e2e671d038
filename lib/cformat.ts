// One printf(3) conversion, as C formats it: flags "#-+ 0", a width, a
// precision, and a conversion among d i u o x X s c. For applets that hand
// user-given "%-10s"-style directives to printf as BusyBox does (stat -c).

export interface CSpec {
  flags: string;
  width?: number;
  precision?: number;
  conv: string;
}

/** Parse "%-08.3" (the part between % and the conversion) plus its conversion. */
export function parseCSpec(modifiers: string, conv: string): CSpec {
  const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?/.exec(modifiers)!;
  return {
    flags: m[1],
    width: m[2] ? Number(m[2]) : undefined,
    precision: m[3] !== undefined ? Number(m[3] || "0") : undefined,
    conv,
  };
}

/** Format one value the way C's printf would for this conversion. */
export function formatC(spec: CSpec, value: number | bigint | string): string {
  const { flags, width, precision, conv } = spec;
  const left = flags.includes("-");
  let body: string;
  let prefix = "";
  let zeroPad = flags.includes("0") && !left;
  if (conv === "s") {
    body = String(value);
    if (precision !== undefined) body = body.slice(0, precision);
    zeroPad = false;
  } else if (conv === "c") {
    body = typeof value === "string" ? value.slice(0, 1) : String.fromCharCode(Number(value));
    zeroPad = false;
  } else {
    let n = typeof value === "bigint" ? value : BigInt(typeof value === "string" ? value.charCodeAt(0) : Math.trunc(value));
    const signed = conv === "d" || conv === "i";
    if (!signed && n < 0n) n = BigInt.asUintN(64, n);
    const neg = n < 0n;
    if (neg) n = -n;
    const radix = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
    body = n.toString(radix);
    if (conv === "X") body = body.toUpperCase();
    if (precision !== undefined) {
      zeroPad = false;
      if (precision === 0 && n === 0n) body = "";
      body = body.padStart(precision, "0");
    }
    if (flags.includes("#")) {
      if (conv === "o" && !body.startsWith("0")) body = "0" + body;
      else if ((conv === "x" || conv === "X") && n !== 0n) prefix = conv === "x" ? "0x" : "0X";
    }
    if (signed) prefix = neg ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  }
  const len = prefix.length + body.length;
  if (width === undefined || len >= width) return prefix + body;
  const pad = width - len;
  if (left) return prefix + body + " ".repeat(pad);
  if (zeroPad) return prefix + "0".repeat(pad) + body;
  return " ".repeat(pad) + prefix + body;
}

/**
 * The exact decimal expansion of a finite, non-zero |x|: digits without
 * leading zeros, and where the decimal point goes (digits before it; may be
 * negative or past the end). A double is m * 2^e, so its expansion is finite.
 */
function exactDecimal(x: number): [digits: string, point: number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const bexp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const m = bexp === 0 ? frac : frac | (1n << 52n);
  const e = bexp === 0 ? -1074 : bexp - 1075;
  if (e >= 0) {
    const d = (m << BigInt(e)).toString();
    return [d, d.length];
  }
  // m / 2^k == m * 5^k / 10^k
  const d = (m * 5n ** BigInt(-e)).toString();
  return [d, d.length + e];
}

/** Keep `keep` leading digits, rounding half to even as C does; returns digits and a carry (one more digit). */
function roundDigits(digits: string, keep: number): [string, boolean] {
  if (keep >= digits.length) return [digits + "0".repeat(keep - digits.length), false];
  if (keep < 0) return ["", false];
  const head = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const rest = digits.slice(keep + 1);
  const odd = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || odd));
  if (!up) return [head, false];
  const r = (BigInt(head || "0") + 1n).toString().padStart(keep, "0");
  return r.length > keep ? [r, true] : [r, false];
}

/** Digits of %f with `prec` decimals, no sign. */
function fixedBody(x: number, prec: number): string {
  const ax = Math.abs(x);
  // toFixed is exact except that it breaks ties upwards. A tie needs x*2^(prec+1) to be an
  // integer, and then x has at most prec+1 decimals, so toFixed(prec+1) shows whether it is one.
  if (prec < 100 && ax < 1e21) {
    if (!Number.isInteger(ax * 2 ** (prec + 1))) return ax.toFixed(prec);
    if (!ax.toFixed(prec + 1).endsWith("5")) return ax.toFixed(prec);
  }
  if (ax === 0) return prec ? "0." + "0".repeat(prec) : "0";
  const [d, point] = exactDecimal(ax);
  let [r, carry] = roundDigits(d, point + prec);
  let intDigits = point + (carry ? 1 : 0);
  if (point + prec < 0) {
    r = "";
    intDigits = 0;
  }
  // r holds intDigits integer digits then prec decimals (possibly fewer digits when intDigits <= 0).
  const all = intDigits < 0 ? r.padStart(prec, "0") : r.padStart(intDigits + prec, "0");
  const ip = all.slice(0, all.length - prec) || "0";
  return prec ? `${ip}.${all.slice(all.length - prec)}` : ip;
}

/** Mantissa digits (prec+1 of them) and decimal exponent of %e. */
function expParts(x: number, prec: number): [string, number] {
  const ax = Math.abs(x);
  if (ax === 0) return ["0".repeat(prec + 1), 0];
  const [d, point] = exactDecimal(ax);
  const [r, carry] = roundDigits(d, prec + 1);
  return carry ? [r.slice(0, prec + 1), point] : [r, point - 1];
}

function expBody(mant: string, exp: number, upper: boolean, alt: boolean): string {
  const m = mant.length > 1 || alt ? `${mant[0]}.${mant.slice(1)}` : mant;
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${m}${upper ? "E" : "e"}${e}`;
}

/** A double the way C's printf formats it with %f %e %E %g %G. */
export function formatFloat(spec: CSpec, x: number): string {
  const { flags, width, conv } = spec;
  const upper = conv === "E" || conv === "G";
  const alt = flags.includes("#");
  const neg = x < 0 || Object.is(x, -0);
  let body: string;
  let finite = true;
  if (!Number.isFinite(x)) {
    finite = false;
    body = Number.isNaN(x) ? "nan" : "inf";
    if (upper) body = body.toUpperCase();
  } else if (conv === "f" || conv === "F") {
    const prec = spec.precision ?? 6;
    body = fixedBody(x, prec);
    if (alt && prec === 0) body += ".";
  } else if (conv === "e" || conv === "E") {
    const prec = spec.precision ?? 6;
    const [mant, exp] = expParts(x, prec);
    body = expBody(mant, exp, upper, alt);
  } else {
    // %g: %e or %f, whichever is shorter for the precision, trailing zeros removed unless '#'.
    const p = spec.precision === undefined ? 6 : spec.precision || 1;
    const [mant, exp] = expParts(x, p - 1);
    if (exp < p && exp >= -4) {
      body = fixedBody(x, p - 1 - exp);
      if (!alt && body.includes(".")) body = body.replace(/\.?0+$/, "");
      else if (alt && !body.includes(".")) body += ".";
    } else {
      const m = alt ? mant : mant.replace(/0+$/, "") || "0";
      body = expBody(m, exp, upper, alt);
    }
  }
  const sign = neg && !(Number.isNaN(x)) ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const len = sign.length + body.length;
  if (width === undefined || len >= width) return sign + body;
  const pad = width - len;
  if (flags.includes("-")) return sign + body + " ".repeat(pad);
  if (flags.includes("0") && finite) return sign + "0".repeat(pad) + body;
  return " ".repeat(pad) + sign + body;
}
