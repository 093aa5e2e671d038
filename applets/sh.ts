// sh / ash: the POSIX shell, at the level of BusyBox ash. The work is done
// by the modules in applets/sh/: parser (text to tree), expand (words),
// arith, exec (the tree walker), builtins, fds (the fd table and pipes),
// state (what a subshell copies), traps, lineedit (the interactive line
// editor and PS1), history. This file reads the command line and the script
// and runs it command by command.
import * as fs from "node:fs";
import { defineApplet, type AppletDef, type Context } from "../lib/applet.ts";
import { binaryOf } from "../lib/text.ts";
import type { Reader, Writer } from "../lib/io.ts";
import { Parser, ShSyntaxError } from "./sh/parser.ts";
import type { Node } from "./sh/ast.ts";
import { BreakSignal, ExitSignal, InterruptSignal, OPTION_LETTERS, OPTION_NAMES, ReturnSignal, Shell, ShellError, type Global } from "./sh/state.ts";
import { expandPrompt, LineEditor } from "./sh/lineedit.ts";
import { History, shellHistory } from "./sh/history.ts";
import { makePipe, OsHandle, readerOf, readLineFrom, type Handle } from "./sh/fds.ts";
import { evalString, execNode } from "./sh/exec.ts";
import { runTraps } from "./sh/traps.ts";
import { disableJobControl, enableJobControl, hasStoppedJobs, notifyJobs } from "./sh/jobs.ts";
import { errnoCode } from "../lib/errors.ts";

interface Invocation {
  command?: string;
  script?: string;
  opts: Set<string>;
  unset: Set<string>;
  args: string[];
  name?: string;
}

function parseArgs(args: string[]): Invocation | string {
  const inv: Invocation = { opts: new Set(), unset: new Set(), args: [] };
  let i = 0;
  let wantCommand = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--" || a === "-") { i++; break; }
    if (a[0] !== "-" && a[0] !== "+") break;
    const on = a[0] === "-";
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === "c" && on) { wantCommand = true; continue; }
      if (c === "o") {
        const name = args[++i];
        if (!name || !OPTION_NAMES.includes(name)) return `Illegal option -o ${name ?? ""}`;
        (on ? inv.opts : inv.unset).add(name);
        continue;
      }
      const name = OPTION_LETTERS[c];
      if (!name) return `Illegal option ${a[0]}${c}`;
      (on ? inv.opts : inv.unset).add(name);
    }
  }
  if (wantCommand) {
    if (i >= args.length) return "-c requires an argument";
    inv.command = args[i++];
    inv.name = args[i++];
  } else if (i < args.length && !inv.opts.has("stdin")) {
    inv.script = args[i++];
    inv.name = inv.script;
  }
  inv.args = args.slice(i);
  return inv;
}

/** A handle for a context stream: its fd when it has one, else a pumped in-memory pipe. */
function inputHandle(r: Reader, fd: number): Handle {
  if (r.fd !== undefined) return new OsHandle(r.fd, true, fd !== 0, false);
  const [rd, w] = makePipe();
  w.retain();
  void (async () => {
    try {
      for await (const c of r.chunks()) await w.pipe.write(c);
    } catch {}
    w.release();
  })();
  return rd;
}

function outputHandle(wr: Writer): Handle {
  if (wr.fd !== undefined) return new OsHandle(wr.fd, false, true, false);
  const [rd, w] = makePipe();
  rd.retain();
  void (async () => {
    try {
      for (let c = await rd.pipe.read(); c; c = await rd.pipe.read()) await wr.write(c);
      await wr.flush();
    } catch {}
    rd.release();
  })();
  return w;
}

function initVars(sh: Shell, ctx: Context): void {
  for (const [k, v] of Object.entries(ctx.env)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) sh.vars.set(k, { value: binaryOf(v), exported: true });
  }
  sh.vars.set("IFS", { value: " \t\n" });
  const root = process.getuid?.() === 0;
  if (!sh.vars.has("PS1")) sh.vars.set("PS1", { value: root ? "\\w # " : "\\w \\$ " });
  sh.vars.set("PS2", { value: "> " });
  sh.vars.set("PS4", { value: "+ " });
  sh.vars.set("OPTIND", { value: "1" });
  sh.vars.set("PPID", { value: String(process.ppid) });
  const cwd = binaryOf(ctx.cwd);
  const pwd = sh.get("PWD");
  let pwdOk = false;
  try {
    if (pwd && pwd.startsWith("/")) {
      const a = fs.statSync(Buffer.from(pwd, "latin1")), b = fs.statSync(Buffer.from(cwd, "latin1"));
      pwdOk = a.ino === b.ino && a.dev === b.dev;
    }
  } catch {}
  sh.cwd = pwdOk ? pwd! : cwd;
  sh.vars.set("PWD", { value: sh.cwd, exported: true });
}

interface ParsedText { nodes: Node[]; error?: ShSyntaxError }

/**
 * Long -c programs run again and again in one process (openrc runs the same
 * init-script prelude for every service, in-process) are parsed once. Only
 * texts that cannot define an alias qualify: an alias changes how the
 * commands after it parse, which is why parsing otherwise goes command by command.
 */
