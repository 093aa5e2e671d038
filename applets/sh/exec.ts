// The executor: walks the syntax tree. Bun cannot fork, so subshells,
// pipeline parts, command substitutions and background jobs run in-process
// in cloned shell states (state.ts), concurrently where the shell would have
// had several processes. Builtins and pika's own applets run in-process
// (BusyBox's NOFORK); other programs are spawned with the context's fds.
import * as fs from "node:fs";
import * as path from "node:path";
import { constants } from "node:os";
import { loadApplet, runApplet, type Applet, type Context } from "../../lib/applet.ts";
import { errnoCode } from "../../lib/errors.ts";
import type { Node, Redir, Word } from "./ast.ts";
import { expandPattern, expandString, expandWords, hooks, patternMatch } from "./expand.ts";
import { isatty } from "../../lib/io.ts";
import { InterruptibleTtyReader, makePipe, OsHandle, PipeReadHandle, PipeWriteHandle, readerOf, writerOf, type FdTable, type Handle } from "./fds.ts";
import { BreakSignal, ExitSignal, InterruptSignal, ReturnSignal, ShellError, type Job, type Shell } from "./state.ts";
import { builtins, SPECIAL } from "./builtins.ts";
import { evalDbrack } from "./test.ts";
import { childEnded, runTraps } from "./traps.ts";
import { addJob, commandText, jobSetup, isProgramJob, jobProgramEnded, jobSpawned, newJob, waitForeground } from "./jobs.ts";
import { EXEC_SETUP, type ExecSetup } from "../../lib/multicall.ts";
import { limitArgs } from "./ulimit.ts";

/** Made-up pids for in-process background jobs start above any real pid_max. */
export const FAKE_PID_BASE = 10_000_000;
const SIGNALS = constants.signals as Record<string, number>;

/** latin1 byte string to the UTF-8 JS string that Bun and applets expect. */
export function toUtf8(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return Buffer.from(s, "latin1").toString("utf8");
  return s;
}

/** A path (latin1) for node:fs: a Buffer keeps every byte. */
export function fsPath(sh: Shell, p: string): Buffer {
  return Buffer.from(path.resolve(sh.cwd, p), "latin1");
}

hooks.subst = async (sh, node) => {
  const sub = sh.clone();
  const [r, w] = makePipe();
  r.retain();
  sub.fds.set(1, w);
  let text = "";
  const collect = (async () => {
    for (let c = await r.pipe.read(); c; c = await r.pipe.read()) text += Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString("latin1");
  })();
  const status = await runSubshell(sub, node);
  await collect;
  r.release();
  sh.status = status;
  sh.substStatus = status;
  return text;
};

/** Run a node in a subshell context (already cloned); returns its status and frees its fds. */
export async function runSubshell(sub: Shell, node: Node): Promise<number> {
  let status: number;
  try {
    status = await execNode(sub, node);
  } catch (e) {
    status = await subshellEnd(sub, e);
  }
  try {
    if (sub.traps.has("EXIT")) {
      const action = sub.traps.get("EXIT")!;
      sub.traps.delete("EXIT");
      sub.status = status;
      try {
        await evalString(sub, action);
      } catch (e) {
        if (e instanceof ExitSignal) status = e.status;
      }
    }
  } finally {
    sub.fds.releaseAll();
    childEnded(sub.parent);
  }
  return status;
}

/** How an exception ends a subshell: its status (and message). */
async function subshellEnd(sub: Shell, e: unknown): Promise<number> {
  if (e instanceof ExitSignal) return e.status;
  if (e instanceof ShellError) {
    await sub.error(e.message);
    return e.status;
  }
  if (e instanceof ReturnSignal) return e.status;
  if (e instanceof BreakSignal) return 0;
  if (errnoCode(e) === "EPIPE") return 128 + SIGNALS.SIGPIPE;
  throw e;
}

