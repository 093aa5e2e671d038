// The syntax tree compiled to JavaScript closures, so that a record runs
// closures instead of walking the tree. Each expression compiles to the form
// its context wants: a value (val), a number (num), a string (str) or a truth
// value (bool), which spares conversions on the common paths. Statements
// return a completion code (normal, break, continue, next, exit, ...);
// next/exit inside a function travel as a FlowSignal exception.
import type { Expr, FuncDef, LValue, Program, Stmt, VarRef } from "./ast.ts";
import { AwkArray } from "./arrays.ts";
import * as B from "./builtins.ts";
import { AwkError } from "./errors.ts";
import { toInt32, toLongLong, toNumber } from "./number.ts";
import { awkRegex, type AwkRegex } from "./regex.ts";
import { arrayRefOf, type Frame, type Runtime } from "./runtime.ts";
import { makeSplitter, splitText } from "./split.ts";
import { isNumeric, numToStr, sprintf, toNum, toStr, truthy, UStr, type Value } from "./values.ts";

type Val = () => Value;
type Num = () => number;
type Str = () => string;
type Bool = () => boolean;
export type Code = () => number;

export const NORMAL = 0, BREAK = 1, CONTINUE = 2, NEXT = 3, NEXTFILE = 4, EXIT = 5, RETURN = 6;

export class FlowSignal {
  constructor(readonly code: number) {}
}

interface Func {
  def: FuncDef;
  body?: Code;
}

interface Loc {
  get(): Value;
  set(v: Value): void;
}

/** How an expression's type is known at compile time. */
type Kind = "num" | "str" | "any";

const NUM_BUILTINS = new Set([
  "length", "index", "split", "sub", "gsub", "match", "sin", "cos", "atan2", "exp", "log", "sqrt", "int", "rand",
  "srand", "system", "close", "fflush", "and", "or", "xor", "lshift", "rshift", "compl", "systime", "mktime",
]);

export interface Compiled {
  begin: Code;
  main: Code | undefined;
  end: Code;
}

export class Compiler {
  private funcs = new Map<string, Func>();
  private line = 0;

  constructor(private rt: Runtime, private prog: Program) {
    for (const [name, def] of prog.funcs) this.funcs.set(name, { def });
  }

  compile(): Compiled {
    const rt = this.rt;
    for (const f of this.funcs.values()) {
      rt.progname = f.def.progname;
      f.body = this.withProgname(f.def.progname, this.block(f.def.body));
    }
    const begin = this.block(this.prog.begin);
    const end = this.block(this.prog.end);
    let main: Code | undefined;
    if (this.prog.rules.length) {
      const rules = this.prog.rules.map((r) => this.withProgname(r.progname, this.rule(r)));
      const n = rules.length;
      main =
        n === 1
          ? rules[0]
          : () => {
              for (let i = 0; i < n; i++) {
                const c = rules[i]();
                if (c !== NORMAL) return c;
              }
              return NORMAL;
            };
    }
    return { begin, main, end };
  }

  private withProgname(name: string, code: Code): Code {
    if (this.prog.funcs.size === 0 && name === "cmd. line") return code;
    const rt = this.rt;
    return () => {
      const saved = rt.progname;
      rt.progname = name;
      try {
        return code();
      } catch (err) {
        if (err instanceof AwkError) err.progname ??= name;
        throw err;
      } finally {
        rt.progname = saved;
      }
    };
  }

  private rule(r: Program["rules"][number]): Code {
    const body = r.body ? this.block(r.body) : this.printRecord();
    if (!r.pattern) return body;
    const p = this.bool(r.pattern);
    if (!r.end) return () => (p() ? body() : NORMAL);
    const q = this.bool(r.end);
    let on = false;
    return () => {
      if (on || p()) {
        on = !q();
        return body();
      }
      return NORMAL;
    };
  }

  private printRecord(): Code {
    const rt = this.rt;
    return () => {
      rt.stdout.write(rt.recordText() + rt.ors);
      return NORMAL;
    };
  }

  // ---- statements ----

  private block(stmts: Stmt[]): Code {
    const codes = stmts.map((s) => this.stmt(s));
    const n = codes.length;
    if (n === 0) return () => NORMAL;
    if (n === 1) return codes[0];
    if (n === 2) {
      const [a, b] = codes;
      return () => a() || b();
    }
    return () => {
      for (let i = 0; i < n; i++) {
        const c = codes[i]();
        if (c !== NORMAL) return c;
      }
      return NORMAL;
    };
  }

