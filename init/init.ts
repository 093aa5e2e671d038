// PID 1. Mounts the pseudo-filesystems, runs /etc/inittab the BusyBox way,
// reaps every orphan, and shuts down on SIGUSR1 (halt), SIGUSR2 (poweroff)
// or SIGTERM (reboot). Every error is caught, logged and survived: PID 1
// exiting would panic the kernel.
import * as fs from "node:fs";
import type { Subprocess } from "bun";
import { defineApplet, PIKA_VERSION, warn, type Context } from "../lib/applet.ts";
import { getpid, reboot, RB, sethostname, uname } from "../lib/syscalls.ts";
import { log, say } from "./console.ts";
import { kernelOptions, mountPseudoFilesystems } from "./early.ts";
import { commandLine, DEFAULT_INITTAB, parseInittab, type InittabEntry } from "./inittab.ts";
import { Reaper } from "./reaper.ts";
import { shutdownSystem, type ShutdownKind } from "./shutdown.ts";

const CHILD_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";
/** A respawned process that lived shorter than this counts as failing fast. */
const FAST_EXIT_MS = 5000;
const MAX_BACKOFF_MS = 60_000;

class Init {
  private shuttingDown = false;
  private readonly running = new Set<Subprocess>();
  private readonly reaper: Reaper;
  private entries: InittabEntry[] = [];

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
      log(`can't read ${file} (${(err as Error).message}); using the default inittab`);
      text = DEFAULT_INITTAB;
    }
    const { entries, problems } = parseInittab(text);
    for (const p of problems) log(`${file}: ${p}`);
    this.entries = entries;
  }

  private of(action: InittabEntry["action"]): InittabEntry[] {
    return this.entries.filter((e) => e.action === action);
  }

  /** Start one inittab process; undefined (and a console message) if it cannot start. */
  spawn(entry: InittabEntry): Subprocess | undefined {
    const { argv, argv0 } = commandLine(entry.command);
    let ttyFd: number | undefined;
    try {
      if (entry.tty) ttyFd = fs.openSync(`/dev/${entry.tty}`, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
      const stdio = ttyFd === undefined ? "inherit" : ttyFd;
      const proc = Bun.spawn(argv, {
        argv0,
        cwd: "/",
        env: this.childEnv(),
        stdio: [stdio, stdio, stdio],
        // Interactive entries lead their own session, as on BusyBox.
        detached: entry.action === "respawn" || entry.action === "askfirst",
      });
      this.reaper.track(proc.pid, proc.exited);
      this.running.add(proc);
      proc.exited.finally(() => this.running.delete(proc)).catch(() => {});
      return proc;
    } catch (err) {
      log(`can't run '${entry.command}': ${(err as Error).message}`);
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

  /** Keep a respawn entry running, backing off while it keeps failing fast. */
  async supervise(entry: InittabEntry): Promise<void> {
    let backoff = 0;
    while (!this.shuttingDown) {
      const started = Date.now();
      const proc = this.spawn(entry);
      if (proc) await proc.exited.catch(() => {});
      if (this.shuttingDown) return;
      if (Date.now() - started < FAST_EXIT_MS) {
        backoff = Math.min(backoff ? backoff * 2 : 1000, MAX_BACKOFF_MS);
        log(`'${entry.command}' exited quickly; respawning in ${backoff / 1000}s`);
      } else backoff = 0;
      await new Promise((r) => setTimeout(r, backoff));
    }
  }

  async boot(): Promise<void> {
    // A shutdown signal during boot ends it: nothing more is started.
    await this.runAndWait(this.of("sysinit"), true);
    await this.runAndWait(this.of("wait"), true);
    if (this.shuttingDown) return;
    for (const e of this.of("once")) this.spawn(e);
    for (const e of [...this.of("respawn"), ...this.of("askfirst")]) void this.supervise(e);
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
    this.onSignal("SIGUSR2", () => this.shutdown("poweroff"));
    this.onSignal("SIGTERM", () => this.shutdown("reboot"));
    this.onSignal("SIGINT", () => this.runAndWait(this.of("ctrlaltdel")));
    this.onSignal("SIGHUP", () => this.loadInittab());
    // A safety net: a lost SIGCHLD must not leave zombies for ever.
    setInterval(() => this.reaper.reap(), 30_000);
  }

  async shutdown(kind: ShutdownKind): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    say("\nThe system is going down NOW!");
    await this.runAndWait(this.of("shutdown"));
    await shutdownSystem(kind, this.reaper, { remountRoot: !this.sandbox });
  }
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
