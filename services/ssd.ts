// start-stop-daemon, OpenRC's flavour: start a program (in the background
// with -b, writing its pidfile with -m, as another user with -u/-c, in a
// directory, with a umask and log files) unless it already runs, or stop the
// processes a pidfile, executable, name or user names, following a retry
// schedule (SIG/TIMEOUT/.../KILL/TIMEOUT).
//
// The program is started through pika itself (the "exec helper": this applet
// again, told so by an environment variable), which calls setsid, drops
// privileges and execve's the program: its pid is the daemon's pid.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno, errnoCode } from "../lib/errors.ts";
import { resolveCommand } from "../lib/exec.ts";
import type { Options } from "../lib/options.ts";
import { signalNumber } from "../lib/signals.ts";
import { chroot, dropPrivileges, execve, kill, pipe, setsid } from "../lib/syscalls.ts";
import { groupByName, parseGid, parseUid, userByName } from "../lib/users.ts";
import { groupsOf } from "../lib/session.ts";
import { alive, findProcesses, type Match } from "./procs.ts";
import { forgetDaemon, recordDaemon } from "./state.ts";
import { byLongName } from "./opts.ts";
import { notifyFds } from "./ready.ts";

export const EXEC_HELPER_VAR = "PIKA_SSD_EXEC";

export const SSD_OPTIONS = [
  "-S, --start  Start a daemon",
  "-K, --stop  Stop daemons",
  "-x, --exec FILE  The program to start, or whose processes to stop",
  "-a, --startas FILE  Start FILE instead of the --exec program",
  "-p, --pidfile FILE  Pidfile of the daemon",
  "-m, --make-pidfile  Write the pidfile (with -b)",
  "-b, --background  Start the daemon in the background, in a new session",
  "-u, --user USER[:GROUP]  Run as / match processes of USER",
  "-c, --chuid USER[:GROUP]  Same as --user",
  "-g, --group GROUP  Run with GROUP",
  "-n, --name NAME  Match processes called NAME",
  "-N, --nicelevel N  Run with niceness N",
  "-d, --chdir DIR  Run in DIR",
  "-r, --chroot DIR  Run chrooted to DIR",
  "-k, --umask MASK  Run with umask MASK",
  "-1, --stdout FILE  Append the daemon's stdout to FILE",
  "-2, --stderr FILE  Append the daemon's stderr to FILE",
  "-3, --output-logger CMD  Pipe the daemon's stdout to CMD (with -b)",
  "-4, --error-logger CMD  Pipe the daemon's stderr to CMD (with -b)",
  "-s, --signal SIG  Signal to stop with (TERM)",
  "-R, --retry SCHEDULE  Stop schedule: TIMEOUT or SIG/TIMEOUT/SIG/TIMEOUT...",
  "-w, --wait MS  After starting, wait MS milliseconds and check that it still runs",
  "-t, --test  Only say what would be done",
  "-o, --oknodo  Nothing to stop or already running is no error",
  "-q, --quiet  Say less",
  "-v, --verbose  Say more",
  "-P, --progress  Print dots while waiting",
  "--ready-fd FD:FIFO  Give the daemon the FIFO as descriptor FD, for its readiness notification",
];

export interface ExecSpec {
  file: string;
  argv: string[];
  env: Record<string, string>;
  setsid: boolean;
  chdir?: string;
  chroot?: string;
  umask?: number;
  nice?: number;
  uid?: number;
  gid?: number;
  groups?: number[];
}

/** The exec helper's half: become what the spec says and execve the program. */
export function execHelper(ctx: Context): never {
  const spec: ExecSpec = JSON.parse(ctx.env[EXEC_HELPER_VAR]);
  try {
    if (spec.setsid) setsid();
    if (spec.nice !== undefined) os.setPriority(spec.nice);
    if (spec.chroot) {
      chroot(spec.chroot);
      process.chdir("/");
    }
    process.chdir(spec.chdir ?? "/");
    if (spec.umask !== undefined) process.umask(spec.umask);
    if (spec.uid !== undefined) dropPrivileges(spec.uid, spec.gid ?? spec.uid, spec.groups ?? [spec.gid ?? spec.uid]);
    execve(spec.file, spec.argv, spec.env);
  } catch (e) {
    fs.writeSync(2, `start-stop-daemon: failed to start '${spec.file}': ${e instanceof Error ? e.message : e}\n`);
  }
  process.exit(127);
}

/**
 * Start a program as a spec says. Only a change of user, root, umask or
 * niceness needs the exec helper (a second pika process, which costs a
 * runtime's start-up); otherwise the program is spawned directly, in a new
 * session when the spec asks for one.
 */
