// Jobs and job control, as BusyBox ash has them. Every background command is
// a job (`jobs`, `wait`, `kill %N`). When an interactive shell owns its
// terminal, job control is on: the programs a job spawns share a process
// group of their own (set up by pika's --exec-in-group trampoline, since
// Bun.spawn cannot call setpgid), a foreground job gets the terminal
// (tcsetpgrp), Ctrl-Z stops it and hands the terminal back, `fg` and `bg`
// resume it with SIGCONT, and changes are reported before the next prompt.
// What runs inside the shell itself (builtins, functions, compound commands,
// in-process applets) cannot be stopped: only a job's programs stop.
import * as fs from "node:fs";
import { signalDescription } from "../../lib/signals.ts";
import {
  CLD_CONTINUED, CLD_STOPPED, getpgrp, P_PID, setpgid, tcgetattr, tcgetpgrp, tcsetattr, tcsetpgrp, TCSANOW, waitid,
  WCONTINUED, WNOHANG, WSTOPPED, type Termios,
} from "../../lib/syscalls.ts";
import type { ExecSetup } from "../../lib/multicall.ts";
import type { Node, Redir } from "./ast.ts";
import { InterruptSignal, ShellError, type Global, type Job, type Shell } from "./state.ts";

const SIGINT = 2, SIGPIPE = 13, SIGCONT = 18;

/** The terminal an interactive shell controls, and the process groups involved. */
export interface JobControl {
  tty: number;
  /** The shell's own group, the terminal's foreground group between jobs. */
  pgrp: number;
  /** The group we were started in, given the terminal back when we leave. */
  initialPgrp: number;
  /** The shell's terminal modes, put back after a job stops. */
  modes?: Termios;
  listeners: [string, () => void][];
}

/**
 * Take the terminal: become a process group leader in the terminal's
 * foreground. Returns false (job control stays off) when there is no
 * terminal or we are not in its foreground.
 */
export function enableJobControl(sh: Shell): boolean {
  const g = sh.g;
  if (g.jc) return true;
  let tty: number;
  try {
    tty = fs.openSync("/dev/tty", "r+");
  } catch {
    return false;
  }
  try {
    const initialPgrp = getpgrp();
    if (tcgetpgrp(tty) !== initialPgrp) throw new Error("not in the foreground");
    if (initialPgrp !== process.pid) setpgid(0, 0);
    tcsetpgrp(tty, process.pid);
    g.jc = { tty, pgrp: process.pid, initialPgrp, listeners: [] };
  } catch {
    fs.closeSync(tty);
    return false;
  }
  // Ctrl-Z while the shell itself runs something must not stop the shell.
  const ignore = () => {};
  const listeners: [string, () => void][] = [["SIGTSTP", ignore], ["SIGTTIN", ignore], ["SIGTTOU", ignore], ["SIGCHLD", () => checkChildren(g)]];
  for (const [sig, fn] of listeners) process.on(sig as any, fn);
  g.jc.listeners = listeners;
  sh.opts.add("monitor");
  return true;
}

/** Give the terminal back to the group we were started in (leaving, or exec). */
export function disableJobControl(g: Global): void {
  const jc = g.jc;
  if (!jc) return;
  g.jc = undefined;
  for (const [sig, fn] of jc.listeners) process.off(sig as any, fn);
  try {
    if (jc.initialPgrp !== jc.pgrp) setpgid(0, jc.initialPgrp);
    tcsetpgrp(jc.tty, jc.initialPgrp);
  } catch {}
  try {
    fs.closeSync(jc.tty);
  } catch {}
}

function giveTerminal(g: Global, pgrp: number): void {
  try {
    if (g.jc) tcsetpgrp(g.jc.tty, pgrp);
  } catch {}
}

/** A job not yet in the table: a foreground one joins it only if it stops. */
export function newJob(sh: Shell, node: Node, foreground: boolean, programs: boolean): Job {
  return {
    id: 0,
    pid: 0,
    cmd: sh.g.jc ? commandText(node) : "",
    procs: new Map(),
    started: [],
    killedBy: [],
    foreground,
    programs,
    done: undefined as any,
  };
}

/**
 * Whether the command line's own simple commands and pipelines (not those of
 * loops, functions or subshells) are jobs of programs: with job control their
 * applets run as processes, which Ctrl-Z can stop.
 */
