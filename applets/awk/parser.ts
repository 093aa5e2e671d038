// Recursive-descent parser for POSIX awk with BusyBox's extensions. Operator
// precedence, lowest first: ?: and assignment, ||, &&, in, ~ !~, relational,
// "cmd | getline", concatenation, + -, * / %, unary + - !, ^ (right), ++ --,
// $, grouping. Inside print's argument list an unparenthesized ">" or "|" is
// a redirection, not an operator.
import type { Expr, FuncDef, LValue, Program, Redirect, Rule, Stmt, VarRef } from "./ast.ts";
import { Lexer, type Token } from "./lexer.ts";

interface Flags {
  /** print context: ">" and "|" are redirections. */
  print?: boolean;
}

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "^=", "**="]);
const CMP_OPS = new Set(["<", "<=", "==", "!=", ">=", ">"]);

export class Parser {
  private lx: Lexer;
  private tok: Token;
  private before: Token | undefined;
  private locals: Map<string, number> | undefined;
  private loopDepth = 0;
  private usesGetline = false;

  constructor(src: string, private progname: string, private program: Program) {
    this.lx = new Lexer(src);
    this.tok = this.lx.next();
  }

  static newProgram(): Program {
    return { begin: [], rules: [], end: [], funcs: new Map(), usesGetline: false };
  }

  private advance(): Token {
    const t = this.tok;
    this.before = t;
    this.tok = this.lx.next();
    return t;
  }

  private is(kind: string, text?: string): boolean {
    return (this.tk() === kind || (kind === "op" && this.tk() === "op")) && (text === undefined || this.tok.text === text);
  }

  /** The current token's kind (a method, so that TypeScript does not narrow it across advance()). */
  private tk(): Token["kind"] {
    return this.tok.kind;
  }

  private isOp(text: string): boolean {
    return this.tk() === "op" && this.tok.text === text;
  }

  private isKw(text: string): boolean {
    return this.tk() === "keyword" && this.tok.text === text;
  }

  private fail(): never {
    this.lx.unexpected(this.tok, this.before);
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail();
    return this.advance();
  }

  private skipNewlines(): void {
    while (this.tk() === "newline") this.advance();
  }

  /** The line of the end of the text (BusyBox's line for errors outside any statement). */
  lastLine(): number {
    return this.tok.line;
  }

  parse(): Program {
    const prog = this.program;
    for (;;) {
      while (this.tk() === "newline" || this.isOp(";")) this.advance();
      if (this.tk() === "eof") break;
      const line = this.tok.line;
      if (this.isKw("BEGIN") || this.isKw("END")) {
        const which = this.advance().text;
        if (!this.isOp("{")) this.fail();
        const block: Stmt = { k: "block", body: this.parseBlock(), line, progname: this.progname };
        (which === "BEGIN" ? prog.begin : prog.end).push(block);
        continue;
      }
      if (this.isKw("function")) {
        this.parseFunction();
        continue;
      }
      const rule: Rule = { line, progname: this.progname };
      if (!this.isOp("{")) {
        rule.pattern = this.parseExpr({});
        if (this.isOp(",")) {
          this.advance();
          rule.end = this.parseExpr({});
        }
      }
      if (this.isOp("{")) rule.body = this.parseBlock();
      else if (!(this.tk() === "newline" || this.isOp(";") || this.tk() === "eof")) this.fail();
      prog.rules.push(rule);
    }
    prog.usesGetline ||= this.usesGetline;
    return prog;
  }

