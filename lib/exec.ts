// Running another program from an applet: find -exec, xargs, and the applets
// whose operand is a command (env, nice, nohup, timeout, time, watch).
//
//   const r = await runCommand(ctx, ["echo", "hi"]);      // wait for it
//   if (r.error) ...                                     // could not start: "ENOENT", "EACCES"
//   return exitStatus(r);                                // 0..255, 126/127, 128+signal
//
// The command is looked up in ctx.env.PATH (a name with a "/" is a path from
// ctx.cwd), runs in ctx.cwd with ctx.env, and gets the context's stdin, stdout
// and stderr: the very file descriptors where they are real ones (FdReader,
// FdWriter), or pipes pumped to and from the context's streams otherwise (an
// applet running in-process in the shell). The context's writers are flushed
// first, so that the child's output comes after what the applet wrote before.
// A file that is executable but no binary and has no "#!" runs under /bin/sh,
// as execvp(3) does.
import * as fs from "node:fs";
import * as path from "node:path";
import { constants } from "node:os";
import { appletName, type Context } from "./applet.ts";
import { describeErrno } from "./errors.ts";
import type { Reader, Writer } from "./io.ts";
import { EXEC_NICED } from "./multicall.ts";

/** Where a child's stream goes: the context's ("inherit"), nowhere, or (stdin) these bytes. */
export type StdinSpec = "inherit" | "null" | Uint8Array;
/** "collect" returns the output in the result instead. */
export type OutputSpec = "inherit" | "null" | "collect";

export interface ExecOptions {
  /** Environment (default ctx.env). PATH for the lookup is taken from it. */
  env?: Record<string, string>;
  /** Working directory (default ctx.cwd). */
  cwd?: string;
  stdin?: StdinSpec;
  stdout?: OutputSpec;
  stderr?: OutputSpec;
  /** argv[0] the program sees (default: the name as given). */
  argv0?: string;
  /** Start the child with this niceness (through pika's exec trampoline, see lib/multicall.ts). */
  niceness?: number;
  /** Called once the child runs: e.g. timeout keeps it to send signals. */
  onSpawn?: (child: Child) => void;
}

export interface Child {
  readonly pid: number;
  /** Send a signal (number or name; default SIGTERM). */
  kill(signal?: number | string): void;
}

export interface ExecResult {
  /** The child's exit status, or null if a signal ended it (or it never ran). */
  exitCode: number | null;
  /** The number of the signal that ended it. */
  signal: number | null;
  /** errno name when the command could not be run at all: ENOENT, EACCES, ENOEXEC... */
  error?: string;
  /** Output, for "collect". */
  stdout?: Uint8Array;
  stderr?: Uint8Array;
  /** The child's resource usage (Bun's resourceUsage(): CPU times in microseconds, maxRSS in bytes), for time. */
  usage?: any;
}

const SIGNAL_NUMBERS = constants.signals as Record<string, number>;

/** Whether a file is a regular file we may execute (what which and execvp look for). */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every executable called `name` along PATH, in order (an empty PATH entry
 * means the current directory, as POSIX says). `all` false stops at the first.
 */
export function findInPath(name: string, PATH: string, cwd: string, all = false): string[] {
  const found: string[] = [];
  for (const dir of PATH.split(":")) {
    const d = dir === "" ? "." : dir;
    const candidate = (d.endsWith("/") ? d : d + "/") + name;
    if (isExecutableFile(path.resolve(cwd, candidate))) {
      found.push(candidate);
      if (!all) break;
    }
  }
  return found;
}

/** The PATH BusyBox falls back to when none is set. */
export const DEFAULT_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";

/** The file a command name runs, or the errno name saying why there is none. */
export function resolveCommand(name: string, env: Record<string, string>, cwd: string): { file: string } | { error: string } {
  if (name === "") return { error: "ENOENT" };
  if (name.includes("/")) return { file: path.resolve(cwd, name) };
  const hit = findInPath(name, env.PATH ?? DEFAULT_PATH, cwd)[0];
  return hit ? { file: path.resolve(cwd, hit) } : { error: "ENOENT" };
}