export function isProgramJob(sh: Shell, node: Node): boolean {
  const g = sh.g;
  if (!g.jc || sh !== g.main || sh.loopDepth > 0 || sh.locals.length > 0) return false;
  if (node.k === "simple") return true;
  return node.k === "pipe" && node.cmds.every((c) => c.k === "simple");
}

/** Put a job in the table (numbered as ash does: the lowest free number) and make it current. */
export function addJob(g: Global, job: Job, stopped: boolean): void {
  if (!g.jobs.has(job.pid)) {
    const used = new Set([...g.jobs.values()].map((j) => j.id));
    job.id = 1;
    while (used.has(job.id)) job.id++;
    g.jobs.set(job.pid, job);
    void job.done.then(
      (s) => {
        job.status = s;
        if (!job.foreground) job.changed = true;
      },
      () => {}, // the foreground wait reports it
    );
  }
  setCurrent(g, job, stopped);
}

export function removeJob(g: Global, job: Job): void {
  g.jobs.delete(job.pid);
  const i = g.jobOrder.indexOf(job);
  if (i >= 0) g.jobOrder.splice(i, 1);
}

/** ash's set_curjob: a stopped job becomes current; a running one goes after every stopped job. */
function setCurrent(g: Global, job: Job, stopped: boolean): void {
  const order = g.jobOrder;
  const i = order.indexOf(job);
  if (i >= 0) order.splice(i, 1);
  let at = 0;
  if (!stopped) while (at < order.length && order[at].stopSignal !== undefined) at++;
  order.splice(at, 0, job);
}

/**
 * A program of the job has started. Bun.spawn returns once the child has
 * exec'd the trampoline, too late for setpgid from here: the trampoline puts
 * itself in the group (see jobSetup), the first program of a job with none
 * running leading a new one, and takes the terminal. Not the shell: the
 * kernel would let it name the group before anyone is in it, and a Ctrl-Z
 * would then reach no one.
 */
export function jobSpawned(job: Job, pid: number, cmd: string): void {
  if (job.procs.size === 0) job.pgid = pid;
  job.procs.set(pid, false);
  job.started.push({ pid, cmd });
  if (job.pid === 0) job.pid = pid;
}

/** A program of the job has ended (`signal`: the one that killed it). */
export function jobProgramEnded(job: Job, pid: number, signal: number | undefined): void {
  job.procs.delete(pid);
  job.signaled = signal;
  // ash tells of each program of the foreground job that a signal ends (not SIGINT or SIGPIPE).
  if (job.foreground && signal !== undefined && signal !== SIGINT && signal !== SIGPIPE) job.killedBy.push(signal);
}

/** What the trampoline does to put a job's next program in its group (0: lead a new one). */
export function jobSetup(job: Job): ExecSetup {
  return { pgid: job.procs.size > 0 && job.pgid !== undefined ? job.pgid : 0, fg: job.foreground };
}

/** Look for programs that stopped or continued (SIGCHLD, and before each prompt). */
export function checkChildren(g: Global): void {
  if (!g.jc) return; // as ash: without job control, stops go unnoticed
  const jobs = new Set(g.jobs.values());
  if (g.fgJob) jobs.add(g.fgJob);
  for (const job of jobs) {
    if (job.procs.size === 0) continue;
    for (const pid of job.procs.keys()) {
      let info;
      try {
        info = waitid(P_PID, pid, WSTOPPED | WCONTINUED | WNOHANG);
      } catch {
        continue; // reaped already: its end is reported by the spawner
      }
      if (info?.code === CLD_STOPPED) {
        job.procs.set(pid, true);
        job.lastStop = info.status;
      } else if (info?.code === CLD_CONTINUED) job.procs.set(pid, false);
    }
    const allStopped = [...job.procs.values()].every((s) => s);
    if (allStopped && job.stopSignal === undefined) {
      job.stopSignal = job.lastStop;
      if (job.onStop) job.onStop();
      else job.changed = true;
    } else if (!allStopped && job.stopSignal !== undefined) job.stopSignal = undefined;
  }
}

/**
 * Wait for a foreground job: its status, or 128+N when signal N stops it (it
 * then joins the table as the current job and "[1]+  Stopped  CMD" is shown).
 */
