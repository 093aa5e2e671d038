// POSIX regular expressions (basic and extended, with the GNU extensions that
// glibc's regcomp accepts and busybox-static therefore has) translated to
// JavaScript RegExp. Used by grep, sed, awk, expr, find and others.
//
// The pattern is parsed the way glibc parses it (same context rules for "*",
// "^", "$", intervals and groups, same error messages), into a small tree that
// is then written out as JavaScript source. Bracket expressions become explicit
// byte sets, so "." and "[^...]" can be told not to match record separators
// (grep searches whole buffers of lines at once).
//
// Differences from POSIX that remain: JavaScript picks the first matching
// alternative where POSIX wants the longest ("ab\|abcd" matches "ab"); use
// longestMatch() where the extent of a match matters. Sub-match positions
// follow JavaScript's rules.
import { AppletError } from "./errors.ts";

export interface RegexOptions {
  /** ERE (grep -E, sed -E, awk) instead of BRE. */
  extended?: boolean;
  ignoreCase?: boolean;
  /** Add the "g" flag (for replace-all and repeated exec). */
  global?: boolean;
  /** ^ and $ match at embedded newlines (grep treats each line alone anyway). */
  multiline?: boolean;
  /**
   * Record separators (e.g. "\n", or "\n\0" for sed's lines, "\0" for grep -z):
   * nothing in the pattern matches them, and ^ and $ match next to them, so a
   * buffer of many records can be searched at once.
   */
  separators?: string;
  /**
   * GNU grep's dialect (re_compile_pattern with RE_SYNTAX_GREP/EGREP) instead
   * of regcomp's: a leading "*" or "+" in an ERE is ignored, "a**" is allowed
   * in a BRE, invalid ERE intervals are literal, a newline separates alternatives.
   */
  grep?: boolean;
  /** Add the "y" flag. */
  sticky?: boolean;
  /** REG_NOTBOL: "^" does not match at the start of the text (no separators only). */
  notbol?: boolean;
}

/** A pattern that regcomp would refuse; the message is "bad regex 'P': REASON", as BusyBox's xregcomp says. */
export class RegexError extends AppletError {
  constructor(readonly pattern: string, readonly reason: string) {
    super(`bad regex '${pattern}': ${reason}`);
    this.name = "RegexError";
  }
}

// glibc's regerror() texts.
const E = {
  BADPAT: "Invalid regular expression",
  ECOLLATE: "Invalid collation character",
  ECTYPE: "Invalid character class name",
  EESCAPE: "Trailing backslash",
  ESUBREG: "Invalid back reference",
  EBRACK: "Unmatched [, [^, [:, [., or [=",
  EPAREN: "Unmatched ( or \\(",
  EBRACE: "Unmatched \\{",
  BADBR: "Invalid content of \\{\\}",
  ERANGE: "Invalid range end",
  BADRPT: "Invalid preceding regular expression",
  ESIZE: "Regular expression too big",
};

const DUP_MAX = 0x7fff;

/** What parseRegex found out about a pattern besides its JavaScript source. */
export interface ParsedRegex {
  /** JavaScript source. */
  source: string;
  /** JavaScript flags (without g/y unless asked for). */
  flags: string;
  /** Number of capturing groups. */
  groups: number;
  /** The shortest text it can match (0: it can match the empty string). */
  minLength: number;
  /** Contains alternation (JavaScript may then find a shorter match than POSIX). */
  alternation: boolean;
  /** Contains \< \> \b \B (results depend on the text before the match). */
  wordAssertions: boolean;
  /** Contains back-references. */
  backrefs: boolean;
  /** Contains \< \> \b \B or \` (where the match may be depends on the text before it). */
  contextual: boolean;
  /** The pattern is a plain string (no operators at all), when it is one. */
  literal: string | null;
}

// ---------------------------------------------------------------------------
// The tree.

type Node =
  | { t: "char"; c: number }
  | { t: "set"; s: Uint8Array }
  | { t: "assert"; k: "bol" | "eol" | "bufbeg" | "bufend" | "wordbeg" | "wordend" | "wordb" | "nwordb" }
  | { t: "backref"; n: number }
  | { t: "group"; n: number; body: Node }
  | { t: "cat"; items: Node[] }
  | { t: "alt"; alts: Node[] }
  | { t: "repeat"; body: Node; min: number; max: number } // max -1: unbounded
  | { t: "empty" };

const EMPTY: Node = { t: "empty" };

