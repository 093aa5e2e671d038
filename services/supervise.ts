// supervise-daemon NAME --start|--stop|--signal ...: OpenRC's command, as
// a client of the one shared supervisor (services/supervisor.ts). --start
// hands it the command and its respawn, health and logging plan and waits
// for its answer (started once the first child runs); --stop waits until it
// has stopped the command by the retry schedule. The first call starts the
// server. The pidfile holds the supervisor's pid, as in OpenRC.
import * as fs from "node:fs";
import * as path from "node:path";
import { warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { resolveCommand } from "../lib/exec.ts";
import type { Options } from "../lib/options.ts";
import { signalNumber } from "../lib/signals.ts";
import { byLongName } from "./opts.ts";
import { alive, readPidfile } from "./procs.ts";
import { EXEC_HELPER_VAR, idsOf, parseSchedule, type ExecSpec, type Step } from "./ssd.ts";
import { forgetDaemon, recordDaemon } from "./state.ts";
import { serverMain, SOCKET, stateFile, type HealthPlan, type Reply, type Request, type SupervisorPlan } from "./supervisor.ts";

export const SUPERVISE_OPTIONS = [
  "-S, --start  Start the supervisor and COMMAND",
  "-K, --stop  Stop the supervisor (and COMMAND)",
  "--server  Be the shared supervisor (the first --start starts it)",
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
  "-s, --signal SIG  Signal COMMAND is stopped with (TERM); without -S or -K, send it to COMMAND",
  "-R, --retry SCHEDULE  How COMMAND is stopped: SECONDS before SIGKILL (5), or SIG/TIMEOUT/...",
  "-a, --healthcheck-timer SECONDS  Run the service's healthcheck this often",
  "-A, --healthcheck-delay SECONDS  Wait this long before the first healthcheck (the timer)",
  "--ready-fd FD:FIFO  Give COMMAND the FIFO as descriptor FD, for its readiness notification",
  "--stdout-logger CMD  Pipe COMMAND's stdout to CMD",
  "--stderr-logger CMD  Pipe COMMAND's stderr to CMD",
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidfileFor(name: string, opts: Options): string {
  return opts.pidfile ?? `/run/supervise-${name}.pid`;
}

export async function superviseMain(ctx: Context, parsed: Options, operands: string[]): Promise<number> {
  const opts = byLongName(SUPERVISE_OPTIONS, parsed);
  if (opts.server) return serverMain();
  const [name, ...command] = operands;
  if (!name || (opts.start && opts.stop) || (!opts.start && !opts.stop && !opts.signal)) throw new UsageError();
  const pidfile = pidfileFor(name, opts);
  const svc = ctx.env.RC_SVCNAME;
  if (opts.stop) {
    const pid = readPidfile(pidfile);
    // Nothing to stop unless a supervisor runs it, or a dead one left it running (the server adopts it).
    if ((pid === undefined || !alive(pid)) && !fs.existsSync(stateFile(name))) {
      fs.rmSync(pidfile, { force: true });
      return 0;
    }
    // The supervisor follows its own schedule: give it that long, and a little more.
    const budget = (scheduleSeconds(retrySchedule(opts.retry, 15)) + 5) * 1000;
    const reply = await ask(ctx, { op: "stop", name }, budget);
    if (!reply) {
      await warn(ctx, `${name}: the supervisor (pid ${pid}) refused to stop`);
      return 1;
    }
    // The supervisor left with its last service: gone when we return, as a supervisor of one was.
    for (let i = 0; reply.leaving && pid !== undefined && alive(pid) && i < 250; i++) await sleep(20);
    fs.rmSync(pidfile, { force: true });
    if (svc) forgetDaemon(svc, { pidfile });
    return 0;
  }
  if (!opts.start) {
    const sig = signalNumber(opts.signal);
    if (sig === undefined) throw new UsageError(`invalid signal '${opts.signal}'`);
    // Never supervised (no plan kept): no server to start just to say so.
    if (!fs.existsSync(stateFile(name))) throw new AppletError(`${name}: not supervised`);
    return answered(ctx, name, await ask(ctx, { op: "signal", name, signal: sig }, REPLY_MS));
  }
  if (!command.length) throw new UsageError("no command to supervise");
  const running = readPidfile(pidfile);
  if (running !== undefined && alive(running) && !fs.existsSync(stateFile(name))) {
    await warn(ctx, `${name}: already supervised (pid ${running})`);
    return 1;
  }
  const where = resolveCommand(command[0], ctx.env, ctx.cwd);
  if ("error" in where) throw new AppletError(`${command[0]} does not exist`);
  const env: Record<string, string> = { ...ctx.env };
  delete env[EXEC_HELPER_VAR];
  for (const e of (opts.env as string[] | undefined) ?? []) {
    const i = e.indexOf("=");
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  const spec: ExecSpec = {
    file: where.file,
    argv: command,
    env,
    // Each service in its own session: apart from the others and from the supervisor.
    setsid: true,
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
    stdoutLogger: opts["stdout-logger"], stderrLogger: opts["stderr-logger"],
  };
  const reply = await ask(ctx, { op: "start", plan }, REPLY_MS);
  const status = await answered(ctx, name, reply);
  if (status === 0 && svc) recordDaemon(svc, { pidfile });
  return status;
}

/** How long a start or a signal may take to be answered (a loaded machine starts the server slowly). */
const REPLY_MS = 30_000;

async function answered(ctx: Context, name: string, reply: Reply | undefined): Promise<number> {
  if (!reply) throw new AppletError(`${name}: the supervisor did not start`);
  if (reply.error) await warn(ctx, reply.error);
  return reply.status;
}

class NoServer extends Error {}

/** One request, one reply, over the server's socket; NoServer when none listens (or it left unanswered). */
async function exchange(req: Request): Promise<Reply> {
  let buf = "";
  let done: (r: Reply | Error) => void = () => {};
  const result = new Promise<Reply | Error>((r) => (done = r));
  try {
    await Bun.connect({
      unix: SOCKET,
      socket: {
        open(sock) {
          sock.write(JSON.stringify(req) + "\n");
        },
        data(_sock, chunk) {
          buf += chunk.toString();
          const nl = buf.indexOf("\n");
          if (nl >= 0) done(JSON.parse(buf.slice(0, nl)));
        },
        close() {
          done(new NoServer());
        },
        error() {
          done(new NoServer());
        },
      },
    });
  } catch {
    throw new NoServer();
  }
  const r = await result;
  if (r instanceof Error) throw r;
  return r;
}

/** Ask the shared supervisor, starting it if none runs; undefined when no answer came within `ms`. */
async function ask(ctx: Context, req: Request, ms: number): Promise<Reply | undefined> {
  const end = Date.now() + ms;
  let timer: any;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(r, ms)));
  try {
    return await asking(ctx, req, end, timeout);
  } finally {
    clearTimeout(timer);
  }
}

async function asking(ctx: Context, req: Request, end: number, timeout: Promise<undefined>): Promise<Reply | undefined> {
  let server: ReturnType<typeof Bun.spawn> | undefined;
  for (;;) {
    try {
      return await Promise.race([exchange(req), timeout]);
    } catch (e) {
      if (!(e instanceof NoServer)) throw e;
    }
    if (Date.now() >= end) return undefined;
    // A server that lost the race for the lock exits at once; the winner answers the next try.
    if (!server || server.exitCode !== null) {
      server = Bun.spawn({
        cmd: [process.execPath, "--server"],
        argv0: "supervise-daemon",
        env: { PATH: ctx.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
        cwd: "/",
        stdio: ["ignore", "ignore", "ignore"],
      });
      server.unref();
    }
    await sleep(20);
  }
}

/** A --retry value as a schedule: plain seconds mean SIG, that long, then SIGKILL. */
function retrySchedule(spec: string | undefined, sig: number): Step[] {
  return parseSchedule(spec ?? "5", sig).filter((s) => !("forever" in s));
}

function scheduleSeconds(steps: Step[]): number {
  return steps.reduce((t, s) => t + ("timeout" in s ? s.timeout : 0), 0);
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

