// The interactive shell on a real terminal (node-pty): the line editor,
// history, Ctrl-R, Tab completion, Ctrl-C and Ctrl-D. Where the keys mean the
// same in Debian's busybox ash, the screens (escape sequences applied by a
// small terminal model) are compared; otherwise our screen is checked.
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, PIKA, tempDir } from "../helpers/run.ts";

const require = createRequire(import.meta.url);
const pty = require("node-pty") as typeof import("node-pty");

const LEFT = "\x1b[D", RIGHT = "\x1b[C", UP = "\x1b[A", DOWN = "\x1b[B";
const ctrl = (c: string) => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);

let work = "";
let home = "";
beforeAll(() => {
  work = tempDir("pika-shi-work-");
  home = tempDir("pika-shi-home-");
  fs.writeFileSync(path.join(work, "fileone.txt"), "one\n");
  fs.writeFileSync(path.join(work, "filetwo.txt"), "two\n");
  fs.writeFileSync(path.join(work, "uniquename.txt"), "unique contents\n");
  fs.writeFileSync(path.join(work, "with space.txt"), "spaced out\n");
  fs.mkdirSync(path.join(work, "subdir"));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

/** What a terminal shows after `out`: rows of text (CR, LF, BS, CSI K J D C A B H applied). */
function screen(out: string, cols = 80): string[] {
  const rows: string[][] = [[]];
  let r = 0, c = 0;
  const row = () => (rows[r] ??= []);
  for (let i = 0; i < out.length; i++) {
    const ch = out[i];
    if (ch === "\x1b") {
      const m = /^\x1b\[([0-9;?]*)([A-Za-z@])/.exec(out.slice(i, i + 20));
      if (!m) { i++; continue; }
      const n = Number(m[1].split(";")[0] || 1);
      switch (m[2]) {
        case "K": row().length = Math.min(row().length, c); break;
        case "J": row().length = Math.min(row().length, c); rows.length = r + 1; break;
        case "D": c = Math.max(0, c - n); break;
        case "C": c += n; break;
        case "A": r = Math.max(0, r - n); break;
        case "B": r += n; break;
        case "H": r = 0; c = 0; break;
      }
      i += m[0].length - 1;
    } else if (ch === "\r") c = 0;
    else if (ch === "\n") { r++; row(); }
    else if (ch === "\b") c = Math.max(0, c - 1);
    else if (ch === "\x07") continue;
    else {
      if (c >= cols) { c = 0; r++; }
      const line = row();
      while (line.length < c) line.push(" ");
      line[c++] = ch;
    }
  }
  for (let i = 0; i <= r; i++) row();
  return rows.map((l) => Array.from(l, (x) => x ?? " ").join("").trimEnd());
}

class Term {
  out = "";
  code: Promise<number>;
  private t: import("node-pty").IPty;
  constructor(bin: string, opts: { cols?: number; env?: Record<string, string> } = {}) {
    this.t = pty.spawn(bin, bin === BUSYBOX ? ["ash"] : ["sh"], {
      cols: opts.cols ?? 80,
      rows: 24,
      cwd: work,
      env: { PATH: "/usr/bin:/bin", TERM: "xterm", HOME: fs.mkdtempSync(path.join(home, "h")), ...opts.env },
    });
    this.t.onData((d) => (this.out += d));
    this.code = new Promise((res) => this.t.onExit((e) => res(e.exitCode)));
  }
  async waitFor(re: RegExp, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(this.out)) {
      if (Date.now() > end) throw new Error(`no ${re} in ${JSON.stringify(this.out)}`);
      await sleep(20);
    }
  }
  /** Wait until the output has been quiet for a while. */
  async settle(quietMs = 250): Promise<void> {
    let last = this.out.length, since = Date.now();
    const end = Date.now() + 10_000;
    while (Date.now() - since < quietMs && Date.now() < end) {
      await sleep(25);
      if (this.out.length !== last) { last = this.out.length; since = Date.now(); }
    }
  }
  /** Type keys one chunk at a time, letting the shell answer each. */
  async keys(...chunks: string[]): Promise<void> {
    for (const k of chunks) {
      this.t.write(k);
      await this.settle();
    }
  }
  /** Screen rows from the first prompt on (busybox's banner left out). */
  rows(): string[] {
    const s = screen(this.out);
    const first = s.findIndex((l) => /[#$] /.test(l));
    return s.slice(Math.max(first, 0));
  }
  kill(): void {
    try { this.t.kill(); } catch {}
  }
  /** The shell's pid: the session leader of the terminal. */
  get pid(): number {
    return this.t.pid;
  }
  /** Send keys without waiting for an answer. */
  write(keys: string): void {
    this.t.write(keys);
  }
  /** The terminal's foreground process group (tpgid of the shell's stat), 0 if unknown. */
  foregroundGroup(): number {
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, "latin1");
      // Fields after "(comm)": state ppid pgrp session tty_nr tpgid.
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[5]) || 0;
    } catch {
      return 0;
    }
  }
  /** Wait until a job of `programs` processes, not the shell, is the terminal's foreground process group. */
  async jobHasTerminal(programs = 1, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      const fg = this.foregroundGroup();
      if (fg > 0 && fg !== this.pid && groupSize(fg) >= programs) return;
      if (Date.now() > end) throw new Error(`no job got the terminal: ${JSON.stringify(this.out)}`);
      await sleep(50);
    }
  }
  /** Wait until no job has the terminal (the shell is at its prompt), then for quiet output. */
  async shellHasTerminal(ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end && this.foregroundGroup() !== this.pid) await sleep(20);
    await this.settle();
  }
  /** Press Enter until `re` shows (a job's notice comes before some later prompt). */
  async enterUntil(re: RegExp, tries = 20): Promise<void> {
    for (let i = 0; i < tries && !re.test(this.out); i++) await this.keys("\r");
    await this.waitFor(re);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many processes are in process group `pgrp`. */
function groupSize(pgrp: number): number {
  let n = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgrp) n++;
    } catch {}
  }
  return n;
}