// Byte classes of the C locale.
function classSet(name: string): Uint8Array | undefined {
  const s = new Uint8Array(256);
  const test: Record<string, (c: number) => boolean> = {
    alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
    digit: (c) => c >= 48 && c <= 57,
    alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
    upper: (c) => c >= 65 && c <= 90,
    lower: (c) => c >= 97 && c <= 122,
    space: (c) => c === 32 || (c >= 9 && c <= 13),
    blank: (c) => c === 32 || c === 9,
    punct: (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
    print: (c) => c >= 32 && c <= 126,
    graph: (c) => c >= 33 && c <= 126,
    cntrl: (c) => c < 32 || c === 127,
    xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  };
  const f = test[name];
  if (!f) return undefined;
  for (let c = 0; c < 256; c++) if (f(c)) s[c] = 1;
  return s;
}

const isWordByte = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

function wordSet(negate: boolean): Uint8Array {
  const s = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (isWordByte(c) !== negate) s[c] = 1;
  return s;
}

function spaceSet(negate: boolean): Uint8Array {
  const sp = classSet("space")!;
  if (negate) for (let c = 0; c < 256; c++) sp[c] ^= 1;
  return sp;
}

// ---------------------------------------------------------------------------
// The parser: glibc's parse_reg_exp / parse_branch / parse_expression.

type Tok =
  | { k: "char"; c: number }
  | { k: "any" }
  | { k: "bracket" }
  | { k: "alt" }
  | { k: "open" }
  | { k: "close" }
  | { k: "star" }
  | { k: "plus"; c: number }
  | { k: "qmark"; c: number }
  | { k: "opendup"; c: number }
  | { k: "closedup"; c: number }
  | { k: "anchor"; a: "bol" | "eol" | "bufbeg" | "bufend" | "wordbeg" | "wordend" | "wordb" | "nwordb" }
  | { k: "backref"; n: number }
  | { k: "cls"; s: Uint8Array }
  | { k: "backslash" }
  | { k: "end" };

class Parser {
  i = 0;
  tok: Tok = { k: "end" };
  tokStart = 0;
  groups = 0;
  completed = new Set<number>();
  alternation = false;
  wordAssertions = false;
  backrefs = false;
  bufbeg = false;

  constructor(
    readonly p: string,
    readonly ext: boolean,
    readonly grep: boolean,
  ) {}

  // Syntax bits, as in glibc.
  get contextInvalidDup() { return !this.ext && !this.grep; } // BRE regcomp: "a**" and leading "\{" are errors
  get contextIndepOps() { return this.ext; }
  get contextInvalidOps() { return this.ext && !this.grep; }
  get invalidIntervalOrd() { return this.ext && this.grep; }
  get newlineAlt() { return this.grep; }

  fail(reason: string): never {
    throw new RegexError(this.p, reason);
  }

  /** peek_token + skip: read the next token; caretHere: "^" is an anchor here (after "\(" or "\|"). */
  fetch(caretHere = false): void {
    const p = this.p;
    this.tokStart = this.i;
    if (this.i >= p.length) { this.tok = { k: "end" }; return; }
    const c = p.charCodeAt(this.i);
    const ch = p[this.i];
    this.i++;
    if (ch === "\\") {
      if (this.i >= p.length) { this.tok = { k: "backslash" }; return; }
      const n = p[this.i];
      const nc = p.charCodeAt(this.i);
      this.i++;
      if (!this.ext) {
        if (n === "(") { this.tok = { k: "open" }; return; }
        if (n === ")") { this.tok = { k: "close" }; return; }
        if (n === "{") { this.tok = { k: "opendup", c: nc }; return; }
        if (n === "}") { this.tok = { k: "closedup", c: nc }; return; }
        if (n === "+") { this.tok = { k: "plus", c: nc }; return; }
        if (n === "?") { this.tok = { k: "qmark", c: nc }; return; }
        if (n === "|") { this.tok = { k: "alt" }; return; }
      }
      if (n >= "1" && n <= "9") { this.tok = { k: "backref", n: nc - 48 }; return; }
      switch (n) {
        case "<": this.tok = { k: "anchor", a: "wordbeg" }; return;
        case ">": this.tok = { k: "anchor", a: "wordend" }; return;
        case "b": this.tok = { k: "anchor", a: "wordb" }; return;
        case "B": this.tok = { k: "anchor", a: "nwordb" }; return;
        case "`": this.tok = { k: "anchor", a: "bufbeg" }; return;
        case "'": this.tok = { k: "anchor", a: "bufend" }; return;
        case "w": this.tok = { k: "cls", s: wordSet(false) }; return;
        case "W": this.tok = { k: "cls", s: wordSet(true) }; return;
        case "s": this.tok = { k: "cls", s: spaceSet(false) }; return;
        case "S": this.tok = { k: "cls", s: spaceSet(true) }; return;
      }
      this.tok = { k: "char", c: nc };
      return;
    }
    switch (ch) {
      case "\n":
        if (this.newlineAlt) { this.tok = { k: "alt" }; return; }
        break;
      case "|":
        if (this.ext) { this.tok = { k: "alt" }; return; }
        break;
      case "*":
        this.tok = { k: "star" };
        return;
      case "+":
        if (this.ext) { this.tok = { k: "plus", c }; return; }
        break;
      case "?":
        if (this.ext) { this.tok = { k: "qmark", c }; return; }
        break;
      case "{":
        if (this.ext) { this.tok = { k: "opendup", c }; return; }
        break;
      case "}":
        if (this.ext) { this.tok = { k: "closedup", c }; return; }
        break;
      case "(":
        if (this.ext) { this.tok = { k: "open" }; return; }
        break;
      case ")":
        if (this.ext) { this.tok = { k: "close" }; return; }
        break;
      case "[":
        this.tok = { k: "bracket" };
        return;
      case ".":
        this.tok = { k: "any" };
        return;
      case "^": {
        const at = this.i - 1;
        if (!this.ext && !caretHere && at !== 0) {
          if (!(this.newlineAlt && p[at - 1] === "\n")) break;
        }
        this.tok = { k: "anchor", a: "bol" };
        return;
      }
      case "$": {
        if (!this.ext && this.i !== p.length) {
          // An anchor only before "\|", "\)" (or a newline that separates alternatives).
          const save = this.i;
          const saveTok = this.tokStart;
          this.fetch();
          const next = this.tok;
          this.i = save;
          this.tokStart = saveTok;
          if (next.k !== "alt" && next.k !== "close") break;
        }
        this.tok = { k: "anchor", a: "eol" };
        return;
      }
    }
    this.tok = { k: "char", c };
  }

  parse(): Node {
    this.fetch(true);
    const tree = this.regExp(0);
    if (this.tok.k !== "end") this.fail(E.EPAREN);
    return tree;
  }

  regExp(nest: number): Node {
    const alts: Node[] = [this.branch(nest)];
    while (this.tok.k === "alt") {
      this.fetch(true);
      const t = this.tok;
      if (t.k !== "alt" && t.k !== "end" && (nest === 0 || t.k !== "close")) alts.push(this.branch(nest));
      else alts.push(EMPTY);
    }
    if (alts.length === 1) return alts[0];
    this.alternation = true;
    return { t: "alt", alts };
  }

  branch(nest: number): Node {
    const items: Node[] = [];
    for (;;) {
      const t = this.tok;
      if (t.k === "alt" || t.k === "end" || (nest !== 0 && t.k === "close")) break;
      const e = this.expression(nest);
      if (e) items.push(e);
    }
    if (items.length === 0) return EMPTY;
    if (items.length === 1) return items[0];
    return { t: "cat", items };
  }

  expression(nest: number): Node | null {
    const t = this.tok;
    let tree: Node;
    switch (t.k) {
      case "char":
        tree = { t: "char", c: t.c };
        break;
      case "any": {
        const s = new Uint8Array(256).fill(1);
        tree = { t: "set", s };
        break;
      }
      case "cls":
        tree = { t: "set", s: t.s };
        break;
      case "bracket":
        tree = { t: "set", s: this.bracket() };
        break;
      case "anchor":
        if (t.a === "wordbeg" || t.a === "wordend" || t.a === "wordb" || t.a === "nwordb") this.wordAssertions = true;
        if (t.a === "bufbeg") this.bufbeg = true;
        // Anchors are never repeated: "^*" is "^" and a literal "*" (or an error in an ERE).
        this.fetch();
        return { t: "assert", k: t.a };
      case "backref":
        if (!this.completed.has(t.n)) this.fail(E.ESUBREG);
        this.backrefs = true;
        tree = { t: "backref", n: t.n };
        break;
      case "open": {
        const n = ++this.groups;
        this.fetch(true);
        let body: Node = EMPTY;
        if (this.tok.k !== "close") {
          body = this.regExp(nest + 1);
          if ((this.tok as Tok).k !== "close") this.fail(E.EPAREN);
        }
        this.completed.add(n);
        tree = { t: "group", n, body };
        break;
      }
      case "opendup":
        if (this.contextInvalidDup) this.fail(E.BADRPT);
      // fallthrough
      case "star":
      case "plus":
      case "qmark":
        if (this.contextInvalidOps) this.fail(E.BADRPT);
        if (this.contextIndepOps) {
          this.fetch();
          return this.expression(nest);
        }
        tree = { t: "char", c: t.k === "star" ? 42 : (t as { c: number }).c };
        break;
      case "close":
        if (!this.ext) this.fail(E.EPAREN); // regcomp reports an unmatched ")" as EPAREN too
        tree = { t: "char", c: 41 };
        break;
      case "closedup":
        tree = { t: "char", c: t.c };
        break;
      case "backslash":
        this.fail(E.EESCAPE);
      // eslint-disable-next-line no-fallthrough
      case "alt":
      case "end":
        return null;
    }
    this.fetch();
    for (;;) {
      const d = this.tok;
      if (d.k !== "star" && d.k !== "plus" && d.k !== "qmark" && d.k !== "opendup") break;
      const r = this.dup(tree);
      if (r === null) break; // an invalid interval taken literally (grep -E)
      tree = r;
      if (this.contextInvalidDup && (this.tok.k === "star" || this.tok.k === "opendup")) this.fail(E.BADRPT);
    }
    return tree;
  }

  /** parse_dup_op: the current token is a repetition operator after `elem`. */
  dup(elem: Node): Node | null {
    const t = this.tok;
    let min: number;
    let max: number;
    if (t.k === "opendup") {
      const startIdx = this.i;
      const startTokStart = this.tokStart;
      let [start, stok] = this.fetchNumber();
      let end = 0;
      if (start === -1) {
        if (stok.k === "char" && stok.c === 44) start = 0; // "{,n}" is "{0,n}"
        else this.fail(E.BADBR);
      }
      if (start !== -2) {
        if (stok.k === "closedup") end = start;
        else if (stok.k === "char" && stok.c === 44) {
          const [n] = this.fetchNumber();
          end = n;
        } else end = -2;
      }
      if (start === -2 || end === -2) {
        if (!this.invalidIntervalOrd) {
          if (this.tok.k === "end") this.fail(E.EBRACE);
          this.fail(E.BADBR);
        }
        // Roll back: the "{" is an ordinary character.
        this.i = startIdx;
        this.tokStart = startTokStart;
        this.tok = { k: "char", c: (t as { c: number }).c };
        return null;
      }
      if ((end !== -1 && start > end) || this.tok.k !== "closedup") this.fail(E.BADBR);
      if ((end === -1 ? start : end) > DUP_MAX) this.fail(E.ESIZE);
      min = start;
      max = end;
    } else {
      min = t.k === "plus" ? 1 : 0;
      max = t.k === "qmark" ? 1 : -1;
    }
    this.fetch();
    return { t: "repeat", body: elem, min, max };
  }

  /** fetch_number: digits up to "," or the closing brace; -1 none, -2 invalid. */
  fetchNumber(): [number, Tok] {
    let num = -1;
    for (;;) {
      this.fetch();
      const t = this.tok;
      if (t.k === "end") return [-2, t];
      const c = t.k === "char" ? t.c : -1;
      if (t.k === "closedup" || c === 44) return [num, t];
      num = t.k !== "char" || c < 48 || c > 57 || num === -2 ? -2 : num === -1 ? c - 48 : Math.min(DUP_MAX + 1, num * 10 + c - 48);
    }
  }

  /** A bracket expression; this.i is just after "[". */
  bracket(): Uint8Array {
    const p = this.p;
    const set = new Uint8Array(256);
    let negate = false;
    if (p[this.i] === "^") { negate = true; this.i++; }
    let first = true;
    // One element: a byte, or a class (returned as a set, which cannot be a range end).
    const element = (): number | Uint8Array => {
      if (this.i >= p.length) this.fail(E.EBRACK);
      const c = p[this.i];
      if (c === "[" && this.i + 1 < p.length && (p[this.i + 1] === ":" || p[this.i + 1] === "=" || p[this.i + 1] === ".")) {
        const kind = p[this.i + 1];
        let j = this.i + 2;
        let name = "";
        for (;; j++) {
          if (name.length >= 32 || j >= p.length - 1) this.fail(E.EBRACK);
          if (p[j] === kind && p[j + 1] === "]") break;
          name += p[j];
        }
        this.i = j + 2;
        if (kind === ":") {
          const s = classSet(name);
          if (!s) this.fail(E.ECTYPE);
          return s;
        }
        if (name.length !== 1) this.fail(E.ECOLLATE);
        if (kind === "=") {
          const s = new Uint8Array(256);
          s[name.charCodeAt(0)] = 1;
          return s;
        }
        return name.charCodeAt(0);
      }
      this.i++;
      return c.charCodeAt(0);
    };
    for (;;) {
      if (this.i >= p.length) this.fail(E.EBRACK);
      if (p[this.i] === "]" && !first) { this.i++; break; }
      first = false;
      const startIsColl = p[this.i] === "[" && p[this.i + 1] === ".";
      const a = element();
      if (typeof a !== "number") {
        if (p[this.i] === "-" && p[this.i + 1] !== "]" && this.i + 1 < p.length) this.fail(E.ERANGE);
        for (let c = 0; c < 256; c++) if (a[c]) set[c] = 1;
        continue;
      }
      void startIsColl;
      if (p[this.i] === "-" && this.i + 1 < p.length && p[this.i + 1] !== "]") {
        this.i++;
        const b = element();
        if (typeof b !== "number") this.fail(E.ERANGE);
        if (a > b) this.fail(E.ERANGE);
        for (let c = a; c <= b; c++) set[c] = 1;
        if (p[this.i] === "-" && this.i + 1 < p.length && p[this.i + 1] !== "]") this.fail(E.ERANGE);
        continue;
      }
      set[a] = 1;
    }
    if (negate) for (let c = 0; c < 256; c++) set[c] ^= 1;
    return set;
  }
}

// ---------------------------------------------------------------------------
// Writing the tree out as JavaScript.

const JS_SPECIAL = new Set([..."\\^$.|?*+()[]{}/-"]);

function litChar(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 32) return String.fromCharCode(c);
  const ch = String.fromCharCode(c);
  if (c > 32 && c < 127 && JS_SPECIAL.has(ch)) return "\\" + ch;
  if (c > 32 && c < 127) return ch;
  return "\\x" + c.toString(16).padStart(2, "0");
}

