// Shell commands for awk's system(), "cmd | getline" and print "| cmd", run
// synchronously with /bin/sh -c in the applet's cwd and environment. The
// interpreter is synchronous (a record is processed without yielding), so
// these wait for the command: an input pipe is read whole when first used,
// an output pipe gets everything printed to it when it is closed.
// (lib/exec.ts runs commands asynchronously with the context's streams; awk
// needs the blocking form, hence this small module.)
import type { Context } from "../../lib/applet.ts";

export interface SyncResult {
  /** The wait status as pclose() returns it: exit code << 8, or the signal number. */
  status: number;
  stdout?: Uint8Array;
  stderr?: Uint8Array;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** The command text (latin1 bytes) as the string Bun.spawn expects. */
function commandText(cmd: string): string {
  return /^[\x00-\x7f]*$/.test(cmd) ? cmd : Buffer.from(cmd, "latin1").toString("utf8");
}

/**
 * Run `sh -c cmd`. stdin: bytes to feed, or the context's stdin; stdout:
 * "collect" to capture, else the context's stdout. The context's stderr is
 * the child's.
 */
export function runShell(ctx: Context, cmd: string, opts: { stdin?: Uint8Array; stdout: "collect" | "inherit" }): SyncResult {
  const stdin = opts.stdin ?? (ctx.stdin.fd ?? "ignore");
  const stdout = opts.stdout === "collect" ? "pipe" : ctx.stdout.fd ?? "pipe";
  const stderr = ctx.stderr.fd ?? "pipe";
  let r: ReturnType<typeof Bun.spawnSync>;
  try {
    r = Bun.spawnSync({
      cmd: ["/bin/sh", "-c", commandText(cmd)],
      // popen() and system() run "sh -c": the shell names itself "sh" in its messages.
      argv0: "sh",
      cwd: ctx.cwd,
      env: ctx.env,
      stdin: stdin as any,
      stdout: stdout as any,
      stderr: stderr as any,
    });
  } catch {
    // No shell at all: what popen()/system() report for a failed exec.
    return { status: 127 << 8 };
  }
  const status = r.signalCode ? SIGNALS[r.signalCode] ?? 1 : ((r.exitCode ?? 0) & 0xff) << 8;
  return {
    status,
    stdout: r.stdout ? new Uint8Array(r.stdout) : undefined,
    stderr: stderr === "pipe" && r.stderr ? new Uint8Array(r.stderr) : undefined,
  };
}
