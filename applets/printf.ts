// printf: C-style formatting of arguments, as BusyBox does it: the format is
// reused while arguments remain, %b expands escapes in its argument, numbers
// take C syntax (0x1f, 017, 'c for a character's code), and a bad number is
// reported ("invalid number 'x'"), printed as 0 and makes the status 1.
// Unlike BusyBox, a conversion with no argument left is given an empty
// string or zero without complaint, as POSIX specifies.
import { defineApplet, usageText, warn, type Applet, type Context } from "../lib/applet.ts";
import { formatC, formatFloat, parseCSpec } from "../lib/cformat.ts";
import { escapeAt, processEscapesB } from "../lib/escapes.ts";
import { strtod } from "../lib/numbers.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const printf: Applet = defineApplet({
  name: "printf",
  usage: "FORMAT [ARG]...",
  summary: "Format and print ARG(s) according to FORMAT (a-la C printf)",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, rawArgs) {
    let args = rawArgs;
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(printf));
      return 0;
    }
    if (args[0] === "--") args = args.slice(1);
    if (args.length === 0) {
      await ctx.stderr.write(usageText(printf));
      return 1;
    }
    const format = binaryOf(args[0]);
    const values = args.slice(1).map(binaryOf);
    const state: State = { ctx, out: [], bad: false, messages: [] };
    let pos = 0;
    let status = 0;
    for (;;) {
      const r = formatOnce(format, values, pos, state);
      if (r === "error") status = 1;
      if (typeof r !== "number" || r === pos || r >= values.length) break;
      pos = r;
      if (state.out.length > 4096) await flushOut(state);
    }
    await flushOut(state);
    return status || (state.bad ? 1 : 0);
  },
});

interface State {
  ctx: Context;
  out: string[];
  /** A number could not be converted. */
  bad: boolean;
  messages: string[];
}

async function flushOut(st: State): Promise<void> {
  if (st.out.length) await st.ctx.stdout.write(bytesOf(st.out.join("")));
  st.out = [];
  for (const m of st.messages) await warn(st.ctx, m);
  st.messages = [];
}

const CONVERSIONS = "diouxXfeEgGcs";

/**
 * One pass over the format from argument `pos`: the index of the next
 * argument, "stop" after \c, "error" after an invalid directive.
 */
function formatOnce(f: string, argv: string[], pos: number, st: State): number | "stop" | "error" {
  const out = st.out;
  let lit = "";
  const next = (): string | undefined => (pos < argv.length ? argv[pos++] : undefined);
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c === "\\") {
      if (f[i + 1] === "c") {
        out.push(lit);
        return "stop";
      }
      const [ch, after] = escapeAt(f, i + 1);
      lit += ch;
      i = after - 1;
      continue;
    }
    if (c !== "%") {
      lit += c;
      continue;
    }
    out.push(lit);
    lit = "";
    const start = i++;
    if (f[i] === "%") {
      out.push("%");
      continue;
    }
    if (f[i] === "b") {
      const a = next();
      if (a !== undefined) {
        const [text, cut] = processEscapesB(a);
        out.push(text);
        if (cut) return "stop";
      }
      continue;
    }
    let flags = "";
    while ("-+ #".includes(f[i]) && i < f.length) flags += f[i++];
    let width: number | undefined;
    let precision: number | undefined;
    let digits = "";
    if (f[i] === "*") {
      i++;
      const a = next();
      width = a === undefined ? 0 : widthArg(a, st);
    } else while (f[i] >= "0" && f[i] <= "9") digits += f[i++];
    if (f[i] === ".") {
      i++;
      let p = "";
      if (f[i] === "*") {
        i++;
        const a = next();
        precision = a === undefined ? 0 : widthArg(a, st);
      } else {
        while (f[i] >= "0" && f[i] <= "9") p += f[i++];
        precision = Number(p || "0");
      }
    }
    // Size modifiers mean nothing here: "%ld" is "%d".
    const modStart = i;
    while (f[i] === "l" || f[i] === "L" || f[i] === "h" || f[i] === "z") i++;
    const conv = f[i];
    if (conv === undefined || !CONVERSIONS.includes(conv)) {
      st.messages.push(`${f.slice(start, modStart)}${f.slice(i)}: invalid format`);
      return "error";
    }
    // "0" among the digits is the zero flag, the rest the width.
    const zm = /^(0*)(\d*)$/.exec(digits)!;
    if (zm[1]) flags += "0";
    if (zm[2]) width = Number(zm[2]);
    if (width !== undefined && width < 0) {
      flags += "-";
      width = -width;
    }
    if (precision !== undefined && precision < 0) precision = undefined;
    const spec = parseCSpec("", conv);
    spec.flags = flags;
    spec.width = width;
    spec.precision = precision;
    const arg = next();
    out.push(convert(spec, conv, arg, st));
  }
  out.push(lit);
  return pos;
}

function convert(spec: ReturnType<typeof parseCSpec>, conv: string, arg: string | undefined, st: State): string {
  if (conv === "s") return formatC(spec, arg ?? "");
  if (conv === "c") return formatC(spec, (arg ?? "")[0] ?? "\0");
  if ("diouxX".includes(conv)) {
    const v = arg === undefined ? 0n : toInteger(arg.replace(/^[ \t\n\v\f\r]+/, ""), conv === "d" || conv === "i", st);
    return formatC(spec, v);
  }
  const v = arg === undefined ? 0 : toDouble(arg, st);
  return formatFloat(spec, v);
}

/** 'c and "c stand for the character's code. */
function charConst(arg: string): string {
  if (arg[0] === "'" || arg[0] === '"') return String(arg.length > 1 ? arg.charCodeAt(1) : 0);
  return arg;
}

/** strtoll/strtoull with base 0 over the whole string; undefined if it is not all a number. */
function parseCInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let v: bigint;
  if (body.length > 1 && (body[1] === "x" || body[1] === "X")) v = BigInt(body);
  else if (body[0] === "0" && body.length > 1) v = BigInt("0o" + body.slice(1));
  else v = BigInt(body);
  return m[1] === "-" ? -v : v;
}

function toInteger(raw: string, signed: boolean, st: State): bigint {
  const arg = charConst(raw);
  const v = parseCInt(arg);
  let ok = v !== undefined;
  if (ok) {
    if (v! >= 0n) ok = signed ? v! <= INT64_MAX : v! <= UINT64_MAX;
    else ok = v! >= -INT64_MAX - 1n;
  }
  if (!ok) {
    st.messages.push(`invalid number '${arg}'`);
    st.bad = true;
    return 0n;
  }
  return v!;
}

function toDouble(raw: string, st: State): number {
  const arg = charConst(raw);
  const r = strtod(arg);
  if (arg === "") return 0;
  if (r.end !== arg.length || r.end === 0) {
    st.messages.push(`invalid number '${arg}'`);
    st.bad = true;
    return 0;
  }
  if (r.erange) {
    st.messages.push(`invalid number '${arg}'`);
    st.bad = true;
  }
  return r.value;
}

/** A '*' width or precision: a decimal int; a bad one is reported and taken as 0. */
function widthArg(a: string, st: State): number {
  if (/^[ \t]*[+-]?\d+$/.test(a) && Math.abs(Number(a)) <= 2147483647) return Number(a);
  st.messages.push(`invalid number '${a}'`);
  return 0;
}
