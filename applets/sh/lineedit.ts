// The interactive shell's line editor, at the level of BusyBox ash's: the
// terminal in raw mode while a line is read (its modes are put back before
// the line is returned, so commands run with the user's settings), Emacs-style
// keys, history with Up/Down and Ctrl-R reverse incremental search, Tab
// completion of command names and paths. A line wider than the terminal
// scrolls horizontally on the prompt's row. Also: PS1 expansion.
import * as fs from "node:fs";
import * as path from "node:path";
import { appletNames } from "../../lib/applet.ts";
import { tcgetattr, tcsetattr, TCSANOW, type Termios } from "../../lib/syscalls.ts";
import { terminalSize } from "../../lib/term.ts";
import { userName as passwdName } from "../../lib/users.ts";
import { builtins } from "./builtins.ts";
import { expandString } from "./expand.ts";
import type { History } from "./history.ts";
import { Parser } from "./parser.ts";
import type { Shell } from "./state.ts";

const ISIG = 0o1, ICANON = 0o2, ECHO = 0o10, IEXTEN = 0o100000;
const ICRNL = 0o400, INLCR = 0o100, IXON = 0o2000;
const VTIME = 5, VMIN = 6;

export type ReadResult = { kind: "line"; line: string } | { kind: "eof" } | { kind: "interrupt" };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Visible width of a prompt line: escape sequences and \[ \] regions (marked \x01 \x02) don't count. */
function visibleWidth(s: string): number {
  s = s.replace(/\x01[^\x02]*\x02/g, "").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\x1b\][^\x07]*\x07/g, "");
  return columns(s.replace(/[\x00-\x1f]/g, ""));
}

const isCont = (s: string, i: number) => (s.charCodeAt(i) & 0xc0) === 0x80;

/** Where the character before byte `p` starts (UTF-8 sequences move as one). */
function prevChar(s: string, p: number): number {
  p--;
  while (p > 0 && isCont(s, p)) p--;
  return p;
}

function nextChar(s: string, p: number): number {
  p++;
  while (p < s.length && isCont(s, p)) p++;
  return p;
}

/** Columns a byte string takes: continuation bytes take none. */
function columns(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!isCont(s, i)) n++;
  return n;
}

function byteOfColumn(s: string, col: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (!isCont(s, i)) {
      if (n === col) return i;
      n++;
    }
  }
  return s.length;
}

export class LineEditor {
  private buf = "";
  private pos = 0;
  private prompt = "";
  /** First character of the line shown (horizontal scrolling). */
  private scroll = 0;
  private promptLast = "";
  private pending: number[] = [];
  private lastKey = "";
  private saved?: Termios;

  constructor(private sh: Shell, private inFd: number, private outFd: number, private history: History) {}

  private write(s: string): void {
    const b = Buffer.from(s, "latin1");
    let off = 0;
    while (off < b.length) {
      try {
        off += fs.writeSync(this.outFd, b, off, b.length - off);
      } catch (e: any) {
        if (e?.code !== "EAGAIN") return;
      }
    }
  }

  private cols(): number {
    return terminalSize(this.outFd, {}).cols;
  }

  private enterRaw(): boolean {
    try {
      this.saved = tcgetattr(this.inFd);
    } catch {
      this.saved = undefined;
      return false;
    }
    // A program that left the terminal without canonical input (a crashed
    // full-screen one, a background job that put back modes it saved while we
    // edited) does not make raw modes the ones commands get: the last sane ones stay.
    if (this.saved.lflag & ICANON) this.sane = this.saved;
    else if (this.sane) this.saved = this.sane;
    const t = this.saved;
    const cc = t.cc.slice();
    cc[VMIN] = 0;
    cc[VTIME] = 1;
    tcsetattr(this.inFd, TCSANOW, { ...t, lflag: t.lflag & ~(ICANON | ECHO | ISIG | IEXTEN), iflag: t.iflag & ~(ICRNL | INLCR | IXON), cc });
    return true;
  }

  private sane?: Termios;

  private leaveRaw(): void {
    if (!this.saved) return;
    try {
      tcsetattr(this.inFd, TCSANOW, this.saved);
    } catch {}
    this.saved = undefined;
  }