  private stmt(s: Stmt): Code {
    this.line = s.line;
    const rt = this.rt;
    const line = s.line;
    switch (s.k) {
      case "expr": {
        const f = this.effect(s.e);
        return () => {
          rt.line = line;
          f();
          return NORMAL;
        };
      }
      case "print":
      case "printf":
        return this.print(s);
      case "block":
        if (s.progname) return this.withProgname(s.progname, this.block(s.body));
        return this.block(s.body);
      case "if": {
        const c = this.bool(s.c);
        const t = this.stmt(s.then);
        if (!s.else) return () => (c() ? t() : NORMAL);
        const e = this.stmt(s.else);
        return () => (c() ? t() : e());
      }
      case "while": {
        const c = this.bool(s.c);
        const body = this.stmt(s.body);
        return () => {
          while (c()) {
            const r = body();
            if (r === BREAK) break;
            if (r !== NORMAL && r !== CONTINUE) return r;
          }
          return NORMAL;
        };
      }
      case "do": {
        const c = this.bool(s.c);
        const body = this.stmt(s.body);
        return () => {
          do {
            const r = body();
            if (r === BREAK) break;
            if (r !== NORMAL && r !== CONTINUE) return r;
          } while (c());
          return NORMAL;
        };
      }
      case "for": {
        const init = s.init ? this.effect(s.init) : undefined;
        const c = s.c ? this.bool(s.c) : () => true;
        const step = s.step ? this.effect(s.step) : undefined;
        const body = this.stmt(s.body);
        return () => {
          if (init) init();
          for (; c(); step && step()) {
            const r = body();
            if (r === BREAK) break;
            if (r !== NORMAL && r !== CONTINUE) return r;
          }
          return NORMAL;
        };
      }
      case "forin": {
        const arr = this.arrayOf(s.arr);
        const loc = this.loc(s.v);
        const body = this.stmt(s.body);
        return () => {
          const keys = arr().keys();
          for (const k of keys) {
            loc().set(k);
            const r = body();
            if (r === BREAK) break;
            if (r !== NORMAL && r !== CONTINUE) return r;
          }
          return NORMAL;
        };
      }
      case "next":
        return () => NEXT;
      case "nextfile":
        return () => NEXTFILE;
      case "break":
        return () => BREAK;
      case "continue":
        return () => CONTINUE;
      case "exit": {
        if (!s.e) return () => EXIT;
        const e = this.num(s.e);
        return () => {
          rt.exitCode = toInt32(e()) & 0xff;
          return EXIT;
        };
      }
      case "return": {
        if (!s.e) {
          return () => {
            rt.retval = "";
            return RETURN;
          };
        }
        const e = this.val(s.e);
        return () => {
          rt.retval = e();
          return RETURN;
        };
      }
      case "delete": {
        const arr = this.arrayOf(s.arr);
        if (!s.subs) {
          return () => {
            arr().clear();
            return NORMAL;
          };
        }
        const key = this.key(s.subs);
        return () => {
          const k = key();
          arr().delete(k);
          return NORMAL;
        };
      }
    }
  }

  /** Evaluate for side effects only. */
  private effect(e: Expr): () => unknown {
    if (e.k === "assign" || e.k === "incdec" || e.k === "call" || e.k === "builtin" || e.k === "getline" || e.k === "pgetline") return this.val(e);
    return this.val(e);
  }

  private print(s: Extract<Stmt, { k: "print" | "printf" }>): Code {
    const rt = this.rt;
    const line = s.line;
    let text: Str;
    if (s.k === "printf") {
      if (s.args.length === 0) text = () => "";
      else {
        const fmt = this.str(s.args[0]);
        const args = s.args.slice(1).map((a) => this.val(a));
        text = () => sprintf(fmt(), args.map((a) => a()), rt.convfmt);
      }
    } else if (s.args.length === 0) {
      text = () => rt.recordText() + rt.ors;
    } else {
      const parts = s.args.map((a) => this.printStr(a));
      if (parts.length === 1) {
        const p = parts[0];
        text = () => p() + rt.ors;
      } else if (parts.length === 2) {
        const [p, q] = parts;
        text = () => p() + rt.ofs + q() + rt.ors;
      } else {
        text = () => {
          let out = parts[0]();
          for (let i = 1; i < parts.length; i++) out += rt.ofs + parts[i]();
          return out + rt.ors;
        };
      }
    }
    if (!s.redir) {
      const out = rt.stdout;
      return () => {
        rt.line = line;
        out.write(text());
        return NORMAL;
      };
    }
    const kind = s.redir.kind;
    const target = this.str(s.redir.e);
    return () => {
      rt.line = line;
      const name = target();
      const t = text();
      rt.output(kind, name).write(t);
      return NORMAL;
    };
  }