/** Parse and run text in this context (eval, traps, -c). */
export async function evalString(sh: Shell, text: string): Promise<number> {
  const { Parser } = await import("./parser.ts");
  const p = new Parser(text, 0, { aliases: sh.aliases });
  let status = 0;
  for (let n = p.parseNext(); n; n = p.parseNext()) status = await execNode(sh, n);
  return status;
}

export async function execNode(sh: Shell, node: Node): Promise<number> {
  let status: number;
  switch (node.k) {
    case "simple":
      status = await execSimple(sh, node);
      break;
    case "list":
      status = 0;
      for (const item of node.items) {
        if (item.bg) status = await startBackground(sh, item.node);
        else status = await execNode(sh, item.node);
        // A trap for what ended in a compound command runs before the next one, as a simple command's does.
        if (sh.g.pendingSignals.length) await runTraps(sh);
      }
      return status;
    case "andor": {
      sh.noErrexit++;
      try {
        status = await execNode(sh, node.first);
        for (let i = 0; i < node.rest.length; i++) {
          const [op, n] = node.rest[i];
          if ((op === "&&") !== (status === 0)) continue;
          if (i === node.rest.length - 1) {
            sh.noErrexit--;
            try {
              status = await execNode(sh, n);
            } finally {
              sh.noErrexit++;
            }
          } else status = await execNode(sh, n);
        }
      } finally {
        sh.noErrexit--;
      }
      break;
    }
    case "pipe":
      status = await execPipe(sh, node);
      break;
    case "sub": {
      const sub = sh.clone();
      status = await withRedirs(sh, node.redirs, async () => {
        sub.fds.releaseAll();
        sub.fds = sh.fds.clone();
        return runSubshell(sub, node.body);
      });
      sh.status = status;
      checkErrexit(sh, status);
      return status;
    }
    case "group":
      status = await withRedirs(sh, node.redirs, () => execNode(sh, node.body));
      break;
    case "if":
      status = await withRedirs(sh, node.redirs, async () => {
        for (const [cond, body] of node.clauses) {
          if ((await condition(sh, cond)) === 0) return execNode(sh, body);
        }
        return node.else ? execNode(sh, node.else) : 0;
      });
      break;
    case "loop":
      status = await withRedirs(sh, node.redirs, () => execLoop(sh, node));
      break;
    case "for":
      status = await withRedirs(sh, node.redirs, () => execFor(sh, node));
      break;
    case "case":
      status = await withRedirs(sh, node.redirs, () => execCase(sh, node));
      break;
    case "func":
      sh.funcs.set(node.name, node);
      status = 0;
      break;
    case "dbrack":
      sh.line = node.line;
      status = await withRedirs(sh, node.redirs, async () => {
        try {
          return await evalDbrack(sh, node.words);
        } catch (e) {
          if (e instanceof ShellError && e.status === 2) {
            await sh.error(e.message);
            return 2;
          }
          throw e;
        }
      });
      sh.status = status;
      checkErrexit(sh, status);
      return status;
  }
  sh.status = status;
  return status;
}

function checkErrexit(sh: Shell, status: number): void {
  if (status !== 0 && sh.noErrexit === 0 && sh.opts.has("errexit")) throw new ExitSignal(status);
}

/** A condition (if, while, until): set -e does not apply inside. */
async function condition(sh: Shell, node: Node): Promise<number> {
  sh.noErrexit++;
  try {
    return await execNode(sh, node);
  } finally {
    sh.noErrexit--;
  }
}

/**
 * One pass of a loop's body: its status, or the `break`/`continue` aimed at
 * this loop; one aimed further out goes on up with a level fewer.
 */
async function loopBody(sh: Shell, body: Node): Promise<number | "break" | "continue"> {
  try {
    return await execNode(sh, body);
  } catch (e) {
    if (!(e instanceof BreakSignal)) throw e;
    if (e.n > 1) {
      e.n--;
      throw e;
    }
    return e.cont ? "continue" : "break";
  }
}

