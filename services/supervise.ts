// supervise-daemon NAME --start|--stop ...: a supervisor (pika, in its own
// session) that starts the command, restarts it when it dies (after
// respawn_delay, at most respawn_max times per respawn_period), and on
// SIGTERM stops it and exits. Its pidfile holds the supervisor's pid.
// With --healthcheck-timer it runs the service's `healthcheck` command
// (`openrc-run SCRIPT healthcheck`) that often; when it fails, `unhealthy`
// runs and the command is stopped and restarted, as OpenRC does.
import * as fs from "node:fs";
import * as path from "node:path";
import { warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { resolveCommand } from "../lib/exec.ts";
import type { Options } from "../lib/options.ts";
import { signalNumber } from "../lib/signals.ts";
import { kill, setsid } from "../lib/syscalls.ts";
import { byLongName } from "./opts.ts";
import { alive, readPidfile } from "./procs.ts";
import { notifyFds } from "./ready.ts";
import { EXEC_HELPER_VAR, idsOf, openLog, parseSchedule, spawnSpec, untilExeced, type ExecSpec, type Step } from "./ssd.ts";
import { forgetDaemon, recordDaemon, setValue } from "./state.ts";

export const SUPERVISOR_VAR = "PIKA_SUPERVISOR";

export const SUPERVISE_OPTIONS = [
  "-S, --start  Start the supervisor and COMMAND",
  "-K, --stop  Stop the supervisor (and COMMAND)",
  "-p, --pidfile FILE  The supervisor's pidfile",
  "-u, --user USER[:GROUP]  Run COMMAND as USER",
  "-g, --group GROUP  Run COMMAND with GROUP",
  "-d, --chdir DIR  Run COMMAND in DIR",
  "-k, --umask MASK  Run COMMAND with umask MASK",
  "-N, --nicelevel N  Run COMMAND with niceness N",
  "-1, --stdout FILE  Append COMMAND's stdout to FILE",
  "-2, --stderr FILE  Append COMMAND's stderr to FILE",
  "-e, --env VAR=VALUE...  Set VAR in COMMAND's environment",
  "-D, --respawn-delay SECONDS  Wait before restarting (0)",
  "-m, --respawn-max N  Give up after N restarts within the period (10; 0: never)",
  "-P, --respawn-period SECONDS  The period respawn-max counts in (0: ever)",
  "-s, --signal SIG  Signal COMMAND is stopped with (TERM)",
  "-R, --retry SCHEDULE  How COMMAND is stopped: SECONDS before SIGKILL (5), or SIG/TIMEOUT/...",
  "-a, --healthcheck-timer SECONDS  Run the service's healthcheck this often",
  "-A, --healthcheck-delay SECONDS  Wait this long before the first healthcheck (the timer)",
  "--ready-fd FD:FIFO  Give COMMAND the FIFO as descriptor FD, for its readiness notification",
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidfileFor(name: string, opts: Options): string {
  return opts.pidfile ?? `/run/supervise-${name}.pid`;
}

export async function superviseMain(ctx: Context, parsed: Options, operands: string[]): Promise<number> {
  const opts = byLongName(SUPERVISE_OPTIONS, parsed);
  if (ctx.env[SUPERVISOR_VAR]) return supervisor(ctx, JSON.parse(ctx.env[SUPERVISOR_VAR]));
  const [name, ...command] = operands;
  if (!name || !opts.start === !opts.stop) throw new UsageError();
  const pidfile = pidfileFor(name, opts);
  const svc = ctx.env.RC_SVCNAME;
  if (opts.stop) {
    const pid = readPidfile(pidfile);
    if (pid === undefined || !alive(pid)) {
      fs.rmSync(pidfile, { force: true });
      return 0;
    }
    kill(pid, 15);
    // The supervisor follows its own schedule: give it that long, and a little more.
    const end = Date.now() + (scheduleSeconds(retrySchedule(opts.retry, 15)) + 5) * 1000;
    while (alive(pid) && Date.now() < end) await sleep(20);
    if (alive(pid)) {
      await warn(ctx, `${name}: the supervisor (pid ${pid}) refused to stop`);
      return 1;
    }
    fs.rmSync(pidfile, { force: true });
    if (svc) forgetDaemon(svc, { pidfile });
    return 0;
  }
  if (!command.length) throw new UsageError("no command to supervise");
  const running = readPidfile(pidfile);
  if (running !== undefined && alive(running)) {
    await warn(ctx, `${name}: already supervised (pid ${running})`);
    return 1;
  }
  const where = resolveCommand(command[0], ctx.env, ctx.cwd);
  if ("error" in where) throw new AppletError(`${command[0]} does not exist`);
  const env: Record<string, string> = { ...ctx.env };
  delete env[EXEC_HELPER_VAR];
  delete env[SUPERVISOR_VAR];
  for (const e of (opts.env as string[] | undefined) ?? []) {
    const i = e.indexOf("=");
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  const spec: ExecSpec = {
    file: where.file,
    argv: command,
    env,
    setsid: false,
    chdir: opts.chdir ? path.resolve(ctx.cwd, opts.chdir) : "/",
    umask: opts.umask !== undefined ? parseInt(opts.umask, 8) : undefined,
    nice: opts.nicelevel !== undefined ? Number(opts.nicelevel) : undefined,
    ...idsOf(opts.user, opts.group),
  };
  const sig = signalNumber(opts.signal ?? "TERM");
  if (sig === undefined) throw new UsageError(`invalid signal '${opts.signal}'`);
  const plan: SupervisorPlan = {
    name, pidfile, spec, svc, stdout: opts.stdout, stderr: opts.stderr ?? opts.stdout, signal: sig,
    retry: retrySchedule(opts.retry, sig), delay: Number(opts["respawn-delay"] ?? 0),
    max: Number(opts["respawn-max"] ?? 10), period: Number(opts["respawn-period"] ?? 0),
    health: healthOf(opts, ctx.env.RC_SERVICE),
    readyFd: opts["ready-fd"],
  };
  fs.rmSync(pidfile, { force: true });
  const proc = Bun.spawn({
    cmd: [process.execPath, "supervise-daemon"],
    argv0: "supervise-daemon",
    env: { ...env, [SUPERVISOR_VAR]: JSON.stringify(plan) },
    stdio: ["ignore", "ignore", "ignore"],
  });
  proc.unref();
  // Started once the supervisor has written its pidfile and the first child runs.
  for (let i = 0; i < 300 && readPidfile(pidfile) === undefined && alive(proc.pid); i++) await sleep(10);
  if (readPidfile(pidfile) === undefined) throw new AppletError(`${name}: the supervisor did not start`);
  if (svc) recordDaemon(svc, { pidfile });
  return 0;
}

/** A --retry value as a schedule: plain seconds mean SIG, that long, then SIGKILL. */
function retrySchedule(spec: string | undefined, sig: number): Step[] {
  return parseSchedule(spec ?? "5", sig).filter((s) => !("forever" in s));
}

function scheduleSeconds(steps: Step[]): number {
  return steps.reduce((t, s) => t + ("timeout" in s ? s.timeout : 0), 0);
}

interface HealthPlan {
  /** The init script (or YAML service) whose healthcheck and unhealthy commands run. */
  service: string;
  timer: number;
  delay: number;
}

function seconds(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`invalid ${what} '${v}'`);
  return Number(v);
}

/** Health checks need a timer and a service to ask (OpenRC runs them through the service script). */
function healthOf(opts: Options, service: string | undefined): HealthPlan | undefined {
  const timer = seconds(opts["healthcheck-timer"], "healthcheck timer");
  const delay = seconds(opts["healthcheck-delay"], "healthcheck delay");
  if (!timer || !service) return undefined;
  return { service, timer, delay: delay ?? timer };
}

interface SupervisorPlan {
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
  readyFd?: string;
}

/** Run one command of the service (`openrc-run SCRIPT CMD`) and give its exit status. */
function serviceCommand(plan: SupervisorPlan, cmd: string): { proc: ReturnType<typeof Bun.spawn>; status: Promise<number> } {
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
  return { proc, status: proc.exited };
}

/** The supervisor itself: runs until SIGTERM, or until the command keeps dying too often. */
async function supervisor(ctx: Context, plan: SupervisorPlan): Promise<number> {
  try {
    setsid();
  } catch {}
  let child: ReturnType<typeof Bun.spawn> | undefined;
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    process.on("SIGTERM", () => {
      stopping = true;
      resolve();
    });
  });
  const log = (msg: string) => {
    // The supervisor has no terminal: say it where the command's errors go.
    if (plan.stderr) fs.appendFileSync(plan.stderr, `supervise-daemon: ${plan.name}: ${msg}\n`);
  };
  const starts: number[] = [];
  const stopChild = async (c: ReturnType<typeof Bun.spawn>) => {
    const running = () => c.exitCode === null && !c.signalCode;
    for (const step of plan.retry) {
      if (!running()) return;
      if ("signal" in step) c.kill(step.signal);
      else if ("timeout" in step) await Promise.race([c.exited, sleep(step.timeout * 1000)]);
    }
    if (running()) {
      c.kill(9);
      await c.exited;
    }
  };
  // Health checks beside the respawn loop: a failed one stops the child, and the loop restarts it.
  let check: ReturnType<typeof Bun.spawn> | undefined;
  const healthLoop = async (h: HealthPlan) => {
    let wait = h.delay;
    for (;;) {
      await Promise.race([sleep(wait * 1000), stopped]);
      wait = h.timer;
      if (stopping) return;
      const run = serviceCommand(plan, "healthcheck");
      check = run.proc;
      const status = await run.status;
      check = undefined;
      if (stopping) return;
      if (status === 0 || !child) continue;
      log(`health check failed (status ${status}); restarting`);
      const sick = serviceCommand(plan, "unhealthy");
      check = sick.proc;
      await sick.status;
      check = undefined;
      if (!stopping && child) await stopChild(child);
    }
  };
  if (plan.health) void healthLoop(plan.health);
  for (;;) {
    const notify = notifyFds(plan.readyFd);
    const fds = ["ignore", openLog(plan.stdout), openLog(plan.stderr), ...notify.extra];
    try {
      child = spawnSpec(plan.spec, fds as any);
    } catch (e) {
      log(e instanceof Error ? e.message : String(e));
      fs.rmSync(plan.pidfile, { force: true });
      return 1;
    }
    for (const fd of fds) if (typeof fd === "number") fs.closeSync(fd);
    starts.push(Date.now());
    await untilExeced(child.pid);
    if (plan.svc) {
      try {
        setValue(plan.svc, "child_pid", String(child.pid));
      } catch {}
    }
    // Written once the first child runs: the starter waits for it.
    if (starts.length === 1) fs.writeFileSync(plan.pidfile, `${process.pid}\n`);
    const which = await Promise.race([child.exited.then(() => "exited"), stopped.then(() => "stop")]);
    if (which === "stop" || stopping) break;
    // Too many restarts within the period: give up.
    const now = Date.now();
    const recent = plan.period > 0 ? starts.filter((t) => now - t <= plan.period * 1000) : starts;
    if (plan.max > 0 && recent.length > plan.max) {
      log(`respawned ${plan.max} times${plan.period ? ` in ${plan.period} seconds` : ""}; giving up`);
      fs.rmSync(plan.pidfile, { force: true });
      return 1;
    }
    log(`${plan.spec.file} died (status ${child.exitCode ?? child.signalCode}); restarting`);
    if (plan.delay > 0) {
      await Promise.race([sleep(plan.delay * 1000), stopped]);
      if (stopping) {
        fs.rmSync(plan.pidfile, { force: true });
        return 0;
      }
    }
  }
  if (child) await stopChild(child);
  check?.kill(9);
  fs.rmSync(plan.pidfile, { force: true });
  void ctx;
  return 0;
}
