// The shared supervisor (`supervise-daemon --server`): one process for every
// supervised service. `supervise-daemon NAME --start` hands it a plan over
// a unix socket; it starts the command, restarts it when it dies (after
// respawn_delay, at most respawn_max times per respawn_period), runs health
// checks, and stops it when asked. Each service's pidfile holds this
// process's pid, as OpenRC's pidfile holds its supervisor's.
//
// It survives itself: each service's plan and child pid are kept in
// /run/pika/supervise-daemon/NAME.json, so a restarted server (the next
// supervise-daemon call starts one) adopts the children still running and
// rewrites their pidfiles; a child that died meanwhile is dropped with its
// pidfile, and the service shows as crashed. With nothing left to
// supervise it exits, so it costs nothing until the next --start.
import * as fs from "node:fs";
import * as path from "node:path";
import { flock, kill, LOCK_EX, LOCK_NB, setsid } from "../lib/syscalls.ts";
import { alive, startTime } from "./procs.ts";
import { notifyFds } from "./ready.ts";
import { openLog, outputFd, spawnSpec, untilExeced, type ExecSpec, type Step } from "./ssd.ts";
import { setValue } from "./state.ts";

export const RUN_DIR = "/run/pika";
export const SOCKET = path.join(RUN_DIR, "supervise-daemon.sock");
export const SERVER_PIDFILE = path.join(RUN_DIR, "supervise-daemon.pid");
const LOCK = path.join(RUN_DIR, "supervise-daemon.lock");
const STATE_DIR = path.join(RUN_DIR, "supervise-daemon");
/** Linux's O_CLOEXEC: the supervised commands must not hold the server's lock. */
const O_CLOEXEC = 0o2000000;
/** Adopted children are not ours to wait for: look this often whether they live. */
const ADOPTED_POLL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HealthPlan {
  /** The init script (or YAML service) whose healthcheck and unhealthy commands run. */
  service: string;
  timer: number;
  delay: number;
}

export interface SupervisorPlan {
  name: string;
  pidfile: string;
  spec: ExecSpec;
  svc?: string;
  stdout?: string;
  stderr?: string;
  signal: number;
  /** How the command is stopped (start-stop-daemon's schedule); SIGKILL after it runs out. */
  retry: Step[];
  delay: number;
  max: number;
  period: number;
  health?: HealthPlan;
  /** --ready-fd FD:FIFO: the daemon's readiness notification descriptor. */
  readyFd?: string;
  /** Programs the command's stdout / stderr are piped to (output_logger, error_logger). */
  stdoutLogger?: string;
  stderrLogger?: string;
}

export type Request =
  | { op: "start"; plan: SupervisorPlan }
  | { op: "stop"; name: string }
  | { op: "signal"; name: string; signal: number };

/** status 0, or non-zero with the message the caller prints; `leaving`: the server exits after this reply. */
export interface Reply { status: number; error?: string; leaving?: boolean }

export function stateFile(name: string): string {
  return path.join(STATE_DIR, `${encodeURIComponent(name)}.json`);
}

interface Saved { plan: SupervisorPlan; pid: number; started?: string }

function save(plan: SupervisorPlan, pid: number): void {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const file = stateFile(plan.name);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ plan, pid, started: startTime(pid) } satisfies Saved));
  fs.renameSync(`${file}.tmp`, file);
}

/** A supervised command: our own child, or one adopted from a server before us. */
interface Child {
  pid: number;
  exited: Promise<unknown>;
  running(): boolean;
  kill(sig: number): void;
  status(): string;
}

function ownChild(p: ReturnType<typeof Bun.spawn>): Child {
  return {
    pid: p.pid,
    exited: p.exited,
    running: () => p.exitCode === null && !p.signalCode,
    kill: (sig) => p.kill(sig),
    status: () => String(p.exitCode ?? p.signalCode),
  };
}

function adoptedChild(pid: number): Child {
  const c: Child = {
    pid,
    exited: (async () => {
      while (alive(pid)) await sleep(ADOPTED_POLL_MS);
    })(),
    running: () => alive(pid),
    kill: (sig) => {
      try {
        kill(pid, sig);
      } catch {}
    },
    status: () => "unknown: adopted",
  };
  return c;
}

/** Run one command of the service (`openrc-run SCRIPT CMD`) and give its exit status. */
function serviceCommand(plan: SupervisorPlan, cmd: string): ReturnType<typeof Bun.spawn> {
  const fd = openLog(plan.stderr);
  const proc = Bun.spawn({
    // argv0 picks the applet: the rest are its arguments.
    cmd: [process.execPath, plan.health!.service, cmd],
    argv0: "openrc-run",
    cwd: "/",
    env: plan.spec.env,
    stdio: ["ignore", fd, fd] as any,
  });
  if (typeof fd === "number") fs.closeSync(fd);
  return proc;
}

