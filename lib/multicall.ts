// "pika" itself: pika APPLET [ARGS], pika --list, pika --install [-s] [DIR], pika --help.
import * as fs from "node:fs";
import * as path from "node:path";
import { appletNames, findApplet, loadAllApplets, loadApplet, runApplet, PIKA_VERSION, resolvePath, type Context } from "./applet.ts";
import { errorMessage } from "./errors.ts";
import { keepTerminalModes } from "./term.ts";

/** Where an applet's link goes in a root filesystem, as BusyBox places them (after loadAllApplets). */
export function appletDir(name: string): string {
  return findApplet(name)?.dir ?? "/bin";
}

export async function multicall(ctx: Context): Promise<number> {
  const [, first, ...rest] = ctx.argv;
  if (first === undefined || first === "--help") {
    await ctx.stdout.write(helpText());
    return first === undefined ? 1 : 0;
  }
  if (first === "--list") {
    await ctx.stdout.write(appletNames().map((n) => n + "\n").join(""));
    return 0;
  }
  if (first === "--list-full") {
    await loadAllApplets();
    await ctx.stdout.write(appletNames().map((n) => `${appletDir(n).slice(1)}/${n}\n`).join(""));
    return 0;
  }
  if (first === "--install") return install(ctx, rest);
  if (first === EXEC_NICED) return execNiced(ctx, rest);
  if (first === EXEC_SETUP) return execSetup(ctx, rest);
  const applet = await loadApplet(first);
  if (!applet) {
    await ctx.stderr.write(`${first}: applet not found\n`);
    return 127;
  }
  return runApplet(applet, { ...ctx, argv: [first, ...rest] });
}

function helpText(): string {
  const names = appletNames();
  const lines: string[] = [];
  let line = "\t";
  for (const n of names) {
    if (line.length + n.length + 2 > 72) {
      lines.push(line.replace(/, $/, ","));
      line = "\t";
    }
    line += n + ", ";
  }
  lines.push(line.replace(/, $/, ""));
  return (
    `Pika v${PIKA_VERSION} multi-call binary: a Linux userland in TypeScript.\n\n` +
    `Usage: pika [function [arguments]...]\n   or: pika --list\n   or: pika --install [-s] [DIR]\n` +
    `   or: function [arguments]...\n\n` +
    `\tpika is a multi-call binary that combines many common Unix\n` +
    `\tutilities into a single executable. Most people will create a\n` +
    `\tlink to pika for each function they wish to use and pika\n` +
    `\twill act like whatever it was invoked as.\n\n` +
    `Currently defined functions:\n${lines.join("\n")}\n`
  );
}

/** --install [-s] [DIR]: hard links (symlinks with -s) for every applet. */
async function install(ctx: Context, args: string[]): Promise<number> {
  const symbolic = args[0] === "-s";
  if (symbolic) args = args.slice(1);
  const self = fs.realpathSync("/proc/self/exe");
  await loadAllApplets();
  const intoOneDir = args[0] !== undefined ? resolvePath(ctx, args[0]) : undefined;
  let status = 0;
  for (const name of appletNames()) {
    const dir = intoOneDir ?? appletDir(name);
    const link = path.join(dir, name);
    try {
      fs.mkdirSync(dir, { recursive: true });
      if (symbolic) fs.symlinkSync(self, link);
      else fs.linkSync(self, link);
    } catch (err: any) {
      if (err?.code === "EEXIST") continue; // like BusyBox: never replace what is there
      await ctx.stderr.write(`pika: ${link}: ${errorMessage(err)}\n`);
      status = 1;
    }
  }
  return status;
}

/**
 * The trampoline behind runCommand's `niceness` (lib/exec.ts): Bun cannot run
 * code between fork and exec, so a child that must start with another
 * niceness is pika itself, which sets it and then execve's the command.
 *   pika --exec-niced APPLET NICENESS FILE ARGV0 [ARGS...]
 */
export const EXEC_NICED = "--exec-niced";