function classChar(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return String.fromCharCode(c);
  return "\\x" + c.toString(16).padStart(2, "0");
}

function setSource(s: Uint8Array): string {
  let count = 0;
  for (let c = 0; c < 256; c++) count += s[c];
  if (count === 256) return "[^]";
  if (count === 0) return "[]";
  if (count === 1) return litChar(s.indexOf(1));
  const negate = count > 128;
  let out = "";
  for (let c = 0; c < 256; ) {
    if (!!s[c] === negate) { c++; continue; }
    let d = c;
    while (d + 1 < 256 && !!s[d + 1] !== negate) d++;
    out += d === c ? classChar(c) : d === c + 1 ? classChar(c) + classChar(d) : `${classChar(c)}-${classChar(d)}`;
    c = d + 1;
  }
  return `[${negate ? "^" : ""}${out}]`;
}

interface EmitOptions {
  /** Record separator bytes, excluded from every set. */
  seps: number[];
  /** ^ and $ are written as JS ^ $ with the m flag (separators exactly "\n"). */
  mflag: boolean;
  /** "^" never matches (REG_NOTBOL on a text with no separators). */
  notbol: boolean;
  /** With separators: the bytes next to which ^ and $ match (the separators, and "\n" if multiline). */
  anchorAt: number[];
}