  /** An expression as print writes it: numbers through OFMT. */
  private printStr(e: Expr): Str {
    const rt = this.rt;
    const kind = this.kind(e);
    if (kind === "str") return this.str(e);
    if (kind === "num") {
      const n = this.num(e);
      return () => numToStr(n(), rt.ofmt);
    }
    if (e.k === "field") {
      const idx = this.fieldIndex(e);
      return () => {
        const i = idx();
        return rt.fieldText(i);
      };
    }
    const v = this.val(e);
    return () => {
      const x = v();
      return typeof x === "number" ? numToStr(x, rt.ofmt) : toStr(x, rt.convfmt);
    };
  }

  // ---- expressions ----

  private kind(e: Expr): Kind {
    switch (e.k) {
      case "num":
      case "arith":
      case "unary":
      case "incdec":
      case "cmp":
      case "and":
      case "or":
      case "in":
      case "match":
      case "regex":
      case "getline":
      case "pgetline":
        return "num";
      case "str":
      case "concat":
      case "group":
        return "str";
      case "builtin":
        return NUM_BUILTINS.has(e.name) ? "num" : "str";
      case "assign":
        if (e.op !== "=") return "num";
        return this.kind(e.e);
      case "cond": {
        const a = this.kind(e.a);
        return a === this.kind(e.b) ? a : "any";
      }
      case "var":
        if (e.local === undefined && (e.name === "NF")) return "num";
        return "any";
      default:
        return "any";
    }
  }

  val(e: Expr): Val {
    const rt = this.rt;
    switch (e.k) {
      case "num": {
        const v = e.v;
        return () => v;
      }
      case "str": {
        const v = e.v;
        return () => v;
      }
      case "var": {
        if (e.local !== undefined) {
          const i = e.local;
          return () => rt.frame.vals[i];
        }
        const slot = rt.slot(e.name);
        if (slot === rt.S.NF) return () => rt.getNF();
        const G = rt.G;
        return () => G[slot];
      }
      case "elem": {
        const arr = this.arrayOf(e.arr);
        const key = this.key(e.subs);
        return () => {
          const k = key();
          return arr().ref(k);
        };
      }
      case "field": {
        if (e.e.k === "num") {
          const i = rt.fieldIndex(e.e.v, e.line);
          return () => rt.field(i);
        }
        const idx = this.fieldIndex(e);
        return () => rt.field(idx());
      }
      case "group": {
        const s = this.str(e);
        return s;
      }
      case "assign":
        return this.assign(e);
      case "incdec":
        return this.incdec(e);
      case "cond": {
        const c = this.bool(e.c);
        const a = this.val(e.a);
        const b = this.val(e.b);
        return () => (c() ? a() : b());
      }
      case "call":
        return this.call(e);
      case "builtin":
        return this.builtin(e);
      case "getline":
      case "pgetline":
        return this.getline(e);
      default: {
        const kind = this.kind(e);
        if (kind === "str") return this.str(e);
        return this.num(e);
      }
    }
  }

  num(e: Expr): Num {
    const rt = this.rt;
    switch (e.k) {
      case "num": {
        const v = e.v;
        return () => v;
      }
      case "str": {
        const v = toNumber(e.v);
        return () => v;
      }
      case "var": {
        if (e.local !== undefined) {
          const i = e.local;
          return () => toNum(rt.frame.vals[i]);
        }
        const slot = rt.slot(e.name);
        if (slot === rt.S.NF) return () => rt.getNF();
        const G = rt.G;
        return () => {
          const v = G[slot];
          return typeof v === "number" ? v : toNum(v);
        };
      }
      case "field": {
        if (e.e.k === "num") {
          const i = rt.fieldIndex(e.e.v, e.line);
          return () => rt.fieldNum(i);
        }
        const idx = this.fieldIndex(e);
        return () => rt.fieldNum(idx());
      }
      case "arith":
        return this.arith(e.op, this.num(e.a), this.num(e.b), e.line);
      case "unary": {
        if (e.op === "!") {
          const b = this.bool(e.e);
          return () => (b() ? 0 : 1);
        }
        const n = this.num(e.e);
        return e.op === "-" ? () => -n() : n;
      }
      case "cmp":
      case "and":
      case "or":
      case "in":
      case "match":
      case "regex": {
        const b = this.bool(e);
        return () => (b() ? 1 : 0);
      }
      case "assign":
        if (e.op !== "=") return this.assign(e) as Num;
        break;
      case "incdec":
        return this.incdec(e) as Num;
    }
    const v = this.val(e);
    return () => toNum(v());
  }

