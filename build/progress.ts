// Progress lines on stderr, and running host tools with errors that say what
// was being attempted (stdout stays free for the paths the CLI prints).
import { spawn } from "node:child_process";
import * as fs from "node:fs";

export function progress(message: string): void {
  process.stderr.write(`[toolchain] ${message}\n`);
}

/** Logs `what ...` before a slow step and `what: done (N s)` after it. */
export async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  progress(`${what} ...`);
  const result = await step();
  progress(`${what}: done (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

export interface RunOptions {
  cwd?: string;
  /** What the command is for, e.g. "download musl:arm64"; used in errors. */
  what: string;
  env?: NodeJS.ProcessEnv;
  /** A file to give the command as its standard input. */
  stdin?: string;
}

/** Runs a command to completion; resolves to its stdout, rejects with a clear message. */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = opts.stdin === undefined ? "ignore" : fs.openSync(opts.stdin, "r");
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [input, "pipe", "pipe"],
    });
    if (typeof input === "number") fs.closeSync(input);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => {
      const hint = e.code === "ENOENT" ? " (not installed? run build/setup-host)" : "";
      reject(new Error(`${opts.what}: cannot run '${cmd}'${hint}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString("utf8"));
      const stderr = Buffer.concat(err).toString("utf8").trim();
      const tail = stderr.split("\n").slice(-15).join("\n");
      const status = signal ? `killed by ${signal}` : `exit status ${code}`;
      let line = `${cmd} ${args.join(" ")}`;
      if (line.length > 300) line = `${line.slice(0, 300)} ...`;
      reject(new Error(`${opts.what}: '${line}' failed (${status})` +
        (tail ? `\n${tail}` : "")));
    });
  });
}
