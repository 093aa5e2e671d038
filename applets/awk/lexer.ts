// Tokens of an awk program. The text is a latin1 string (one char per byte).
// Newlines are tokens, except after a token that cannot end a statement
// (",", "{", "&&", binary operators, ...), where BusyBox skips them too.
// A "/" is division to the lexer; the parser asks for a regex with
// readRegex() where an operand is expected.
import { AwkError } from "./errors.ts";
import { scanEnd, scanNumber } from "./number.ts";

export type TokKind =
  | "number" | "string" | "ere" | "name" | "funcname" | "builtin" | "keyword"
  | "op" | "newline" | "eof";

export interface Token {
  kind: TokKind;
  /** Operator or keyword text, the name, or the string/regex body. */
  text: string;
  value?: number;
  line: number;
  pos: number;
  end: number;
  /** For "+" and "-": whether it follows an operand (so is binary). */
  binary?: boolean;
}

export const KEYWORDS = new Set([
  "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
  "next", "nextfile", "exit", "return", "delete", "getline", "print", "printf", "in",
]);

export const BUILTINS = new Set([
  "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2",
  "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close", "fflush",
  "and", "or", "xor", "lshift", "rshift", "compl", "systime", "strftime", "mktime", "gensub",
]);

// Longest first.
const OPS = [
  "**=", "&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=", ">>", "!~", "**",
  "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=",
];

// After these a newline is not a terminator.
const NOTERM_OPS = new Set([
  ",", "{", "}", ";", "&&", "||", "=", "+=", "-=", "*=", "/=", "%=", "^=", "**=", "==", "<=", ">=", "!=",
  "<", ">", "~", "!~", "*", "/", "%", "^", "**", "?", ":", "|",
]);

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAlnum = (c: number) => isAlpha(c) || (c >= 48 && c <= 57);

/** BusyBox's bb_process_escape_sequence: s[i] is the char after "\". */
export function escapeAt(s: string, i: number): [char: string | undefined, next: number] {
  const c = s[i];
  const map: Record<string, string> = { "\\": "\\", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
  if (c === "x" && /[0-9a-fA-F]/.test(s[i + 1] ?? "")) {
    let j = i + 1;
    let n = 0;
    while (j < i + 3 && /[0-9a-fA-F]/.test(s[j] ?? "")) n = n * 16 + parseInt(s[j++], 16);
    return [String.fromCharCode(n), j];
  }
  if (c !== undefined && c >= "0" && c <= "7") {
    let j = i;
    let n = 0;
    while (j < i + 3 && s[j] >= "0" && s[j] <= "7" && n * 8 + (s.charCodeAt(j) - 48) <= 255) n = n * 8 + (s.charCodeAt(j++) - 48);
    return [String.fromCharCode(n), j];
  }
  if (c !== undefined && map[c] !== undefined) return [map[c], i + 1];
  return [undefined, i];
}

/**
 * A string with awk's escapes processed, as BusyBox does for "..." literals,
 * -v values and command-line assignments: an unknown "\z" is "z". Like a C
 * string, the value ends at a NUL.
 */
export function unescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const c = s[i++];
    if (c !== "\\") { out += c; continue; }
    const [e, next] = escapeAt(s, i);
    if (e !== undefined) { out += e; i = next; }
    else if (i < s.length) {
      const z = s[i++];
      if (z !== "\n") out += z; // backslash-newline disappears
    } else out += "\\";
  }
  const nul = out.indexOf("\0");
  return nul < 0 ? out : out.slice(0, nul);
}

export class Lexer {
  pos = 0;
  line = 1;
  /** The last token returned (for newline skipping and error messages). */
  prev: Token | undefined;

  constructor(readonly src: string) {}

  error(msg: string, line = this.line): never {
    throw new AwkError(msg, line);
  }

  private endsOperand(t: Token | undefined): boolean {
    if (!t) return false;
    if (t.kind === "number" || t.kind === "string" || t.kind === "ere" || t.kind === "name" || t.kind === "builtin") return true;
    return t.kind === "op" && (t.text === ")" || t.text === "]" || t.text === "$" || t.text === "++" || t.text === "--");
  }

  private skipsNewline(t: Token | undefined): boolean {
    if (!t) return true;
    if (t.kind === "keyword") return t.text === "do" || t.text === "else" || t.text === "in";
    if (t.kind !== "op") return false;
    if (t.text === "+" || t.text === "-") return !!t.binary;
    return NOTERM_OPS.has(t.text);
  }

  next(): Token {
    const t = this.scan();
    this.prev = t;
    return t;
  }

