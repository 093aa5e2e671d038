// expr: evaluate an expression given as separate arguments, print its value,
// exit 0 if it is neither null nor 0, 1 if it is, 2 on a bad expression.
// Precedence, lowest first: |  &  comparisons  + -  * / %  :  keywords.
// Integers are 64-bit and wrap as C's do; strings are bytes (latin1).
import { defineApplet } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { warnBytes } from "../lib/fileops.ts";
import { anchoredRegex, longestMatch, parseRegex } from "../lib/regex.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

type Value = bigint | string;

const wrap = (n: bigint) => BigInt.asIntN(64, n);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const fail = (msg: string) => new AppletError(msg, 2);

/** strtoll() with nothing left over: an integer, or undefined. Out of range saturates, as strtoll does. */
function toInt(v: Value): bigint | undefined {
  if (typeof v === "bigint") return v;
  const m = /^[ \t\n\v\f\r]*([-+]?\d+)$/.exec(v);
  if (!m) return undefined;
  const n = BigInt(m[1]);
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

const toStr = (v: Value) => (typeof v === "bigint" ? v.toString() : v);
const isNull = (v: Value) => (typeof v === "bigint" ? v === 0n : v === "" || v === "0");

class Parser {
  private i = 0;
  constructor(private args: string[], private warnings: string[]) {}

  private next(tok: string): boolean {
    return this.args[this.i] === tok;
  }

  parse(): Value {
    const v = this.or();
    if (this.i < this.args.length) throw fail("syntax error");
    return v;
  }

  private or(): Value {
    let l = this.and();
    while (this.next("|")) {
      this.i++;
      const r = this.and();
      if (isNull(l)) l = r;
    }
    return l;
  }

  private and(): Value {
    let l = this.compare();
    while (this.next("&")) {
      this.i++;
      const r = this.compare();
      if (isNull(l) || isNull(r)) l = 0n;
    }
    return l;
  }

  private compare(): Value {
    let l = this.sum();
    for (;;) {
      const op = this.args[this.i];
      if (!["<", "<=", "=", "==", "!=", ">=", ">"].includes(op)) return l;
      this.i++;
      const r = this.sum();
      const li = toInt(l), ri = toInt(r);
      // Numbers compare as numbers only when both sides are numbers.
      let a: bigint | string = li ?? toStr(l), b: bigint | string = ri ?? toStr(r);
      if (li === undefined || ri === undefined) [a, b] = [toStr(l), toStr(r)];
      const c = a < b ? -1 : a > b ? 1 : 0;
      const ok = { "<": c < 0, "<=": c <= 0, "=": c === 0, "==": c === 0, "!=": c !== 0, ">=": c >= 0, ">": c > 0 }[op]!;
      l = ok ? 1n : 0n;
    }
  }

  private sum(): Value {
    let l = this.product();
    while (this.next("+") || this.next("-")) {
      const op = this.args[this.i++];
      const r = this.product();
      l = arithmetic(l, r, op);
    }
    return l;
  }

  private product(): Value {
    let l = this.match();
    while (this.next("*") || this.next("/") || this.next("%")) {
      const op = this.args[this.i++];
      const r = this.match();
      l = arithmetic(l, r, op);
    }
    return l;
  }

  private match(): Value {
    let l = this.keyword();
    while (this.next(":")) {
      this.i++;
      l = this.colon(l, this.keyword());
    }
    return l;
  }

  private keyword(): Value {
    const key = this.args[this.i];
    if (!["quote", "length", "match", "index", "substr"].includes(key)) return this.primary();
    this.i++;
    if (key === "quote") {
      if (this.i >= this.args.length) throw fail("syntax error");
      return this.args[this.i++];
    }
    if (key === "length") return BigInt(toStr(this.keyword()).length);
    const s = this.keyword();
    if (key === "match") return this.colon(s, this.keyword());
    if (key === "index") {
      const str = toStr(s), chars = toStr(this.keyword());
      for (let k = 0; k < str.length; k++) if (chars.includes(str[k])) return BigInt(k + 1);
      return 0n;
    }
    // substr STRING POS LEN: "" when POS or LEN are no numbers or out of range.
    const pos = toInt(this.keyword()), len = toInt(this.keyword());
    const str = toStr(s);
    if (pos === undefined || len === undefined || pos > BigInt(str.length) || pos <= 0n || len <= 0n) return "";
    const from = Number(pos) - 1;
    return str.slice(from, from + Number(len > BigInt(str.length) ? BigInt(str.length) : len));
  }

  private primary(): Value {
    if (this.i >= this.args.length) throw fail("syntax error");
    if (this.next("(")) {
      this.i++;
      const v = this.or();
      if (!this.next(")")) throw fail("syntax error");
      this.i++;
      return v;
    }
    if (this.next(")")) throw fail("syntax error");
    return this.args[this.i++];
  }

  /** STRING : REGEX, anchored at the start: the \(...\) text, or the match length. */
  private colon(sv: Value, pv: Value): Value {
    const s = toStr(sv), pattern = toStr(pv);
    if (pattern.startsWith("^")) {
      this.warnings.push(
        `warning: '${pattern}': using '^' as the first character\nof a basic regular expression is not portable; it is ignored`,
      );
    }
    let parsed;
    try {
      parsed = parseRegex(pattern);
    } catch (err) {
      throw fail((err as Error).message);
    }
    const re = new RegExp(parsed.source, parsed.flags + "y");
    let m = re.exec(s);
    if (m && parsed.alternation) {
      // POSIX wants the longest match at the start, and its groups.
      const anchored = anchoredRegex(parsed);
      const end = longestMatch(parsed, anchored, s, 0, m[0].length, s.length);
      if (end !== m[0].length) {
        anchored.lastIndex = 0;
        m = anchored.exec(s.slice(0, end)) ?? m;
      }
    }
    if (!m) return parsed.groups > 0 ? "" : 0n;
    if (parsed.groups > 0 && m[1] !== undefined) return m[1];
    return BigInt(m[0].length);
  }
}

function arithmetic(l: Value, r: Value, op: string): bigint {
  const a = toInt(l), b = toInt(r);
  if (a === undefined || b === undefined) throw fail("non-numeric argument");
  if (op === "+") return wrap(a + b);
  if (op === "-") return wrap(a - b);
  if (op === "*") return wrap(a * b);
  if (b === 0n) throw fail("division by zero");
  // BigInt division truncates toward zero like C; INT64_MIN / -1 wraps
  // (where C traps with SIGFPE).
  return op === "/" ? wrap(a / b) : wrap(a % b);
}

defineApplet({
  name: "expr",
  dir: "/usr/bin",
  usage: "EXPRESSION",
  summary: "Print the value of EXPRESSION",
  rawArgs: true,
  async run(ctx, _opts, argv) {
    if (argv.length === 0) throw fail("too few arguments");
    const warnings: string[] = [];
    let v: Value;
    try {
      v = new Parser(argv.map(binaryOf), warnings).parse();
    } finally {
      for (const w of warnings) await warnBytes(ctx, w);
    }
    await ctx.stdout.write(bytesOf(toStr(v) + "\n"));
    return isNull(v) ? 1 : 0;
  },
});
