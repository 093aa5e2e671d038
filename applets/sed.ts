// sed: the stream editor, as BusyBox has it (same parsing rules, messages and
// quirks), plus the GNU commands and addresses BusyBox lacks: l, q/Q with an
// exit code, R, W, first~step, addr1,~N, 0,/re/, and -s.
//
// Lines end at "\n" or at a NUL byte, as in BusyBox; each line's own ending is
// written back after it (none for a last line without one). Input streams
// through a line reader; a script that is one s/// command with no address
// takes a fast path that edits whole buffers of lines at once.
import * as fs from "node:fs";
import { defineApplet, operandPath, warn, type Context } from "../lib/applet.ts";
import { FileOut, LineReader, NO_EOL, OutBuf, openChunks, type Input } from "../lib/bufio.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { optionOrder } from "../lib/options.ts";
import { longestMatch, anchoredRegex, parseRegex, type ParsedRegex } from "../lib/regex.ts";

// get_next_line's "how did the line end": 10 ("\n"), 0 (NUL), or:
const LAST_IS_NUL = -2; // a NUL that was the last byte of the input

const SEMICOLON_WHITESPACE = "; \n\r\t\v";
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";

class SedError extends AppletError {}
const die = (msg: string): never => {
  throw new SedError(msg, 1);
};

// ---------------------------------------------------------------------------
// Compiled pieces.

interface Rx {
  pattern: string;
  extended: boolean;
  icase: boolean;
  parsed: ParsedRegex;
  /** Global, for searching from an index. */
  g: RegExp;
  /** Not global: replace() of the first match. */
  one?: RegExp;
  /** With REG_NOTBOL, for searching the rest of a line on its own (contextual patterns). */
  notbol?: RegExp;
  anchored?: RegExp;
}

function compileRx(pattern: string, extended: boolean, icase: boolean): Rx {
  const parsed = parseRegex(pattern, { extended, ignoreCase: icase, global: true });
  const rx: Rx = { pattern, extended, icase, parsed, g: new RegExp(parsed.source, parsed.flags) };
  if (parsed.contextual) {
    const nb = parseRegex(pattern, { extended, ignoreCase: icase, global: true, notbol: true });
    rx.notbol = new RegExp(nb.source, nb.flags);
  }
  if (parsed.alternation) rx.anchored = anchoredRegex(parsed);
  return rx;
}

function rxTest(rx: Rx, s: string): boolean {
  rx.g.lastIndex = 0;
  return rx.g.test(s);
}

/** A match: start, end, and the groups. */
interface Match {
  s: number;
  e: number;
  m: RegExpExecArray;
}

/** regexec() on s from `from`, with REG_NOTBOL when from > 0 (BusyBox searches the rest of the line alone). */
function rxExec(rx: Rx, s: string, from: number): Match | null {
  let m: RegExpExecArray | null;
  let off = 0;
  if (rx.notbol && from > 0) {
    // Contextual patterns see only the rest of the line, as regexec would.
    rx.notbol.lastIndex = 0;
    m = rx.notbol.exec(s.slice(from));
    off = from;
  } else {
    rx.g.lastIndex = from;
    m = rx.g.exec(s);
  }
  if (!m) return null;
  const start = m.index + off;
  let end = start + m[0].length;
  if (rx.anchored) {
    const longest = longestMatch(rx.parsed, rx.anchored, s, start, m[0].length, s.length);
    if (longest !== end) {
      rx.anchored.lastIndex = start;
      const m2 = rx.anchored.exec(s.slice(0, longest));
      if (m2) {
        m = m2;
        m.index = start - off;
        end = longest;
      }
    }
  }
  return { s: start, e: end, m };
}

type ReplPart = string | number; // literal text, or a group number (0: the whole match)