  private parseFunction(): void {
    this.advance();
    const nameTok = this.tok;
    if (nameTok.kind !== "name" && nameTok.kind !== "funcname") this.fail();
    this.advance();
    const line = nameTok.line;
    this.expectOp("(");
    const params: string[] = [];
    while (!this.isOp(")")) {
      if (this.tk() !== "name") this.fail();
      params.push(this.advance().text);
      if (this.isOp(",")) {
        this.advance();
        if (this.isOp(")")) this.fail();
      } else if (!this.isOp(")")) this.fail();
    }
    this.advance();
    this.skipNewlines();
    if (!this.isOp("{")) this.fail();
    if (this.program.funcs.has(nameTok.text)) this.lx.error("Duplicate function", line);
    const fn: FuncDef = { name: nameTok.text, params, body: [], line, progname: this.progname };
    this.program.funcs.set(fn.name, fn);
    this.locals = new Map(params.map((p, i) => [p, i]));
    const depth = this.loopDepth;
    this.loopDepth = 0;
    fn.body = this.parseBlock();
    this.loopDepth = depth;
    this.locals = undefined;
  }

  /** "{" statements "}" */
  private parseBlock(): Stmt[] {
    this.expectOp("{");
    const body: Stmt[] = [];
    for (;;) {
      while (this.tk() === "newline" || this.isOp(";")) this.advance();
      if (this.isOp("}")) break;
      if (this.tk() === "eof") this.fail();
      body.push(this.parseStatement());
    }
    this.advance();
    return body;
  }

  private parseStatement(): Stmt {
    this.skipNewlines();
    const line = this.tok.line;
    if (this.isOp("{")) return { k: "block", body: this.parseBlock(), line };
    if (this.isOp(";")) {
      this.advance();
      return { k: "block", body: [], line };
    }
    if (this.tk() === "keyword") {
      switch (this.tok.text) {
        case "if": {
          this.advance();
          this.expectOp("(");
          const c = this.parseExpr({});
          this.expectOp(")");
          const then = this.parseStatement();
          const s: Stmt = { k: "if", c, then, line };
          // "else" may follow on a later line.
          while (this.tk() === "newline" || (this.isOp(";") && this.semicolonBeforeElse())) this.advance();
          if (this.isKw("else")) {
            this.advance();
            s.else = this.parseStatement();
          }
          return s;
        }
        case "while": {
          this.advance();
          this.expectOp("(");
          const c = this.parseExpr({});
          this.expectOp(")");
          if (this.isOp(";")) {
            this.advance();
            return { k: "while", c, body: { k: "block", body: [], line }, line };
          }
          return { k: "while", c, body: this.loopBody(), line };
        }
        case "do": {
          this.advance();
          const body = this.loopBody();
          while (this.tk() === "newline" || this.isOp(";")) this.advance();
          if (!this.isKw("while")) this.fail();
          this.advance();
          this.expectOp("(");
          const c = this.parseExpr({});
          this.expectOp(")");
          this.endSimple();
          return { k: "do", body, c, line };
        }
        case "for":
          return this.parseFor();
      }
    }
    const s = this.parseSimple();
    this.endSimple();
    return s;
  }

  // "if (x) a; else b": the ";" ends the statement before "else".
  private semicolonBeforeElse(): boolean {
    const save = { pos: this.lx.pos, line: this.lx.line, prev: this.lx.prev, tok: this.tok, before: this.before };
    this.advance();
    while (this.tk() === "newline") this.advance();
    const yes = this.isKw("else");
    this.lx.pos = save.pos;
    this.lx.line = save.line;
    this.lx.prev = save.prev;
    this.tok = save.tok;
    this.before = save.before;
    return yes;
  }

  private loopBody(): Stmt {
    this.loopDepth++;
    try {
      return this.parseStatement();
    } finally {
      this.loopDepth--;
    }
  }

  private parseFor(): Stmt {
    const line = this.tok.line;
    this.advance();
    this.expectOp("(");
    let init: Expr | undefined;
    if (!this.isOp(";")) {
      init = this.parseExpr({});
      if (this.isOp(")") && init.k === "in" && init.subs.length === 1 && isLValue(init.subs[0])) {
        this.advance();
        const target = init.subs[0] as LValue;
        return { k: "forin", v: target, arr: init.arr, body: this.loopBody(), line };
      }
    }
    this.expectOp(";");
    this.skipNewlines();
    const c = this.isOp(";") ? undefined : this.parseExpr({});
    this.expectOp(";");
    this.skipNewlines();
    const step = this.isOp(")") ? undefined : this.parseExpr({});
    this.expectOp(")");
    if (this.isOp(";")) {
      this.advance();
      return { k: "for", init, c, step, body: { k: "block", body: [], line }, line };
    }
    return { k: "for", init, c, step, body: this.loopBody(), line };
  }

