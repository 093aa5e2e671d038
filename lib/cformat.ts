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