async function execLoop(sh: Shell, node: Extract<Node, { k: "loop" }>): Promise<number> {
  let status = 0;
  sh.loopDepth++;
  try {
    for (;;) {
      const c = await condition(sh, node.cond);
      if ((c === 0) === node.until) break;
      const r = await loopBody(sh, node.body);
      if (r === "break") break;
      if (r !== "continue") status = r;
      await tick(sh);
    }
  } finally {
    sh.loopDepth--;
  }
  return status;
}

async function execFor(sh: Shell, node: Extract<Node, { k: "for" }>): Promise<number> {
  sh.line = node.line;
  const items = node.words ? await expandWords(sh, node.words) : sh.positional.slice();
  let status = 0;
  sh.loopDepth++;
  try {
    for (const item of items) {
      sh.set(node.name, item);
      const r = await loopBody(sh, node.body);
      if (r === "break") break;
      if (r !== "continue") status = r;
      await tick(sh);
    }
  } finally {
    sh.loopDepth--;
  }
  return status;
}

async function execCase(sh: Shell, node: Extract<Node, { k: "case" }>): Promise<number> {
  const word = await expandString(sh, node.word);
  for (let i = 0; i < node.items.length; i++) {
    const item = node.items[i];
    let hit = false;
    for (const p of item.pats) {
      if (patternMatch(await expandPattern(sh, p), word)) {
        hit = true;
        break;
      }
    }
    if (!hit) continue;
    let status = 0;
    for (let j = i; j < node.items.length; j++) {
      const it = node.items[j];
      status = it.body ? await execNode(sh, it.body) : 0;
      if (!it.fall) break;
    }
    return status;
  }
  return 0;
}

/** Every so many commands, let timers, I/O and signal handlers run. */
async function tick(sh: Shell): Promise<void> {
  if ((++sh.g.ticks & 255) === 0) await new Promise((r) => setImmediate(r));
  if (sh.g.pendingSignals.length) await runTraps(sh);
  if (sh.killed) throw new ExitSignal(128 + sh.killed);
  if (sh.g.interrupted && !sh.background) throw new InterruptSignal();
}

// ---- Pipelines and jobs ----

async function execPipe(sh: Shell, node: Extract<Node, { k: "pipe" }>): Promise<number> {
  let status: number;
  if (node.cmds.length === 1) {
    status = node.bang ? await condition(sh, node.cmds[0]) : await execNode(sh, node.cmds[0]);
  } else {
    const runs: Promise<number>[] = [];
    let prevRead: PipeReadHandle | undefined;
    // With job control a pipeline is one job: its programs share a process group.
    const job = sh.g.jc && !sh.job && !sh.background ? newJob(sh, node, true, isProgramJob(sh, node)) : undefined;
    for (let i = 0; i < node.cmds.length; i++) {
      const sub = sh.clone();
      if (job) sub.job = job;
      if (prevRead) sub.fds.set(0, prevRead);
      if (i < node.cmds.length - 1) {
        const [r, w] = makePipe();
        sub.fds.set(1, w);
        prevRead = r;
      }
      if (node.bang) sub.noErrexit++;
      runs.push(runSubshell(sub, node.cmds[i]));
    }
    const finish = Promise.all(runs).then((statuses) => {
      let last = statuses[statuses.length - 1];
      if (sh.opts.has("pipefail")) for (const s of statuses) if (s !== 0) last = s;
      return last;
    });
    status = job ? await waitForeground(sh, job, finish) : await finish;
  }
  if (node.bang) status = status === 0 ? 1 : 0;
  sh.status = status;
  if (!node.bang && node.cmds.length > 1) checkErrexit(sh, status);
  return status;
}