async function execNiced(ctx: Context, [applet, niceness, file, ...argv]: string[]): Promise<number> {
  const os = await import("node:os");
  try {
    os.setPriority(Number(niceness));
  } catch (err) {
    await ctx.stderr.write(`${applet}: setpriority(${niceness}): ${errorMessage(err)}\n`);
    return 1;
  }
  return execFile(ctx, applet, file, argv);
}

/**
 * The trampoline behind the shell's job control and ulimit (applets/sh/jobs.ts,
 * applets/sh/ulimit.ts), for what Bun.spawn cannot do between fork and exec.
 * SETUP is JSON (ExecSetup): the child sets the resource limits, joins
 * process group `pgid` (0: a new one it leads) and, with `fg`, makes that
 * group the terminal's foreground group, before the program runs; so no
 * program ever runs outside its job's group or limits. FILE "-" runs the
 * applet ARGV0 in this very process instead of a second start of pika.
 *   pika --exec-setup APPLET SETUP FILE ARGV0 [ARGS...]
 */
export const EXEC_SETUP = "--exec-setup";

export interface ExecSetup {
  pgid?: number;
  fg?: boolean;
  /** [resource, soft, hard], the numbers as decimal text (they may not fit a double). */
  limits?: [number, string, string][];
}

async function execSetup(ctx: Context, [applet, json, file, ...argv]: string[]): Promise<number> {
  const { setrlimits, tcsetpgrp } = await import("./syscalls.ts");
  // Bun put back, at exit, the terminal modes it found at start-up: those of
  // whatever the shell was doing then (its line editor's raw modes, for a
  // background job), which are not ours to restore.
  keepTerminalModes();
  const setup = JSON.parse(json) as ExecSetup;
  try {
    setrlimits(setup.limits ?? []);
  } catch (err) {
    await ctx.stderr.write(`${applet}: error setting limit: ${errorMessage(err)}\n`);
    return 1;
  }
  if (setup.pgid !== undefined) {
    const group = await joinGroup(setup.pgid);
    if (setup.fg) {
      try {
        const tty = fs.openSync("/dev/tty", "r");
        tcsetpgrp(tty, group);
        fs.closeSync(tty);
      } catch {}
    }
  }
  if (file !== "-") return execFile(ctx, applet, file, argv);
  const run = await loadApplet(argv[0]);
  if (!run) {
    await ctx.stderr.write(`${argv[0]}: applet not found\n`);
    return 127;
  }
  return runApplet(run, { ...ctx, argv });
}

/**
 * setpgid into group `pgid` (0: a new one led by us); returns the group. The
 * leader sets up its group in its own trampoline, which may not have run yet:
 * wait for it while the leader lives; without it, lead a group of our own.
 */
async function joinGroup(pgid: number): Promise<number> {
  const { setpgid } = await import("./syscalls.ts");
  const deadline = Date.now() + 5000;
  while (pgid !== 0) {
    try {
      setpgid(0, pgid);
      // Ctrl-Z stopped the group while we were starting: stop with it.
      if (/^\d+ \(.*\) T /s.test(fs.readFileSync(`/proc/${pgid}/stat`, "latin1"))) process.kill(process.pid, "SIGTSTP");
      return pgid;
    } catch {}
    let leaderAlive = true;
    try {
      process.kill(pgid, 0);
    } catch {
      leaderAlive = false;
    }
    if (!leaderAlive || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  setpgid(0, 0);
  return process.pid;
}

/** execve FILE as ARGV (a script without "#!" under /bin/sh, as execvp(3) does); returns only on failure. */
async function execFile(ctx: Context, applet: string, file: string, argv: string[]): Promise<number> {
  const { execve } = await import("./syscalls.ts");
  try {
    return execve(file, argv, ctx.env);
  } catch (err: any) {
    if (err?.code === "ENOEXEC") {
      try {
        execve("/bin/sh", ["sh", file, ...argv.slice(1)], ctx.env);
      } catch {}
    }
    await ctx.stderr.write(`${applet}: can't execute '${argv[0]}': ${errorMessage(err)}\n`);
    return err?.code === "ENOENT" ? 127 : 126;
  }
}