  private endSimple(): void {
    if (this.isOp(";") || this.tk() === "newline") {
      this.advance();
      return;
    }
    if (this.isOp("}") || this.tk() === "eof") return;
    this.fail();
  }

  private atTerminator(): boolean {
    return this.tk() === "newline" || this.tk() === "eof" || this.isOp(";") || this.isOp("}");
  }

  private parseSimple(): Stmt {
    const line = this.tok.line;
    if (this.tk() === "keyword") {
      const kw = this.tok.text;
      switch (kw) {
        case "print":
        case "printf":
          return this.parsePrint(kw);
        case "next":
        case "nextfile":
          this.advance();
          return { k: kw, line };
        case "break":
        case "continue":
          this.advance();
          if (this.loopDepth === 0) this.lx.error(`'${kw}' not in a loop`, line);
          return { k: kw, line };
        case "exit":
        case "return": {
          this.advance();
          const e = this.atTerminator() ? undefined : this.parseExpr({});
          return { k: kw, e, line };
        }
        case "delete": {
          this.advance();
          if (this.tk() !== "name") this.fail();
          const arr = this.varRef(this.advance());
          if (this.isOp("[")) {
            this.advance();
            const subs = this.parseExprList("]");
            return { k: "delete", arr, subs, line };
          }
          return { k: "delete", arr, line };
        }
      }
    }
    return { k: "expr", e: this.parseExpr({}), line };
  }

  private parsePrint(kw: "print" | "printf"): Stmt {
    const line = this.tok.line;
    this.advance();
    let args: Expr[] = [];
    if (!this.atTerminator() && !this.isRedirect()) {
      args.push(this.parseExpr({ print: true }));
      while (this.isOp(",")) {
        this.advance();
        args.push(this.parseExpr({ print: true }));
      }
    }
    if (args.length === 1 && args[0].k === "group") args = args[0].list;
    let redir: Redirect | undefined;
    if (this.isRedirect()) {
      const kind = this.advance().text as Redirect["kind"];
      // BusyBox takes a whole conditional expression as the target: print 1 > x ? "a" : "b".
      redir = { kind, e: this.parseTernary({ print: true }) };
    }
    return { k: kw, args, redir, line };
  }

  private isRedirect(): boolean {
    return this.isOp(">") || this.isOp(">>") || this.isOp("|");
  }

  private parseExprList(close: string): Expr[] {
    const list: Expr[] = [this.parseExpr({})];
    while (this.isOp(",")) {
      this.advance();
      list.push(this.parseExpr({}));
    }
    this.expectOp(close);
    return list;
  }

  parseExpr(f: Flags): Expr {
    return this.parseTernary(f);
  }

  private parseTernary(f: Flags): Expr {
    const line = this.tok.line;
    const c = this.parseOr(f);
    if (this.isOp("?")) {
      this.advance();
      const a = this.parseTernary(f);
      this.expectOp(":");
      const b = this.parseTernary(f);
      return { k: "cond", c, a, b, line };
    }
    if (this.tk() === "op" && ASSIGN_OPS.has(this.tok.text)) {
      if (!isLValue(c)) this.fail();
      const op = this.advance().text;
      const e = this.parseTernary(f);
      return { k: "assign", op: op === "**=" ? "^=" : op, target: c as LValue, e, line };
    }
    return c;
  }

  private parseOr(f: Flags): Expr {
    let a = this.parseAnd(f);
    while (this.isOp("||")) {
      const line = this.advance().line;
      a = { k: "or", a, b: this.parseAnd(f), line };
    }
    return a;
  }

  private parseAnd(f: Flags): Expr {
    let a = this.parseIn(f);
    while (this.isOp("&&")) {
      const line = this.advance().line;
      a = { k: "and", a, b: this.parseIn(f), line };
    }
    return a;
  }