export async function waitForeground(sh: Shell, job: Job, run: Promise<number>): Promise<number> {
  const g = sh.g;
  const jc = g.jc;
  if (!jc) return run;
  // Ctrl-C ends a job that ran on after it stopped by interrupting its in-process part.
  job.done ??= run.catch((e) => {
    if (e instanceof InterruptSignal) return 130;
    throw e;
  });
  run = job.done;
  job.foreground = true;
  g.fgJob = job;
  try {
    jc.modes = tcgetattr(jc.tty);
  } catch {}
  const stopped = new Promise<"stopped">((r) => (job.onStop = () => r("stopped")));
  checkChildren(g);
  let r: number | "stopped";
  try {
    r = await Promise.race([run, stopped]);
  } finally {
    job.onStop = undefined;
    job.foreground = false;
    g.fgJob = undefined;
    giveTerminal(g, jc.pgrp);
  }
  if (r === "stopped") {
    try {
      if (jc.modes) tcsetattr(jc.tty, TCSANOW, jc.modes);
    } catch {}
    addJob(g, job, true);
    job.changed = false;
    await sh.write(2, formatJob(g, job, false));
    return 128 + (job.stopSignal ?? 0);
  }
  removeJob(g, job);
  const told = job.killedBy.splice(0).map((sig) => signalDescription(sig) + "\n").join("");
  if (told) await sh.write(2, told);
  return r;
}

/** Restart a stopped job's programs. */
function resume(g: Global, job: Job): void {
  if (job.stopSignal === undefined) return;
  job.stopSignal = undefined;
  for (const pid of job.procs.keys()) job.procs.set(pid, false);
  if (job.pgid !== undefined) {
    try {
      process.kill(-job.pgid, SIGCONT);
    } catch {}
  }
}

/** fg: the job becomes the foreground job again. */
export async function foreground(sh: Shell, spec: string | undefined): Promise<number> {
  const g = sh.g;
  const job = underJobControl(g, findJob(g, spec));
  await sh.out(job.cmd + "\n");
  job.foreground = true;
  if (job.pgid !== undefined) giveTerminal(g, job.pgid);
  resume(g, job);
  return waitForeground(sh, job, job.done);
}

/** bg: stopped jobs run on in the background. */
export async function background(sh: Shell, specs: string[]): Promise<number> {
  const g = sh.g;
  for (const spec of specs.length ? specs : [undefined]) {
    const job = underJobControl(g, findJob(g, spec));
    if (job.status === undefined) {
      resume(g, job);
      setCurrent(g, job, false);
    }
    await sh.out(`[${job.id}] ${job.cmd}\n`);
  }
  return 0;
}

function underJobControl(g: Global, job: Job): Job {
  // ash names the job by its text, which it keeps only with job control: "(null)".
  if (!g.jc) throw new ShellError(`job ${job.cmd || "(null)"} not created under job control`, 2);
  return job;
}

/** A job by ash's names: %N, %%, %+, %- (or none: the current job), %PREFIX, %?TEXT. */
export function findJob(g: Global, spec: string | undefined): Job {
  const order = g.jobOrder;
  if (spec === undefined || spec === "%" || spec === "%%" || spec === "%+") {
    if (!order[0]) throw new ShellError("No current job", 2);
    return order[0];
  }
  if (spec === "%-") {
    if (!order[1]) throw new ShellError("No previous job", 2);
    return order[1];
  }
  const notFound = new ShellError(`${spec}: no such job`, 2);
  if (!spec.startsWith("%")) throw notFound;
  const name = spec.slice(1);
  if (/^\d+$/.test(name)) {
    const job = order.find((j) => j.id === Number(name));
    if (!job) throw notFound;
    return job;
  }
  const text = name.startsWith("?") ? name.slice(1) : name;
  const hits = order.filter((j) => (name.startsWith("?") ? j.cmd.includes(text) : j.cmd.startsWith(text)));
  if (hits.length > 1) throw new ShellError(`${spec}: ambiguous`, 2);
  if (!hits[0]) throw notFound;
  return hits[0];
}

/** What a job is doing, in ash's words: Running, Stopped, Done, Done(N), Terminated... */
function stateText(job: Job): string {
  if (job.status === undefined) return job.stopSignal !== undefined ? signalDescription(job.stopSignal) : "Running";
  if (job.signaled && job.status === 128 + job.signaled) return signalDescription(job.signaled);
  return job.status ? `Done(${job.status})` : "Done";
}

