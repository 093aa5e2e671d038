// A shell context's state: variables, functions, options, positional
// parameters, cwd, umask, fds and traps. Subshells, pipeline parts and
// command substitutions run in a clone (Bun cannot fork): cloning copies the
// maps shallowly, so variables are replaced, never mutated in place.
import type { Node } from "./ast.ts";
import { FdTable, writeHandle } from "./fds.ts";
import type { JobControl } from "./jobs.ts";
import type { Rlimit } from "../../lib/syscalls.ts";

export interface Var {
  /** undefined: declared (export X, local X) but unset. */
  value?: string;
  exported?: boolean;
  readonly?: boolean;
}

/** Control flow, as exceptions through the async executor. */
export class BreakSignal {
  constructor(public n: number, readonly cont: boolean) {}
}
export class ReturnSignal {
  constructor(readonly status: number) {}
}
/** The shell (or this subshell) ends with `status`. */
export class ExitSignal {
  constructor(readonly status: number) {}
}
/** SIGINT in an interactive shell: the foreground command is abandoned. */
export class InterruptSignal {}
/** An error that ends a non-interactive shell (expansion errors, special builtin errors). */
export class ShellError {
  constructor(readonly message: string, readonly status = 2) {}
}

export const OPTION_LETTERS: Record<string, string> = {
  a: "allexport", C: "noclobber", e: "errexit", f: "noglob", m: "monitor", n: "noexec",
  u: "nounset", v: "verbose", x: "xtrace", b: "notify", i: "interactive", s: "stdin",
};
/** The order `set -o` lists them in, as busybox ash does. */
export const OPTION_NAMES = ["errexit", "noglob", "ignoreeof", "monitor", "noexec", "stdin", "xtrace", "verbose", "noclobber", "allexport", "notify", "nounset", "vi", "emacs", "pipefail", "interactive"];

/** A background job, or a foreground one (in the table only once it stops); see jobs.ts. */
export interface Job {
  /** Its number, %N (0 until it is in the table). */
  id: number;
  /** A real pid (its first program's), or a made-up one above pid_max for in-process jobs. */
  pid: number;
  done: Promise<number>;
  status?: number;
  kill?: (sig: number) => void;
  /** Its command's text (with job control only, as in ash). */
  cmd: string;
  /** Job control: the process group of its programs. */
  pgid?: number;
  /** Its programs that are still running, and whether each is stopped. */
  procs: Map<number, boolean>;
  /** Set while the job is stopped: the signal that stopped it. */
  stopSignal?: number;
  lastStop?: number;
  /** The signal that killed its last program to end, if one did. */
  signaled?: number;
  /** Every program it started, in order, with its command's text (jobs -l). */
  started: { pid: number; cmd: string }[];
  /** Signals that ended its programs while in the foreground, to be told. */
  killedBy: number[];
  foreground: boolean;
  /** A job of programs only: applets run as processes so that they can stop (jobs.ts isProgramJob). */
  programs: boolean;
  /** Ended or stopped in the background, not reported yet. */
  changed?: boolean;
  /** Wakes the wait for a foreground job when it stops. */
  onStop?: () => void;
}

/** State shared by every context of one shell process. */
export interface Global {
  /** $$ */
  pid: number;
  /** The name error messages start with (ash's arg0). */
  arg0: string;
  /** The shell's name as invoked, without directories (messages of test, printf, kill). */
  shellName: string;
  /** Script mode prints "line N:" in every message. */
  script: boolean;
  jobs: Map<number, Job>;
  /** The jobs, the current one (%+) first, the previous one (%-) next. */
  jobOrder: Job[];
  /** Counter for the made-up pids of in-process jobs. */
  nextJob: number;
  /** Job control, when the interactive shell owns its terminal. */
  jc?: JobControl;
  /** The foreground job, while the shell waits for it. */
  fgJob?: Job;
  /** "You have stopped jobs." was said: the next exit goes ahead. */
  stopWarned?: boolean;
  /** Commands run, for yielding to the event loop now and then. */
  ticks: number;
  /** Signals caught but whose traps have not run yet. */
  pendingSignals: string[];
  /** Wakes `wait` when a trapped signal arrives. */
  signalWaiters: Set<() => void>;
  /** The top-level context: traps are its. */
  main?: Shell;
  inTrap?: boolean;
  /** Interactive: SIGINT arrived while the current command ran. */
  interrupted?: boolean;
  /** Interactive: aborted by SIGINT; in-process applets of the foreground command get its signal. */
  abort?: AbortController;
}

