// PID 1. Mounts the pseudo-filesystems, runs /etc/inittab the BusyBox way,
// reaps every orphan, and answers BusyBox init's signals: SIGUSR1 (halt), SIGUSR2 (poweroff), SIGTERM (reboot), SIGQUIT (restart), SIGINT
// (ctrlaltdel), SIGHUP (re-read the inittab). Every error is caught, logged and survived: PID 1
// exiting would panic the kernel.
import * as fs from "node:fs";
import type { Subprocess } from "bun";
import { defineApplet, PIKA_VERSION, warn, type Context } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { resolveCommand } from "../lib/exec.ts";
import { dup2, execve, getpid, reboot, RB, resetSignalDispositions, sethostname, uname } from "../lib/syscalls.ts";
import { askFirst } from "./askfirst.ts";
import { log, say } from "./console.ts";
import { kernelOptions, mountPseudoFilesystems } from "./early.ts";
import { commandLine, DEFAULT_INITTAB, parseInittab, type InittabEntry } from "./inittab.ts";
import { Reaper } from "./reaper.ts";
import { terminateAllProcesses, unmountAndReboot, type ShutdownKind, type ShutdownOptions } from "./shutdown.ts";

const CHILD_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";
/** A respawned process that lived shorter than this counts as failing fast. */
const FAST_EXIT_MS = 5000;
const MAX_BACKOFF_MS = 60_000;

/**
 * A respawn or askfirst entry kept running. Across a SIGHUP, BusyBox matches
 * entries by terminal and command: a kept entry is not restarted, a removed
 * one gets SIGTERM and is not started again.
 */
interface Supervised {
  entry: InittabEntry;
  active: boolean;
  /** The entry's process while it runs. */
  proc?: Subprocess;
}