/** One line of `jobs` (ash's showjob): "[1]+  Stopped                    sleep 30". */
export function formatJob(g: Global, job: Job, long: boolean): string {
  const mark = job === g.jobOrder[0] ? "+" : job === g.jobOrder[1] ? "-" : " ";
  const head = `[${job.id}]${mark}  `;
  const pad = (s: string) => s + " ".repeat(Math.max(33 - s.length, 1));
  const state = stateText(job);
  // jobs -l: a line for each of its programs, with its pid.
  if (long && g.jc && job.started.length > 0) {
    const [first, ...rest] = job.started;
    let out = pad(`${head}${first.pid} ${state}`) + first.cmd + "\n";
    for (const p of rest) out += pad(`${" ".repeat(head.length)}${p.pid} `) + "| " + p.cmd + "\n";
    return out;
  }
  return pad(head + (long ? `${job.pgid ?? job.pid} ` : "") + state) + job.cmd + "\n";
}

/** jobs [-lp] [JOB...]: finished jobs are reported once, then forgotten. */
export async function listJobs(sh: Shell, mode: "normal" | "long" | "pids", specs: string[]): Promise<void> {
  const g = sh.g;
  checkChildren(g);
  const jobs = specs.length ? specs.map((s) => findJob(g, s)) : [...g.jobOrder];
  let out = "";
  for (const job of jobs) {
    if (mode === "pids") {
      out += `${job.pgid ?? job.pid}\n`;
      continue;
    }
    out += formatJob(g, job, mode === "long");
    job.changed = false;
    // Gone as soon as it is told (the next line's +/- marks already see that).
    if (job.status !== undefined) removeJob(g, job);
  }
  await sh.out(out);
}

/** Before a prompt: tell of jobs that ended or stopped in the background (on stderr, as ash). */
export async function notifyJobs(sh: Shell): Promise<void> {
  const g = sh.g;
  if (!g.jc) return;
  checkChildren(g);
  let out = "";
  for (const job of [...g.jobOrder]) {
    if (!job.changed) continue;
    job.changed = false;
    out += formatJob(g, job, false);
    if (job.status !== undefined) removeJob(g, job);
  }
  if (out) await sh.write(2, out).catch(() => {});
}

export function hasStoppedJobs(g: Global): boolean {
  return g.jobOrder.some((j) => j.stopSignal !== undefined && j.status === undefined);
}

// ---- A command's text, as `jobs` shows it (ash's cmdtxt) ----

function redirText(r: Redir): string {
  const fd = r.fd === undefined ? "" : String(r.fd);
  return r.op.startsWith("<<") ? `${fd}${r.op}...` : `${fd}${r.op}${r.target.raw}`;
}

function withRedirs(text: string, redirs: Redir[]): string {
  return [text, ...redirs.map(redirText)].join(" ");
}

export function commandText(n: Node): string {
  const t = commandText;
  switch (n.k) {
    case "simple":
      return [...n.assigns.map((a) => `${a.name}=${a.value.raw}`), ...n.words.map((w) => w.raw), ...n.redirs.map(redirText)].join(" ");
    case "pipe":
      return (n.bang ? "! " : "") + n.cmds.map(t).join(" | ");
    case "andor":
      return [t(n.first), ...n.rest.map(([op, x]) => `${op} ${t(x)}`)].join(" ");
    case "list":
      return n.items.map((it, i) => t(it.node) + (it.bg ? " &" : i < n.items.length - 1 ? ";" : "")).join(" ");
    case "sub":
      return withRedirs(`(${t(n.body)})`, n.redirs);
    case "group":
      return withRedirs(`{ ${t(n.body)}; }`, n.redirs);
    case "if": {
      const parts = n.clauses.map(([c, b], i) => `${i ? "elif" : "if"} ${t(c)}; then ${t(b)};`);
      return withRedirs(`${parts.join(" ")}${n.else ? ` else ${t(n.else)};` : ""} fi`, n.redirs);
    }
    case "loop":
      return withRedirs(`${n.until ? "until" : "while"} ${t(n.cond)}; do ${t(n.body)}; done`, n.redirs);
    case "for":
      return withRedirs(`for ${n.name}${n.words ? " in " + n.words.map((w) => w.raw).join(" ") : ""}; do ${t(n.body)}; done`, n.redirs);
    case "case":
      return withRedirs(`case ${n.word.raw} in ${n.items.map((it) => `${it.pats.map((p) => p.raw).join("|")}) ${it.body ? t(it.body) : ""};;`).join(" ")} esac`, n.redirs);
    case "func":
      return `${n.name}() ${t(n.body)}`;
    case "dbrack":
      return withRedirs(`[[ ${n.words.map((w) => w.raw).join(" ")} ]]`, n.redirs);
  }
}