/** One service's supervision: the respawn loop, its health checks, its stop. */
class Supervision {
  private child?: Child;
  private check?: ReturnType<typeof Bun.spawn>;
  private stopping = false;
  private wake!: () => void;
  private readonly stopped = new Promise<void>((r) => (this.wake = r));
  private readonly starts: number[] = [];
  /** Settles when supervision ends: stopped, given up, or failed to start. */
  readonly done: Promise<void>;

  constructor(readonly plan: SupervisorPlan, adopt: number | undefined, started: (error?: string) => void) {
    // Whatever goes wrong stays with this service: the server and the others go on.
    this.done = this.run(adopt, started)
      .catch((e) => {
        this.log(e instanceof Error ? e.message : String(e));
        started(`${plan.name}: the supervisor did not start`);
        this.child?.kill(9);
      })
      .finally(() => {
        fs.rmSync(plan.pidfile, { force: true });
        fs.rmSync(stateFile(plan.name), { force: true });
      });
    if (plan.health) void this.healthLoop(plan.health);
  }

  stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    return this.done;
  }

  signal(sig: number): boolean {
    if (!this.child?.running()) return false;
    this.child.kill(sig);
    return true;
  }

  private log(msg: string): void {
    // The supervisor has no terminal: say it where the command's errors go (if it can).
    try {
      if (this.plan.stderr) fs.appendFileSync(this.plan.stderr, `supervise-daemon: ${this.plan.name}: ${msg}\n`);
    } catch {}
  }

  private async stopChild(c: Child): Promise<void> {
    for (const step of this.plan.retry) {
      if (!c.running()) return;
      if ("signal" in step) c.kill(step.signal);
      else if ("timeout" in step) await Promise.race([c.exited, sleep(step.timeout * 1000)]);
    }
    if (c.running()) {
      c.kill(9);
      await c.exited;
    }
  }

  private spawn(): Child | string {
    const fds: ("ignore" | number | undefined)[] = ["ignore"];
    try {
      fds.push(outputFd(this.plan.stdout, this.plan.stdoutLogger, this.plan.spec.env));
      fds.push(outputFd(this.plan.stderr, this.plan.stderrLogger, this.plan.spec.env));
      // The readiness FIFO again on each respawn (services/ready.ts).
      fds.push(...notifyFds(this.plan.readyFd).extra);
      return ownChild(spawnSpec(this.plan.spec, fds as any));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      for (const fd of fds) if (typeof fd === "number") fs.closeSync(fd);
    }
  }

  private async run(adopt: number | undefined, started: (error?: string) => void): Promise<void> {
    const { plan } = this;
    for (;;) {
      const child = adopt !== undefined ? adoptedChild(adopt) : this.spawn();
      adopt = undefined;
      if (typeof child === "string") {
        this.log(child);
        if (!this.starts.length) started(`${plan.name}: the supervisor did not start`);
        return;
      }
      this.child = child;
      this.starts.push(Date.now());
      await untilExeced(child.pid);
      if (plan.svc) {
        try {
          setValue(plan.svc, "child_pid", String(child.pid));
        } catch {}
      }
      save(plan, child.pid);
      // Written once the first child runs: the starter waits for the answer.
      if (this.starts.length === 1) {
        fs.writeFileSync(plan.pidfile, `${process.pid}\n`);
        started();
      }
      await Promise.race([child.exited, this.stopped]);
      if (this.stopping) break;
      // Too many restarts within the period: give up.
      const now = Date.now();
      const recent = plan.period > 0 ? this.starts.filter((t) => now - t <= plan.period * 1000) : this.starts;
      if (plan.max > 0 && recent.length > plan.max) {
        this.log(`respawned ${plan.max} times${plan.period ? ` in ${plan.period} seconds` : ""}; giving up`);
        return;
      }
      this.log(`${plan.spec.file} died (status ${child.status()}); restarting`);
      if (plan.delay > 0) await Promise.race([sleep(plan.delay * 1000), this.stopped]);
      if (this.stopping) return;
    }
    if (this.child) await this.stopChild(this.child);
    this.check?.kill(9);
  }

  // Health checks beside the respawn loop: a failed one stops the child, and the loop restarts it.
  private async healthLoop(h: HealthPlan): Promise<void> {
    let wait = h.delay;
    let ended = false;
    void this.done.then(() => (ended = true));
    for (;;) {
      await Promise.race([sleep(wait * 1000), this.stopped, this.done]);
      wait = h.timer;
      if (this.stopping || ended) return;
      this.check = serviceCommand(this.plan, "healthcheck");
      const status = await this.check.exited;
      this.check = undefined;
      if (this.stopping || ended) return;
      if (status === 0 || !this.child) continue;
      this.log(`health check failed (status ${status}); restarting`);
      this.check = serviceCommand(this.plan, "unhealthy");
      await this.check.exited;
      this.check = undefined;
      if (!this.stopping && this.child) await this.stopChild(this.child);
    }
  }
}