const supervisionKey = (e: InittabEntry) => `${e.tty}\n${e.command}`;
const isSupervised = (e: InittabEntry) => e.action === "respawn" || e.action === "askfirst";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Init {
  private shuttingDown = false;
  /** sysinit and wait are done: respawn and askfirst entries may start. */
  private booted = false;
  private readonly reaper: Reaper;
  private entries: InittabEntry[] = [];
  private readonly supervised = new Map<string, Supervised>();

  constructor(
    private readonly ctx: Context,
    private readonly options: Record<string, string>,
    private readonly sandbox: boolean,
  ) {
    this.reaper = new Reaper(getpid());
  }

  /** The environment every child starts with, as BusyBox init gives it. */
  private childEnv(): Record<string, string> {
    const env: Record<string, string> = { ...this.ctx.env };
    env.PATH = CHILD_PATH;
    env.HOME ??= "/";
    env.SHELL ??= "/bin/sh";
    env.USER ??= "root";
    env.TERM ??= "linux";
    return env;
  }

  loadInittab(): void {
    const file = this.options.inittab ?? this.ctx.env.PIKA_INITTAB ?? "/etc/inittab";
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      log(`can't read ${file} (${errorMessage(err)}); using the default inittab`);
      text = DEFAULT_INITTAB;
    }
    const { entries, problems } = parseInittab(text);
    for (const p of problems) log(`${file}: ${p}`);
    this.entries = entries;
  }

  /** SIGHUP: read the inittab again; start new respawn/askfirst entries, stop respawning removed ones. */
  reloadInittab(): void {
    if (this.shuttingDown) return;
    this.loadInittab();
    if (this.booted) this.superviseEntries();
  }

  private of(action: InittabEntry["action"]): InittabEntry[] {
    return this.entries.filter((e) => e.action === action);
  }

  /** The entry's terminal, opened for its stdio; undefined for init's own console. */
  private openTty(entry: InittabEntry): number | undefined {
    return entry.tty ? fs.openSync(`/dev/${entry.tty}`, fs.constants.O_RDWR | fs.constants.O_NOCTTY) : undefined;
  }

  /** Start one inittab process; undefined (and a console message saying why) if it cannot start. */
  spawn(entry: InittabEntry): Subprocess | undefined {
    const { argv, argv0 } = commandLine(entry.command);
    let ttyFd: number | undefined;
    try {
      ttyFd = this.openTty(entry);
    } catch (err) {
      log(`can't open /dev/${entry.tty}: ${errorMessage(err)}`);
      return undefined;
    }
    try {
      const stdio = ttyFd === undefined ? "inherit" : ttyFd;
      const proc = Bun.spawn(argv, {
        argv0,
        cwd: "/",
        env: this.childEnv(),
        stdio: [stdio, stdio, stdio],
        // Interactive entries lead their own session, as on BusyBox.
        detached: isSupervised(entry),
      });
      this.reaper.track(proc.pid, proc.exited);
      return proc;
    } catch (err) {
      // argv[0] names what is missing: the program, or /bin/sh for a command with shell syntax.
      log(`can't run '${entry.command}': ${argv[0]}: ${errorMessage(err)}`);
      return undefined;
    } finally {
      if (ttyFd !== undefined) fs.closeSync(ttyFd);
    }
  }

  /** Run entries one after another, waiting for each (sysinit, wait, shutdown). */
  async runAndWait(entries: InittabEntry[], stopOnShutdown = false): Promise<void> {
    for (const e of entries) {
      if (stopOnShutdown && this.shuttingDown) return;
      const proc = this.spawn(e);
      if (proc) await proc.exited.catch(() => {});
    }
  }

  /** Match the respawn and askfirst entries of the inittab with the supervisors running. */
  private superviseEntries(): void {
    const wanted = new Map(this.entries.filter(isSupervised).map((e) => [supervisionKey(e), e]));
    for (const [key, s] of this.supervised) {
      if (wanted.has(key) || !s.active) continue;
      s.active = false;
      s.proc?.kill("SIGTERM");
    }
    for (const [key, entry] of wanted) {
      const s = this.supervised.get(key);
      if (s) Object.assign(s, { entry, active: true });
      else {
        const fresh = { entry, active: true };
        this.supervised.set(key, fresh);
        void this.supervise(fresh).finally(() => this.supervised.get(key) === fresh && this.supervised.delete(key));
      }
    }
  }

  private keepsRunning(s: Supervised): boolean {
    return s.active && !this.shuttingDown;
  }

  /** askfirst: the prompt on the entry's terminal, then wait for Enter; false if no longer wanted. */
  private async waitForEnter(s: Supervised): Promise<boolean> {
    let fd: number | undefined;
    try {
      fd = this.openTty(s.entry);
    } catch {
      return true; // spawn() fails the same way, says so, and backs off
    }
    try {
      return await askFirst(fd ?? 0, fd ?? 1, () => !this.keepsRunning(s));
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Keep a respawn or askfirst entry running, backing off while it keeps failing fast. */
  private async supervise(s: Supervised): Promise<void> {
    let backoff = 0;
    while (this.keepsRunning(s)) {
      if (s.entry.action === "askfirst" && !(await this.waitForEnter(s))) return;
      const started = Date.now();
      const proc = (s.proc = this.spawn(s.entry));
      if (proc) await proc.exited.catch(() => {});
      s.proc = undefined;
      if (!this.keepsRunning(s)) return;
      if (Date.now() - started < FAST_EXIT_MS) {
        backoff = Math.min(backoff ? backoff * 2 : 1000, MAX_BACKOFF_MS);
        log(`'${s.entry.command}' exited quickly; respawning in ${backoff / 1000}s`);
      } else backoff = 0;
      await sleep(backoff);
    }
  }

  async boot(): Promise<void> {
    // A shutdown signal during boot ends it: nothing more is started.
    await this.runAndWait(this.of("sysinit"), true);
    await this.runAndWait(this.of("wait"), true);
    if (this.shuttingDown) return;
    for (const e of this.of("once")) this.spawn(e);
    this.booted = true;
    this.superviseEntries();
  }

  onSignal(name: NodeJS.Signals, handler: () => unknown): void {
    try {
      process.on(name, () => {
        try {
          const r = handler();
          if (r instanceof Promise) r.catch((err) => log(`${name}: ${err?.stack ?? err}`));
        } catch (err: any) {
          log(`${name}: ${err?.stack ?? err}`);
        }
      });
    } catch (err) {
      log(`can't handle ${name}: ${(err as Error).message}`);
    }
  }

  installSignals(): void {
    this.onSignal("SIGCHLD", () => this.reaper.reap());
    this.onSignal("SIGUSR1", () => this.shutdown("halt"));
    // BusyBox also halts on SIGPWR, but JavaScriptCore suspends threads with
    // SIGPWR: Bun never passes it on, so it cannot be ours.
    this.onSignal("SIGUSR2", () => this.shutdown("poweroff"));
    this.onSignal("SIGTERM", () => this.shutdown("reboot"));
    this.onSignal("SIGQUIT", () => this.restart());
    this.onSignal("SIGINT", () => this.runAndWait(this.of("ctrlaltdel")));
    this.onSignal("SIGHUP", () => this.reloadInittab());
    // A safety net: a lost SIGCHLD must not leave zombies for ever.
    setInterval(() => this.reaper.reap(), 30_000);
  }

  private shutdownOptions(): ShutdownOptions {
    return { remountRoot: !this.sandbox, verbose: this.options.verbose === "1" || this.ctx.env.PIKA_INIT_VERBOSE === "1" };
  }

  /** What halt, power-off, reboot and restart share: shutdown entries, then everyone is stopped. */
  private async stopEverything(): Promise<void> {
    this.shuttingDown = true;
    await this.runAndWait(this.of("shutdown"));
    say("\nThe system is going down NOW!");
    await terminateAllProcesses(this.reaper);
  }

  async shutdown(kind: ShutdownKind): Promise<void> {
    if (this.shuttingDown) return;
    await this.stopEverything();
    unmountAndReboot(kind, this.shutdownOptions());
  }

  /**
   * SIGQUIT: with a restart entry, stop everything and become its command
   * (execve, on its terminal); without one, nothing. Halts if the exec fails.
   */
  async restart(): Promise<void> {
    const [entry] = this.of("restart");
    if (!entry || this.shuttingDown) return;
    await this.stopEverything();
    try {
      reboot(RB.ENABLE_CAD); // the kernel's default, for the next init
    } catch {}
    try {
      execEntry(entry, this.childEnv());
    } catch (err) {
      log(`can't run '${entry.command}': ${errorMessage(err)}`);
    }
    unmountAndReboot("halt", this.shutdownOptions());
  }
}

/** Replace init with an entry's command, its terminal as stdin, stdout and stderr. */
function execEntry(entry: InittabEntry, env: Record<string, string>): never {
  const { argv, argv0 } = commandLine(entry.command);
  const found = resolveCommand(argv[0], env, "/");
  if ("error" in found) throw new Error(`${argv[0]}: ${found.error === "ENOENT" ? "not found" : found.error}`);
  if (entry.tty) {
    const fd = fs.openSync(`/dev/${entry.tty}`, fs.constants.O_RDWR);
    for (const to of [0, 1, 2]) dup2(fd, to);
  }
  resetSignalDispositions();
  return execve(found.file, [argv0, ...argv.slice(1)], env);
}

function setHostname(): void {
  try {
    const name = fs.readFileSync("/etc/hostname", "utf8").trim();
    if (name) sethostname(name);
  } catch (err: any) {
    if (err?.code !== "ENOENT") log(`can't set hostname: ${err.message}`);
  }
}

export async function runInit(ctx: Context): Promise<number> {
  if (getpid() !== 1) {
    await warn(ctx, "must be run as PID 1");
    return 1;
  }
  process.on("uncaughtException", (err) => log(`uncaught: ${err?.stack ?? err}`));
  process.on("unhandledRejection", (err: any) => log(`unhandled: ${err?.stack ?? err}`));
  // Keep the event loop alive for ever: an empty loop would end PID 1.
  setInterval(() => {}, 1 << 30);

  // In a host test sandbox (a pid+mount namespace) the host's mounts stay as they are.
  const sandbox = ctx.env.PIKA_INIT_SANDBOX === "1";
  if (!sandbox) mountPseudoFilesystems();
  const options = kernelOptions();
  const u = uname();
  say(`\nPika Linux ${PIKA_VERSION} init (PID 1) on ${u.machine}, kernel ${u.release}`);
  setHostname();
  try {
    reboot(RB.DISABLE_CAD); // Ctrl-Alt-Del becomes SIGINT to us
  } catch {}

  const init = new Init(ctx, options, sandbox);
  init.installSignals();
  init.loadInittab();
  try {
    await init.boot();
  } catch (err: any) {
    log(`boot: ${err?.stack ?? err}`);
  }
  return new Promise<number>(() => {}); // PID 1 never returns
}

defineApplet({
  name: "init",
  dir: "/sbin",
  usage: "",
  summary: "Init is the first process started during boot. It never exits.\nIt (re)spawns children according to /etc/inittab.",
  rawArgs: true,
  run: (ctx) => runInit(ctx),
});