export class Shell {
  vars = new Map<string, Var>();
  funcs = new Map<string, Node>();
  aliases = new Map<string, string>();
  positional: string[] = [];
  /** $0 */
  name = "sh";
  opts = new Set<string>();
  cwd = "/";
  umask = 0o022;
  fds = new FdTable();
  traps = new Map<string, string>();
  status = 0;
  lastBg?: number;
  /** Saved variables of each active function call (local). */
  locals: Map<string, Var | undefined>[] = [];
  loopDepth = 0;
  /** Current line, for messages and LINENO. */
  line = 0;
  /** A subshell: exit ends only this context. */
  subshell = false;
  /** Inside an if/while condition, && || lists or after !: set -e does not apply. */
  noErrexit = 0;
  /** Hash table of command paths (hash builtin). */
  hashed = new Map<string, string>();
  private envCache?: Record<string, string>;
  /** OPTIND's parse position inside a clustered argument (getopts). */
  optPos = 1;
  /** Status of the last command substitution of the current command. */
  substStatus?: number;
  /** A background simple command: report the pid of the program it spawns. */
  bgSpawn?: (pid: number) => void;
  /** The job whose programs this context starts (its process group). */
  job?: Job;
  /** The simple command being run, for a foreground job's text. */
  simple?: Node;
  /** Resource limits set by ulimit, for the programs this context starts (ulimit.ts). */
  limits?: Map<number, Rlimit>;
  /** Set by kill for an in-process job: the signal that ends it at the next command. */
  killed = 0;
  /** A background job's context: SIGINT does not interrupt it. */
  background = false;
  /** The context a subshell was made from (its "parent process"). */
  parent?: Shell;

  constructor(readonly g: Global) {}

  clone(): Shell {
    const s = new Shell(this.g);
    s.vars = new Map(this.vars);
    s.funcs = new Map(this.funcs);
    s.aliases = new Map(this.aliases);
    s.positional = this.positional.slice();
    s.name = this.name;
    s.opts = new Set(this.opts);
    s.cwd = this.cwd;
    s.umask = this.umask;
    s.fds = this.fds.clone();
    // A subshell keeps ignored signals ignored; other traps are reset.
    for (const [sig, action] of this.traps) if (action === "") s.traps.set(sig, "");
    s.status = this.status;
    s.lastBg = this.lastBg;
    s.locals = this.locals.map((m) => new Map(m));
    s.loopDepth = this.loopDepth;
    s.line = this.line;
    s.subshell = true;
    s.parent = this;
    s.hashed = new Map(this.hashed);
    s.envCache = this.envCache;
    s.optPos = this.optPos;
    s.noErrexit = this.noErrexit;
    s.background = this.background;
    s.job = this.job;
    s.limits = this.limits;
    return s;
  }

  // ---- Variables ----

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  /** Assign, honouring readonly and allexport; throws ShellError for a read-only one. */
  set(name: string, value: string): void {
    const old = this.vars.get(name);
    if (old?.readonly) throw new ShellError(`${name}: is read only`);
    const exported = old?.exported || this.opts.has("allexport");
    this.vars.set(name, { value, exported, readonly: false });
    if (exported) this.envCache = undefined;
    if (name === "OPTIND") this.optPos = 1;
  }

  unset(name: string): void {
    const old = this.vars.get(name);
    if (!old) return;
    if (old.readonly) throw new ShellError(`${name}: is read only`, 1);
    if (old.exported) this.envCache = undefined;
    // A local stays local after unset, so leaving the function restores the outer value.
    this.vars.delete(name);
  }

  setAttr(name: string, attr: { exported?: boolean; readonly?: boolean }, value?: string): void {
    const old = this.vars.get(name);
    if (value !== undefined && old?.readonly) throw new ShellError(`${name}: is read only`);
    this.vars.set(name, {
      value: value ?? old?.value,
      exported: attr.exported || old?.exported,
      readonly: attr.readonly || old?.readonly,
    });
    this.envCache = undefined;
  }

  /** Make `name` local to the innermost function call. */
  makeLocal(name: string): void {
    const frame = this.locals[this.locals.length - 1];
    if (!frame.has(name)) frame.set(name, this.vars.get(name));
  }

  /** The environment for commands: exported variables with values. */
  env(): Record<string, string> {
    if (!this.envCache) {
      const env: Record<string, string> = {};
      for (const [k, v] of this.vars) if (v.exported && v.value !== undefined) env[k] = v.value;
      this.envCache = env;
    }
    return this.envCache;
  }

  invalidateEnv(): void {
    this.envCache = undefined;
  }

  // ---- Output ----

  async write(fd: number, s: string): Promise<void> {
    await writeHandle(this.fds.get(fd), Buffer.from(s, "latin1"));
  }

  async out(s: string): Promise<void> {
    await this.write(1, s);
  }

  /** An error message as ash prints it: "arg0: [builtin: ]line N: message". */
  async error(message: string, builtin?: string): Promise<void> {
    let text = `${this.g.arg0}: `;
    if (builtin) text += `${builtin}: line ${this.line}: `;
    else if (this.g.script) text += `line ${this.line}: `;
    try {
      await this.write(2, text + message + "\n");
    } catch {}
  }
}