/** Services a server before us supervised: adopt those whose command still runs. */
function adoptAll(services: Map<string, Supervision>): void {
  let files: string[] = [];
  try {
    files = fs.readdirSync(STATE_DIR).filter((f) => f.endsWith(".json"));
  } catch {}
  for (const f of files) {
    const file = path.join(STATE_DIR, f);
    let saved: Saved;
    try {
      saved = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    // The pid must still be the command, not a recycled pid: the same start time says so
    // (its exe may have changed: `sh -c '... exec sleep'`).
    if (saved.started !== undefined && startTime(saved.pid) === saved.started) {
      services.set(saved.plan.name, new Supervision(saved.plan, saved.pid, () => {}));
    } else {
      fs.rmSync(saved.plan.pidfile, { force: true });
      fs.rmSync(file, { force: true });
    }
  }
}

/** The server: answers requests until nothing is left to supervise. */
export async function serverMain(): Promise<number> {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const lockFd = fs.openSync(LOCK, fs.constants.O_WRONLY | fs.constants.O_CREAT | O_CLOEXEC, 0o600);
  // One server per system: the lock is the kernel's, so it goes with us even on SIGKILL.
  if (!flock(lockFd, LOCK_EX | LOCK_NB)) return 0;
  try {
    setsid();
  } catch {}
  process.chdir("/");
  // A supervisor must outlive its own mistakes: one service's failure is not the others'.
  process.on("uncaughtException", () => {});
  process.on("unhandledRejection", () => {});
  const services = new Map<string, Supervision>();
  let busy = 0;
  /** Decided to exit: callers that connect now get no answer, and start a new server. */
  let leaving = false;
  const forget = (s: Supervision) =>
    void s.done.then(() => {
      if (services.get(s.plan.name) === s) services.delete(s.plan.name);
      idle();
    });
  adoptAll(services);
  for (const s of services.values()) forget(s);

  const handle = async (req: Request): Promise<Reply> => {
    if (req.op === "start") {
      const running = services.get(req.plan.name);
      if (running) return { status: 1, error: `${req.plan.name}: already supervised (pid ${process.pid})` };
      fs.rmSync(req.plan.pidfile, { force: true });
      let answer!: (r: Reply) => void;
      const reply = new Promise<Reply>((r) => (answer = r));
      const s = new Supervision(req.plan, undefined, (error) => answer(error ? { status: 1, error } : { status: 0 }));
      services.set(req.plan.name, s);
      forget(s);
      // A command that dies at once and is given up on still counts as started, as before.
      void s.done.then(() => answer({ status: 0 }));
      return reply;
    }
    const s = services.get(req.name);
    if (req.op === "stop") {
      await s?.stop();
      // The last one stopped, and no one else asking: leave, and say so (the caller waits for it).
      if (services.size === 0 && busy === 1) leaving = true;
      return { status: 0, leaving };
    }
    return s?.signal(req.signal) ? { status: 0 } : { status: 1, error: `${req.name}: not supervised` };
  };

  // Only root may hand us commands to run (as any user): the socket is born 0600.
  process.umask(0o077);
  fs.rmSync(SOCKET, { force: true });
  let listener: ReturnType<typeof Bun.listen<{ buf: string; asked: boolean }>> | undefined;
  function idle(): void {
    if (!leaving && (services.size || busy)) return;
    if (!listener || (leaving && busy)) return;
    // Close before leaving: a caller that connects now finds no server and starts one.
    listener.stop(true);
    fs.rmSync(SOCKET, { force: true });
    fs.rmSync(SERVER_PIDFILE, { force: true });
    process.exit(0);
  }
  listener = Bun.listen<{ buf: string; asked: boolean }>({
    unix: SOCKET,
    socket: {
      open(sock) {
        busy++;
        sock.data = { buf: "", asked: false };
        if (leaving) sock.end();
      },
      data(sock, chunk) {
        if (sock.data.asked || leaving) return; // one request per connection, none once leaving
        sock.data.buf += chunk.toString();
        const nl = sock.data.buf.indexOf("\n");
        if (nl < 0) return;
        sock.data.asked = true;
        const line = sock.data.buf.slice(0, nl);
        let req: Request;
        try {
          req = JSON.parse(line);
        } catch {
          sock.end(JSON.stringify({ status: 1, error: "bad request" }) + "\n");
          return;
        }
        void handle(req)
          .catch((e): Reply => ({ status: 1, error: e instanceof Error ? e.message : String(e) }))
          .then((r) => sock.end(JSON.stringify(r) + "\n"));
      },
      close() {
        busy--;
        idle();
      },
      error() {},
    },
  });
  process.umask(0o022);
  fs.writeFileSync(SERVER_PIDFILE, `${process.pid}\n`);
  // Stopped as a whole (shutdown): stop every service, then leave.
  process.on("SIGTERM", () => {
    void Promise.all([...services.values()].map((s) => s.stop())).then(() => idle());
  });
  // Started for a caller that never came: do not linger.
  setTimeout(idle, 5000);
  await new Promise(() => {});
  return 0;
}