async function startBackground(sh: Shell, node: Node): Promise<number> {
  const sub = sh.clone();
  sub.noErrexit = 0;
  sub.background = true;
  // Without job control a background job reads /dev/null, not the terminal.
  if (!sh.opts.has("monitor")) {
    try {
      sub.fds.set(0, new OsHandle(fs.openSync("/dev/null", "r"), true, false));
    } catch {}
  }
  const g = sh.g;
  let realPid: ((pid?: number) => void) | undefined;
  const started = new Promise<number | undefined>((r) => (realPid = r));
  if (node.k === "simple") sub.bgSpawn = realPid;
  const job: Job = newJob(sh, node, false, isProgramJob(sh, node));
  job.pid = FAKE_PID_BASE + g.nextJob++;
  sub.job = job;
  // kill %N: its programs' group gets the signal (builtins.ts); the in-process part ends at its next command (not for signals that only stop or wake).
  job.kill = (sig) => {
    if (![0, SIGNALS.SIGCONT, SIGNALS.SIGSTOP, SIGNALS.SIGTSTP, SIGNALS.SIGTTIN, SIGNALS.SIGTTOU, SIGNALS.SIGWINCH, SIGNALS.SIGCHLD].includes(sig)) sub.killed = sig;
  };
  job.done = runSubshell(sub, node).then((s) => {
    if (sub.killed && s === 128 + sub.killed) job.signaled = sub.killed;
    job.status = s;
    realPid?.(undefined);
    return s;
  });
  if (node.k === "simple") {
    const pid = await started;
    if (pid !== undefined && job.status === undefined) {
      job.pid = pid;
    }
  }
  addJob(g, job, false);
  sh.lastBg = job.pid;
  return 0;
}

// ---- Redirections ----

function openError(sh: Shell, err: unknown, file: string, create: boolean): ShellError {
  const code = errnoCode(err);
  let why: string;
  if (code === "ENOENT") why = create ? "nonexistent directory" : "no such file";
  else why = ({ EACCES: "Permission denied", EISDIR: "Is a directory", ENOTDIR: "Not a directory", EEXIST: "file exists", EROFS: "Read-only file system", ENXIO: "No such device or address" } as Record<string, string>)[code ?? ""] ?? String(code);
  return new ShellError(`can't ${create ? "create" : "open"} ${file}: ${why}`, 1);
}