const parsedTexts = new Map<string, ParsedText>();
const CACHED_MIN = 4096, CACHED_MAX = 8;

function parsedOnce(text: string, baseLine: number): ParsedText | undefined {
  if (text.length < CACHED_MIN || text.includes("alias")) return undefined;
  const key = `${baseLine}:${text}`;
  let parsed = parsedTexts.get(key);
  if (!parsed) {
    parsed = { nodes: [] };
    const p = new Parser(text, 0, {}, baseLine);
    try {
      for (let n = p.parseNext(); n; n = p.parseNext()) parsed.nodes.push(n);
    } catch (e) {
      if (!(e instanceof ShSyntaxError)) throw e;
      parsed.error = e;
    }
    if (parsedTexts.size >= CACHED_MAX) parsedTexts.delete(parsedTexts.keys().next().value!);
    parsedTexts.set(key, parsed);
  }
  return parsed;
}

async function syntaxFailure(sh: Shell, e: ShSyntaxError): Promise<never> {
  sh.line = e.line;
  await sh.error(e.message);
  throw new ExitSignal(2);
}

/** Run parsed commands one at a time; syntax errors end the shell with status 2. */
async function runText(sh: Shell, text: string, baseLine: number): Promise<number> {
  const cached = sh.aliases.size === 0 ? parsedOnce(text, baseLine) : undefined;
  if (cached) {
    for (const node of cached.nodes) if (!sh.opts.has("noexec")) await execNode(sh, node);
    if (cached.error) await syntaxFailure(sh, cached.error);
    return sh.status;
  }
  const p = new Parser(text, 0, { aliases: sh.aliases }, baseLine);
  for (;;) {
    let node;
    try {
      node = p.parseNext();
    } catch (e) {
      if (!(e instanceof ShSyntaxError)) throw e;
      await syntaxFailure(sh, e);
    }
    if (!node) return sh.status;
    if (sh.opts.has("noexec")) continue;
    await execNode(sh, node);
  }
}

/** An interactive shell: prompt, read lines from the terminal (with the line editor), run each command. */
async function interactive(sh: Shell, jobControl: boolean): Promise<number> {
  const h0 = sh.fds.get(0), h2 = sh.fds.get(2);
  const editing = h0 instanceof OsHandle && h2 instanceof OsHandle;
  let editor: LineEditor | undefined;
  let history: History | undefined;
  if (editing) {
    history = new History(sh);
    history.load();
    shellHistory.set(sh.g, history);
    editor = new LineEditor(sh, (h0 as OsHandle).fd, (h2 as OsHandle).fd, history);
  }
  // SIGINT (Ctrl-C while a command runs) interrupts the command, not the shell.
  const g = sh.g;
  const onInt = () => {
    if (sh.traps.has("INT")) return;
    g.interrupted = true;
    g.abort?.abort();
  };
  process.on("SIGINT", onInt);
  // As ash: an interactive shell ignores SIGTERM (a trap on it still runs).
  const onTerm = () => {};
  process.on("SIGTERM", onTerm);
  if (editing && jobControl) enableJobControl(sh);
  try {
    let pending = "";
    for (;;) {
      g.interrupted = false;
      await runTraps(sh);
      if (!pending) await notifyJobs(sh);
      let line: string;
      if (editor) {
        const prompt = pending ? await expandPrompt(sh, sh.get("PS2") ?? "> ") : await expandPrompt(sh, sh.get("PS1") ?? "$ ");
        const r = await editor.readLine(prompt);
        if (r.kind === "eof") {
          if (!pending && warnStoppedJobs(sh)) continue;
          if (pending) await sh.error("syntax error: unexpected end of file");
          await sh.write(2, "\n");
          return sh.status;
        }
        if (r.kind === "interrupt") {
          pending = "";
          sh.status = 130;
          continue;
        }
        line = r.line;
        history!.add(line);
      } else {
        const prompt = pending ? sh.get("PS2") ?? "> " : (await expandPrompt(sh, sh.get("PS1") ?? "$ ")).replace(/[\x01\x02]/g, "");
        await sh.write(2, prompt);
        const [l, got] = await readLineFrom(sh.fds.get(0), 10);
        if (!got && l === "") {
          if (pending) await sh.error("syntax error: unexpected end of file");
          await sh.write(2, "\n");
          return sh.status;
        }
        line = l;
      }
      pending += line + "\n";
      const p = new Parser(pending, 0, { aliases: sh.aliases });
      const nodes = [];
      try {
        for (let n = p.parseNext(); n; n = p.parseNext()) nodes.push(n);
      } catch (e) {
        if (!(e instanceof ShSyntaxError)) throw e;
        if (e.atEof) continue;
        await sh.error(e.message);
        pending = "";
        sh.status = 2;
        continue;
      }
      pending = "";
      g.interrupted = false;
      g.abort = new AbortController();
      const warned = g.stopWarned;
      g.stopWarned = false;
      try {
        for (const n of nodes) {
          try {
            await execNode(sh, n);
          } catch (e) {
            if (e instanceof ExitSignal && !warned && warnStoppedJobs(sh)) {
              sh.status = 0; // ash's exit returns 0 when it only warns
              break;
            }
            if (e instanceof ShellError) {
              await sh.error(e.message);
              sh.status = e.status;
            } else if (e instanceof BreakSignal || e instanceof ReturnSignal) continue;
            else throw e;
          }
          if (g.interrupted) throw new InterruptSignal();
        }
      } catch (e) {
        if (!(e instanceof InterruptSignal)) throw e;
        sh.status = 130;
        await sh.write(2, "\n").catch(() => {});
      } finally {
        g.abort = undefined;
      }
    }
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    disableJobControl(g);
  }
}