function emit(n: Node, o: EmitOptions): string {
  switch (n.t) {
    case "char":
      return litChar(n.c);
    case "set": {
      let s = n.s;
      if (o.seps.length) {
        s = s.slice();
        for (const c of o.seps) s[c] = 0;
      }
      return setSource(s);
    }
    case "assert":
      switch (n.k) {
        case "bol":
          if (o.notbol && !o.seps.length) return "(?!)";
          if (o.mflag || !o.seps.length) return "^";
          return `(?<![^${o.anchorAt.map(classChar).join("")}])`;
        case "eol":
          if (o.mflag || !o.seps.length) return "$";
          return `(?![^${o.anchorAt.map(classChar).join("")}])`;
        case "bufbeg":
          if (o.seps.length) return emit({ t: "assert", k: "bol" }, o);
          return "(?<![^])";
        case "bufend":
          if (o.seps.length) return emit({ t: "assert", k: "eol" }, o);
          return "(?![^])";
        case "wordbeg":
          return "\\b(?=\\w)";
        case "wordend":
          return "\\b(?<=\\w)";
        case "wordb":
          return "\\b";
        case "nwordb":
          return "\\B";
      }
      break;
    case "backref":
      return `\\${n.n}`;
    case "group":
      return `(${emit(n.body, o)})`;
    case "cat":
      return n.items.map((x) => (x.t === "alt" ? `(?:${emit(x, o)})` : emit(x, o))).join("");
    case "alt":
      return n.alts.map((x) => emit(x, o)).join("|");
    case "empty":
      return "";
    case "repeat": {
      const body = emit(n.body, o);
      const atom =
        n.body.t === "char" || n.body.t === "group" || n.body.t === "backref" || (n.body.t === "set")
          ? body
          : `(?:${body})`;
      const q =
        n.min === 0 && n.max === -1 ? "*"
        : n.min === 1 && n.max === -1 ? "+"
        : n.min === 0 && n.max === 1 ? "?"
        : n.max === -1 ? `{${n.min},}`
        : n.min === n.max ? `{${n.min}}`
        : `{${n.min},${n.max}}`;
      return atom + q;
    }
  }
  return "";
}