function withUmask<T>(sh: Shell, fn: () => T): T {
  const old = process.umask(sh.umask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

/** Apply redirections to a table (the shell's own for exec, a copy otherwise). */
export async function applyRedirs(sh: Shell, fds: FdTable, redirs: Redir[]): Promise<void> {
  for (const r of redirs) {
    const op = r.op;
    const fd = r.fd ?? (op[0] === "<" ? 0 : 1);
    if (op === "<<" || op === "<<-") {
      const text = r.docQuoted ? (r.doc!.parts[0] as { s: string }).s : await expandString(sh, r.doc!);
      const [rd, w] = makePipe();
      rd.retain();
      w.retain();
      // Small documents fit the pipe at once; larger ones are written as they are read.
      void w.pipe.write(Buffer.from(text, "latin1")).catch(() => {}).finally(() => w.release());
      fds.set(fd, rd);
      rd.release();
      continue;
    }
    const target = await expandString(sh, r.target);
    if (op === "<&" || op === ">&") {
      if (target === "-") {
        fds.close(fd);
        continue;
      }
      if (!/^\d+$/.test(target)) {
        if (op === ">&") {
          // ash: >&FILE is >FILE 2>&1.
          await applyRedirs(sh, fds, [{ fd, op: ">", target: r.target }]);
          if (r.fd === undefined) fds.set(2, fds.get(1));
          continue;
        }
        throw new ShellError(`${target}: Bad file descriptor`, 1);
      }
      const h = fds.get(Number(target));
      if (!h) throw new ShellError(`${target}: Bad file descriptor`, 1);
      fds.set(fd, h);
      continue;
    }
    let flags: number;
    const C = fs.constants;
    switch (op) {
      case "<": flags = C.O_RDONLY; break;
      case ">":
        flags = C.O_WRONLY | C.O_CREAT | C.O_TRUNC;
        if (sh.opts.has("noclobber")) {
          try {
            if (fs.statSync(fsPath(sh, target)).isFile()) throw new ShellError(`can't create ${target}: File exists`, 1);
          } catch (e) {
            if (e instanceof ShellError) throw e;
          }
        }
        break;
      case ">|": flags = C.O_WRONLY | C.O_CREAT | C.O_TRUNC; break;
      case ">>": flags = C.O_WRONLY | C.O_CREAT | C.O_APPEND; break;
      case "<>": flags = C.O_RDWR | C.O_CREAT; break;
      default: throw new ShellError(`bad redirection ${op}`, 1);
    }
    let osfd: number;
    try {
      osfd = withUmask(sh, () => fs.openSync(fsPath(sh, target), flags, 0o666));
    } catch (e) {
      throw openError(sh, e, target, op !== "<");
    }
    fds.set(fd, new OsHandle(osfd, op === "<" || op === "<>", op !== "<"));
  }
}

/** Run fn with redirections applied to a copy of the fd table. */
async function withRedirs(sh: Shell, redirs: Redir[], fn: () => Promise<number>): Promise<number> {
  if (redirs.length === 0) return fn();
  const saved = sh.fds;
  const fds = saved.clone();
  try {
    await applyRedirs(sh, fds, redirs);
  } catch (e) {
    fds.releaseAll();
    if (e instanceof ShellError) {
      await sh.error(e.message);
      return e.status;
    }
    throw e;
  }
  sh.fds = fds;
  try {
    return await fn();
  } finally {
    sh.fds = saved;
    fds.releaseAll();
  }
}

// ---- Simple commands ----

async function xtrace(sh: Shell, assigns: string[], argv: string[]): Promise<void> {
  const ps4 = sh.get("PS4") ?? "+ ";
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const words = [...assigns.map((a) => { const i = a.indexOf("="); return a.slice(0, i + 1) + q(a.slice(i + 1)); }), ...argv.map(q)];
  await sh.write(2, ps4 + words.join(" ") + "\n").catch(() => {});
}

async function execSimple(sh: Shell, node: Extract<Node, { k: "simple" }>): Promise<number> {
  sh.line = node.line;
  sh.simple = node;
  sh.substStatus = undefined;
  const argv = node.words.length ? await expandWords(sh, node.words) : [];
  const assigns: [string, string][] = [];
  // Without a command, each assignment is made before the next is expanded (a=1 b=$a).
  for (const a of node.assigns) {
    const v = await expandString(sh, a.value);
    assigns.push([a.name, v]);
    if (argv.length === 0) sh.set(a.name, v);
  }
  if (sh.opts.has("noexec") && !sh.opts.has("interactive")) return 0;
  if (sh.opts.has("xtrace") && (argv.length || assigns.length)) await xtrace(sh, assigns.map(([k, v]) => `${k}=${v}`), argv);
  let status: number;
  if (argv.length === 0) {
    status = sh.substStatus ?? 0;
    if (node.redirs.length) {
      const st = await withRedirs(sh, node.redirs, async () => 0);
      if (st) status = st;
    }
  } else if (argv[0] === "exec" && argv.length === 1) {
    for (const [k, v] of assigns) sh.set(k, v);
    try {
      await applyRedirs(sh, sh.fds, node.redirs);
      status = 0;
    } catch (e) {
      if (!(e instanceof ShellError)) throw e;
      await sh.error(e.message);
      status = e.status;
      if (!sh.opts.has("interactive")) throw new ExitSignal(status);
    }
  } else {
    status = await withRedirs(sh, node.redirs, () => runCommand(sh, argv, assigns));
  }
  sh.status = status;
  await tick(sh);
  checkErrexit(sh, status);
  return status;
}

/** Run argv: special builtin, function, builtin, applet, or program. */
export async function runCommand(sh: Shell, argv: string[], assigns: [string, string][], noFunctions = false): Promise<number> {
  const name = argv[0];
  if (SPECIAL.has(name)) {
    for (const [k, v] of assigns) sh.set(k, v);
    return runBuiltin(sh, name, argv);
  }
  const fn = noFunctions ? undefined : sh.funcs.get(name);
  if (fn && fn.k === "func") return withTempVars(sh, assigns, () => callFunction(sh, fn.body, argv));
  if (builtins.has(name)) return withTempVars(sh, assigns, () => runBuiltin(sh, name, argv));
  return runProgram(sh, argv, assigns);
}

async function runBuiltin(sh: Shell, name: string, argv: string[]): Promise<number> {
  try {
    return await builtins.get(name)!(sh, argv);
  } catch (e) {
    if (errnoCode(e) === "EBADF" || errnoCode(e) === "EIO" || errnoCode(e) === "ENOSPC") {
      await sh.write(2, `${sh.g.shellName}: write error: ${errnoCode(e) === "EBADF" ? "Bad file descriptor" : errnoCode(e) === "EIO" ? "I/O error" : "No space left on device"}\n`).catch(() => {});
      return 1;
    }
    if (e instanceof ShellError) {
      await sh.error(e.message, name);
      if (SPECIAL.has(name) && !sh.opts.has("interactive") && e.status === 2) throw new ExitSignal(e.status);
      return e.status;
    }
    throw e;
  }
}

/** Prefix assignments of a function or builtin last for its duration. */
async function withTempVars(sh: Shell, assigns: [string, string][], fn: () => Promise<number>): Promise<number> {
  if (assigns.length === 0) return fn();
  const saved = assigns.map(([k]) => [k, sh.vars.get(k)] as const);
  for (const [k, v] of assigns) sh.setAttr(k, { exported: true }, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v) sh.vars.set(k, v);
      else sh.vars.delete(k);
    }
    sh.invalidateEnv();
  }
}