  private scan(): Token {
    const s = this.src;
    for (;;) {
      // Blanks and backslash-newlines.
      for (;;) {
        const c = s.charCodeAt(this.pos);
        if (c === 32 || c === 9) this.pos++;
        else if (c === 92 && s.charCodeAt(this.pos + 1) === 10) { this.pos += 2; this.line++; }
        else break;
      }
      if (s.charCodeAt(this.pos) === 35) {
        while (this.pos < s.length && s.charCodeAt(this.pos) !== 10) this.pos++;
      }
      const start = this.pos;
      const line = this.line;
      if (start >= s.length) return { kind: "eof", text: "", line, pos: start, end: start };
      const c = s.charCodeAt(start);
      if (c === 10) {
        this.pos++;
        this.line++;
        if (this.skipsNewline(this.prev)) continue;
        return { kind: "newline", text: "\n", line, pos: start, end: this.pos };
      }
      if (c === 34) return this.readString(start, line);
      if ((c >= 48 && c <= 57) || (c === 46 && s.charCodeAt(start + 1) >= 48 && s.charCodeAt(start + 1) <= 57)) {
        const value = scanNumber(s, start);
        this.pos = scanEnd;
        if (s.charCodeAt(this.pos) === 46) this.error("Unexpected token", line);
        return { kind: "number", text: s.slice(start, this.pos), value, line, pos: start, end: this.pos };
      }
      if (isAlpha(c)) {
        let j = start + 1;
        while (j < s.length && isAlnum(s.charCodeAt(j))) j++;
        const word = s.slice(start, j);
        this.pos = j;
        if (KEYWORDS.has(word)) return { kind: "keyword", text: word === "func" ? "function" : word, line, pos: start, end: j };
        if (BUILTINS.has(word)) return { kind: "builtin", text: word, line, pos: start, end: j };
        if (s.charCodeAt(j) === 40) return { kind: "funcname", text: word, line, pos: start, end: j };
        return { kind: "name", text: word, line, pos: start, end: j };
      }
      for (const op of OPS) {
        if (s.startsWith(op, start)) {
          this.pos = start + op.length;
          const t: Token = { kind: "op", text: op, line, pos: start, end: this.pos };
          if (op === "+" || op === "-") t.binary = this.endsOperand(this.prev);
          return t;
        }
      }
      this.error("Unexpected token", line);
    }
  }

  private readString(start: number, line: number): Token {
    const s = this.src;
    let i = start + 1;
    let out = "";
    for (;;) {
      if (i >= s.length || s[i] === "\n") this.error("Unexpected end of string", line);
      const c = s[i++];
      if (c === '"') break;
      if (c !== "\\") { out += c; continue; }
      const [e, next] = escapeAt(s, i);
      if (e !== undefined) { out += e; i = next; continue; }
      if (i >= s.length) this.error("Unexpected end of string", line);
      const z = s[i++];
      if (z === "\n") { this.line++; continue; }
      out += z;
    }
    this.pos = i;
    const nul = out.indexOf("\0");
    return { kind: "string", text: nul < 0 ? out : out.slice(0, nul), line, pos: start, end: i };
  }

  /** Re-read the "/" (or "/=") token t as the start of a /regex/. */
  readRegex(t: Token): Token {
    const s = this.src;
    let i = t.pos + 1;
    let out = "";
    for (;;) {
      if (i >= s.length || s[i] === "\n") this.error("Unexpected end of string", t.line);
      const c = s[i++];
      if (c === "/") break;
      if (c !== "\\") { out += c; continue; }
      // BusyBox: known escapes become the character, "\\" stays escaped,
      // anything else keeps its backslash for the regex compiler.
      if (s[i] === "\\") { out += "\\\\"; i++; continue; }
      const [e, next] = escapeAt(s, i);
      if (e !== undefined) { out += e; i = next; continue; }
      if (i >= s.length || s[i] === "\n") this.error("Unexpected end of string", t.line);
      out += "\\" + s[i++];
    }
    this.pos = i;
    const tok: Token = { kind: "ere", text: out, line: t.line, pos: t.pos, end: i };
    this.prev = tok;
    return tok;
  }

  /** For the parser's messages: BusyBox says "end of string" after a newline or at the end. */
  unexpected(t: Token, before: Token | undefined): never {
    const eos = before === undefined ? false : before.kind === "newline" || before.kind === "eof";
    this.error(eos ? "Unexpected end of string" : "Unexpected token", t.line);
  }

  endsOperandToken(t: Token | undefined): boolean {
    return this.endsOperand(t);
  }
}