  private parseIn(f: Flags): Expr {
    let a = this.parseMatch(f);
    while (this.isKw("in")) {
      const line = this.advance().line;
      if (this.tk() !== "name") this.fail();
      a = { k: "in", subs: [a], arr: this.varRef(this.advance()), line };
    }
    return a;
  }

  private parseMatch(f: Flags): Expr {
    let a = this.parseComparison(f);
    while (this.isOp("~") || this.isOp("!~")) {
      const t = this.advance();
      a = { k: "match", neg: t.text === "!~", a, re: this.parseComparison(f), line: t.line };
    }
    return a;
  }

  private parseComparison(f: Flags): Expr {
    let a = this.parsePipe(f);
    while (this.tk() === "op" && CMP_OPS.has(this.tok.text) && !(f.print && this.tok.text === ">")) {
      const t = this.advance();
      a = { k: "cmp", op: t.text, a, b: this.parsePipe(f), line: t.line };
    }
    return a;
  }

  private parsePipe(f: Flags): Expr {
    let a = this.parseConcat(f);
    while (!f.print && this.isOp("|")) {
      const line = this.advance().line;
      if (!this.isKw("getline")) this.fail();
      this.advance();
      a = { k: "pgetline", cmd: a, target: this.optionalLValue(), line };
      // "cmd" | getline x + 1 y: the getline's value is an operand of + - and concatenation, as in POSIX's grammar.
      for (;;) {
        if (this.isOp("+") || this.isOp("-")) {
          const t = this.advance();
          a = { k: "arith", op: t.text, a, b: this.parseMul(f), line: t.line };
        } else if (this.startsConcatOperand()) a = { k: "concat", a, b: this.parseAdditive(f), line: this.tok.line };
        else break;
      }
    }
    return a;
  }

  private startsConcatOperand(): boolean {
    const t = this.tok;
    switch (t.kind) {
      case "number":
      case "string":
      case "name":
      case "funcname":
      case "builtin":
        return true;
      case "op":
        return t.text === "$" || t.text === "(" || t.text === "++" || t.text === "--";
      default:
        return false;
    }
  }

  private parseConcat(f: Flags): Expr {
    let a = this.parseAdditive(f);
    while (this.startsConcatOperand()) {
      const line = this.tok.line;
      a = { k: "concat", a, b: this.parseAdditive(f), line };
    }
    return a;
  }