export async function callFunction(sh: Shell, body: Node, argv: string[]): Promise<number> {
  const savedPos = sh.positional;
  const savedName = sh.name;
  const savedLine = sh.line;
  sh.positional = argv.slice(1);
  sh.locals.push(new Map());
  const savedLoop = sh.loopDepth;
  sh.loopDepth = 0;
  try {
    return await execNode(sh, body);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    sh.loopDepth = savedLoop;
    const frame = sh.locals.pop()!;
    for (const [k, v] of frame) {
      if (v) sh.vars.set(k, v);
      else sh.vars.delete(k);
    }
    if (frame.size) sh.invalidateEnv();
    sh.positional = savedPos;
    sh.name = savedName;
    sh.line = savedLine;
  }
}

const appletCache = new Map<string, Applet | null>();

async function findApplet(name: string): Promise<Applet | undefined> {
  let a = appletCache.get(name);
  if (a === undefined) {
    a = (await loadApplet(name)) ?? null;
    appletCache.set(name, a);
  }
  return a ?? undefined;
}

function commandEnv(sh: Shell, assigns: [string, string][]): Record<string, string> {
  const env: Record<string, string> = {};
  const base = sh.env();
  for (const k in base) env[toUtf8(k)] = toUtf8(base[k]);
  for (const [k, v] of assigns) env[k] = toUtf8(v);
  return env;
}

/** An applet of pika or a program on PATH (or by path). */
export async function runProgram(sh: Shell, argv: string[], assigns: [string, string][], usePathOnly = false): Promise<number> {
  const name = argv[0];
  if (!name.includes("/") && !usePathOnly) {
    const applet = await findApplet(name);
    if (applet) {
      // Run as a process: in the background, as a job that can stop, under limits set by ulimit.
      if (sh.bgSpawn || sh.limits?.size || (sh.job ? sh.job.programs : sh.simple !== undefined && isProgramJob(sh, sh.simple))) return spawnProgram(sh, process.execPath, argv, assigns, true);
      return runInProcess(sh, applet, argv, assigns);
    }
  }
  const file = lookPath(sh, name);
  if (!file) {
    await sh.error(`${name}: not found`);
    return 127;
  }
  return spawnProgram(sh, file, argv, assigns);
}

