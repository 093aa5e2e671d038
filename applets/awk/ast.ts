// The syntax tree of an awk program, as the parser builds it and the
// compiler turns it into closures. Every node keeps its source line for
// runtime error messages.

export type Expr =
  | { k: "num"; v: number; line: number }
  | { k: "str"; v: string; line: number }
  | { k: "regex"; src: string; line: number }
  | VarRef
  | ElemRef
  | FieldRef
  | { k: "group"; list: Expr[]; line: number }
  | { k: "assign"; op: string; target: LValue; e: Expr; line: number }
  | { k: "cond"; c: Expr; a: Expr; b: Expr; line: number }
  | { k: "and" | "or"; a: Expr; b: Expr; line: number }
  | { k: "in"; subs: Expr[]; arr: VarRef; line: number }
  | { k: "match"; neg: boolean; a: Expr; re: Expr; line: number }
  | { k: "cmp"; op: string; a: Expr; b: Expr; line: number }
  | { k: "concat"; a: Expr; b: Expr; line: number }
  | { k: "arith"; op: string; a: Expr; b: Expr; line: number }
  | { k: "unary"; op: string; e: Expr; line: number }
  | { k: "incdec"; op: "++" | "--"; prefix: boolean; target: LValue; line: number }
  | { k: "call"; name: string; args: Expr[]; line: number }
  | { k: "builtin"; name: string; args: Expr[] | null; line: number }
  | { k: "getline"; target?: LValue; file?: Expr; line: number }
  | { k: "pgetline"; cmd: Expr; target?: LValue; line: number };

/** A variable: a global by name, or a function's parameter/local by index. */
export interface VarRef { k: "var"; name: string; local?: number; line: number }
export interface ElemRef { k: "elem"; arr: VarRef; subs: Expr[]; line: number }
export interface FieldRef { k: "field"; e: Expr; line: number }
export type LValue = VarRef | ElemRef | FieldRef;

export interface Redirect { kind: ">" | ">>" | "|"; e: Expr }

export type Stmt =
  | { k: "expr"; e: Expr; line: number }
  | { k: "print" | "printf"; args: Expr[]; redir?: Redirect; line: number }
  | { k: "if"; c: Expr; then: Stmt; else?: Stmt; line: number }
  | { k: "while"; c: Expr; body: Stmt; line: number }
  | { k: "do"; body: Stmt; c: Expr; line: number }
  | { k: "for"; init?: Expr; c?: Expr; step?: Expr; body: Stmt; line: number }
  | { k: "forin"; v: LValue; arr: VarRef; body: Stmt; line: number }
  | { k: "block"; body: Stmt[]; line: number; progname?: string }
  | { k: "next" | "nextfile" | "break" | "continue"; line: number }
  | { k: "exit" | "return"; e?: Expr; line: number }
  | { k: "delete"; arr: VarRef; subs?: Expr[]; line: number };

export interface Rule {
  pattern?: Expr;
  /** Range patterns: pattern, end. */
  end?: Expr;
  /** undefined: the default action, print $0. */
  body?: Stmt[];
  line: number;
  progname: string;
}

export interface FuncDef {
  name: string;
  params: string[];
  body: Stmt[];
  line: number;
  /** Program name (for messages) where it was defined. */
  progname: string;
}

export interface Program {
  begin: Stmt[];
  rules: Rule[];
  end: Stmt[];
  funcs: Map<string, FuncDef>;
  /** Whether any plain getline (from the main input) appears. */
  usesGetline: boolean;
}