  private parseAdditive(f: Flags): Expr {
    let a = this.parseMul(f);
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.advance();
      a = { k: "arith", op: t.text, a, b: this.parseMul(f), line: t.line };
    }
    return a;
  }

  private parseMul(f: Flags): Expr {
    let a = this.parseUnary(f);
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.advance();
      a = { k: "arith", op: t.text, a, b: this.parseUnary(f), line: t.line };
    }
    return a;
  }

  private parseUnary(f: Flags): Expr {
    if (this.isOp("!") || this.isOp("-") || this.isOp("+")) {
      const t = this.advance();
      return { k: "unary", op: t.text, e: this.parseUnary(f), line: t.line };
    }
    return this.parsePow(f);
  }

  private parsePow(f: Flags): Expr {
    const a = this.parsePostfix(f);
    if (this.isOp("^") || this.isOp("**")) {
      const t = this.advance();
      return { k: "arith", op: "^", a, b: this.parsePowRight(f), line: t.line };
    }
    return a;
  }

  private parsePowRight(f: Flags): Expr {
    if (this.isOp("!") || this.isOp("-") || this.isOp("+")) {
      const t = this.advance();
      return { k: "unary", op: t.text, e: this.parsePowRight(f), line: t.line };
    }
    return this.parsePow(f);
  }

  private parsePostfix(f: Flags): Expr {
    const e = this.parsePrefix(f);
    if ((this.isOp("++") || this.isOp("--")) && isLValue(e)) {
      const t = this.advance();
      return { k: "incdec", op: t.text as "++" | "--", prefix: false, target: e as LValue, line: t.line };
    }
    return e;
  }

  private parsePrefix(f: Flags): Expr {
    if (this.isOp("++") || this.isOp("--")) {
      const t = this.advance();
      const target = this.parsePrefix(f);
      if (!isLValue(target)) this.fail();
      return { k: "incdec", op: t.text as "++" | "--", prefix: true, target: target as LValue, line: t.line };
    }
    return this.parsePrimary(f);
  }

  private parseDollarOperand(f: Flags): Expr {
    if (this.isOp("++") || this.isOp("--")) return this.parsePrefix(f);
    if (this.isOp("-") || this.isOp("+") || this.isOp("!")) {
      const t = this.advance();
      return { k: "unary", op: t.text, e: this.parseDollarOperand(f), line: t.line };
    }
    return this.parsePrimary(f);
  }

  private varRef(t: Token): VarRef {
    const local = this.locals?.get(t.text);
    return local === undefined ? { k: "var", name: t.text, line: t.line } : { k: "var", name: t.text, local, line: t.line };
  }

  private optionalLValue(): LValue | undefined {
    if (this.tk() === "name") {
      const v = this.varRef(this.advance());
      if (this.isOp("[")) {
        this.advance();
        return { k: "elem", arr: v, subs: this.parseExprList("]"), line: v.line };
      }
      return v;
    }
    if (this.isOp("$")) {
      const line = this.advance().line;
      return { k: "field", e: this.parseDollarOperand({}), line };
    }
    return undefined;
  }

  private parsePrimary(f: Flags): Expr {
    const t = this.tok;
    const line = t.line;
    switch (t.kind) {
      case "number":
        this.advance();
        return { k: "num", v: t.value!, line };
      case "string":
        this.advance();
        return { k: "str", v: t.text, line };
      case "name": {
        this.advance();
        const v = this.varRef(t);
        if (this.isOp("[")) {
          this.advance();
          return { k: "elem", arr: v, subs: this.parseExprList("]"), line };
        }
        return v;
      }
      case "funcname": {
        this.advance();
        this.expectOp("(");
        const args = this.isOp(")") ? (this.advance(), []) : this.parseExprList(")");
        return { k: "call", name: t.text, args, line };
      }
      case "builtin": {
        this.advance();
        if (t.text === "length" && !this.isOp("(")) return { k: "builtin", name: "length", args: null, line };
        this.expectOp("(");
        const args = this.isOp(")") ? (this.advance(), []) : this.parseExprList(")");
        return { k: "builtin", name: t.text, args, line };
      }
      case "keyword":
        if (t.text === "getline") {
          this.advance();
          const target = this.optionalLValue();
          if (this.isOp("<")) {
            this.advance();
            return { k: "getline", target, file: this.parseGetlineFile(), line };
          }
          this.usesGetline = true;
          return { k: "getline", target, line };
        }
        break;
      case "op":
        switch (t.text) {
          case "/":
          case "/=": {
            const re = this.lx.readRegex(t);
            this.before = re;
            this.tok = this.lx.next();
            return { k: "regex", src: re.text, line };
          }
          case "(": {
            this.advance();
            const list = this.parseExprList(")");
            if (list.length > 1) {
              if (this.isKw("in")) {
                this.advance();
                if (this.tk() !== "name") this.fail();
                return { k: "in", subs: list, arr: this.varRef(this.advance()), line };
              }
              return { k: "group", list, line };
            }
            return list[0];
          }
          case "$": {
            this.advance();
            return { k: "field", e: this.parseDollarOperand(f), line };
          }
          case "-":
          case "+":
          case "!":
            return this.parseUnary(f);
        }
    }
    this.fail();
  }

  // The file after "getline <": a concatenation at most, as in BusyBox.
  private parseGetlineFile(): Expr {
    return this.parseConcat({});
  }
}

export function isLValue(e: Expr): boolean {
  return e.k === "var" || e.k === "elem" || e.k === "field";
}