export function lookPath(sh: Shell, name: string): string | undefined {
  if (name.includes("/")) return path.resolve(sh.cwd, name);
  const hit = sh.hashed.get(name);
  if (hit && isExecutable(hit)) return hit;
  const PATH = sh.get("PATH") ?? "/sbin:/usr/sbin:/bin:/usr/bin";
  for (const dir of PATH.split(":")) {
    const p = path.resolve(sh.cwd, dir || ".", name);
    if (isExecutable(p)) {
      sh.hashed.set(name, p);
      return p;
    }
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(Buffer.from(p, "latin1"));
    if (!st.isFile()) return false;
    fs.accessSync(Buffer.from(p, "latin1"), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The command's stdin; the terminal of an interactive shell is read so that Ctrl-C can stop it. */
function stdinReader(sh: Shell) {
  const h = sh.fds.get(0);
  const abort = sh.background ? undefined : sh.g.abort;
  if (abort && h instanceof OsHandle && h.readable && isatty(h.fd)) return new InterruptibleTtyReader(h.fd, abort.signal);
  return readerOf(h);
}

function contextFor(sh: Shell, argv: string[], assigns: [string, string][]): Context {
  return {
    argv: argv.map(toUtf8),
    env: commandEnv(sh, assigns),
    cwd: toUtf8(sh.cwd),
    stdin: stdinReader(sh),
    stdout: writerOf(sh.fds.get(1)),
    stderr: writerOf(sh.fds.get(2)),
  };
}

async function runInProcess(sh: Shell, applet: Applet, argv: string[], assigns: [string, string][]): Promise<number> {
  const ctx = contextFor(sh, argv, assigns);
  const abort = sh.background ? undefined : sh.g.abort;
  let status: number;
  if (abort) {
    // Interactive: SIGINT abandons the applet (those that watch ctx.signal stop at once).
    ctx.signal = abort.signal;
    const stopped = new Promise<number>((r) => abort.signal.addEventListener("abort", () => r(130), { once: true }));
    status = abort.signal.aborted ? 130 : await Promise.race([runApplet(applet, ctx), stopped]);
  } else status = await runApplet(applet, ctx);
  // A reader that went away ends the writer, as SIGPIPE would.
  const out = sh.fds.get(1);
  if (out instanceof PipeWriteHandle && out.pipe.broken) throw Object.assign(new Error("EPIPE"), { code: "EPIPE" });
  return status;
}

/**
 * Spawn a program with the context's fds; in-memory pipe ends are pumped.
 * With job control it starts through pika's trampoline, which puts it in its
 * job's process group (a foreground command with no job yet is one by
 * itself); `applet`: pika's own applet argv[0], run by the trampoline itself.
 */
async function spawnProgram(sh: Shell, file: string, argv: string[], assigns: [string, string][], applet = false): Promise<number> {
  const stdio: (number | "pipe" | "ignore" | "inherit")[] = [];
  const handles: (Handle | undefined)[] = [];
  let maxFd = 2;
  for (const [n, h] of sh.fds.entries()) if (n > maxFd && n < 10 && h instanceof OsHandle) maxFd = n;
  for (let n = 0; n <= maxFd; n++) {
    const h = sh.fds.get(n);
    handles.push(h);
    if (h instanceof OsHandle) stdio.push(h.fd);
    else if (h && n <= 2) stdio.push("pipe");
    else stdio.push("ignore");
  }
  let job = sh.job;
  const ownJob = !job && sh.g.jc !== undefined && !sh.background;
  if (ownJob) job = newJob(sh, sh.simple ?? { k: "simple", assigns: [], words: [], redirs: [], line: 0 }, true, true);
  // The trampoline puts the program in its job's process group and under the context's limits.
  const setup: ExecSetup = job !== undefined && sh.g.jc !== undefined ? jobSetup(job) : {};
  if (sh.limits?.size) setup.limits = limitArgs(sh);
  const trampoline = Object.keys(setup).length > 0;
  const spawnArgs = trampoline ? [process.execPath, EXEC_SETUP, "sh", JSON.stringify(setup), applet ? "-" : file, ...argv] : [file, ...argv.slice(1)];
  let proc: ReturnType<typeof Bun.spawn>;
  const spawn = (cmd: string[]) =>
    withUmask(sh, () =>
      Bun.spawn({
        cmd: cmd.map(toUtf8),
        argv0: toUtf8(trampoline ? "pika" : argv[0]),
        cwd: toUtf8(sh.cwd),
        env: commandEnv(sh, assigns),
        stdio: stdio as any,
      }),
    );
  try {
    proc = spawn(spawnArgs);
  } catch (e: any) {
    const code = errnoCode(e);
    if (code === "ENOEXEC") {
      try {
        proc = spawn([process.execPath, "sh", file, ...argv.slice(1)]);
      } catch {
        await sh.error(`${argv[0]}: Exec format error`);
        return 126;
      }
    } else if (code === "EACCES" || code === "EISDIR") {
      await sh.error(`${argv[0]}: Permission denied`);
      return 126;
    } else if (code === "ENOENT") {
      await sh.error(`${argv[0]}: not found`);
      return 127;
    } else {
      await sh.error(`${argv[0]}: ${e?.message ?? e}`);
      return 126;
    }
  }
  sh.bgSpawn?.(proc.pid);
  sh.bgSpawn = undefined;
  if (job) jobSpawned(job, proc.pid, sh.simple ? commandText(sh.simple) : argv.join(" "));
  const finish = finishProgram(sh, proc, handles, job);
  return ownJob ? waitForeground(sh, job!, finish) : finish;
}

/** Pump a spawned program's in-memory streams and wait for its status. */
async function finishProgram(sh: Shell, proc: ReturnType<typeof Bun.spawn>, handles: (Handle | undefined)[], job: Job | undefined): Promise<number> {
  const abort = { aborted: false };
  const pumps: Promise<void>[] = [];
  const h0 = handles[0];
  if (h0 instanceof PipeReadHandle && proc.stdin && typeof proc.stdin !== "number") {
    const sink = proc.stdin as any;
    pumps.push(
      (async () => {
        try {
          for (let c = await h0.pipe.read(abort); c; c = await h0.pipe.read(abort)) {
            sink.write(c);
            await sink.flush();
          }
        } catch {}
        try {
          await sink.end();
        } catch {}
      })(),
    );
  }
  const drain = (stream: any, h: Handle | undefined) => {
    if (!(h instanceof PipeWriteHandle) || !stream || typeof stream === "number") return;
    pumps.push(
      (async () => {
        const reader = stream.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            await h.pipe.write(value);
          }
        } catch {
          // Our reader went away: let the program get SIGPIPE.
          try {
            await reader.cancel();
          } catch {}
        }
      })(),
    );
  };
  drain(proc.stdout, handles[1]);
  drain(proc.stderr, handles[2]);
  await proc.exited;
  abort.aborted = true;
  if (h0 instanceof PipeReadHandle) h0.pipe.interrupt();
  await Promise.all(pumps);
  if (job) jobProgramEnded(job, proc.pid, proc.signalCode ? SIGNALS[proc.signalCode] : undefined);
  childEnded(sh);
  // Interactive: a foreground program killed by Ctrl-C interrupts the command line as SIGINT would the shell.
  if (proc.signalCode === "SIGINT" && sh.g.abort && !sh.background && !sh.g.main?.traps.has("INT")) sh.g.interrupted = true;
  if (proc.signalCode) return 128 + (SIGNALS[proc.signalCode] ?? 0);
  return proc.exitCode ?? 1;
}