function minLength(n: Node): number {
  switch (n.t) {
    case "char":
    case "set":
      return 1;
    case "group":
      return minLength(n.body);
    case "cat":
      return n.items.reduce((s, x) => s + minLength(x), 0);
    case "alt":
      return Math.min(...n.alts.map(minLength));
    case "repeat":
      return n.min * minLength(n.body);
    default:
      return 0;
  }
}

function literalOf(n: Node): string | null {
  if (n.t === "char") return String.fromCharCode(n.c);
  if (n.t === "cat" && n.items.every((x) => x.t === "char")) return n.items.map((x) => String.fromCharCode((x as { c: number }).c)).join("");
  return null;
}

/** Parse a POSIX regular expression; a bad one throws RegexError with glibc's wording. */
export function parseRegex(pattern: string, o: RegexOptions = {}): ParsedRegex {
  const parser = new Parser(pattern, !!o.extended, !!o.grep);
  const tree = parser.parse();
  const seps = [...(o.separators ?? "")].map((c) => c.charCodeAt(0));
  const mflag = o.separators === "\n";
  const anchorAt = o.multiline && !seps.includes(10) ? [...seps, 10] : seps;
  const source = emit(tree, { seps, mflag, notbol: !!o.notbol, anchorAt });
  const flags = (o.ignoreCase ? "i" : "") + (o.global ? "g" : "") + (o.multiline || mflag ? "m" : "") + (o.sticky ? "y" : "");
  return {
    source: source === "" ? "(?:)" : source,
    flags,
    groups: parser.groups,
    minLength: minLength(tree),
    alternation: parser.alternation,
    wordAssertions: parser.wordAssertions,
    backrefs: parser.backrefs,
    contextual: parser.wordAssertions || parser.bufbeg,
    literal: literalOf(tree),
  };
}