  str(e: Expr): Str {
    const rt = this.rt;
    switch (e.k) {
      case "str": {
        const v = e.v;
        return () => v;
      }
      case "num": {
        const v = e.v;
        if (Number.isInteger(v)) {
          const s = numToStr(v, "%.6g");
          return () => s;
        }
        return () => numToStr(v, rt.convfmt);
      }
      case "field": {
        if (e.e.k === "num") {
          const i = rt.fieldIndex(e.e.v, e.line);
          return () => rt.fieldText(i);
        }
        const idx = this.fieldIndex(e);
        return () => rt.fieldText(idx());
      }
      case "concat": {
        const parts: Expr[] = [];
        const flatten = (x: Expr) => {
          if (x.k === "concat") { flatten(x.a); flatten(x.b); }
          else parts.push(x);
        };
        flatten(e);
        const fs = parts.map((p) => this.str(p));
        if (fs.length === 2) {
          const [a, b] = fs;
          return () => a() + b();
        }
        if (fs.length === 3) {
          const [a, b, c] = fs;
          return () => a() + b() + c();
        }
        return () => {
          let s = "";
          for (let i = 0; i < fs.length; i++) s += fs[i]();
          return s;
        };
      }
      case "group": {
        const fs = e.list.map((p) => this.str(p));
        return () => fs.map((f) => f()).join(rt.subsep);
      }
    }
    if (this.kind(e) === "num") {
      const n = this.num(e);
      return () => numToStr(n(), rt.convfmt);
    }
    const v = this.val(e);
    return () => toStr(v(), rt.convfmt);
  }

  bool(e: Expr): Bool {
    const rt = this.rt;
    switch (e.k) {
      case "num": {
        const b = e.v !== 0;
        return () => b;
      }
      case "str": {
        const b = e.v !== "";
        return () => b;
      }
      case "regex": {
        const re = this.literalRegex(e.src);
        return () => re().test.test(rt.recordText());
      }
      case "match": {
        const s = this.str(e.a);
        const re = this.regexOf(e.re);
        const neg = e.neg;
        return () => {
          const text = s();
          return re().test.test(text) !== neg;
        };
      }
      case "cmp":
        return this.compare(e.op, e.a, e.b);
      case "and": {
        const a = this.bool(e.a);
        const b = this.bool(e.b);
        return () => a() && b();
      }
      case "or": {
        const a = this.bool(e.a);
        const b = this.bool(e.b);
        return () => a() || b();
      }
      case "unary":
        if (e.op === "!") {
          const b = this.bool(e.e);
          return () => !b();
        }
        break;
      case "in": {
        const arr = this.arrayOf(e.arr);
        const key = this.key(e.subs);
        return () => {
          const k = key();
          return arr().has(k);
        };
      }
    }
    const kind = this.kind(e);
    if (kind === "num") {
      const n = this.num(e);
      return () => n() !== 0;
    }
    if (kind === "str") {
      const s = this.str(e);
      return () => s() !== "";
    }
    const v = this.val(e);
    return () => truthy(v());
  }

  private compare(op: string, a: Expr, b: Expr): Bool {
    const rt = this.rt;
    const ka = this.kind(a);
    const kb = this.kind(b);
    const test = cmpTest(op);
    if (ka === "str" || kb === "str") {
      const x = this.str(a);
      const y = this.str(b);
      return () => {
        const l = x();
        const r = y();
        if (rt.icase) return test(strcmp(l.toLowerCase(), r.toLowerCase()));
        return test(l < r ? -1 : l > r ? 1 : 0);
      };
    }
    if (ka === "num" && kb === "num") {
      const x = this.num(a);
      const y = this.num(b);
      return () => test(x() - y());
    }
    const x = this.val(a);
    const y = this.val(b);
    return () => {
      const l = x();
      const r = y();
      if (isNumeric(l) && isNumeric(r)) return test(toNum(l) - toNum(r));
      let ls = toStr(l, rt.convfmt);
      let rs = toStr(r, rt.convfmt);
      if (rt.icase) { ls = ls.toLowerCase(); rs = rs.toLowerCase(); }
      return test(ls < rs ? -1 : ls > rs ? 1 : 0);
    };
  }