export function spawnSpec(spec: ExecSpec, stdio: (number | "ignore" | "inherit" | "pipe")[]): ReturnType<typeof Bun.spawn> {
  const direct = spec.uid === undefined && spec.gid === undefined && !spec.chroot && spec.umask === undefined && spec.nice === undefined;
  if (!direct) {
    return Bun.spawn({
      cmd: [process.execPath, "start-stop-daemon"],
      argv0: "start-stop-daemon",
      env: { ...spec.env, [EXEC_HELPER_VAR]: JSON.stringify(spec) },
      stdio: stdio as any,
    });
  }
  try {
    return Bun.spawn({ cmd: [spec.file, ...spec.argv.slice(1)], argv0: spec.argv[0], env: spec.env, cwd: spec.chdir ?? "/", detached: spec.setsid, stdio: stdio as any });
  } catch (e) {
    throw new AppletError(`failed to start '${spec.file}': ${e instanceof Error ? e.message : e}`);
  }
}

interface Ids { uid?: number; gid?: number; groups?: number[] }

export function idsOf(userSpec: string | undefined, groupSpec: string | undefined): Ids {
  const ids: Ids = {};
  if (userSpec) {
    const [u, g] = userSpec.split(":");
    const pw = userByName(u);
    const uid = pw?.uid ?? parseUid(u);
    if (uid === undefined || (!pw && !/^\d+$/.test(u))) throw new AppletError(`user '${u}' not found`);
    ids.uid = uid;
    ids.gid = pw?.gid ?? uid;
    if (pw) ids.groups = groupsOf({ name: pw.name, uid: pw.uid, gid: pw.gid, home: pw.home, shell: pw.shell });
    if (g) groupSpec = g;
  }
  if (groupSpec) {
    const gid = groupByName(groupSpec)?.gid ?? parseGid(groupSpec);
    if (gid === undefined) throw new AppletError(`group '${groupSpec}' not found`);
    ids.gid = gid;
    ids.groups = [gid];
  }
  return ids;
}

export function openLog(file: string | undefined): number | "ignore" {
  if (!file) return "ignore" as const;
  return fs.openSync(file, "a", 0o644);
}

/**
 * A daemon's stdout or stderr: the write end of a pipe into a logger program
 * (output_logger / error_logger: `/bin/sh -c CMD`, which ends when the daemon's
 * side closes), else the log file, else nothing. The caller closes it after the spawn.
 */
export function outputFd(file: string | undefined, logger: string | undefined, env: Record<string, string | undefined>): number | "ignore" {
  if (!logger) return openLog(file);
  const [r, w] = pipe();
  try {
    Bun.spawn({ cmd: ["/bin/sh", "-c", logger], stdio: [r, "ignore", "ignore"], env: env as Record<string, string> }).unref();
  } catch (e) {
    fs.closeSync(w);
    throw e;
  } finally {
    fs.closeSync(r);
  }
  return w;
}

/** start-stop-daemon's run(). */
export async function ssdMain(ctx: Context, parsed: Options, operands: string[]): Promise<number> {
  const opts = byLongName(SSD_OPTIONS, parsed);
  if (ctx.env[EXEC_HELPER_VAR]) execHelper(ctx);
  if (!opts.start === !opts.stop) throw new UsageError("need one of --start or --stop");
  const exec = opts.exec as string | undefined;
  const ids = idsOf(opts.user ?? opts.chuid, opts.group);
  const match: Match = { exec, name: opts.name, pidfile: opts.pidfile, uid: opts.user || opts.chuid ? ids.uid : undefined };
  if (opts.start) return start(ctx, opts, operands, match, ids);
  return stop(ctx, opts, match);
}

async function start(ctx: Context, opts: Options, args: string[], match: Match, ids: Ids): Promise<number> {
  const program = (opts.startas ?? opts.exec) as string | undefined;
  if (!program) throw new UsageError("--start needs --exec or --startas");
  const where = resolveCommand(program, ctx.env, ctx.cwd);
  if ("error" in where || !fs.existsSync(where.file)) throw new AppletError(`${program} does not exist`);
  if (opts.background && opts["make-pidfile"] && !opts.pidfile) throw new AppletError("--make-pidfile needs --pidfile");
  // A match only on the pidfile would be fooled by a stale file: the pid must also be alive.
  const running = findProcesses(match.exec || match.name || match.uid !== undefined || match.pidfile ? match : { exec: where.file });
  if (running.length) {
    if (opts.test) await ctx.stdout.write(`Would not start ${program}: already running (pid ${running.join(" ")})\n`);
    else if (!opts.oknodo) await warn(ctx, `${program} is already running`);
    return opts.oknodo ? 0 : 1;
  }
  if (opts.test) {
    await ctx.stdout.write(`Would start ${[where.file, ...args].join(" ")}\n`);
    return 0;
  }
  const env: Record<string, string> = { ...ctx.env };
  delete env[EXEC_HELPER_VAR];
  const spec: ExecSpec = {
    file: where.file,
    argv: [program, ...args],
    env,
    setsid: !!opts.background,
    chdir: opts.chdir ? path.resolve(ctx.cwd, opts.chdir) : opts.background ? "/" : ctx.cwd,
    chroot: opts.chroot,
    umask: opts.umask !== undefined ? parseInt(opts.umask, 8) : undefined,
    nice: opts.nicelevel !== undefined ? Number(opts.nicelevel) : undefined,
    ...ids,
  };
  const fds: (number | "ignore" | "inherit" | "pipe")[] = opts.background
    ? ["ignore", outputFd(opts.stdout, opts["output-logger"], ctx.env), outputFd(opts.stderr ?? opts.stdout, opts["error-logger"], ctx.env)]
    : [ctx.stdin.fd ?? "ignore", opts.stdout ? openLog(opts.stdout) : ctx.stdout.fd ?? "inherit", opts.stderr ? openLog(opts.stderr) : ctx.stderr.fd ?? "inherit"];
  fds.push(...notifyFds(opts["ready-fd"]).extra);
  await ctx.stdout.flush();
  await ctx.stderr.flush();
  const proc = spawnSpec(spec, fds);
  for (const fd of fds) if (typeof fd === "number" && fd > 2 && fd !== ctx.stdin.fd && fd !== ctx.stdout.fd && fd !== ctx.stderr.fd) fs.closeSync(fd);
  const svc = ctx.env.RC_SVCNAME;
  if (!opts.background) {
    const code = await proc.exited;
    if (svc) recordDaemon(svc, { exec: opts.exec, pidfile: opts.pidfile, name: opts.name });
    return code;
  }
  proc.unref();
  if (opts["make-pidfile"]) fs.writeFileSync(opts.pidfile, `${proc.pid}\n`);
  await untilExeced(proc.pid);
  if (svc) recordDaemon(svc, { exec: opts.exec, pidfile: opts.pidfile, name: opts.name, pid: proc.pid });
  const wait = opts.wait !== undefined ? Number(opts.wait) : 0;
  if (wait > 0) {
    await new Promise((r) => setTimeout(r, wait));
    if (!alive(proc.pid)) {
      await warn(ctx, `${program} died`);
      if (opts["make-pidfile"]) fs.rmSync(opts.pidfile, { force: true });
      return 1;
    }
  }
  return 0;
}