/** The replacement after BusyBox's escape processing: \N groups, & the match, \c the character c. */
function compileReplacement(r: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = "";
  for (let i = 0; i < r.length; i++) {
    const c = r[i];
    if (c === "\\") {
      const n = r[++i];
      if (n === undefined) break;
      if (n >= "0" && n <= "9") {
        if (lit) parts.push(lit), (lit = "");
        parts.push(n.charCodeAt(0) - 48);
        continue;
      }
      lit += n;
      continue;
    }
    if (c === "&") {
      if (lit) parts.push(lit), (lit = "");
      parts.push(0);
      continue;
    }
    lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

/** The same replacement as a template for String.prototype.replace. */
function jsTemplate(parts: ReplPart[], groups: number): string {
  let t = "";
  for (const part of parts) {
    if (typeof part === "string") t += part.replace(/\$/g, "$$$$");
    else if (part === 0) t += "$&";
    else if (part <= groups) t += "$0" + part;
  }
  return t;
}

function expand(parts: ReplPart[], m: RegExpExecArray): string {
  if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
  let out = "";
  for (const p of parts) out += typeof p === "string" ? p : (m[p] ?? "");
  return out;
}

// ---------------------------------------------------------------------------
// Output.

/** Where text goes: stdout, the -i temporary file, a w file. Tracks the last character written. */
interface Sink {
  push(s: string): void;
  /** last_puts_char: 10 or 0 if the output ends a line, else something else. */
  lpc: number;
}

const X = 120; // "x": the output does not end a line

/** puts_maybe_newline(): a line and its ending, after a "\n" if the output so far ends mid-line. */
function putsLine(sink: Sink, s: string, gc: number): void {
  let lpc = sink.lpc;
  if (lpc !== 10 && lpc !== 0) {
    sink.push("\n");
    lpc = 10;
  }
  sink.push(s);
  if (s.length) lpc = X;
  if (gc === LAST_IS_NUL) {
    sink.push("\0");
    lpc = X;
  } else if (gc !== NO_EOL) {
    sink.push(gc === 0 ? "\0" : "\n");
    lpc = gc;
  }
  sink.lpc = lpc;
}

// ---------------------------------------------------------------------------
// Commands.

interface Cmd {
  cmd: string;
  begLine: number; // 0: none, -1: $, -2: a numeric start already used up
  begLineOrig: number;
  endLine: number; // 0: none, -1: $, <= -2: +N (as -2-N) until first matched
  endLineOrig: number;
  begMatch?: Rx;
  endMatch?: Rx;
  /** GNU first~step. */
  step?: number;
  first?: number;
  /** GNU addr1,~N. */
  endMultiple?: number;
  /** GNU 0,/re/: the range is open before the first line. */
  zeroStart?: boolean;
  invert: boolean;
  inMatch: boolean;
  // s
  sub?: Rx;
  repl?: ReplPart[];
  whichMatch: number;
  subP: boolean;
  // a i c r w b t T : R W
  string?: string;
  file?: Sink & { flush?: () => void };
  /** s: the JavaScript replacement template, for the regex it was made for. */
  tpl?: { rx: Rx; template: string };
  // y
  ymap?: Map<string, string>;
  // q Q l
  num?: number;
  /** No address at all: every line. */
  noAddr: boolean;
}

function newCmd(): Cmd {
  // Every field set, so that all commands share one shape.
  return {
    cmd: "", begLine: 0, begLineOrig: 0, endLine: 0, endLineOrig: 0, begMatch: undefined, endMatch: undefined,
    step: undefined, first: undefined, endMultiple: undefined, zeroStart: undefined, invert: false, inMatch: false,
    sub: undefined, repl: undefined, whichMatch: 1, subP: false, string: undefined, file: undefined, tpl: undefined,
    ymap: undefined, num: undefined, noAddr: false,
  };
}

/** strcpy, replacing "\from" with `to`; with to === "" replacing "\any" with "any" (BusyBox's parse_escapes). */
function parseEscapes(s: string, from: string, to: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    if (s[i] === "\\") {
      if (!to || s[i + 1] === from) {
        const c = to || s[i + 1];
        if (c === undefined) return out;
        out += c;
        i += 2;
        continue;
      }
      out += "\\";
      i++;
      if (i >= s.length) return out;
    }
    out += s[i++];
  }
  return out;
}

function copyParsingEscapes(s: string, delim: string): string {
  s = parseEscapes(s, "n", "\n");
  s = parseEscapes(s, "t", "\t");
  s = parseEscapes(s, "r", "\r");
  if (delim) s = parseEscapes(s, delim, delim);
  return s;
}

/** Index of the next unescaped delimiter; a negative sense (brackets=false) disables [...] tracking. */
function indexOfDelim(delim: string, str: string, from: number, brackets: boolean): number {
  let bracket = brackets ? -1 : -2;
  let escaped = false;
  for (let idx = from; idx < str.length; idx++) {
    const ch = str[idx];
    if (bracket >= 0) {
      if (ch === "]" && !(bracket === idx - 1 || (bracket === idx - 2 && str[idx - 1] === "^"))) bracket = -1;
    } else if (escaped) escaped = false;
    else if (ch === "\\") escaped = true;
    else if (bracket === -1 && ch === "[") bracket = idx;
    else if (ch === delim) return idx;
  }
  return die(`unmatched '${delim}'`);
}

class Script {
  cmds: Cmd[] = [];
  beQuiet = 0;
  extended = false;
  /** Regex most recently used, at parse time (for "//" addresses) and at run time. */
  prevRegex: Rx | undefined;
  private pendingLine: string | null = null;
  private wFiles = new Map<string, Sink & { flush: () => void }>();

  constructor(
    readonly ctx: Context,
    readonly stdoutSink: Sink,
    readonly stderrSink: Sink,
  ) {}

  /** add_cmd_block: a string that may hold several lines. */
  addBlock(text: string): void {
    for (const line of text.split("\n")) this.add(line);
  }

  /** add_cmd: one line of script; a line ending in an odd number of backslashes continues on the next. */
  add(line: string): void {
    let s = line;
    if (this.pendingLine !== null) s = this.pendingLine + "\n" + line;
    let n = s.length;
    while (n && s[n - 1] === "\\") n--;
    if ((s.length - n) & 1) {
      this.pendingLine = s.slice(0, -1);
      return;
    }
    this.pendingLine = null;
    let i = 0;
    while (i < s.length) {
      while (i < s.length && SEMICOLON_WHITESPACE.includes(s[i])) i++;
      if (i >= s.length) break;
      if (s[i] === "#") {
        if (s[i + 1] === "n") this.beQuiet++;
        const nl = s.slice(i).search(/[\n\r]/);
        if (nl < 0) break;
        i += nl;
        continue;
      }
      const cmd = newCmd();
      i = this.address(s, i, cmd, false);
      if (s[i] === ",") {
        i++;
        if (s[i] === "+" && /[0-9]/.test(s[i + 1] ?? "")) {
          const m = /^\d+/.exec(s.slice(i + 1))!;
          cmd.endLine = -2 - Math.min(Number(m[0]), 0x7ffffff0);
          i += 1 + m[0].length;
        } else if (s[i] === "~" && /[0-9]/.test(s[i + 1] ?? "")) {
          const m = /^\d+/.exec(s.slice(i + 1))!;
          cmd.endMultiple = Number(m[0]);
          i += 1 + m[0].length;
        } else {
          const j = this.address(s, i, cmd, true);
          if (j === i) die("no address after comma");
          i = j;
        }
        cmd.endLineOrig = cmd.endLine;
        if (cmd.zeroStart && !cmd.endMatch) cmd.zeroStart = false;
      } else cmd.zeroStart = false;
      while (isSpace(s[i])) i++;
      if (s[i] === "!") {
        cmd.invert = true;
        i++;
        while (isSpace(s[i])) i++;
      }
      if (i >= s.length) die("missing command");
      cmd.cmd = s[i++];
      cmd.noAddr = !cmd.begLine && !cmd.endLine && !cmd.begMatch && !cmd.endMatch && cmd.step === undefined && cmd.endMultiple === undefined && !cmd.zeroStart;
      i = this.args(cmd, s, i);
      this.cmds.push(cmd);
    }
  }

  /** Flush an unfinished line (a script that ends with a backslash). */
  finish(): void {
    if (this.pendingLine !== null) this.add("");
  }

  /** get_address: a number, $, /re/ or \cREc; returns the index after it. */
  private address(s: string, i: number, cmd: Cmd, second: boolean): number {
    const c = s[i];
    if (c !== undefined && c >= "0" && c <= "9") {
      const m = /^\d+/.exec(s.slice(i))!;
      const n = Math.min(Number(m[0]), 0x7fffffff);
      i += m[0].length;
      if (!second && s[i] === "~" && /[0-9]/.test(s[i + 1] ?? "")) {
        const st = /^\d+/.exec(s.slice(i + 1))!;
        cmd.step = Number(st[0]);
        // 0~0 would be line 0, which never comes (GNU refuses it too).
        if (n === 0 && cmd.step === 0) die("invalid usage of line address 0");
        i += 1 + st[0].length;
        cmd.first = n;
        return i;
      }
      if (second) cmd.endLine = n;
      else {
        cmd.begLine = cmd.begLineOrig = n;
        if (n === 0) cmd.zeroStart = true;
      }
      return i;
    }
    if (c === "$") {
      if (second) cmd.endLine = -1;
      else cmd.begLine = cmd.begLineOrig = -1;
      return i + 1;
    }
    if (c === "/" || c === "\\") {
      let delim = "/";
      let pos = i;
      if (c === "\\") delim = s[++pos] ?? "";
      pos++;
      const next = indexOfDelim(delim, s, pos, true);
      let rx: Rx;
      if (next !== pos) {
        rx = this.compile(copyParsingEscapes(s.slice(pos, next), ""), false);
        this.prevRegex = rx;
      } else {
        if (!this.prevRegex) die("no previous regexp");
        rx = this.prevRegex!;
      }
      if (second) cmd.endMatch = rx;
      else cmd.begMatch = rx;
      return next + 1;
    }
    return i;
  }

  private compile(pattern: string, icase: boolean): Rx {
    return compileRx(pattern, this.extended, icase);
  }

  /** parse_cmd_args. */
  private args(cmd: Cmd, s: string, i: number): number {
    const c = cmd.cmd;
    const twoAddr = () => cmd.endLine !== 0 || cmd.endMatch !== undefined || cmd.endMultiple !== undefined;
    switch (c) {
      case "s":
        return this.subst(cmd, s, i);
      case "a":
      case "i":
      case "c": {
        if (c !== "c" && twoAddr()) die(`command '${c}' uses only one address`);
        for (;;) {
          if (s[i] === "\n" || s[i] === "\\") {
            i++;
            break;
          }
          if (!isSpace(s[i])) break;
          i++;
        }
        const text = copyParsingEscapes(s.slice(i), "");
        cmd.string = parseEscapes(text, "", "");
        return s.length;
      }
      case "r":
      case "w":
      case "R":
      case "W": {
        if (c === "r" && twoAddr()) die(`command '${c}' uses only one address`);
        const [name, end] = fileArg(s, i);
        cmd.string = name;
        if (c === "w" || c === "W") cmd.file = this.wfile(name);
        return end;
      }
      case ":":
      case "b":
      case "t":
      case "T": {
        while (isSpace(s[i])) i++;
        let j = i;
        while (j < s.length && !SEMICOLON_WHITESPACE.includes(s[j])) j++;
        if (j > i) cmd.string = s.slice(i, j);
        return j;
      }
      case "y": {
        const delim = s[i];
        const [match, replace, end] = regexDelim(s, i);
        const m = parseEscapes(match, delim, delim);
        const r = parseEscapes(replace, delim, delim);
        cmd.ymap = new Map();
        for (let k = 0; k < m.length && k < r.length; k++) if (!cmd.ymap.has(m[k])) cmd.ymap.set(m[k], r[k]);
        return end + 1;
      }
      case "q":
      case "Q":
      case "l": {
        // GNU: an optional number (exit status, or line length for l).
        let j = i;
        while (s[j] === " " || s[j] === "\t") j++;
        const m = /^\d+/.exec(s.slice(j));
        if (m) {
          cmd.num = Number(m[0]);
          return j + m[0].length;
        }
        return i;
      }
      default:
        if ("dDgGhHnNpPx={}".includes(c)) return i;
        return die(`unsupported command ${c}`);
    }
  }

  /** parse_subst_cmd: s/match/replace/flags. */
  private subst(cmd: Cmd, s: string, i: number): number {
    const [match, replace, third] = regexDelim(s, i);
    cmd.repl = compileReplacement(replace);
    let icase = false;
    let idx = third;
    cmd.whichMatch = 1;
    out: while (++idx < s.length) {
      const ch = s[idx];
      if (ch >= "0" && ch <= "9") {
        if (match[0] !== "^") {
          const m = /^\d+/.exec(s.slice(idx))!;
          cmd.whichMatch = Number(m[0]) >>> 0;
          idx += m[0].length - 1;
        }
        continue;
      }
      if (isSpace(ch)) continue;
      switch (ch) {
        case "g":
          cmd.whichMatch = 0;
          break;
        case "p":
          cmd.subP = true;
          break;
        case "w": {
          const [name, end] = fileArg(s, idx + 1);
          cmd.file = this.wfile(name);
          idx = end - 1;
          break;
        }
        case "i":
        case "I":
          icase = true;
          break;
        case "#":
          idx = s.length;
          break out;
        case ";":
        case "}":
          break out;
        default:
          die("bad option in substitution expression");
      }
    }
    if (match !== "") cmd.sub = this.compile(match, icase);
    return idx;
  }

  private wfile(name: string): Sink & { flush: () => void } {
    let f = this.wFiles.get(name);
    if (f) return f;
    if (name === "/dev/stdout") f = Object.assign(this.stdoutSink, { flush() {} });
    else if (name === "/dev/stderr") f = Object.assign(this.stderrSink, { flush() {} });
    else {
      let fd: number;
      try {
        fd = fs.openSync(operandPath(this.ctx, name), "w");
      } catch (err) {
        return die(`can't open '${name}': ${errorMessage(err)}`);
      }
      const out = new FileOut(fd);
      f = {
        lpc: 10,
        push: (t: string) => out.push(t),
        flush: () => {
          out.flush();
        },
      };
      this.closers.push(() => {
        out.flush();
        fs.closeSync(fd);
      });
    }
    this.wFiles.set(name, f);
    return f;
  }

  closers: (() => void)[] = [];

  closeFiles(): void {
    for (const c of this.closers.splice(0)) {
      try {
        c();
      } catch {
        /* nothing to be done */
      }
    }
  }
}

/** parse_file_cmd: skip blanks, then the rest of the line is the file name. */
function fileArg(s: string, i: number): [string, number] {
  while (isSpace(s[i]) && s[i] !== "\n") i++;
  let eol = s.indexOf("\n", i);
  if (eol < 0) eol = s.length;
  if (eol === i) die("empty filename");
  let name = s.slice(i, eol);
  // Lines glued by a trailing backslash keep it.
  if (eol < s.length) name += "\\";
  return [name, eol];
}

/** parse_regex_delim: "/match/replace/" starting at the delimiter; returns both parts and the index of the third delimiter. */
function regexDelim(s: string, i: number): [string, string, number] {
  if (i >= s.length) die("bad format in substitution expression");
  const delim = s[i];
  const a = indexOfDelim(delim, s, i + 1, true);
  // BusyBox 1.35 leaves "\DELIM" alone: the regex and the replacement see it as is.
  const match = copyParsingEscapes(s.slice(i + 1, a), "");
  const b = indexOfDelim(delim, s, a + 1, false);
  const replace = copyParsingEscapes(s.slice(a + 1, b), "");
  return [match, replace, b];
}

// ---------------------------------------------------------------------------
// Input: the files one after another, read one line ahead (for "$").

interface Line {
  text: string;
  gc: number;
}

class InputStream {
  private idx = 0;
  private cur: { reader: LineReader; input: Input } | null = null;
  exitcode = 0;

  constructor(
    readonly ctx: Context,
    readonly files: string[],
  ) {}

  /** The next line if it can be had without waiting, undefined otherwise. */
  nextSync(): Line | null | undefined {
    const cur = this.cur;
    if (!cur) return this.idx >= this.files.length ? null : undefined;
    const text = cur.reader.take();
    if (typeof text !== "string") return undefined;
    let gc = cur.reader.term;
    if (gc === 0 && cur.reader.drained) {
      // A NUL at the end of the buffer may be the last byte of the input.
      if (!cur.reader.ended) {
        this.pendingNul = text;
        return undefined;
      }
      gc = LAST_IS_NUL;
    }
    return { text, gc };
  }

  private pendingNul: string | null = null;

  async next(): Promise<Line | null> {
    while (this.idx < this.files.length) {
      if (!this.cur) {
        const name = this.files[this.idx];
        let input: Input;
        try {
          input = openChunks(this.ctx, name);
        } catch (err) {
          await warn(this.ctx, `${name}: ${errorMessage(err)}`);
          this.exitcode = 1;
          this.idx++;
          continue;
        }
        this.cur = { reader: new LineReader(input.chunks, true), input };
      }
      const r = this.cur.reader;
      let text: string | null | undefined;
      if (this.pendingNul !== null) {
        text = this.pendingNul;
        this.pendingNul = null;
        return { text, gc: (await r.more()) ? 0 : LAST_IS_NUL };
      }
      try {
        text = r.take();
        while (text === undefined) {
          await r.fill();
          text = r.take();
        }
      } catch (err) {
        // A directory or an unreadable file reads as empty, as with getline().
        if ((err as any)?.code !== "EISDIR") throw err;
        text = null;
      }
      if (text !== null) {
        let gc = r.term;
        if (gc === 0 && !(await r.more())) gc = LAST_IS_NUL;
        return { text, gc };
      }
      this.cur.input.close();
      this.cur = null;
      this.idx++;
    }
    return null;
  }

  close(): void {
    this.cur?.input.close();
    this.cur = null;
  }
}

// ---------------------------------------------------------------------------
// Running a script.

class Engine {
  hold: string | null = null;
  appends: string[] = [];
  /** Set by q/Q: stop everything; the exit status to return. */
  quit: number | null = null;
  rFiles = new Map<string, string[]>();

  constructor(
    readonly ctx: Context,
    readonly script: Script,
    readonly stdout: OutBuf,
  ) {}

  private flushAppend(out: Sink): void {
    for (const a of this.appends.splice(0)) putsLine(out, a, 10);
  }

  private getNextLine(input: InputStream, out: Sink): Line | null | Promise<Line | null> {
    if (this.appends.length) this.flushAppend(out);
    const l = input.nextSync();
    if (l !== undefined) return l;
    return input.next();
  }

  private branchTo(label: string): number {
    const cmds = this.script.cmds;
    for (let k = 0; k < cmds.length; k++) if (cmds[k].cmd === ":" && cmds[k].string === label) return k;
    return die(`can't find label for jump to '${label}'`);
  }

  private begMatch(cmd: Cmd, ps: string): boolean {
    if (!cmd.begMatch) return false;
    if (!rxTest(cmd.begMatch, ps)) return false;
    this.script.prevRegex = cmd.begMatch;
    return true;
  }

  /** do_subst_command: the new pattern space, or null if nothing was replaced. */
  private subst(cmd: Cmd, ps: string): string | null {
    const rx = cmd.sub ?? this.script.prevRegex;
    if (!rx) return die("no previous regexp");
    this.script.prevRegex = rx;
    const p = rx.parsed;
    if (!p.contextual && !p.alternation && (cmd.whichMatch === 0 || cmd.whichMatch === 1)) {
      // Where JavaScript's replace() does what BusyBox's loop does.
      let tpl = cmd.tpl;
      if (!tpl || tpl.rx !== rx) tpl = cmd.tpl = { rx, template: jsTemplate(cmd.repl!, p.groups) };
      const re = rx.g;
      re.lastIndex = 0;
      if (!re.test(ps)) return null;
      if (cmd.whichMatch === 1) return ps.replace((rx.one ??= new RegExp(re.source, re.flags.replace("g", ""))), tpl.template);
      if (p.minLength > 0) return ps.replace(re, tpl.template);
      // An empty match right after a non-empty one is not replaced ("cccd" with c* gives "RdR").
      let lastEnd = -1;
      const parts = cmd.repl!;
      return ps.replace(re, (...a: any[]) => {
        const whole: string = a[0];
        const off: number = a[p.groups + 1];
        const skip = whole.length === 0 && off === lastEnd;
        lastEnd = whole.length ? off + whole.length : -1;
        if (skip) return "";
        return expand(parts, a as unknown as RegExpExecArray);
      });
    }
    let m = rxExec(rx, ps, 0);
    if (!m) return null;
    const len = ps.length;
    let out = "";
    let base = 0;
    let count = 0;
    let altered = false;
    let prevEmpty = true;
    let triedEol = false;
    const which = cmd.whichMatch;
    do {
      const start = m.s;
      let end = m.e;
      count++;
      if (which && which !== count) {
        out += ps.slice(base, end);
        base = end;
        if (start === end && base < len) out += ps[base++];
      } else {
        out += ps.slice(base, start);
        if (prevEmpty || start !== base || start !== end) {
          out += expand(cmd.repl!, m.m);
          altered = true;
        }
        prevEmpty = start === end;
        if (prevEmpty) {
          if (end >= len) triedEol = true;
          else out += ps[end++];
        }
        base = end;
        if (which !== 0) break;
      }
      if (base >= len) {
        if (triedEol) break;
        triedEol = true;
      }
    } while ((m = rxExec(rx, ps, base)));
    out += ps.slice(base);
    return altered ? out : out === ps ? null : out;
  }

  /** process_files(): run the script over a stream of lines. */
  async run(input: InputStream, out: Sink): Promise<void> {
    const cmds = this.script.cmds;
    const quiet = () => this.script.beQuiet > 0;
    let linenum = 0;
    let nx = this.getNextLine(input, out);
    let next = nx instanceof Promise ? await nx : nx;
    let first = true;
    for (;;) {
      // again:
      let substituted = false;
      if (next === null || this.quit !== null) return;
      let ps = next.text;
      let lastGc = next.gc;
      nx = this.getNextLine(input, out);
              next = nx instanceof Promise ? await nx : nx;
      linenum++;
      if (this.stdout.full) await this.stdout.flush();
      let autoprint = true;
      // restart: (D)
      restart: for (;;) {
        for (let k = 0; k < cmds.length; k++) {
          const cmd = cmds[k];
          let matched: boolean;
          if (cmd.noAddr) matched = true;
          else {
            const oldMatched = cmd.inMatch || (first && !!cmd.zeroStart);
            if (!oldMatched) cmd.endLine = cmd.endLineOrig;
            cmd.inMatch =
              oldMatched ||
              (cmd.begLine > 0 && (cmd.endLine || cmd.endMatch || cmd.endMultiple !== undefined ? cmd.begLine <= linenum : cmd.begLine === linenum)) ||
              (cmd.step !== undefined && stepMatches(cmd, linenum)) ||
              this.begMatch(cmd, ps) ||
              (cmd.begLine === -1 && next === null);
            matched = cmd.inMatch;
            if (matched) {
              if (cmd.endLine <= -2) cmd.endLine = linenum + (-cmd.endLine - 2);
              if (cmd.begLine > 0) cmd.begLine = -2;
              if (cmd.endMultiple !== undefined) {
                cmd.inMatch = !(cmd.endMultiple <= 0 || linenum % cmd.endMultiple === 0);
              } else {
                cmd.inMatch = !(
                  (cmd.endLine ? (cmd.endLine === -1 ? next === null : cmd.endLine <= linenum) : !cmd.endMatch) ||
                  (cmd.endMatch && oldMatched && rxTest(cmd.endMatch, ps))
                );
              }
            }
          }
          if (cmd.cmd === "{") {
            if (cmd.invert ? matched : !matched) {
              let nest = 0;
              let j = k;
              for (;;) {
                if (cmds[j].cmd === "{") nest++;
                if (cmds[j].cmd === "}") {
                  nest--;
                  if (nest === 0) break;
                }
                j++;
                if (j >= cmds.length) die("unterminated {");
              }
              k = j;
            }
            continue;
          }
          if (cmd.invert ? matched : !matched) continue;
          if (cmd.begMatch) this.script.prevRegex = cmd.begMatch;

          switch (cmd.cmd) {
            case "=":
              out.push(`${linenum}\n`);
              break;
            case "P": {
              const nl = ps.indexOf("\n");
              if (nl >= 0) {
                putsLine(out, ps.slice(0, nl), 10);
                break;
              }
              putsLine(out, ps, 10);
              break;
            }
            case "p":
              putsLine(out, ps, 10);
              break;
            case "D": {
              const nl = ps.indexOf("\n");
              if (nl >= 0) {
                ps = ps.slice(nl + 1);
                continue restart;
              }
              autoprint = false;
              break restart;
            }
            case "d":
              autoprint = false;
              break restart;
            case "s": {
              const r = this.subst(cmd, ps);
              if (r === null) break;
              ps = r;
              substituted = true;
              if (cmd.subP) putsLine(out, ps, lastGc);
              if (cmd.file) putsLine(cmd.file, ps, lastGc);
              break;
            }
            case "a":
              this.appends.push(cmd.string!);
              break;
            case "i":
              putsLine(out, cmd.string!, 10);
              break;
            case "c":
              if (!cmd.inMatch) putsLine(out, cmd.string!, 10);
              autoprint = false;
              break restart;
            case "r": {
              for (const l of this.readFileLines(cmd.string!)) this.appends.push(l);
              break;
            }
            case "R": {
              const lines = this.readFileLines(cmd.string!, true);
              if (lines.length) this.appends.push(lines.shift()!);
              break;
            }
            case "w":
              putsLine(cmd.file!, ps, lastGc);
              break;
            case "W": {
              const nl = ps.indexOf("\n");
              putsLine(cmd.file!, nl >= 0 ? ps.slice(0, nl) : ps, 10);
              break;
            }
            case "l":
              putsLine(out, listLine(ps, cmd.num ?? 70), 10);
              break;
            case "n":
              if (!quiet()) putsLine(out, ps, lastGc);
              if (next === null) {
                autoprint = false;
                break restart;
              }
              ps = next.text;
              lastGc = next.gc;
              nx = this.getNextLine(input, out);
              next = nx instanceof Promise ? await nx : nx;
              substituted = false;
              linenum++;
              break;
            case "q":
              next = null;
              this.quit = cmd.num ?? 0;
              break restart;
            case "Q":
              this.quit = cmd.num ?? 0;
              this.appends = [];
              return;
            case "N":
              if (next === null) break restart;
              ps = ps + "\n" + next.text;
              lastGc = next.gc;
              nx = this.getNextLine(input, out);
              next = nx instanceof Promise ? await nx : nx;
              linenum++;
              break;
            case "t":
              if (!substituted) break;
              substituted = false;
              if (cmd.string === undefined) break restart;
              k = this.branchTo(cmd.string);
              break;
            case "T":
              if (substituted) break;
              if (cmd.string === undefined) break restart;
              k = this.branchTo(cmd.string);
              break;
            case "b":
              if (cmd.string === undefined) break restart;
              k = this.branchTo(cmd.string);
              break;
            case "y": {
              const map = cmd.ymap!;
              if (map.size) {
                let r = "";
                for (let j = 0; j < ps.length; j++) r += map.get(ps[j]) ?? ps[j];
                ps = r;
              }
              break;
            }
            case "g":
              ps = this.hold ?? "";
              break;
            case "G":
              ps = ps + "\n" + (this.hold ?? "");
              lastGc = 10;
              break;
            case "h":
              this.hold = ps;
              break;
            case "H":
              this.hold = (this.hold ?? "") + "\n" + ps;
              break;
            case "x": {
              const t = ps;
              ps = this.hold ?? "";
              this.hold = t;
              lastGc = 10;
              break;
            }
          }
        }
        break;
      }
      first = false;
      // discard_commands:
      if (autoprint && !quiet()) putsLine(out, ps, lastGc);
      // discard_line:
      if (this.appends.length) this.flushAppend(out);
      if (this.quit !== null) return;
    }
  }

  private readFileLines(name: string, keep = false): string[] {
    if (keep) {
      let lines = this.rFiles.get(name);
      if (!lines) {
        lines = this.readFileLines(name);
        this.rFiles.set(name, lines);
      }
      return lines;
    }
    let data: string;
    try {
      data = fs.readFileSync(operandPath(this.ctx, name), "latin1");
    } catch {
      return [];
    }
    const lines = data.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
  }
}

function stepMatches(cmd: Cmd, linenum: number): boolean {
  const first = cmd.first ?? 0;
  const step = cmd.step ?? 0;
  if (step <= 0) return linenum === first;
  return linenum >= first && (linenum - first) % step === 0;
}

/** GNU sed's l: escapes, octal for the rest, lines folded at `width` with "\", "$" at the end. */
function listLine(ps: string, width: number): string {
  const ESC: Record<string, string> = { "\\": "\\\\", "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
  let out = "";
  let col = 0;
  for (const ch of ps) {
    const c = ch.charCodeAt(0);
    const piece = ESC[ch] ?? (c < 32 || c >= 127 ? "\\" + c.toString(8).padStart(3, "0") : ch);
    if (width > 1 && col + piece.length > width - 1) {
      out += "\\\n";
      col = 0;
    }
    out += piece;
    col += piece.length;
  }
  return out + "$";
}

// ---------------------------------------------------------------------------
// The fast path: a script that is a single s command with no address.

interface FastPlan {
  re: RegExp;
  /** JavaScript replacement template. */
  template: string;
  /** Plain string pattern and replacement: replaceAll. */
  literal: string | null;
  literalRepl: string | null;
  all: boolean;
  parts: ReplPart[];
}

/** Whether the fast path applies, and the regex it needs (over buffers of whole lines). */
function fastPlan(script: Script): FastPlan | null {
  const cmds = script.cmds;
  if (cmds.length !== 1 || script.beQuiet) return null;
  const c = cmds[0];
  if (c.cmd !== "s" || c.invert || c.begLine || c.endLine || c.begMatch || c.endMatch || c.step !== undefined || c.endMultiple !== undefined) return null;
  if (c.subP || c.file || !c.sub || (c.whichMatch !== 0 && c.whichMatch !== 1)) return null;
  const rx = c.sub;
  const p = rx.parsed;
  if (p.minLength === 0 || p.contextual || p.alternation) return null;
  // Lines never hold "\n" or NUL here: a pattern naming them cannot match.
  if (/[\n\0]/.test(rx.pattern)) return null;
  // Recompiled so that nothing matches across line ends.
  const q = parseRegex(rx.pattern, { extended: rx.extended, ignoreCase: rx.icase, global: true, separators: "\n\0" });
  const template = jsTemplate(c.repl!, q.groups);
  const allLiteral = c.repl!.every((x) => typeof x === "string");
  return {
    re: new RegExp(q.source, q.flags),
    template,
    literal: rx.icase ? null : p.literal,
    literalRepl: allLiteral ? (c.repl as string[]).join("") : null,
    all: c.whichMatch === 0,
    parts: c.repl!,
  };
}

function fastApply(plan: FastPlan, text: string): string {
  if (plan.all) {
    if (plan.literal !== null && plan.literalRepl !== null) return text.replaceAll(plan.literal, plan.literalRepl);
    return text.replace(plan.re, plan.template);
  }
  // First match of each line only.
  const re = plan.re;
  const sep = /[\n\0]/g;
  let out = "";
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    const end = m.index + m[0].length;
    out += text.slice(pos, m.index) + expand(plan.parts, m);
    sep.lastIndex = end;
    const nl = sep.exec(text);
    const next = nl ? nl.index + 1 : text.length;
    out += text.slice(end, next);
    pos = next;
    if (pos >= text.length) break;
  }
  return out + text.slice(pos);
}

/** The fast path over every file of the input: whole buffers of lines at a time. */
async function fastSubst(plan: FastPlan, ctx: Context, input: InputStream, sink: Sink, stdout: OutBuf): Promise<void> {
  for (const name of input.files) {
    let inp: Input;
    try {
      inp = openChunks(ctx, name);
    } catch (err) {
      await warn(ctx, `${name}: ${errorMessage(err)}`);
      input.exitcode = 1;
      continue;
    }
    let carry = "";
    let endsWithNul = false;
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await inp.chunks.next();
        } catch (err) {
          if ((err as any)?.code === "EISDIR") break;
          throw err;
        }
        if (r.done) break;
        const text = carry + latin1Of(r.value);
        const cut = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\0"));
        if (cut < 0) {
          carry = text;
          continue;
        }
        const body = cut === text.length - 1 ? text : text.slice(0, cut + 1);
        carry = cut === text.length - 1 ? "" : text.slice(cut + 1);
        if (sink.lpc !== 10 && sink.lpc !== 0) sink.push("\n");
        sink.push(fastApply(plan, body));
        sink.lpc = body.charCodeAt(body.length - 1);
        endsWithNul = sink.lpc === 0;
        await stdout.maybeFlush();
      }
    } finally {
      inp.close();
    }
    if (carry) {
      if (sink.lpc !== 10 && sink.lpc !== 0) sink.push("\n");
      const r = fastApply(plan, carry);
      sink.push(r);
      if (r.length) sink.lpc = X;
    } else if (endsWithNul) sink.lpc = X; // a NUL that ended the input: BusyBox's LAST_IS_NUL
  }
}