  private arith(op: string, a: Num, b: Num, line: number): Num {
    switch (op) {
      case "+": return () => a() + b();
      case "-": return () => a() - b();
      case "*": return () => a() * b();
      case "/":
        return () => {
          const x = a();
          const y = b();
          if (y === 0) throw new AwkError("Division by zero", line);
          return x / y;
        };
      case "%":
        return () => {
          const x = a();
          const y = b();
          if (y === 0) throw new AwkError("Division by zero", line);
          return mod(x, y);
        };
      default:
        return () => pow(a(), b());
    }
  }

  private applyOp(op: string, x: number, y: number, line: number): number {
    switch (op) {
      case "+=": return x + y;
      case "-=": return x - y;
      case "*=": return x * y;
      case "/=":
        if (y === 0) throw new AwkError("Division by zero", line);
        return x / y;
      case "%=":
        if (y === 0) throw new AwkError("Division by zero", line);
        return mod(x, y);
      default:
        return pow(x, y);
    }
  }

  private assign(e: Extract<Expr, { k: "assign" }>): Val {
    const rt = this.rt;
    const t = e.target;
    const op = e.op;
    const line = e.line;
    if (op === "=") {
      const v = this.val(e.e);
      if (t.k === "var" && t.local === undefined) {
        const slot = rt.slot(t.name);
        const G = rt.G;
        if (rt.hooks[slot]) {
          return () => {
            const x = v();
            rt.setGlobal(slot, x);
            return x;
          };
        }
        return () => (G[slot] = v());
      }
      if (t.k === "var") {
        const i = t.local!;
        return () => (rt.frame.vals[i] = v());
      }
      if (t.k === "elem") {
        const arr = this.arrayOf(t.arr);
        const key = this.key(t.subs);
        return () => {
          const a = arr();
          const k = key();
          a.ref(k);
          const x = v();
          a.set(k, x);
          return x;
        };
      }
      const idx = this.fieldIndex(t);
      return () => {
        const i = idx();
        const x = v();
        rt.setField(i, x);
        return x;
      };
    }
    const n = this.num(e.e);
    if (t.k === "var" && t.local === undefined && !rt.hooks[rt.slot(t.name)]) {
      const slot = rt.slot(t.name);
      const G = rt.G;
      if (op === "+=") {
        return () => {
          const cur = G[slot];
          const x = (typeof cur === "number" ? cur : toNum(cur)) + n();
          G[slot] = x;
          return x;
        };
      }
      return () => {
        const x = this.applyOp(op, toNum(G[slot]), n(), line);
        G[slot] = x;
        return x;
      };
    }
    if (t.k === "elem") {
      const arr = this.arrayOf(t.arr);
      const key = this.key(t.subs);
      return () => {
        const a = arr();
        const k = key();
        const x = this.applyOp(op, toNum(a.ref(k)), n(), line);
        a.set(k, x);
        return x;
      };
    }
    const loc = this.loc(t);
    return () => {
      const l = loc();
      const x = this.applyOp(op, toNum(l.get()), n(), line);
      l.set(x);
      return x;
    };
  }

  private incdec(e: Extract<Expr, { k: "incdec" }>): Val {
    const d = e.op === "++" ? 1 : -1;
    const pre = e.prefix;
    const t = e.target;
    const rt = this.rt;
    if (t.k === "var" && t.local === undefined && !rt.hooks[rt.slot(t.name)]) {
      const slot = rt.slot(t.name);
      const G = rt.G;
      return () => {
        const old = toNum(G[slot]);
        G[slot] = old + d;
        return pre ? old + d : old;
      };
    }
    if (t.k === "elem") {
      const arr = this.arrayOf(t.arr);
      const key = this.key(t.subs);
      return () => {
        const a = arr();
        const k = key();
        const old = toNum(a.ref(k));
        a.set(k, old + d);
        return pre ? old + d : old;
      };
    }
    const loc = this.loc(t);
    return () => {
      const l = loc();
      const old = toNum(l.get());
      l.set(old + d);
      return pre ? old + d : old;
    };
  }

