// Shell arithmetic, $((...)): C's integer operators on 64-bit signed values,
// with variables (whose values are themselves evaluated, as ash does) and
// the assignment operators. Expressions are parsed once and cached: loops
// evaluate the same text many times.

export class ArithError extends Error {}

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Ex =
  | { k: "num"; v: bigint }
  | { k: "var"; name: string }
  | { k: "un"; op: string; e: Ex }
  | { k: "bin"; op: string; l: Ex; r: Ex }
  | { k: "cond"; c: Ex; t: Ex; f: Ex }
  | { k: "assign"; op: string; name: string; e: Ex }
  | { k: "incdec"; op: string; prefix: boolean; name: string };

const wrap = (v: bigint) => BigInt.asIntN(64, v);

const BINARY: Record<string, number> = {
  ",": 1, "||": 4, "&&": 5, "|": 6, "^": 7, "&": 8, "==": 9, "!=": 9,
  "<": 10, "<=": 10, ">": 10, ">=": 10, "<<": 11, ">>": 11, "+": 12, "-": 12,
  "*": 13, "/": 13, "%": 13, "**": 14,
};
const ASSIGN = new Set(["=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="]);
const TOKEN_RE = /\s*(?:(0[xX][0-9a-fA-F]+|\d+#[0-9a-zA-Z@_]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|(<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[*/%+\-&^|]=|[-+*/%<>=!~&^|?:,()]))/y;

function syntax(): never {
  throw new ArithError("arithmetic syntax error");
}

class ArithParser {
  private toks: string[] = [];
  private kinds: ("n" | "v" | "o")[] = [];
  private i = 0;

  constructor(src: string) {
    TOKEN_RE.lastIndex = 0;
    let pos = 0;
    while (pos < src.length) {
      TOKEN_RE.lastIndex = pos;
      const m = TOKEN_RE.exec(src);
      if (!m) {
        if (/^\s*$/.test(src.slice(pos))) break;
        syntax();
      }
      pos = TOKEN_RE.lastIndex;
      if (m[1] !== undefined) { this.toks.push(m[1]); this.kinds.push("n"); }
      else if (m[2] !== undefined) { this.toks.push(m[2]); this.kinds.push("v"); }
      else { this.toks.push(m[3]); this.kinds.push("o"); }
    }
  }

  parse(): Ex | undefined {
    if (this.toks.length === 0) return undefined;
    const e = this.expr(0);
    if (this.i < this.toks.length) syntax();
    return e;
  }

  private peekOp(): string | undefined {
    return this.kinds[this.i] === "o" ? this.toks[this.i] : undefined;
  }

  private expr(minPrec: number): Ex {
    let left = this.unary();
    for (;;) {
      const op = this.peekOp();
      if (op === undefined) {
        if (this.i < this.toks.length) syntax();
        return left;
      }
      if (ASSIGN.has(op)) {
        if (left.k !== "var" || minPrec > 2) return left;
        this.i++;
        left = { k: "assign", op, name: left.name, e: this.expr(2) };
        continue;
      }
      if (op === "?") {
        if (minPrec > 3) return left;
        this.i++;
        const t = this.expr(1);
        if (this.peekOp() !== ":") syntax();
        this.i++;
        const f = this.expr(3);
        left = { k: "cond", c: left, t, f };
        continue;
      }
      const prec = BINARY[op];
      if (prec === undefined || prec < minPrec) return left;
      this.i++;
      // ** is right-associative; the rest bind to the left.
      const right = this.expr(op === "**" ? prec : prec + 1);
      left = { k: "bin", op, l: left, r: right };
    }
  }

  private unary(): Ex {
    const t = this.toks[this.i];
    const kind = this.kinds[this.i];
    if (t === undefined) syntax();
    this.i++;
    if (kind === "n") return { k: "num", v: parseNumber(t) };
    if (kind === "v") {
      const op = this.peekOp();
      if (op === "++" || op === "--") {
        this.i++;
        return { k: "incdec", op, prefix: false, name: t };
      }
      return { k: "var", name: t };
    }
    switch (t) {
      case "(": {
        const e = this.expr(0);
        if (this.peekOp() !== ")") syntax();
        this.i++;
        return e;
      }
      case "+": case "-": case "!": case "~":
        return { k: "un", op: t, e: this.unary() };
      case "++": case "--": {
        if (this.kinds[this.i] !== "v") syntax();
        return { k: "incdec", op: t, prefix: true, name: this.toks[this.i++] };
      }
    }
    syntax();
  }
}

/** A number as C and the shell write it: 0x1F, 017 (octal), 2#101, 42. */
export function parseNumber(t: string): bigint {
  try {
    if (/^0[xX]/.test(t)) return wrap(BigInt(t));
    const hash = t.indexOf("#");
    if (hash > 0) {
      const base = Number(t.slice(0, hash));
      if (base < 2 || base > 64) syntax();
      let v = 0n;
      for (const ch of t.slice(hash + 1)) {
        let d: number;
        if (/\d/.test(ch)) d = Number(ch);
        else if (/[a-z]/.test(ch)) d = ch.charCodeAt(0) - 87;
        else if (/[A-Z]/.test(ch)) d = base <= 36 ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 29;
        else if (ch === "@") d = 62;
        else d = 63;
        if (d >= base) syntax();
        v = v * BigInt(base) + BigInt(d);
      }
      return wrap(v);
    }
    if (t.length > 1 && t[0] === "0") {
      if (!/^[0-7]+$/.test(t)) syntax();
      return wrap(BigInt("0o" + t.slice(1)));
    }
    return wrap(BigInt(t));
  } catch (e) {
    if (e instanceof ArithError) throw e;
    syntax();
  }
}

const cache = new Map<string, Ex | undefined>();

function compile(src: string): Ex | undefined {
  if (cache.has(src)) return cache.get(src);
  const e = new ArithParser(src).parse();
  if (cache.size > 1000) cache.clear();
  cache.set(src, e);
  return e;
}

/** Evaluate an arithmetic expression (already expanded text). Empty is 0. */
export function evalArith(src: string, vars: ArithVars): bigint {
  const e = compile(src);
  return e ? evaluate(e, vars, 0) : 0n;
}

function varValue(name: string, vars: ArithVars, depth: number): bigint {
  const v = vars.get(name);
  if (v === undefined || v === "") return 0n;
  const t = v.trim();
  if (/^-?\d+$/.test(t) && !/^-?0\d/.test(t)) return wrap(BigInt(t));
  if (depth > 100) throw new ArithError("expression recursion loop detected");
  const e = compile(t);
  return e ? evaluate(e, vars, depth + 1) : 0n;
}

function binop(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "+": return wrap(a + b);
    case "-": return wrap(a - b);
    case "*": return wrap(a * b);
    case "/":
    case "%":
      if (b === 0n) throw new ArithError("divide by zero");
      return wrap(op === "/" ? a / b : a % b);
    case "**":
      if (b < 0n) throw new ArithError("exponent less than 0");
      return wrap(a ** b);
    case "<<": return wrap(a << (b & 63n));
    case ">>": return a >> (b & 63n);
    case "<": return a < b ? 1n : 0n;
    case "<=": return a <= b ? 1n : 0n;
    case ">": return a > b ? 1n : 0n;
    case ">=": return a >= b ? 1n : 0n;
    case "==": return a === b ? 1n : 0n;
    case "!=": return a !== b ? 1n : 0n;
    case "&": return a & b;
    case "^": return a ^ b;
    case "|": return a | b;
    case ",": return b;
  }
  syntax();
}

function evaluate(e: Ex, vars: ArithVars, depth: number): bigint {
  switch (e.k) {
    case "num": return e.v;
    case "var": return varValue(e.name, vars, depth);
    case "un": {
      const v = evaluate(e.e, vars, depth);
      if (e.op === "-") return wrap(-v);
      if (e.op === "!") return v === 0n ? 1n : 0n;
      if (e.op === "~") return ~v;
      return v;
    }
    case "bin": {
      if (e.op === "&&") return evaluate(e.l, vars, depth) !== 0n && evaluate(e.r, vars, depth) !== 0n ? 1n : 0n;
      if (e.op === "||") return evaluate(e.l, vars, depth) !== 0n || evaluate(e.r, vars, depth) !== 0n ? 1n : 0n;
      const l = evaluate(e.l, vars, depth);
      return binop(e.op, l, evaluate(e.r, vars, depth));
    }
    case "cond":
      return evaluate(e.c, vars, depth) !== 0n ? evaluate(e.t, vars, depth) : evaluate(e.f, vars, depth);
    case "assign": {
      let v = evaluate(e.e, vars, depth);
      if (e.op !== "=") v = binop(e.op.slice(0, -1), varValue(e.name, vars, depth), v);
      vars.set(e.name, String(v));
      return v;
    }
    case "incdec": {
      const old = varValue(e.name, vars, depth);
      const nv = wrap(e.op === "++" ? old + 1n : old - 1n);
      vars.set(e.name, String(nv));
      return e.prefix ? nv : old;
    }
  }
}