function latin1Of(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

defineApplet({
  name: "sed",
  usage: "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\nor: sed [-i[SFX]] [-nrE] CMD [FILE]...",
  summary: "If no -e or -f, the first non-option argument is the sed command string.\nRemaining arguments are input files (stdin if none).",
  options: [
    "-e, --expression CMD...  Add CMD to sed commands to be executed",
    "-f, --file FILE...  Add FILE contents to sed commands to be executed",
    "-i, --in-place[=SFX]  Edit files in-place (otherwise write to stdout)",
    "-n, --quiet, --silent  Suppress automatic printing of pattern space",
    "-r, -E, --regexp-extended  Use extended regex syntax",
    "-s, --separate  Consider files as separate rather than as a single stream",
    "--version",
  ],
  async run(ctx, opts, operands) {
    if (opts.version) {
      await ctx.stdout.write("This is not GNU sed version 4.0\n");
      return 0;
    }
    const stdout = new OutBuf(ctx.stdout);
    const stdoutSink: Sink = { lpc: 10, push: (s) => stdout.push(s) };
    const stderrBuf = new OutBuf(ctx.stderr);
    const stderrSink: Sink = { lpc: 10, push: (s) => stderrBuf.push(s) };
    const script = new Script(ctx, stdoutSink, stderrSink);
    script.extended = !!opts.r;
    script.beQuiet = opts.n;
    const inPlace = opts.i !== undefined;
    let tmpName: string | null = null;
    try {
      // Script pieces, in command-line order.
      let ei = 0;
      let fi = 0;
      for (const key of optionOrder(opts)) {
        if (key === "e") script.addBlock(opts.e[ei++]);
        else if (key === "f") {
          const name = opts.f[fi++];
          let data: string;
          try {
            data = name === "-" ? await readAllText(ctx) : fs.readFileSync(operandPath(ctx, name), "latin1");
          } catch (err) {
            throw new SedError(`${name}: ${errorMessage(err)}`, 1);
          }
          const lines = data.split("\n");
          if (lines[lines.length - 1] === "") lines.pop();
          for (const l of lines) script.add(l);
        }
      }
      if (opts.e.length === 0 && opts.f.length === 0) {
        if (operands.length === 0) throw new (await import("../lib/errors.ts")).UsageError();
        script.addBlock(operands.shift()!);
      }
      script.finish();

      const engine = new Engine(ctx, script, stdout);
      let status = 0;
      if (!inPlace) {
        const files = operands.length ? operands : ["-"];
        if (opts.s && files.length > 1) {
          for (const f of files) {
            const input = new InputStream(ctx, [f]);
            await runOne(engine, script, input, stdoutSink, stdout);
            if (input.exitcode) status = input.exitcode;
            resetRanges(script);
            if (engine.quit !== null) break;
          }
        } else {
          const input = new InputStream(ctx, files);
          await runOne(engine, script, input, stdoutSink, stdout);
          status = input.exitcode;
        }
      } else {
        if (operands.length === 0) throw new SedError("-i requires an argument", 1);
        for (const file of operands) {
          const full = operandPath(ctx, file);
          let st: fs.Stats;
          try {
            st = fs.statSync(full);
          } catch (err) {
            await warn(ctx, `${file}: ${errorMessage(err)}`);
            status = 1;
            continue;
          }
          let fd: number;
          for (;;) {
            tmpName = full + randomSuffix();
            try {
              fd = fs.openSync(tmpName, "wx", 0o600);
              break;
            } catch (err: any) {
              if (err?.code === "EEXIST") continue;
              tmpName = null;
              throw new SedError(`can't create temp file '${file}XXXXXX': ${errorMessage(err)}`, 1);
            }
          }
          try {
            fs.fchmodSync(fd, st.mode & 0o7777);
          } catch {
            /* as BusyBox: best effort */
          }
          try {
            fs.fchownSync(fd, st.uid, st.gid);
          } catch {
            /* idem */
          }
          const fout = new FileOut(fd);
          const sink: Sink = { lpc: 10, push: (s) => fout.push(s) };
          const input = new InputStream(ctx, [file]);
          try {
            await runOne(engine, script, input, sink, stdout);
            fout.flush();
          } finally {
            input.close();
            fs.closeSync(fd);
          }
          if (input.exitcode) status = input.exitcode;
          if (opts.i) fs.renameSync(full, full + opts.i);
          fs.renameSync(tmpName!, full);
          tmpName = null;
          resetRanges(script);
          if (engine.quit !== null) break;
        }
      }
      if (engine.quit !== null && engine.quit !== 0) status = engine.quit;
      return status;
    } catch (err) {
      if (tmpName) fs.rmSync(tmpName, { force: true });
      throw err;
    } finally {
      script.closeFiles();
      await stdout.flush();
      await stderrBuf.flush();
    }
  },
});

function resetRanges(script: Script): void {
  for (const c of script.cmds) {
    c.begLine = c.begLineOrig;
    c.endLine = c.endLineOrig;
  }
}

async function runOne(engine: Engine, script: Script, input: InputStream, sink: Sink, stdout: OutBuf): Promise<void> {
  const plan = fastPlan(script);
  try {
    if (plan) await fastSubst(plan, engine.ctx, input, sink, stdout);
    else await engine.run(input, sink);
  } finally {
    input.close();
  }
}

async function readAllText(ctx: Context): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of ctx.stdin.chunks()) parts.push(c);
  return Buffer.concat(parts).toString("latin1");
}

function randomSuffix(): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 6; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