  /** A location to read and write (subscripts and field numbers evaluated once). */
  private loc(t: LValue): () => Loc {
    const rt = this.rt;
    if (t.k === "var") {
      let l: Loc;
      if (t.local !== undefined) {
        const i = t.local;
        l = { get: () => rt.frame.vals[i], set: (v) => void (rt.frame.vals[i] = v) };
      } else {
        const slot = rt.slot(t.name);
        if (slot === rt.S.NF) l = { get: () => rt.getNF(), set: (v) => rt.setGlobal(slot, v) };
        else l = { get: () => rt.G[slot], set: (v) => rt.setGlobal(slot, v) };
      }
      return () => l;
    }
    if (t.k === "elem") {
      const arr = this.arrayOf(t.arr);
      const key = this.key(t.subs);
      return () => {
        const a = arr();
        const k = key();
        return { get: () => a.ref(k), set: (v) => a.set(k, v) };
      };
    }
    const idx = this.fieldIndex(t);
    return () => {
      const i = idx();
      return { get: () => rt.field(i), set: (v) => rt.setField(i, v) };
    };
  }

  private fieldIndex(e: Extract<Expr, { k: "field" }>): Num {
    const rt = this.rt;
    const line = e.line;
    if (e.e.k === "num") {
      const i = rt.fieldIndex(e.e.v, line);
      return () => i;
    }
    const n = this.num(e.e);
    return () => rt.fieldIndex(n(), line);
  }

  private key(subs: Expr[]): Str {
    const rt = this.rt;
    if (subs.length === 1) return this.str(subs[0]);
    const fs = subs.map((s) => this.str(s));
    return () => {
      let k = fs[0]();
      for (let i = 1; i < fs.length; i++) k += rt.subsep + fs[i]();
      return k;
    };
  }

  /** The array part of a variable. */
  private arrayOf(v: VarRef): () => AwkArray {
    const rt = this.rt;
    if (v.local !== undefined) {
      const i = v.local;
      return () => rt.localArray(i);
    }
    const slot = rt.slot(v.name);
    const GA = rt.GA;
    return () => GA[slot] ?? rt.array(slot);
  }

  private literalRegex(src: string): () => AwkRegex {
    const rt = this.rt;
    const cs = awkRegex(src, false, false);
    let ci: AwkRegex | undefined;
    return () => (rt.icase ? (ci ??= awkRegex(src, true, false)) : cs);
  }

  /** The regex an operand of ~, match(), sub()... stands for. */
  private regexOf(e: Expr): () => AwkRegex {
    if (e.k === "regex") return this.literalRegex(e.src);
    const rt = this.rt;
    const s = this.str(e);
    return () => awkRegex(s(), rt.icase, true);
  }

  // ---- functions ----

  private call(e: Extract<Expr, { k: "call" }>): Val {
    const rt = this.rt;
    const f = this.funcs.get(e.name);
    const line = e.line;
    const nparams = f?.def.params.length ?? 0;
    // Each argument: its value, and (for a variable) its array part by reference.
    const argVals = e.args.map((a) => this.val(a));
    const argArrs = e.args.map((a) => this.arrayRef(a));
    const nargs = e.args.length;
    return () => {
      if (!f) throw new AwkError("Call to undefined function", line);
      const frame: Frame = { vals: new Array(nparams), arrs: new Array(nparams) };
      for (let i = 0; i < nargs; i++) {
        const v = argVals[i]();
        if (i < nparams) {
          frame.vals[i] = v;
          const r = argArrs[i];
          if (r) frame.arrs[i] = r();
        }
      }
      const saved = rt.frame;
      rt.frame = frame;
      let code: number;
      try {
        code = f.body!();
      } finally {
        rt.frame = saved;
      }
      if (code === RETURN) {
        const v = rt.retval;
        rt.retval = undefined;
        return v;
      }
      if (code !== NORMAL) throw new FlowSignal(code);
      return "";
    };
  }

  private arrayRef(a: Expr): (() => AwkArray | (() => AwkArray)) | undefined {
    if (a.k !== "var") return undefined;
    const rt = this.rt;
    if (a.local !== undefined) {
      const i = a.local;
      return () => arrayRefOf(rt.frame.arrs, i);
    }
    const slot = rt.slot(a.name);
    return () => rt.GA[slot] ?? (() => rt.array(slot));
  }

  // ---- getline ----

