// The shell's lexer and recursive-descent parser: source text to the tree of
// ast.ts. Words keep their quoting structure (parts), so expansion later
// knows what was quoted. Command substitutions are parsed here, once, by a
// nested parser over the same text; here-document bodies are read at the
// newline that follows their operator.
import type { CaseItem, ListItem, Node, Part, Redir, Word } from "./ast.ts";

export class ShSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** The text ended before the command did: more input could complete it. */
    readonly atEof = false,
  ) {
    super(message);
  }
}

interface Token {
  t: "word" | "op" | "nl" | "eof" | "io";
  v: string;
  word?: Word;
  pos: number;
  end: number;
}

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{", "}", "!", "in", "[["]);
/** Words that end a compound list. */
const LIST_END = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);
const OPS = ["<<-", "&&", "||", ";;", ";&", "<<", ">>", "<&", ">&", "<>", ">|", "&", "|", ";", "<", ">", "(", ")"];
const META = " \t\n;&|<>()";
const META_SET = new Set(META);
const isMeta = (c: string) => META_SET.has(c);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = "@*#?$!-0";
/** Characters that start something other than a literal, in a word and in "...". */
const WORD_SPECIAL = new Set(["\\", "'", '"', "$", "`"]);
const DQ_SPECIAL = new Set(["\\", '"', "$", "`"]);

export interface ParserOptions {
  aliases?: Map<string, string>;
}

interface PendingDoc {
  redir: Redir;
  delim: string;
  strip: boolean;
}

export class Parser {
  private peeked?: Token;
  private docs: PendingDoc[] = [];
  /** Aliases being expanded, and where their text ends, so that they do not recurse. */
  private activeAliases: { name: string; end: number }[] = [];
  private aliasNext = false;
  private lineStarts?: number[];

  constructor(
    public src: string,
    public pos = 0,
    private opts: ParserOptions = {},
    /** Line number of src[0] (nested parsers of backquotes). */
    private baseLine = 1,
  ) {}

  // ---- Entry points ----

  /** The next complete command (a list ended by a newline), or null at end of input. */
  parseNext(): Node | null {
    this.skipNewlines();
    if (this.peek().t === "eof") return null;
    const list = this.parseList(true);
    const t = this.peek();
    if (t.t === "nl") this.next();
    else if (t.t !== "eof") this.unexpected(t);
    return list;
  }

  /** The whole text as one list (eval, tests). */
  parseAll(): Node {
    const items: ListItem[] = [];
    for (let n = this.parseNext(); n; n = this.parseNext()) items.push(...(n.k === "list" ? n.items : [{ node: n, bg: false }]));
    return { k: "list", items };
  }

  lineAt(pos: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.src.indexOf("\n"); i >= 0; i = this.src.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    }
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + this.baseLine;
  }

  // ---- Errors ----

  private fail(msg: string, atEof = false): never {
    throw new ShSyntaxError(`syntax error: ${msg}`, this.lineAt(Math.min(this.pos, this.src.length)), atEof);
  }

  private unexpected(t: Token, expecting?: string): never {
    const exp = expecting ? ` (expecting "${expecting}")` : "";
    if (t.t === "eof") this.fail(`unexpected end of file${exp}`, true);
    this.fail(`unexpected ${t.t === "nl" ? "newline" : `"${t.v}"`}${exp}`);
  }

  /** Errors found inside a word are reported at the line after it, as ash counts. */
  private failWord(msg: string, atEof = false): never {
    const nl = this.src.indexOf("\n", this.pos);
    this.pos = atEof || nl < 0 ? this.src.length : nl + 1;
    this.fail(msg, atEof);
  }

  // ---- Tokens ----

  private peek(): Token {
    return (this.peeked ??= this.lex());
  }

  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private isOp(t: Token, v: string): boolean {
    return t.t === "op" && t.v === v;
  }

  /** A word that is a reserved word (unquoted, exactly the text). */
  private isKw(t: Token, kw?: string): boolean {
    if (t.t !== "word" || !RESERVED.has(t.v)) return false;
    const p = t.word!.parts;
    return p.length === 1 && p[0].k === "lit" && (kw === undefined || t.v === kw);
  }

  private expectKw(kw: string): void {
    const t = this.next();
    if (!this.isKw(t, kw)) this.unexpected(t, kw);
  }

  private expectOp(op: string): void {
    const t = this.next();
    if (!this.isOp(t, op)) this.unexpected(t, op);
  }

  private skipNewlines(): void {
    while (this.peek().t === "nl") this.next();
  }

  private skipBlanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && s[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#") {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      } else break;
    }
  }

  private lex(): Token {
    this.skipBlanks();
    const s = this.src;
    const pos = this.pos;
    if (pos >= s.length) return { t: "eof", v: "", pos, end: pos };
    const c = s[pos];
    if (c === "\n") {
      this.pos++;
      this.readHeredocs();
      return { t: "nl", v: "\n", pos, end: pos + 1 };
    }
    if (META.includes(c)) {
      for (const op of OPS) {
        if (s.startsWith(op, pos)) {
          this.pos += op.length;
          return { t: "op", v: op, pos, end: this.pos };
        }
      }
    }
    const word = this.readWord();
    const end = this.pos;
    const isIo = /^\d+$/.test(word.raw) && (s[end] === "<" || s[end] === ">");
    return { t: isIo ? "io" : "word", v: word.raw, word, pos, end };
  }

  // ---- Words ----

  /** An unquoted word, up to a metacharacter. */
  private readWord(): Word {
    const start = this.pos;
    const parts = this.readParts(isMeta, false);
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  /**
   * Parts up to a character that `stop` accepts (unquoted). `inDq`: inside
   * "${...}" within double quotes, where single quotes are plain characters.
   */
  private readParts(stop: (c: string) => boolean, inDq: boolean, noSingle = false): Part[] {
    const s = this.src;
    const parts: Part[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ k: "lit", s: lit });
      lit = "";
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (stop(c)) break;
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "\n") { this.pos += 2; continue; }
        flush();
        if (n === undefined) { lit += "\\"; this.pos++; continue; }
        if (inDq && !'$`"\\}'.includes(n)) lit += "\\" + n;
        else parts.push({ k: "sq", s: n });
        this.pos += 2;
      } else if (c === "'" && !noSingle) {
        if (inDq) { lit += c; this.pos++; continue; }
        flush();
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) this.failWord("unterminated quoted string", true);
        parts.push({ k: "sq", s: s.slice(this.pos + 1, end) });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        parts.push({ k: "dq", parts: this.readDq() });
      } else if (c === "$") {
        const p = this.readDollar(inDq);
        if (p) { flush(); parts.push(p); } else { lit += "$"; }
      } else if (c === "`") {
        flush();
        parts.push(this.readBackquote(inDq));
      } else {
        // A run of ordinary characters in one slice, not one concatenation each.
        let e = this.pos + 1;
        while (e < s.length && !WORD_SPECIAL.has(s[e]) && !stop(s[e])) e++;
        lit += s.slice(this.pos, e);
        this.pos = e;
      }
    }
    flush();
    return parts;
  }

  /** Inside "...", after the opening quote; consumes the closing one. */
  private readDq(): Part[] {
    const s = this.src;
    const parts: Part[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ k: "lit", s: lit });
      lit = "";
    };
    for (;;) {
      if (this.pos >= s.length) this.failWord("unterminated quoted string", true);
      const c = s[this.pos];
      if (c === '"') { this.pos++; break; }
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "\n") { this.pos += 2; continue; }
        if (n !== undefined && '$`"\\'.includes(n)) {
          flush();
          parts.push({ k: "sq", s: n });
          this.pos += 2;
        } else { lit += "\\"; this.pos++; }
      } else if (c === "$") {
        const p = this.readDollar(true);
        if (p) { flush(); parts.push(p); } else lit += "$";
      } else if (c === "`") {
        flush();
        parts.push(this.readBackquote(true));
      } else {
        let e = this.pos + 1;
        while (e < s.length && !DQ_SPECIAL.has(s[e])) e++;
        lit += s.slice(this.pos, e);
        this.pos = e;
      }
    }
    flush();
    return parts;
  }

  /** At "$": an expansion part, or undefined (pos moved past a literal "$"). */
  private readDollar(inDq: boolean): Part | undefined {
    const s = this.src;
    const n = s[this.pos + 1];
    if (n === "(") {
      if (s[this.pos + 2] === "(") {
        const save = this.pos;
        const a = this.tryArith();
        if (a) return a;
        this.pos = save;
      }
      this.pos += 2;
      return { k: "cmd", node: this.readSubst() };
    }
    if (n === "{") {
      this.pos += 2;
      return this.readBrace(inDq);
    }
    if (n === "'" && !inDq) {
      this.pos += 2;
      return { k: "sq", s: this.readAnsiC() };
    }
    if (n !== undefined && /[A-Za-z_]/.test(n)) {
      let e = this.pos + 2;
      while (e < s.length && /\w/.test(s[e])) e++;
      const name = s.slice(this.pos + 1, e);
      this.pos = e;
      return { k: "param", name, op: "", colon: false };
    }
    if (n !== undefined && (/\d/.test(n) || SPECIAL_PARAMS.includes(n))) {
      this.pos += 2;
      return { k: "param", name: n, op: "", colon: false };
    }
    this.pos++;
    return undefined;
  }

  /** $((...)): the expression as a word (expanded as in double quotes, then evaluated). */
  private tryArith(): Part | undefined {
    const s = this.src;
    this.pos += 3;
    const start = this.pos;
    let depth = 0;
    const parts: Part[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ k: "lit", s: lit });
      lit = "";
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === ")") {
        if (depth === 0) {
          if (s[this.pos + 1] !== ")") return undefined; // $( (subshell) ) after all
          flush();
          const raw = s.slice(start, this.pos);
          this.pos += 2;
          return { k: "arith", w: { parts, raw } };
        }
        depth--;
      } else if (c === "(") depth++;
      if (c === "$") {
        const p = this.readDollar(true);
        if (p) { flush(); parts.push(p); } else lit += "$";
        continue;
      }
      if (c === "`") { flush(); parts.push(this.readBackquote(true)); continue; }
      if (c === "\\" && s[this.pos + 1] === "\n") { this.pos += 2; continue; }
      if (c === '"') { flush(); this.pos++; parts.push({ k: "dq", parts: this.readDq() }); continue; }
      lit += c;
      this.pos++;
    }
    this.fail("unexpected end of file (expecting \"))\")", true);
  }

  /** $(...): a nested parser over the same text, up to the closing parenthesis. */
  private readSubst(): Node {
    const sub = new Parser(this.src, this.pos, this.opts, this.baseLine);
    sub.lineStarts = this.lineStarts;
    const body = sub.parseCompound(true);
    const t = sub.next();
    if (!sub.isOp(t, ")")) sub.unexpected(t, ")");
    this.pos = sub.pos;
    return body;
  }

  /** `...`: unescape \$ \` \\ (and \" in double quotes), then parse the text. */
  private readBackquote(inDq: boolean): Part {
    const s = this.src;
    const line = this.lineAt(this.pos);
    let text = "";
    let i = this.pos + 1;
    for (;;) {
      if (i >= s.length) this.fail("unterminated quoted string", true);
      const c = s[i];
      if (c === "`") break;
      if (c === "\\" && i + 1 < s.length) {
        const n = s[i + 1];
        if (n === "$" || n === "`" || n === "\\" || (inDq && n === '"')) { text += n; i += 2; continue; }
        if (n === "\n") { i += 2; continue; }
      }
      text += c;
      i++;
    }
    this.pos = i + 1;
    const sub = new Parser(text, 0, this.opts, line);
    return { k: "cmd", node: sub.parseAll() };
  }

  /** $'...': C-style escapes (busybox ash's bash extension). */
  private readAnsiC(): string {
    const s = this.src;
    let out = "";
    while (this.pos < s.length && s[this.pos] !== "'") {
      const c = s[this.pos++];
      if (c !== "\\") { out += c; continue; }
      const n = s[this.pos++];
      const simple: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };
      if (n in simple) out += simple[n];
      else if (n === "x") {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(this.pos, this.pos + 2));
        if (m) { out += String.fromCharCode(parseInt(m[0], 16)); this.pos += m[0].length; } else out += "\\x";
      } else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(this.pos - 1, this.pos + 2))!;
        out += String.fromCharCode(parseInt(m[0], 8) & 255);
        this.pos += m[0].length - 1;
      } else if (n === "c" && this.pos < s.length) {
        out += String.fromCharCode(s.charCodeAt(this.pos++) & 31);
      } else out += "\\" + (n ?? "");
    }
    if (this.pos >= s.length) this.fail("unterminated quoted string", true);
    this.pos++;
    return out;
  }

  /** After "${". */
  private readBrace(inDq: boolean): Part {
    const s = this.src;
    const missing = () => this.fail("missing '}'", true);
    let name = "";
    let op = "";
    // ${#}, ${#name}: the count of parameters, or a length.
    if (s[this.pos] === "#" && s[this.pos + 1] !== "}" && this.pos + 1 < s.length) {
      const m = /^(?:[A-Za-z_]\w*|\d+|[@*#?$!-])/.exec(s.slice(this.pos + 1, this.pos + 200));
      if (m && s[this.pos + 1 + m[0].length] === "}") {
        this.pos += 2 + m[0].length;
        return { k: "param", name: m[0], op: "len", colon: false };
      }
    }
    const m = /^(?:[A-Za-z_]\w*|\d+|[@*#?$!0-])/.exec(s.slice(this.pos, this.pos + 200));
    if (!m) {
      if (this.pos >= s.length) missing();
      this.failWord("bad substitution");
    }
    name = m[0];
    this.pos += name.length;
    const c = s[this.pos];
    if (c === undefined) missing();
    if (c === "}") {
      this.pos++;
      return { k: "param", name, op: "", colon: false };
    }
    let colon = false;
    if (c === ":" && "-=?+".includes(s[this.pos + 1] ?? "x")) {
      colon = true;
      this.pos++;
    }
    const d = s[this.pos];
    const untilBrace = (ch: string) => ch === "}";
    if ("-=?+".includes(d)) {
      this.pos++;
      const arg = this.readArg(untilBrace, inDq);
      return { k: "param", name, op: d, colon, arg };
    }
    if (d === "#" || d === "%") {
      op = s[this.pos + 1] === d ? d + d : d;
      this.pos += op.length;
      return { k: "param", name, op, colon: false, arg: this.readArg(untilBrace, false) };
    }
    if (d === "/") {
      op = "/";
      this.pos++;
      // busybox ash knows ${v/p/r} and ${v//p/r}; "#" and "%" anchors are plain pattern text there.
      if (s[this.pos] === "/") op += s[this.pos++];
      const arg = this.readArg((ch) => ch === "/" || ch === "}", false, true);
      let arg2: Word | undefined;
      if (s[this.pos - 1] === "/") arg2 = this.readArg(untilBrace, false);
      return { k: "param", name, op, colon: false, arg, arg2 };
    }
    if (d === ":") {
      this.pos++;
      const arg = this.readArg((ch) => ch === ":" || ch === "}", false, true);
      let arg2: Word | undefined;
      if (s[this.pos - 1] === ":") arg2 = this.readArg(untilBrace, false);
      return { k: "param", name, op: ":", colon: false, arg, arg2 };
    }
    this.failWord("bad substitution");
  }

  /** A word inside ${...}, up to (and past) a terminator; `keepStop` leaves the terminator seen at pos-1. */
  private readArg(stop: (c: string) => boolean, inDq: boolean, _keepStop = false): Word {
    const start = this.pos;
    const parts = this.readParts(stop, inDq);
    if (this.pos >= this.src.length) this.fail("missing '}'", true);
    const raw = this.src.slice(start, this.pos);
    this.pos++;
    return { parts, raw };
  }

  // ---- Here-documents ----

  private readHeredocs(): void {
    const docs = this.docs;
    this.docs = [];
    const s = this.src;
    for (const d of docs) {
      let body = "";
      for (;;) {
        if (this.pos >= s.length) break;
        let nl = s.indexOf("\n", this.pos);
        if (nl < 0) nl = s.length;
        let line = s.slice(this.pos, nl);
        this.pos = Math.min(nl + 1, s.length);
        if (d.strip) line = line.replace(/^\t+/, "");
        if (line === d.delim) break;
        body += line + "\n";
      }
      if (d.redir.docQuoted) d.redir.doc = { parts: [{ k: "sq", s: body }], raw: body };
      else {
        const sub = new Parser(body, 0, this.opts);
        sub.pos = 0;
        const parts = sub.readHereText();
        d.redir.doc = { parts, raw: body };
      }
    }
  }

  /** An unquoted here-document body: $, ` and \ work as in double quotes, but " is plain. */
  private readHereText(): Part[] {
    const s = this.src;
    const parts: Part[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ k: "lit", s: lit });
      lit = "";
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "\n") { this.pos += 2; continue; }
        if (n !== undefined && "$`\\".includes(n)) { flush(); parts.push({ k: "sq", s: n }); this.pos += 2; continue; }
        lit += c;
        this.pos++;
      } else if (c === "$") {
        const p = this.readDollar(true);
        if (p) { flush(); parts.push(p); } else lit += "$";
      } else if (c === "`") {
        flush();
        parts.push(this.readBackquote(true));
      } else { lit += c; this.pos++; }
    }
    flush();
    // Everything in a here-document is quoted: no splitting, no globbing.
    return [{ k: "dq", parts }];
  }

  // ---- Grammar ----

  /**
   * A list: and-or lists separated by ";" "&" (and newlines unless
   * `oneLine`), up to a list-ending keyword, ")", ";;", or end of input.
   */
  private parseList(oneLine: boolean, closer?: string): Node {
    const items: ListItem[] = [];
    for (;;) {
      if (!oneLine) this.skipNewlines();
      const t = this.peek();
      if (t.t === "eof" || t.t === "nl" || (t.t === "op" && (t.v === ")" || t.v === ";;" || t.v === ";&"))) break;
      if (t.t === "word" && LIST_END.has(t.v) && this.isKw(t)) break;
      const node = this.parseAndOr();
      const sep = this.peek();
      if (this.isOp(sep, ";") || this.isOp(sep, "&")) {
        this.next();
        items.push({ node, bg: sep.v === "&" });
        continue;
      }
      items.push({ node, bg: false });
      if (sep.t === "nl" && !oneLine) continue;
      break;
    }
    if (items.length === 0) {
      const t = this.peek();
      this.unexpected(t, t.t === "eof" ? closer : undefined);
    }
    return items.length === 1 && !items[0].bg ? items[0].node : { k: "list", items };
  }

  /** A compound list; `inSubst`: the body of $(...), which may be empty. */
  parseCompound(inSubst = false, closer?: string): Node {
    this.skipNewlines();
    if (inSubst && this.isOp(this.peek(), ")")) return { k: "list", items: [] };
    return this.parseList(false, closer);
  }

  private parseAndOr(): Node {
    const first = this.parsePipeline();
    const rest: [op: "&&" | "||", node: Node][] = [];
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, "&&") && !this.isOp(t, "||")) break;
      this.next();
      this.skipNewlines();
      rest.push([t.v as "&&" | "||", this.parsePipeline()]);
    }
    return rest.length ? { k: "andor", first, rest } : first;
  }

  private parsePipeline(): Node {
    let bang = false;
    const line = this.lineAt(this.peek().pos);
    while (this.isKw(this.peek(), "!")) {
      this.next();
      bang = !bang;
    }
    const cmds = [this.parseCommand()];
    while (this.isOp(this.peek(), "|")) {
      this.next();
      this.skipNewlines();
      cmds.push(this.parseCommand());
    }
    return cmds.length === 1 && !bang ? cmds[0] : { k: "pipe", cmds, bang, line };
  }

  /** Replace an alias name at the start of a command with its text. */
  private expandAlias(t: Token): boolean {
    const aliases = this.opts.aliases;
    if (!aliases || t.t !== "word" || !aliases.has(t.v)) return false;
    if (t.word!.parts.length !== 1 || t.word!.parts[0].k !== "lit") return false;
    this.activeAliases = this.activeAliases.filter((a) => a.end > t.pos);
    if (this.activeAliases.some((a) => a.name === t.v)) return false;
    const value = aliases.get(t.v)!;
    this.src = this.src.slice(0, t.pos) + value + this.src.slice(t.end);
    this.lineStarts = undefined;
    this.pos = t.pos;
    this.peeked = undefined;
    this.activeAliases.push({ name: t.v, end: t.pos + value.length });
    this.aliasNext = /[ \t]$/.test(value);
    return true;
  }

  private parseCommand(): Node {
    while (this.expandAlias(this.peek()));
    const t = this.peek();
    if (t.t === "op" && t.v === "(") {
      this.next();
      const body = this.parseCompound(false, ")");
      this.expectOp(")");
      return { k: "sub", body, redirs: this.parseRedirs() };
    }
    if (this.isKw(t)) {
      switch (t.v) {
        case "{": {
          this.next();
          const body = this.parseCompound(false, "}");
          this.expectKw("}");
          return { k: "group", body, redirs: this.parseRedirs() };
        }
        case "if": return this.parseIf();
        case "while":
        case "until": {
          this.next();
          const cond = this.parseCompound(false, "do");
          this.expectKw("do");
          const body = this.parseCompound(false, "done");
          this.expectKw("done");
          return { k: "loop", until: t.v === "until", cond, body, redirs: this.parseRedirs() };
        }
        case "for": return this.parseFor();
        case "case": return this.parseCase();
        case "[[": return this.parseDbrack();
        default:
          this.unexpected(t);
      }
    }
    return this.parseSimple();
  }

  private parseIf(): Node {
    this.next();
    const clauses: [Node, Node][] = [];
    let elseBody: Node | undefined;
    for (;;) {
      const cond = this.parseCompound(false, "then");
      this.expectKw("then");
      const body = this.parseCompound(false, "fi");
      clauses.push([cond, body]);
      const t = this.next();
      if (this.isKw(t, "elif")) continue;
      if (this.isKw(t, "else")) {
        elseBody = this.parseCompound(false, "fi");
        this.expectKw("fi");
      } else if (!this.isKw(t, "fi")) this.unexpected(t, "fi");
      break;
    }
    return { k: "if", clauses, else: elseBody, redirs: this.parseRedirs() };
  }

  private parseFor(): Node {
    const line = this.lineAt(this.next().pos);
    const nameTok = this.next();
    if (nameTok.t !== "word" || !NAME_RE.test(nameTok.v)) {
      if (nameTok.t === "eof") this.unexpected(nameTok);
      this.fail("bad for loop variable");
    }
    let words: Word[] | undefined;
    this.skipNewlines();
    if (this.isKw(this.peek(), "in")) {
      this.next();
      words = [];
      for (let t = this.peek(); t.t === "word" || t.t === "io"; t = this.peek()) words.push(this.next().word!);
      const sep = this.peek();
      if (this.isOp(sep, ";") || sep.t === "nl") this.next();
      else this.unexpected(sep);
    } else if (this.isOp(this.peek(), ";")) this.next();
    this.skipNewlines();
    this.expectKw("do");
    const body = this.parseCompound(false, "done");
    this.expectKw("done");
    return { k: "for", name: nameTok.v, words, body, redirs: this.parseRedirs(), line };
  }

  private parseCase(): Node {
    this.next();
    const wt = this.next();
    if (wt.t !== "word") this.unexpected(wt);
    this.skipNewlines();
    this.expectKw("in");
    const items: CaseItem[] = [];
    for (;;) {
      this.skipNewlines();
      let t = this.peek();
      if (this.isKw(t, "esac")) { this.next(); break; }
      if (this.isOp(t, "(")) { this.next(); t = this.peek(); }
      const pats: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.t !== "word" && p.t !== "io") this.unexpected(p, ")");
        pats.push(p.word!);
        const sep = this.next();
        if (this.isOp(sep, ")")) break;
        if (!this.isOp(sep, "|")) this.unexpected(sep, ")");
      }
      this.skipNewlines();
      const e = this.peek();
      let body: Node | undefined;
      if (!this.isOp(e, ";;") && !this.isOp(e, ";&") && !this.isKw(e, "esac")) body = this.parseList(false);
      const end = this.peek();
      const item: CaseItem = { pats, body, fall: false };
      items.push(item);
      if (this.isOp(end, ";;") || this.isOp(end, ";&")) {
        this.next();
        item.fall = end.v === ";&";
        continue;
      }
      this.expectKw("esac");
      break;
    }
    return { k: "case", word: wt.word!, items, redirs: this.parseRedirs() };
  }

  private parseDbrack(): Node {
    const line = this.lineAt(this.next().pos);
    const words: Word[] = [];
    for (;;) {
      const t = this.next();
      if (t.t === "eof") this.unexpected(t, "]]");
      if (t.t === "nl") continue;
      if (t.t === "word" && t.v === "]]") break;
      words.push(t.word ?? { parts: [{ k: "lit", s: t.v }], raw: t.v });
    }
    return { k: "dbrack", words, redirs: this.parseRedirs(), line };
  }

  private parseRedirs(): Redir[] {
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === "io" || (t.t === "op" && /^[<>]/.test(t.v))) redirs.push(this.parseRedir());
      else return redirs;
    }
  }

  private parseRedir(): Redir {
    let t = this.next();
    let fd: number | undefined;
    if (t.t === "io") {
      fd = Number(t.v);
      t = this.next();
    }
    const target = this.next();
    if (target.t !== "word") this.unexpected(target);
    const r: Redir = { fd, op: t.v, target: target.word! };
    if (t.v === "<<" || t.v === "<<-") {
      const raw = target.v;
      r.docQuoted = /['"\\]/.test(raw);
      const delim = target.word!.parts.map(partText).join("");
      this.docs.push({ redir: r, delim, strip: t.v === "<<-" });
    }
    return r;
  }

  private parseSimple(): Node {
    const first = this.peek();
    const line = this.lineAt(first.pos);
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      if (this.aliasNext && words.length === 0) {
        this.aliasNext = false;
      } else if (this.aliasNext) {
        this.aliasNext = false;
        while (this.expandAlias(this.peek()));
      }
      const t = this.peek();
      if (t.t === "io" || (t.t === "op" && /^[<>]/.test(t.v))) {
        redirs.push(this.parseRedir());
        continue;
      }
      if (t.t !== "word") break;
      if (words.length === 0 && assigns.length === 0 && redirs.length === 0 && this.isKw(t) && t.v !== "in") {
        // A reserved word where a command starts.
        this.unexpected(t);
      }
      this.next();
      const w = t.word!;
      const eq = words.length === 0 ? assignmentSplit(w) : undefined;
      if (eq) {
        assigns.push(eq);
        continue;
      }
      words.push(w);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0 && this.isOp(this.peek(), "(")) {
        return this.parseFunction(w, line);
      }
    }
    if (words.length === 0 && assigns.length === 0 && redirs.length === 0) this.unexpected(this.peek());
    return { k: "simple", assigns, words, redirs, line };
  }

  private parseFunction(nameWord: Word, line: number): Node {
    this.next();
    this.expectOp(")");
    const name = nameWord.raw;
    if (!/^[^\s$`'"\\|&;<>()]+$/.test(name)) this.fail("bad function name");
    this.skipNewlines();
    const body = this.parseCommand();
    return { k: "func", name, body, line };
  }
}

/** Text of a part with quotes removed and nothing expanded (here-document delimiters). */
function partText(p: Part): string {
  switch (p.k) {
    case "lit":
    case "sq":
      return p.s;
    case "dq":
      return p.parts.map(partText).join("");
    case "param":
      return "$" + p.name;
    default:
      return "";
  }
}

/** NAME=value as an assignment: the name must be unquoted literal text. */
function assignmentSplit(w: Word): { name: string; value: Word } | undefined {
  const p0 = w.parts[0];
  if (!p0 || p0.k !== "lit") return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(p0.s);
  if (!m) return undefined;
  const restLit = p0.s.slice(m[0].length);
  const parts: Part[] = restLit ? [{ k: "lit", s: restLit }, ...w.parts.slice(1)] : w.parts.slice(1);
  return { name: m[1], value: { parts, raw: w.raw.slice(m[0].length) } };
}

export function isName(s: string): boolean {
  return NAME_RE.test(s);
}