/** Run the same keys through pika's and busybox's shells; both screens. */
async function both(keys: string[], opts: { cols?: number } = {}): Promise<[string[], string[]]> {
  const res: string[][] = [];
  for (const bin of [PIKA, BUSYBOX]) {
    const t = new Term(bin, opts);
    try {
      await t.waitFor(/[#$] (\x1b\[6n)?$/);
      await t.settle();
      // Each key once the shell is back at its prompt: a command it started may be slow to answer.
      for (const k of keys) {
        await t.keys(k);
        await t.shellHasTerminal();
      }
      res.push(t.rows());
    } finally {
      t.kill();
    }
  }
  return [res[0], res[1]];
}

describe("interactive sh against busybox ash (screens)", () => {
  it("shows the prompt, runs a command", async () => {
    const [ours, bb] = await both(["echo hello\r"]);
    expect(ours).toEqual(bb);
    expect(ours[0]).toMatch(new RegExp(`^${work.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} [#$] echo hello$`));
    expect(ours[1]).toBe("hello");
  }, 60_000);

  it("edits with Left and inserts; Right, Home/End and their variants", async () => {
    const [ours, bb] = await both([
      "echo wrld", LEFT, LEFT, LEFT, "o", "\r",
      "cho mid", "\x1b[H", "e", "\x1b[F", "dle", "\r",
      "cho a", "\x1bOH", "e", "\x1bOF", "b", "\x1b[1~", RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, "_", "\x1b[4~", "c\r",
    ]);
    expect(ours).toEqual(bb);
    expect(ours).toContain("world");
    expect(ours).toContain("middle");
    expect(ours).toContain("_abc");
  }, 60_000);

  it("Ctrl-A Ctrl-K, Ctrl-U, Ctrl-W, Ctrl-B/F, Backspace, Delete, Ctrl-D inside a line", async () => {
    const [ours, bb] = await both([
      "echo keep drop", ctrl("a"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("f"), ctrl("k"), "\r",
      "garbage words", ctrl("u"), "echo clean\r",
      "echo one two", ctrl("w"), "three\r",
      "echo abXc", ctrl("b"), "\x7f", "\r",
      "echo aXYb", ctrl("b"), ctrl("b"), ctrl("b"), "\x1b[3~", ctrl("d"), "\r",
    ]);
    expect(ours).toEqual(bb);
    for (const s of ["keep", "clean", "one three", "abc", "ab"]) expect(ours).toContain(s);
  }, 60_000);

  it("Up and Down walk the history; the history builtin lists it", async () => {
    const [ours, bb] = await both(["echo first\r", "echo second\r", UP, UP, "\r", UP, UP, DOWN, "\r", UP, "\r", "history\r"]);
    expect(ours).toEqual(bb);
    expect(ours.filter((l) => l === "first").length).toBe(4);
    expect(ours).toContain("   3 history");
  }, 60_000);

  it("Tab completes a command, a file, a directory; a second Tab lists the matches", async () => {
    const [ours, bb] = await both(["ech\t", "x\r", "cat uniq\t", "\r", "ls sub\t", "\x03", "cat file\t", "\t", "\x03", "cat wit\t", "\r"]);
    expect(ours).toEqual(bb);
    expect(ours).toContain("unique contents");
    expect(ours.some((l) => l.endsWith("ls subdir/^C"))).toBe(true);
    expect(ours).toContain("fileone.txt  filetwo.txt");
    expect(ours.some((l) => l.endsWith("cat with\\ space.txt"))).toBe(true);
    expect(ours).toContain("spaced out");
  }, 60_000);

  it("Ctrl-C discards the line, status 130; Ctrl-D on an empty line exits with the last status", async () => {
    const [ours, bb] = await both(["true\r", "echo never", "\x03", "echo $?\r"]);
    expect(ours).toEqual(bb);
    expect(ours.some((l) => l.endsWith("echo never^C"))).toBe(true);
    expect(ours).toContain("130");
    for (const bin of [PIKA, BUSYBOX]) {
      const t = new Term(bin);
      await t.waitFor(/[#$] (\x1b\[6n)?$/);
      await t.keys("true\r", ctrl("d"));
      expect(await Promise.race([t.code, sleep(10_000).then(() => -1)])).toBe(0);
      t.kill();
    }
  }, 60_000);
});

describe("interactive sh (our screens)", () => {
  it("loads ~/.ash_history and appends each line to it", async () => {
    const h = tempDir("pika-shi-hist-");
    try {
      fs.writeFileSync(path.join(h, ".ash_history"), "echo from-the-file\n");
      const t = new Term(PIKA, { env: { HOME: h } });
      await t.waitFor(/[#$] $/);
      await t.keys(UP, "\r", "echo added\r", ctrl("d"));
      expect(await t.code).toBe(0);
      expect(t.rows()).toContain("from-the-file");
      // A line repeating the one before is not saved again (as ash).
      expect(fs.readFileSync(path.join(h, ".ash_history"), "utf8")).toBe("echo from-the-file\necho added\n");
      // $HISTFILE wins; HISTSIZE keeps the file short.
      const t2 = new Term(PIKA, { env: { HOME: h, HISTFILE: path.join(h, "other"), HISTSIZE: "2" } });
      await t2.waitFor(/[#$] $/);
      await t2.keys("echo 1\r", "echo 2\r", "echo 3\r", ctrl("d"));
      await t2.code;
      expect(fs.readFileSync(path.join(h, "other"), "utf8")).toBe("echo 2\necho 3\n");
    } finally {
      fs.rmSync(h, { recursive: true, force: true });
    }
  }, 60_000);

  it("Ctrl-R searches the history backwards", async () => {
    const t = new Term(PIKA);
    try {
      await t.waitFor(/[#$] $/);
      await t.keys("echo alpha-one\r", "echo beta\r", "echo alpha-two\r", ctrl("r"), "alp");
      expect(t.rows().at(-1)).toBe("(reverse-i-search)'alp': echo alpha-two");
      await t.keys(ctrl("r"));
      expect(t.rows().at(-1)).toBe("(reverse-i-search)'alp': echo alpha-one");
      await t.keys("\r");
      expect(t.rows().slice(-2)).toEqual(["alpha-one", `${work} ${process.getuid?.() === 0 ? "#" : "$"}`]);
      // Another key takes the match into the line for editing.
      await t.keys(ctrl("r"), "beta", ctrl("e"), "-x\r");
      expect(t.rows()).toContain("beta-x");
    } finally {
      t.kill();
    }
  }, 60_000);

  it("expands PS1's escapes and substitutions; PS2 on continuation lines", async () => {
    const t = new Term(PIKA, { env: { HOME: work } });
    try {
      await t.waitFor(/[#$] $/);
      await t.keys("X=val; PS1='[\\W|\\w|$X|$(echo sub)|\\\\|\\[\\e[1m\\]b\\[\\e[0m\\]]\\$ '\r", "cd subdir\r", "if true\r", "then echo in\r", "fi\r");
      const rows = t.rows();
      const p = `[subdir|~/subdir|val|sub|\\|b]${process.getuid?.() === 0 ? "#" : "$"} `;
      expect(rows).toContain(p + "if true");
      expect(rows).toContain("> then echo in");
      expect(rows).toContain("in");
    } finally {
      t.kill();
    }
  }, 60_000);

  it("commands run with the terminal's own modes, not the editor's raw ones", async () => {
    const t = new Term(PIKA);
    try {
      await t.waitFor(/[#$] $/);
      await t.keys("/bin/stty -a | tr ' ' '\\n' | grep -x -e -icanon -e icanon -e -echo -e echo -e -isig -e isig | tr '\\n' ' '; echo\r");
      await t.waitFor(/isig icanon echo/);
      expect(t.rows()).toContain("isig icanon echo");
    } finally {
      t.kill();
    }
  }, 60_000);

  it("a UTF-8 character moves and is deleted as one", async () => {
    const t = new Term(PIKA);
    try {
      await t.waitFor(/[#$] $/);
      await t.keys("echo h\u20acllo", LEFT, LEFT, LEFT, "\x7f", "e", RIGHT, "\x1b[3~", "L\r");
      expect(t.rows()).toContain("helLo");
    } finally {
      t.kill();
    }
  }, 60_000);

  it("a line wider than the terminal scrolls on one row and runs whole", async () => {
    const t = new Term(PIKA, { cols: 40 });
    try {
      await t.waitFor(/[#$] $/);
      const long = "abcdefghij".repeat(6);
      await t.keys("echo " + long);
      const last = t.rows().at(-1)!;
      expect(last.length).toBeLessThan(40);
      expect(last.endsWith("ghij")).toBe(true);
      await t.keys(ctrl("a"), "\x1b[C".repeat(5), "X", ctrl("e"), "Y\r");
      expect(t.out).toContain("X" + long + "Y\r\n");
    } finally {
      t.kill();
    }
  }, 60_000);

  it("Ctrl-C stops a foreground program, an in-process applet and a loop, not the shell", async () => {
    const t = new Term(PIKA);
    try {
      await t.waitFor(/[#$] $/);
      const started = Date.now();
      await t.keys("/bin/sleep 20; echo not-reached\r");
      await sleep(300);
      await t.keys("\x03", "echo status=$?\r");
      await t.keys("cat\r", "line\r");
      await t.keys("\x03", "echo cat=$?\r");
      await t.keys("while :; do :; done\r");
      await sleep(300);
      await t.keys("\x03", "echo loop=$?\r");
      expect(Date.now() - started).toBeLessThan(15_000);
      const rows = t.rows();
      expect(rows).toContain("status=130");
      expect(rows).toContain("cat=130");
      expect(rows).toContain("loop=130");
      expect(rows).not.toContain("not-reached");
      await t.keys(ctrl("d"));
      expect(await t.code).toBe(0);
    } finally {
      t.kill();
    }
  }, 60_000);
});

// Job control: the same keys to both shells, the same patterns expected of
// both (pids and the exact moment of a notice differ).
describe("interactive sh: job control, as busybox ash", () => {
  for (const [name, bin] of [["pika", PIKA], ["busybox", BUSYBOX]] as const) {
    it(`${name}: Ctrl-Z stops sleep; jobs, jobs -l, jobs -p, bg, fg, Ctrl-C`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("sleep 30\r");
        await t.jobHasTerminal();
        t.write(ctrl("z"));
        await t.waitFor(/\[1\]\+  Stopped {20}sleep 30\r\n/);
        await t.keys("echo stopped=$?\r");
        await t.waitFor(/stopped=148/);
        await t.keys("jobs\r");
        await t.waitFor(/jobs\r\n\[1\]\+  Stopped {20}sleep 30\r\n/);
        await t.keys("jobs -l\r");
        await t.waitFor(/jobs -l\r\n\[1\]\+  (\d+) Stopped +sleep 30\r\n/);
        const pid = /jobs -l\r\n\[1\]\+  (\d+) /.exec(t.out)![1];
        expect(fs.readFileSync(`/proc/${pid}/stat`, "latin1")).toMatch(/\) T /);
        await t.keys("jobs -p\r");
        await t.waitFor(new RegExp(`jobs -p\\r\\n${pid}\\r\\n`));
        await t.keys("bg\r");
        await t.waitFor(/bg\r\n\[1\] sleep 30\r\n/);
        await t.keys("jobs\r");
        await t.waitFor(/\[1\]\+  Running {20}sleep 30\r\n/);
        expect(fs.readFileSync(`/proc/${pid}/stat`, "latin1")).not.toMatch(/\) T /);
        await t.keys("fg\r");
        await t.waitFor(/fg\r\nsleep 30\r\n/);
        await t.jobHasTerminal();
        t.write(ctrl("c"));
        await t.keys("echo fg=$?\r");
        await t.waitFor(/fg=130/);
        await t.keys("jobs\r", "echo none\r");
        expect(t.out).toMatch(/jobs\r\n(\x1b\[6n)?\$ (\x1b\[6n)?echo none/);
        await t.keys("exit\r");
        expect(await t.code).toBe(0);
      } finally {
        t.kill();
      }
    }, 90_000);

    it(`${name}: a stopped pipeline is one job: jobs -l shows each program; kill %1 ends them all`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("sleep 30 | cat | cat\r");
        await t.jobHasTerminal(3);
        t.write(ctrl("z"));
        await t.waitFor(/\[1\]\+  Stopped {20}sleep 30 \| cat \| cat\r\n/);
        await t.keys("jobs -l\r");
        await t.waitFor(/jobs -l\r\n\[1\]\+  \d+ Stopped +sleep 30\r\n {6}\d+ +\| cat\r\n {6}\d+ +\| cat\r\n/);
        await t.keys("kill %1\r", "fg\r");
        await t.waitFor(/fg\r\nsleep 30 \| cat \| cat\r\n(Terminated\r\n){3}/);
        await t.keys("jobs\r", "exit\r");
        expect(await t.code).toBe(0);
      } finally {
        t.kill();
      }
    }, 90_000);

    it(`${name}: a background job that reads the terminal stops (tty input); fg gives it the terminal`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("cat &\r");
        await t.enterUntil(/\[1\]\+  Stopped \(tty input\) {8}cat\r\n/);
        await t.keys("fg\r");
        await t.jobHasTerminal();
        await t.keys("hello\r");
        await t.waitFor(/hello\r\nhello\r\n/);
        await t.keys(ctrl("d"), "echo st=$?\r");
        await t.waitFor(/st=0/);
        await t.keys("exit\r");
        expect(await t.code).toBe(0);
      } finally {
        t.kill();
      }
    }, 90_000);

    it(`${name}: background jobs, kill %N, Done and Terminated notices, stopped jobs at exit`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("sleep 40 &\r", "sleep 50 &\r", "jobs\r");
        await t.waitFor(/\[2\]\+  Running {20}sleep 50\r\n\[1\]-  Running {20}sleep 40\r\n/);
        await t.keys("kill %1\r");
        await t.enterUntil(/\[1\]-  Terminated {17}sleep 40\r\n/);
        await t.keys("kill %2\r");
        await t.enterUntil(/\[2\]\+  Terminated {17}sleep 50\r\n/);
        await t.keys("true &\r");
        await t.enterUntil(/\[1\]\+  Done {23}true\r\n/);
        await t.keys("(exit 3) &\r");
        await t.enterUntil(/\[1\]\+  Done\(3\) {20}\(exit 3\)\r\n/);
        await t.keys("fg %4\r");
        await t.waitFor(/fg: .*%4: no such job/);
        await t.keys("sleep 30\r");
        await t.jobHasTerminal();
        t.write(ctrl("z"));
        await t.waitFor(/\[1\]\+  Stopped {20}sleep 30\r\n/);
        await t.keys("exit\r");
        await t.waitFor(/You have stopped jobs\.\r\n/);
        await t.keys("exit\r");
        expect(await t.code).toBe(0);
      } finally {
        t.kill();
      }
    }, 90_000);
  }
});

describe("interactive sh: signals, as busybox ash", () => {
  for (const [name, bin] of [["pika", PIKA], ["busybox", BUSYBOX]] as const) {
    it(`${name}: SIGTERM does not end an interactive shell, a trap on it still runs`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("kill -TERM $$; echo alive\r");
        await t.waitFor(/\r\nalive\r\n/);
        await t.keys("trap 'echo caught' TERM; kill -TERM $$; echo after\r");
        await t.waitFor(/caught\r\nafter\r\n/);
        await t.keys("exit\r");
        expect(await t.code).toBe(0);
      } finally {
        t.kill();
      }
    }, 60_000);
  }
});

describe("interactive sh: read on the terminal, as busybox ash", () => {
  const modes = "/bin/stty -a | tr ' ' '\\n' | grep -x -e -echo -e echo -e -icanon -e icanon | tr '\\n' ' '; echo\r";
  for (const [name, bin] of [["pika", PIKA], ["busybox", BUSYBOX]] as const) {
    it(`${name}: read -s does not echo, -n takes single keys, -p prompts, -t times out; Ctrl-C puts echo back`, async () => {
      const t = new Term(bin, { env: { PS1: "$ " } });
      try {
        await t.waitFor(/[#$] (\x1b\[6n)?$/);
        await t.settle();
        await t.keys("read -s pw; echo \"got:$pw\"\r", "hush\r");
        await t.waitFor(/got:hush/);
        expect(t.out).not.toMatch(/\nhush/);
        await t.keys(modes);
        await t.waitFor(/icanon echo \r\n/);
        await t.keys("read -n 2 k; echo \"[$k]\"\r", "yz");
        await t.waitFor(/yz\[yz\]/);
        await t.keys("read -p 'Name? ' n; echo \"hi $n\"\r", "ann\r");
        await t.waitFor(/Name\? ann\r\nhi ann/);
        await t.keys("read -t 1 v; echo \"timeout=$?\"\r");
        await t.waitFor(/timeout=1/);
        await t.keys("read -s x\r", "typed");
        t.write(ctrl("c"));
        await t.waitFor(/read -s x\r\n\r\n\$ (\x1b\[6n)?$/);
        await t.keys("echo \"after=[$x]\"\r");
        await t.waitFor(/after=\[\]/);
        expect(t.out).not.toMatch(/typed/);
        await t.keys(modes);
        await t.waitFor(/icanon echo \r\n[^]*icanon echo \r\n/);
      } finally {
        t.kill();
      }
    }, 90_000);
  }
});