  private getline(e: Extract<Expr, { k: "getline" | "pgetline" }>): Val {
    const rt = this.rt;
    const loc = e.target ? this.loc(e.target) : undefined;
    const store = (rec: string) => {
      if (loc) loc().set(new UStr(rec));
      else rt.setRecord(rec);
    };
    if (e.k === "pgetline") {
      const cmd = this.str(e.cmd);
      return () => {
        const reader = rt.inputPipe(cmd());
        const rec = rt.readFrom(reader);
        if (rec === null) return 0;
        if (rec === -1) return -1;
        store(rec);
        return 1;
      };
    }
    if (e.file) {
      const file = this.str(e.file);
      return () => {
        const reader = rt.inputFile(file());
        if (!reader) return -1;
        const rec = rt.readFrom(reader);
        if (rec === null) return 0;
        if (rec === -1) return -1;
        store(rec);
        return 1;
      };
    }
    return () => {
      const rec = rt.getlineMain();
      if (rec === -1) return -1;
      if (rec === null) return 0;
      rt.countRecord();
      store(rec);
      return 1;
    };
  }

  // ---- built-in functions ----

  private builtin(e: Extract<Expr, { k: "builtin" }>): Val {
    const rt = this.rt;
    const line = e.line;
    const args = e.args ?? [];
    const n = args.length;
    const name = e.name;
    const need = (min: number, max: number) => {
      if (n < min) return () => { throw new AwkError("Too few arguments", line); };
      if (n > max) return () => { throw new AwkError("Too many arguments", line); };
      return undefined;
    };
    const numArg = (i: number) => this.num(args[i]);
    const strArg = (i: number) => this.str(args[i]);
    const math = (f: (x: number) => number): Val => {
      const bad = need(1, 1);
      if (bad) return bad;
      const x = numArg(0);
      return () => f(x());
    };
    switch (name) {
      case "length": {
        const bad = need(0, 1);
        if (bad) return bad;
        if (n === 0) return () => rt.recordText().length;
        const a = args[0];
        const s = this.str(a);
        if (a.k === "var") {
          if (a.local !== undefined) {
            const i = a.local;
            return () => {
              const arr = rt.frame.arrs[i];
              if (arr instanceof AwkArray) return arr.size;
              return s().length;
            };
          }
          const slot = rt.slot(a.name);
          return () => {
            const arr = rt.GA[slot];
            return arr ? arr.size : s().length;
          };
        }
        return () => s().length;
      }
      case "substr": {
        const bad = need(2, 3);
        if (bad) return bad;
        const s = strArg(0);
        const m = numArg(1);
        if (n === 2) return () => B.substr(s(), m());
        const len = numArg(2);
        return () => {
          const str = s();
          const mm = m();
          return B.substr(str, mm, len());
        };
      }
      case "index": {
        const bad = need(2, 2);
        if (bad) return bad;
        const s = strArg(0);
        const t = strArg(1);
        return () => {
          const a = s();
          return B.index(a, t(), rt.icase);
        };
      }
      case "split": {
        const bad = need(2, 3);
        if (bad) return bad;
        const s = strArg(0);
        const target = args[1];
        if (target.k !== "var") return () => { throw new AwkError("Not an array", line); };
        const arr = this.arrayOf(target);
        const sepArg = args[2];
        let splitter: () => ReturnType<typeof makeSplitter>;
        if (!sepArg) splitter = () => rt.fsSplitter;
        else if (sepArg.k === "regex") {
          const re = this.literalRegex(sepArg.src);
          splitter = () => ({ kind: "regex", re: re() });
        } else {
          const sep = this.str(sepArg);
          splitter = () => makeSplitter(sep(), rt.icase);
        }
        return () => {
          const text = s();
          const sp = splitter();
          const parts = splitText(text, sp, rt.paragraph, rt.icase);
          const a = arr();
          a.clear();
          for (let i = 0; i < parts.length; i++) a.set(String(i + 1), new UStr(parts[i]));
          return parts.length;
        };
      }
      case "sub":
      case "gsub":
      case "gensub": {
        const isGensub = name === "gensub";
        const bad = isGensub ? need(3, 4) : need(2, 3);
        if (bad) return bad;
        const re = this.regexOf(args[0]);
        const repl = strArg(1);
        if (isGensub) {
          const how = numArg(2);
          const src = n > 3 ? strArg(3) : () => rt.recordText();
          return () => {
            const r = repl();
            const h = how();
            const text = src();
            return B.substitute(re(), r, toInt32(h), text, true)[0];
          };
        }
        const all = name === "gsub" ? 0 : 1;
        const target = args[2];
        if (target && !(target.k === "var" || target.k === "elem" || target.k === "field")) {
          const src = this.str(target);
          return () => {
            const r = repl();
            const text = src();
            return B.substitute(re(), r, all, text, false)[1];
          };
        }
        const loc = target ? this.loc(target as LValue) : () => ({ get: () => rt.record(), set: (v: Value) => rt.setRecordValue(v) });
        return () => {
          const r = repl();
          const l = loc();
          const text = toStr(l.get(), rt.convfmt);
          const [result, count] = B.substitute(re(), r, all, text, false);
          l.set(result);
          return count;
        };
      }
      case "match": {
        const bad = need(2, 2);
        if (bad) return bad;
        const s = strArg(0);
        const re = this.regexOf(args[1]);
        const S = rt.S;
        return () => {
          const text = s();
          const g = re().search;
          g.lastIndex = 0;
          const m = g.exec(text);
          const start = m ? m.index + 1 : 0;
          rt.G[S.RSTART] = start;
          rt.G[S.RLENGTH] = m ? m[0].length : -1;
          return start;
        };
      }
      case "sprintf": {
        if (n === 0) return () => "";
        const fmt = strArg(0);
        const rest = args.slice(1).map((a) => this.val(a));
        return () => sprintf(fmt(), rest.map((a) => a()), rt.convfmt);
      }
      case "sin": return math(Math.sin);
      case "cos": return math(Math.cos);
      case "exp": return math(Math.exp);
      case "log": return math(Math.log);
      case "sqrt": return math(Math.sqrt);
      case "int": return math(toLongLong);
      case "atan2": {
        const bad = need(2, 2);
        if (bad) return bad;
        const y = numArg(0);
        const x = numArg(1);
        return () => Math.atan2(y(), x());
      }
      case "rand": {
        const bad = need(0, 0);
        if (bad) return bad;
        return () => rt.random.rand();
      }
      case "srand": {
        const bad = need(0, 1);
        if (bad) return bad;
        const x = n ? numArg(0) : () => Math.floor(Date.now() / 1000);
        return () => {
          const prev = rt.seed;
          rt.seed = B.toUint32(x());
          rt.random.seed(rt.seed);
          return prev;
        };
      }
      case "tolower":
      case "toupper": {
        const bad = need(1, 4);
        if (bad) return bad;
        const s = strArg(0);
        const f = name === "tolower" ? B.toLower : B.toUpper;
        return () => f(s());
      }
      case "system": {
        const bad = need(1, 1);
        if (bad) return bad;
        const s = strArg(0);
        return () => rt.system(s());
      }
      case "close": {
        const bad = need(1, 1);
        if (bad) return bad;
        const s = strArg(0);
        return () => rt.close(s());
      }
      case "fflush": {
        const bad = need(0, 1);
        if (bad) return bad;
        if (n === 0) return () => rt.fflush(undefined);
        const s = strArg(0);
        return () => {
          const name = s();
          return name === "" ? (rt.flushAll(), 0) : rt.fflush(name);
        };
      }
      case "and":
      case "or":
      case "xor":
      case "lshift":
      case "rshift": {
        const bad = need(2, 4);
        if (bad) return bad;
        const a = numArg(0);
        const b = numArg(1);
        return () => {
          const x = a();
          return B.bitOp(name, x, b());
        };
      }
      case "compl": {
        const bad = need(1, 4);
        if (bad) return bad;
        const a = numArg(0);
        return () => B.bitOp("compl", a(), 0);
      }
      case "systime": {
        const bad = need(0, 0);
        if (bad) return bad;
        return () => Math.floor(Date.now() / 1000);
      }
      case "strftime": {
        const fmt = n > 0 ? strArg(0) : () => "%a %b %d %H:%M:%S %Z %Y";
        const t = n > 1 ? numArg(1) : () => Math.floor(Date.now() / 1000);
        return () => {
          const f = fmt();
          return B.strftime(f, Math.trunc(t()));
        };
      }
      case "mktime": {
        const bad = need(1, 4);
        if (bad) return bad;
        const s = strArg(0);
        return () => B.mktime(s());
      }
    }
    return () => {
      throw new AwkError("Unexpected token", line);
    };
  }
}

function cmpTest(op: string): (d: number) => boolean {
  switch (op) {
    case "<": return (d) => !(d >= 0);
    case "<=": return (d) => !(d > 0);
    case ">": return (d) => d > 0;
    case ">=": return (d) => d >= 0;
    case "==": return (d) => d === 0;
    default: return (d) => !(d === 0);
  }
}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** BusyBox's modulo: x - (long long)(x / y) * y. */
function mod(x: number, y: number): number {
  return x - toLongLong(x / y) * y;
}

/** C's pow(), where it differs from Math.pow. */
function pow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y)) return 1;
  return Math.pow(x, y);
}