  /** The next input byte; -1 at end of input. Lets the event loop run while waiting. */
  private async byte(timeoutMs = Infinity): Promise<number> {
    if (this.pending.length) return this.pending.shift()!;
    const one = Buffer.alloc(64);
    const start = Date.now();
    let quickZeros = 0;
    for (;;) {
      let n: number;
      const t0 = Date.now();
      try {
        n = fs.readSync(this.inFd, one, 0, one.length, null);
      } catch (e: any) {
        if (e?.code === "EAGAIN") {
          await pause(10);
          if (Date.now() - start > timeoutMs) return -2;
          continue;
        }
        if (e?.code === "EINTR") continue;
        return -1;
      }
      if (n > 0) {
        for (let i = 1; i < n; i++) this.pending.push(one[i]);
        return one[0];
      }
      // VTIME expired (or the terminal is gone: zeros come back at once).
      if (Date.now() - t0 < 20) {
        if (++quickZeros > 20) return -1;
      } else quickZeros = 0;
      if (Date.now() - start > timeoutMs) return -2;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Read a line with `prompt` (already expanded; \x01..\x02 mark invisible parts). */
  async readLine(prompt: string): Promise<ReadResult> {
    this.prompt = prompt;
    const nl = prompt.lastIndexOf("\n");
    this.promptLast = nl < 0 ? prompt : prompt.slice(nl + 1);
    this.buf = "";
    this.pos = 0;
    this.scroll = 0;
    this.lastKey = "";
    const raw = this.enterRaw();
    try {
      this.write(prompt.replace(/[\x01\x02]/g, ""));
      if (!raw) return await this.cookedLine();
      return await this.loop();
    } finally {
      this.leaveRaw();
    }
  }

  /** Without termios (should not happen on a terminal): plain line reading. */
  private async cookedLine(): Promise<ReadResult> {
    let s = "";
    for (;;) {
      const c = await this.byte();
      if (c < 0) return s ? { kind: "line", line: s } : { kind: "eof" };
      if (c === 10) return { kind: "line", line: s };
      s += String.fromCharCode(c);
    }
  }

  private histIndex = 0;
  private histSaved = "";

  private async loop(): Promise<ReadResult> {
    this.histIndex = this.history.lines.length;
    this.histSaved = "";
    for (;;) {
      const c = await this.byte();
      if (c === -1) {
        if (this.buf === "") {
          return { kind: "eof" };
        }
        this.write("\n");
        return { kind: "line", line: this.buf };
      }
      const key = await this.decode(c);
      const r = await this.handle(key);
      this.lastKey = key;
      if (r) return r;
    }
  }

  /** A key's name: the character itself, "^X" for control keys, or an escape sequence's name. */
  private async decode(c: number): Promise<string> {
    if (c !== 27) return c === 127 || c === 8 ? "BS" : c < 32 ? "^" + String.fromCharCode(c + 64) : String.fromCharCode(c);
    const c1 = await this.byte(50);
    if (c1 < 0) return "ESC";
    if (c1 === 91 || c1 === 79) {
      let params = "";
      for (;;) {
        const d = await this.byte(50);
        if (d < 0) return "ESC";
        const ch = String.fromCharCode(d);
        if (d >= 0x40 && d <= 0x7e) {
          const seq = (c1 === 79 ? "O" : "[") + params + ch;
          return ({
            "[A": "UP", "OA": "UP", "[B": "DOWN", "OB": "DOWN", "[C": "RIGHT", "OC": "RIGHT", "[D": "LEFT", "OD": "LEFT",
            "[H": "HOME", "OH": "HOME", "[1~": "HOME", "[7~": "HOME", "[F": "END", "OF": "END", "[4~": "END", "[8~": "END",
            "[3~": "DEL", "[1;5C": "WRIGHT", "[1;5D": "WLEFT",
          } as Record<string, string>)[seq] ?? "?" + seq;
        }
        params += ch;
        if (params.length > 8) return "?";
      }
    }
    const ch = String.fromCharCode(c1);
    if (ch === "b" || ch === "B") return "WLEFT";
    if (ch === "f" || ch === "F") return "WRIGHT";
    if (c1 === 127 || c1 === 8) return "WBS";
    return "ESC";
  }

  private async handle(key: string): Promise<ReadResult | undefined> {
    switch (key) {
      case "^M":
      case "^J":
        if (this.pos !== this.buf.length) {
          this.pos = this.buf.length;
          this.redraw();
        }
        this.write("\n");
        return { kind: "line", line: this.buf };
      case "^C":
        if (this.pos !== this.buf.length) {
          this.pos = this.buf.length;
          this.redraw();
        }
        this.write("^C\n");
        return { kind: "interrupt" };
      case "^D":
        if (this.buf === "") {
          return { kind: "eof" };
        }
        this.deleteAt();
        break;
      case "BS":
      case "^H":
        if (this.pos > 0) {
          const q = prevChar(this.buf, this.pos);
          this.buf = this.buf.slice(0, q) + this.buf.slice(this.pos);
          this.pos = q;
        }
        break;
      case "DEL":
        this.deleteAt();
        break;
      case "LEFT":
      case "^B":
        if (this.pos > 0) this.pos = prevChar(this.buf, this.pos);
        break;
      case "RIGHT":
      case "^F":
        if (this.pos < this.buf.length) this.pos = nextChar(this.buf, this.pos);
        break;
      case "HOME":
      case "^A":
        this.pos = 0;
        break;
      case "END":
      case "^E":
        this.pos = this.buf.length;
        break;
      case "^K":
        this.buf = this.buf.slice(0, this.pos);
        break;
      case "^U":
        this.buf = this.buf.slice(this.pos);
        this.pos = 0;
        break;
      case "^W":
      case "WBS": {
        let i = this.pos;
        while (i > 0 && this.buf[i - 1] === " ") i--;
        while (i > 0 && this.buf[i - 1] !== " ") i--;
        this.buf = this.buf.slice(0, i) + this.buf.slice(this.pos);
        this.pos = i;
        break;
      }
      case "WLEFT": {
        let i = this.pos;
        while (i > 0 && !/\w/.test(this.buf[i - 1])) i--;
        while (i > 0 && /\w/.test(this.buf[i - 1])) i--;
        this.pos = i;
        break;
      }
      case "WRIGHT": {
        let i = this.pos;
        while (i < this.buf.length && !/\w/.test(this.buf[i])) i++;
        while (i < this.buf.length && /\w/.test(this.buf[i])) i++;
        this.pos = i;
        break;
      }
      case "^L":
        this.write("\x1b[H\x1b[J" + this.prompt.replace(/[\x01\x02]/g, ""));
        break;
      case "UP":
      case "^P":
        this.historyMove(-1);
        break;
      case "DOWN":
      case "^N":
        this.historyMove(1);
        break;
      case "^R":
        return this.reverseSearch();
      case "^I":
        await this.complete();
        return;
      default:
        if (key.length === 1 && key >= " ") {
          this.buf = this.buf.slice(0, this.pos) + key + this.buf.slice(this.pos);
          this.pos++;
          if (this.pos === this.buf.length && columns(this.buf) - this.scroll < this.width(this.promptLast)) {
            this.write(key);
            return;
          }
        } else {
          return;
        }
    }
    this.redraw();
  }

  private deleteAt(): void {
    if (this.pos < this.buf.length) this.buf = this.buf.slice(0, this.pos) + this.buf.slice(nextChar(this.buf, this.pos));
  }

  private historyMove(d: number): void {
    const h = this.history.lines;
    const next = this.histIndex + d;
    if (next < 0 || next > h.length) return;
    if (this.histIndex === h.length) this.histSaved = this.buf;
    this.histIndex = next;
    this.buf = next === h.length ? this.histSaved : h[next];
    this.pos = this.buf.length;
  }

  /** Columns for the line after `prefix` (one is kept free for the cursor). */
  private width(prefix: string): number {
    return Math.max(this.cols() - visibleWidth(prefix) - 1, 8);
  }

  /** Redraw the prompt's last row and the line, scrolled so the cursor is visible. */
  private redraw(prefix = this.promptLast, text = this.buf, cursor = this.pos): void {
    // In columns: a UTF-8 sequence (the line is bytes) takes one.
    const width = this.width(prefix);
    const total = columns(text), col = columns(text.slice(0, cursor));
    let start = this.scroll;
    if (total < width) start = 0;
    else if (col < start || col >= start + width) {
      // The cursor left the window: scroll by half a window so that it is inside again.
      const half = Math.max(1, width >> 1);
      start = Math.max(0, col - half);
    }
    if (prefix === this.promptLast) this.scroll = start;
    const from = byteOfColumn(text, start);
    const shown = text.slice(from, byteOfColumn(text, start + width));
    let s = "\r" + prefix.replace(/[\x01\x02]/g, "") + shown + "\x1b[K";
    const back = start + columns(shown) - col;
    if (back > 0) s += `\x1b[${back}D`;
    this.write(s);
  }

  // ---- Ctrl-R ----

  private async reverseSearch(): Promise<ReadResult | undefined> {
    const h = this.history.lines;
    let pat = "";
    let idx = h.length;
    let match = this.buf;
    let failed = false;
    const find = (from: number): number => {
      for (let i = from; i >= 0; i--) if (h[i].includes(pat)) return i;
      return -1;
    };
    const show = () => {
      const p = `(${failed ? "failed " : ""}reverse-i-search)'${pat}': `;
      const at = pat ? Math.max(0, match.indexOf(pat)) : match.length;
      this.redraw(p, match, at);
    };
    show();
    for (;;) {
      const c = await this.byte();
      if (c === -1) return { kind: "eof" };
      const key = await this.decode(c);
      if (key === "^R") {
        const i = find(idx - 1);
        if (i >= 0) { idx = i; match = h[i]; failed = false; } else failed = true;
      } else if (key === "BS" || key === "^H") {
        pat = pat.slice(0, -1);
        const i = pat ? find(h.length - 1) : -1;
        if (i >= 0) { idx = i; match = h[i]; }
        failed = false;
      } else if (key.length === 1 && key >= " ") {
        pat += key;
        const i = find(idx < h.length ? idx : h.length - 1);
        if (i >= 0) { idx = i; match = h[i]; failed = false; } else failed = true;
      } else if (key === "^G" || key === "^C") {
        // Cancel: back to the line as it was.
        this.redraw();
        if (key === "^C") return this.handle("^C");
        return;
      } else {
        this.buf = match;
        this.pos = pat && match.includes(pat) ? match.indexOf(pat) : match.length;
        if (idx < h.length) this.histIndex = idx;
        this.redraw();
        if (key === "ESC") return;
        return this.handle(key);
      }
      show();
    }
  }

  // ---- Tab completion ----

  private async complete(): Promise<void> {
    const before = this.buf.slice(0, this.pos);
    let ws = before.length;
    // The word before the cursor; a backslash-escaped blank is part of it.
    while (ws > 0 && (!/[\s;&|()<>`]/.test(before[ws - 1]) || (ws > 1 && before[ws - 2] === "\\"))) ws--;
    this.wordStart = ws;
    const word = before.slice(ws).replace(/\\(.)/g, "$1").replace(/^(["'])/, "");
    let k = ws;
    while (k > 0 && before[k - 1] === " ") k--;
    const commandPos = (k === 0 || /[;&|(`]/.test(before[k - 1])) && !word.includes("/");
    const matches = commandPos ? this.commandMatches(word) : this.fileMatches(word);
    if (matches.length === 0) {
      this.write("\x07");
      return;
    }
    if (matches.length === 1) {
      const m = matches[0];
      const text = m.endsWith("/") ? m : m + " ";
      this.insertCompletion(word, text);
      this.redraw();
      return;
    }
    let prefix = matches[0];
    for (const m of matches) {
      let i = 0;
      while (i < prefix.length && i < m.length && prefix[i] === m[i]) i++;
      prefix = prefix.slice(0, i);
    }
    if (prefix.length > word.length) {
      this.insertCompletion(word, prefix);
      this.redraw();
      return;
    }
    if (this.lastKey !== "^I") {
      this.write("\x07");
      return;
    }
    // Second Tab: list the matches in columns, then the prompt again.
    const names = matches.map((m) => {
      const t = m.endsWith("/") ? m.slice(0, -1) : m;
      const base = t.slice(t.lastIndexOf("/") + 1);
      return m.endsWith("/") ? base + "/" : base;
    });
    const wid = Math.max(...names.map((n) => n.length)) + 2;
    const perRow = Math.max(1, Math.floor(this.cols() / wid));
    const rows = Math.ceil(names.length / perRow);
    let out = "\n";
    for (let r = 0; r < rows; r++) {
      let line = "";
      for (let c = 0; c < perRow; c++) {
        const i = c * rows + r;
        if (i >= names.length) break;
        const last = (c + 1) * rows + r >= names.length;
        line += last ? names[i] : names[i].padEnd(wid);
      }
      out += line + "\n";
    }
    this.write(out + this.prompt.replace(/[\x01\x02]/g, ""));
    this.redraw();
  }

  private wordStart = 0;

  /** Replace the word before the cursor by `text`, its special characters escaped. */
  private insertCompletion(_word: string, text: string): void {
    const tail = text.endsWith(" ") ? " " : "";
    const body = tail ? text.slice(0, -1) : text;
    const escaped = body.replace(/[\s"'\\$&|;()<>*?[\]#`!{}]/g, "\\$&") + tail;
    this.buf = this.buf.slice(0, this.wordStart) + escaped + this.buf.slice(this.pos);
    this.pos = this.wordStart + escaped.length;
  }

  private commandMatches(word: string): string[] {
    const set = new Set<string>();
    const take = (n: string) => {
      if (n.startsWith(word)) set.add(n);
    };
    for (const n of builtins.keys()) take(n);
    for (const n of this.sh.funcs.keys()) take(n);
    for (const n of this.sh.aliases.keys()) take(n);
    try {
      for (const n of appletNames()) take(n);
    } catch {}
    const PATH = this.sh.get("PATH") ?? "";
    for (const dir of PATH.split(":")) {
      const d = path.resolve(this.sh.cwd, dir || ".");
      let names: string[];
      try {
        names = fs.readdirSync(Buffer.from(d, "latin1"), { encoding: "latin1" } as any) as unknown as string[];
      } catch {
        continue;
      }
      for (const n of names) {
        if (!n.startsWith(word) || set.has(n)) continue;
        try {
          const p = Buffer.from(d + "/" + n, "latin1");
          if (fs.statSync(p).isFile()) {
            fs.accessSync(p, fs.constants.X_OK);
            set.add(n);
          }
        } catch {}
      }
    }
    return [...set].sort();
  }

  /** Paths starting with `word`, as the word would be completed (directories end in "/"). */
  private fileMatches(word: string): string[] {
    const slash = word.lastIndexOf("/");
    const dirPart = slash < 0 ? "" : word.slice(0, slash + 1);
    const base = word.slice(slash + 1);
    let dir = dirPart;
    if (dir.startsWith("~/") || dir === "~") dir = (this.sh.get("HOME") ?? "") + dir.slice(1);
    const abs = path.resolve(this.sh.cwd, dir || ".");
    let names: string[];
    try {
      names = fs.readdirSync(Buffer.from(abs, "latin1"), { encoding: "latin1" } as any) as unknown as string[];
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const n of names) {
      if (!n.startsWith(base)) continue;
      if (n[0] === "." && base[0] !== ".") continue;
      let isDir = false;
      try {
        isDir = fs.statSync(Buffer.from(abs + "/" + n, "latin1")).isDirectory();
      } catch {}
      out.push(dirPart + n + (isDir ? "/" : ""));
    }
    return out.sort();
  }
}

// ---- The prompt ----

/** $VAR, ${...}, $(...), $((...)) and `...` in PS1, expanded as in double quotes; backslashes are kept for the escapes. */
async function expandPromptVars(sh: Shell, ps: string): Promise<string> {
  if (!/[$`]/.test(ps)) return ps;
  let out = "";
  let i = 0;
  while (i < ps.length) {
    const c = ps[i];
    if (c === "\\") {
      out += ps.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== "$" && c !== "`") {
      out += c;
      i++;
      continue;
    }
    let end = i + 1;
    if (c === "`") {
      while (end < ps.length && ps[end] !== "`") end += ps[end] === "\\" ? 2 : 1;
      end++;
    } else if (ps[end] === "(" || ps[end] === "{") {
      const open = ps[end], close = open === "(" ? ")" : "}";
      let depth = 0;
      for (; end < ps.length; end++) {
        if (ps[end] === "\\") { end++; continue; }
        if (ps[end] === open) depth++;
        else if (ps[end] === close && --depth === 0) { end++; break; }
      }
    } else if (/[A-Za-z_]/.test(ps[end] ?? "")) {
      while (end < ps.length && /\w/.test(ps[end])) end++;
    } else if (/[0-9?$!#@*-]/.test(ps[end] ?? "")) end++;
    else {
      out += c;
      i++;
      continue;
    }
    const seg = ps.slice(i, end);
    i = end;
    try {
      const node = new Parser(`: "${seg}"`, 0, { aliases: new Map() }).parseNext();
      if (node && node.k === "simple" && node.words[1]) {
        const saved = sh.status;
        out += await expandString(sh, node.words[1]);
        sh.status = saved;
      } else out += seg;
    } catch {
      out += seg;
    }
  }
  return out;
}

/**
 * PS1 as ash shows it: parameter and command substitution first, then the
 * escapes \u \h \H \w \W \$ \n \r \t \T \@ \A \d \e \a \[ \] \\ \NNN.
 * Invisible regions between \[ and \] come back marked \x01 ... \x02.
 */
export async function expandPrompt(sh: Shell, ps: string): Promise<string> {
  ps = await expandPromptVars(sh, ps);
  const home = sh.get("HOME");
  const cwd = sh.cwd;
  const w = home && home !== "/" && (cwd === home || cwd.startsWith(home + "/")) ? "~" + cwd.slice(home.length) : cwd;
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  const host = () => {
    try {
      return require("node:os").hostname() as string;
    } catch {
      return "";
    }
  };
  let out = "";
  for (let i = 0; i < ps.length; i++) {
    const c = ps[i];
    if (c !== "\\" || i + 1 >= ps.length) {
      out += c;
      continue;
    }
    const e = ps[++i];
    switch (e) {
      case "u": out += userName(); break;
      case "h": out += host().split(".")[0]; break;
      case "H": out += host(); break;
      case "w": out += w; break;
      case "W": out += cwd === "/" ? "/" : w === "~" ? "~" : cwd.slice(cwd.lastIndexOf("/") + 1); break;
      case "$": out += process.getuid?.() === 0 ? "#" : "$"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "e": out += "\x1b"; break;
      case "a": out += "\x07"; break;
      case "t": out += `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`; break;
      case "T": out += `${two(now.getHours() % 12 || 12)}:${two(now.getMinutes())}:${two(now.getSeconds())}`; break;
      case "@": out += `${two(now.getHours() % 12 || 12)}:${two(now.getMinutes())} ${now.getHours() < 12 ? "AM" : "PM"}`; break;
      case "A": out += `${two(now.getHours())}:${two(now.getMinutes())}`; break;
      case "d": {
        const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        out += `${days[now.getDay()]} ${months[now.getMonth()]} ${two(now.getDate())}`;
        break;
      }
      case "[": out += "\x01"; break;
      case "]": out += "\x02"; break;
      case "\\": out += "\\"; break;
      default:
        if (/[0-7]/.test(e)) {
          const m = /^[0-7]{1,3}/.exec(ps.slice(i))![0];
          out += String.fromCharCode(parseInt(m, 8) & 255);
          i += m.length - 1;
        } else out += "\\" + e;
    }
  }
  return out;
}

let cachedUser: string | undefined;
function userName(): string {
  if (cachedUser === undefined) {
    const uid = process.geteuid?.() ?? 0;
    try {
      cachedUser = passwdName(uid) ?? String(uid);
    } catch {
      cachedUser = String(uid);
    }
  }
  return cachedUser;
}