/** The JavaScript source of a POSIX regular expression. */
export function translateRegex(p: string, extended = false): string {
  return parseRegex(p, { extended }).source;
}

/** Compile a POSIX regex; a bad pattern throws RegexError ("bad regex 'P': REASON"). */
export function compileRegex(pattern: string, o: RegexOptions = {}): RegExp {
  const r = parseRegex(pattern, o);
  return new RegExp(r.source, r.flags);
}

/**
 * POSIX leftmost-longest: given that `re` (global or sticky, compiled from
 * `parsed`) matched `text` at `start` with length `len`, the end of the
 * longest match at `start`, not beyond `limit`. Only patterns with
 * alternation can need it; others return start + len.
 */
export function longestMatch(parsed: ParsedRegex, anchored: RegExp, text: string, start: number, len: number, limit: number): number {
  if (!parsed.alternation || start + len >= limit) return start + len;
  // Try longer candidates, longest first, on the text cut at the candidate end.
  for (let end = limit; end > start + len; end--) {
    anchored.lastIndex = start;
    const m = anchored.exec(text.slice(0, end));
    if (m && m.index === start && start + m[0].length === end) return end;
  }
  return start + len;
}

/** The sticky, end-anchored companion regex that longestMatch() needs. */
export function anchoredRegex(parsed: ParsedRegex): RegExp {
  return new RegExp(`(?:${parsed.source})(?![^])`, parsed.flags.replace(/[gmy]/g, "") + "y");
}