/** Run argv and wait for it. Never throws for a command that cannot run: see `error`. */
export async function runCommand(ctx: Context, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  // An argument ends at its first NUL byte, as a C string does.
  argv = argv.map((a) => (a.includes("\0") ? a.slice(0, a.indexOf("\0")) : a));
  const env = opts.env ?? ctx.env;
  const cwd = opts.cwd ?? ctx.cwd;
  const where = resolveCommand(argv[0] ?? "", env, cwd);
  if ("error" in where) return { exitCode: null, signal: null, error: where.error };

  // What the applet wrote so far comes first.
  await ctx.stdout.flush();
  await ctx.stderr.flush();

  const stdinSpec = opts.stdin ?? "inherit";
  const outSpec = opts.stdout ?? "inherit";
  const errSpec = opts.stderr ?? "inherit";
  const stdin = stdinSpec instanceof Uint8Array ? stdinSpec : stdinSpec === "null" ? "ignore" : ctx.stdin.fd ?? "pipe";
  const stdio = (spec: OutputSpec, w: Writer) => (spec === "null" ? "ignore" : spec === "collect" ? "pipe" : w.fd ?? "pipe");
  const spawnWith = (cmd: string[], argv0 = opts.argv0 ?? argv[0]) =>
    Bun.spawn({
      cmd,
      argv0,
      cwd,
      env,
      stdin: stdin as any,
      stdout: stdio(outSpec, ctx.stdout) as any,
      stderr: stdio(errSpec, ctx.stderr) as any,
    });
  let proc: ReturnType<typeof spawnWith>;
  try {
    proc =
      opts.niceness === undefined
        ? spawnWith([where.file, ...argv.slice(1)])
        : spawnWith([process.execPath, EXEC_NICED, appletName(ctx), String(opts.niceness), where.file, opts.argv0 ?? argv[0], ...argv.slice(1)], "pika");
  } catch (err: any) {
    if (err?.code !== "ENOEXEC") return { exitCode: null, signal: null, error: err?.code ?? "EIO" };
    try {
      // As execvp(3): the script is named to the shell as it was found.
      proc = spawnWith(["/bin/sh", argv[0].includes("/") ? argv[0] : where.file, ...argv.slice(1)]);
    } catch (err2: any) {
      return { exitCode: null, signal: null, error: err2?.code ?? "EIO" };
    }
  }
  opts.onSpawn?.({ pid: proc.pid, kill: (sig) => proc.kill(sig as any) });

  const pumps: Promise<unknown>[] = [];
  const result: ExecResult = { exitCode: null, signal: null };
  if (stdin === "pipe") pumps.push(feed(ctx.stdin, proc.stdin as any));
  const drain = (spec: OutputSpec, w: Writer, stream: any, key: "stdout" | "stderr") => {
    if (!stream || typeof stream === "number") return;
    if (spec === "collect") pumps.push(new Response(stream).arrayBuffer().then((b) => (result[key] = new Uint8Array(b))));
    else pumps.push(copyTo(stream, w));
  };
  drain(outSpec, ctx.stdout, proc.stdout, "stdout");
  drain(errSpec, ctx.stderr, proc.stderr, "stderr");
  await proc.exited;
  await Promise.all(pumps);
  result.usage = (proc as any).resourceUsage?.();
  result.exitCode = proc.signalCode ? null : proc.exitCode;
  result.signal = proc.signalCode ? SIGNAL_NUMBERS[proc.signalCode] ?? null : null;
  return result;
}

/** A shell's view of a result: the exit status, 128+N for signal N, 126/127 for one that could not run. */
export function exitStatus(r: ExecResult): number {
  if (r.error) return r.error === "ENOENT" ? 127 : 126;
  if (r.signal !== null) return 128 + r.signal;
  return r.exitCode ?? 1;
}

async function feed(input: Reader, sink: { write(b: Uint8Array): unknown; end(): unknown; flush?(): unknown }): Promise<void> {
  try {
    for await (const chunk of input.chunks()) {
      sink.write(chunk);
      await sink.flush?.();
    }
  } catch {
    // The child stopped reading: nothing more to give it.
  }
  try {
    await sink.end();
  } catch {}
}

async function copyTo(stream: ReadableStream<Uint8Array>, w: Writer): Promise<void> {
  for await (const chunk of stream as any as AsyncIterable<Uint8Array>) await w.write(chunk);
  await w.flush();
}

/**
 * Run a command operand as BusyBox's BB_EXECVP_or_die() would (env, nice,
 * nohup, timeout, time): "applet: can't execute 'NAME': REASON" and 127 (not
 * found) or 126 when it cannot run; otherwise its status, 128+N for signal N.
 */
export async function runCommandOrExplain(ctx: Context, argv: string[], opts: ExecOptions = {}): Promise<number> {
  const r = await runCommand(ctx, argv, opts);
  if (r.error) {
    await ctx.stderr.write(`${appletName(ctx)}: can't execute '${argv[0]}': ${describeErrno(r.error)}\n`);
  }
  return exitStatus(r);
}