export type Step = { signal: number } | { timeout: number } | { forever: true };

/** "5" is SIG/5/KILL/5; otherwise SIG/TIMEOUT/... items as given ("forever" repeats the step before). */
export function parseSchedule(spec: string | undefined, sig: number): Step[] {
  if (spec === undefined) return [{ signal: sig }, { timeout: 5 }];
  if (/^\d+$/.test(spec)) return [{ signal: sig }, { timeout: Number(spec) }, { signal: 9 }, { timeout: Number(spec) }];
  return spec.split("/").map((item) => {
    if (/^\d+$/.test(item)) return { timeout: Number(item) };
    if (item === "forever") return { forever: true as const };
    const n = signalNumber(item.replace(/^-/, ""));
    if (n === undefined) throw new UsageError(`invalid schedule item '${item}'`);
    return { signal: n };
  });
}

async function stop(ctx: Context, opts: Options, match: Match): Promise<number> {
  if (match.exec === undefined && match.name === undefined && match.pidfile === undefined && match.uid === undefined) {
    throw new UsageError("--stop needs --exec, --pidfile, --name or --user");
  }
  const sig = opts.signal !== undefined ? signalNumber(opts.signal) : 15;
  if (sig === undefined) throw new UsageError(`invalid signal '${opts.signal}'`);
  const schedule = parseSchedule(opts.retry, sig);
  let pids = findProcesses(match);
  if (opts.test) {
    await ctx.stdout.write(pids.length ? `Would send signal ${sig} to ${pids.join(" ")}\n` : "No matching processes\n");
    return 0;
  }
  const svc = ctx.env.RC_SVCNAME;
  if (!pids.length) {
    if (opts.pidfile) fs.rmSync(opts.pidfile, { force: true });
    if (svc) forgetDaemon(svc, { exec: match.exec, pidfile: match.pidfile, name: match.name });
    return 0;
  }
  for (let i = 0; i < schedule.length && pids.length; i++) {
    const step = schedule[i];
    if ("signal" in step) {
      for (const p of pids) {
        try {
          kill(p, step.signal);
        } catch (e) {
          if (errnoCode(e) !== "ESRCH") await warn(ctx, `unable to send signal ${step.signal} to ${p}: ${describeErrno(errnoCode(e))}`);
        }
      }
      if (!schedule.slice(i + 1).some((s) => "timeout" in s)) pids = [];
    } else if ("timeout" in step) {
      pids = await waitGone(pids, step.timeout * 1000);
    } else if (i > 0) i -= 2; // forever: run the step before it again
  }
  if (pids.length) {
    await warn(ctx, `${pids.length} process(es) refused to stop`);
    return 1;
  }
  if (opts.pidfile) fs.rmSync(opts.pidfile, { force: true });
  if (svc) forgetDaemon(svc, { exec: match.exec, pidfile: match.pidfile, name: match.name });
  return 0;
}

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    left = left.filter(alive);
  }
  return left;
}

/** Wait (up to 2 s) until the exec helper has become the program, so that a match by --exec finds it at once. */
export async function untilExeced(pid: number): Promise<void> {
  const self = fs.realpathSync(process.execPath);
  for (let i = 0; i < 200; i++) {
    let exe: string;
    try {
      exe = fs.readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return;
    }
    if (exe !== self || !alive(pid)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