/** ash's first exit with stopped jobs only warns; the next one leaves. */
function warnStoppedJobs(sh: Shell): boolean {
  const g = sh.g;
  if (!g.jc || g.stopWarned || !hasStoppedJobs(g)) return false;
  g.stopWarned = true;
  void sh.write(2, "You have stopped jobs.\n").catch(() => {});
  return true;
}

async function runShell(ctx: Context, args: string[]): Promise<number> {
  const inv = parseArgs(args.map(binaryOf));
  const argv0 = binaryOf(ctx.argv[0] ?? "sh");
  if (typeof inv === "string") {
    await ctx.stderr.write(`${argv0}: ${inv}\n`);
    return 2;
  }
  const g: Global = {
    pid: process.pid,
    arg0: inv.script ?? argv0,
    shellName: argv0.slice(argv0.lastIndexOf("/") + 1),
    script: inv.script !== undefined,
    jobs: new Map(),
    jobOrder: [],
    nextJob: 1,
    ticks: 0,
    pendingSignals: [],
    signalWaiters: new Set(),
  };
  const sh = new Shell(g);
  g.main = sh;
  sh.subshell = false;
  initVars(sh, ctx);
  for (const o of inv.opts) sh.opts.add(o);
  sh.name = inv.name ?? argv0;
  sh.positional = inv.args;
  sh.umask = process.umask();
  sh.fds.set(0, inputHandle(ctx.stdin, 0));
  sh.fds.set(1, outputHandle(ctx.stdout));
  sh.fds.set(2, outputHandle(ctx.stderr));

  let status = 0;
  try {
    // A login shell ("-sh", as login and init start it) reads the profiles first.
    if (argv0.startsWith("-")) {
      for (const file of ["/etc/profile", `${sh.get("HOME") ?? ""}/.profile`]) {
        let text: string | undefined;
        try {
          text = fs.readFileSync(file, "latin1");
        } catch {}
        if (text !== undefined) status = await runText(sh, text, 1);
      }
    }
    if (inv.command !== undefined) {
      sh.opts.add("cmdstring");
      status = await runText(sh, inv.command, 0);
    } else if (inv.script !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(Buffer.from(require("node:path").resolve(sh.cwd, inv.script), "latin1")).toString("latin1");
      } catch (e) {
        const code = errnoCode(e);
        g.arg0 = argv0;
        g.script = false;
        await sh.error(`can't open '${inv.script}': ${code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied" : code === "EISDIR" ? "Is a directory" : code}`);
        return code === "ENOENT" ? 127 : 126;
      }
      status = await runText(sh, text, 1);
    } else {
      sh.opts.add("stdin");
      const h0 = sh.fds.get(0);
      if (h0 instanceof OsHandle && ctx.stdin.isTTY && ctx.stderr.isTTY) {
        sh.opts.add("interactive");
        status = await interactive(sh, !inv.unset.has("monitor"));
      } else {
        const chunks: Buffer[] = [];
        for await (const c of readerOf(h0).chunks()) chunks.push(Buffer.from(c));
        status = await runText(sh, Buffer.concat(chunks).toString("latin1"), 1);
      }
    }
  } catch (e) {
    status = await topLevelEnd(sh, e);
  }
  status = await exitTrap(sh, status);
  sh.fds.releaseAll();
  return status;
}

async function topLevelEnd(sh: Shell, e: unknown): Promise<number> {
  if (e instanceof ExitSignal) return e.status;
  if (e instanceof ShellError) {
    await sh.error(e.message);
    return e.status;
  }
  if (e instanceof ReturnSignal) return e.status;
  if (e instanceof BreakSignal) return sh.status;
  if (errnoCode(e) === "EPIPE") return 141;
  throw e;
}

async function exitTrap(sh: Shell, status: number): Promise<number> {
  const action = sh.traps.get("EXIT");
  if (action === undefined) return status;
  sh.traps.delete("EXIT");
  sh.status = status;
  try {
    await evalString(sh, action);
  } catch (e) {
    return topLevelEnd(sh, e);
  }
  return status;
}

for (const name of ["ash", "sh"]) {
  const def: AppletDef = {
    name,
    usage: "[-/+OPTIONS] [-/+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]",
    summary: "Unix shell interpreter",
    rawArgs: true,
    run: (ctx, _opts, args) => runShell(ctx, args),
  };
  defineApplet(def);
}
