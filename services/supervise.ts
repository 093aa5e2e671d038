// supervise-daemon NAME --start|--stop ...: a supervisor (pika, in its own
// session) that starts the command, restarts it when it dies (after
// respawn_delay, at most respawn_max times per respawn_period), and on
// SIGTERM stops it and exits. Its pidfile holds the supervisor's pid.
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
import { EXEC_HELPER_VAR, idsOf, openLog, untilExeced, type ExecSpec } from "./ssd.ts";
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
  "-R, --retry SECONDS  How long COMMAND gets to stop before SIGKILL (5)",
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
    const end = Date.now() + (Number(opts.retry ?? 5) + 5) * 1000;
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
    retry: Number(opts.retry ?? 5), delay: Number(opts["respawn-delay"] ?? 0),
    max: Number(opts["respawn-max"] ?? 10), period: Number(opts["respawn-period"] ?? 0),
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

interface SupervisorPlan {
  name: string;
  pidfile: string;
  spec: ExecSpec;
  svc?: string;
  stdout?: string;
  stderr?: string;
  signal: number;
  retry: number;
  delay: number;
  max: number;
  period: number;
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
  for (;;) {
    const fds = ["ignore", openLog(plan.stdout), openLog(plan.stderr)];
    child = Bun.spawn({
      cmd: [process.execPath, "start-stop-daemon"],
      argv0: "start-stop-daemon",
      env: { ...plan.spec.env, [EXEC_HELPER_VAR]: JSON.stringify(plan.spec) },
      stdio: fds as any,
    });
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
  if (child && child.exitCode === null && !child.signalCode) {
    child.kill(plan.signal);
    const gone = await Promise.race([child.exited.then(() => true), sleep(plan.retry * 1000).then(() => false)]);
    if (!gone) {
      child.kill(9);
      await child.exited;
    }
  }
  fs.rmSync(plan.pidfile, { force: true });
  void ctx;
  return 0;
}
