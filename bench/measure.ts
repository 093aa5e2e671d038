// Wall time of whole processes, pika against busybox: hyperfine when it is
// installed (it is the better clock), else a plain spawn loop, so that
// `npm run bench` works either way.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Command {
  argv: string[];
  /** A file fed as stdin (relative to cwd). */
  stdin?: string;
}

export interface Timing {
  meanMs: number;
  medianMs: number;
  stddevMs: number;
  runs: number;
}

export interface MeasureOptions {
  cwd?: string;
  warmup: number;
  /** Exact number of runs; otherwise at least 3, as many as fit in about 3 s. */
  runs?: number;
  /** The commands exit non-zero on purpose: do not treat that as a failure. */
  ignoreFailure?: boolean;
}

/** What one run of a command did: its exit status, stderr, and a digest of stdout. */
export interface Check {
  status: number | null;
  stderr: string;
  stdoutSha: string;
}

let hyperfineHelp: string | null | undefined;

/** `hyperfine --help`, or null when hyperfine is not installed. */
function hyperfine(): string | null {
  if (hyperfineHelp === undefined) {
    const r = spawnSync("hyperfine", ["--help"], { encoding: "utf8" });
    hyperfineHelp = r.status === 0 ? r.stdout : null;
  }
  return hyperfineHelp;
}

export function hyperfineVersion(): string | undefined {
  if (!hyperfine()) return undefined;
  return spawnSync("hyperfine", ["--version"], { encoding: "utf8" }).stdout.trim();
}

/** Run a command once, keeping what is needed to compare it with another. */
export function checkRun(cmd: Command, cwd?: string): Check {
  const stdin = cmd.stdin ? fs.openSync(path.resolve(cwd ?? ".", cmd.stdin), "r") : "ignore";
  try {
    const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { cwd, stdio: [stdin, "pipe", "pipe"], maxBuffer: 1 << 30 });
    if (r.error) return { status: null, stderr: r.error.message, stdoutSha: "" };
    return { status: r.status, stderr: r.stderr.toString(), stdoutSha: createHash("sha256").update(r.stdout).digest("hex") };
  } finally {
    if (typeof stdin === "number") fs.closeSync(stdin);
  }
}

/** Time each command (all with the same stdin, if any); stdout goes to /dev/null. */
export function measure(cmds: Command[], o: MeasureOptions): Timing[] {
  return hyperfine() ? withHyperfine(cmds, o) : withSpawnLoop(cmds, o);
}

/** POSIX shell quoting; hyperfine -N splits its commands the same way. */
export function shq(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function withHyperfine(cmds: Command[], o: MeasureOptions): Timing[] {
  const stdin = cmds[0].stdin;
  if (cmds.some((c) => c.stdin !== stdin)) throw new Error("all commands of one measurement must share stdin");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pika-bench-"));
  const json = path.join(dir, "result.json");
  const args = ["--style", "none", "--warmup", String(o.warmup), "--export-json", json, "--output", "null"];
  args.push(...(o.runs ? ["--runs", String(o.runs)] : ["--min-runs", "3"]));
  if (o.ignoreFailure) args.push("-i");
  let lines = cmds.map((c) => c.argv.map(shq).join(" "));
  if (!stdin) args.push("-N");
  else if (hyperfine()!.includes("--input")) args.push("-N", "--input", stdin);
  // Older hyperfine has no --input: go through sh, whose start-up hyperfine measures and subtracts.
  else lines = lines.map((l) => `${l} < ${shq(stdin)}`);
  try {
    const r = spawnSync("hyperfine", [...args, ...lines], { cwd: o.cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`hyperfine failed: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ")}`);
    const results: { mean: number; median: number; stddev: number | null; times: number[] }[] = JSON.parse(fs.readFileSync(json, "utf8")).results;
    return results.map((x) => ({ meanMs: x.mean * 1000, medianMs: x.median * 1000, stddevMs: (x.stddev ?? 0) * 1000, runs: x.times.length }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function withSpawnLoop(cmds: Command[], o: MeasureOptions): Timing[] {
  return cmds.map((cmd) => {
    const once = () => {
      const stdin = cmd.stdin ? fs.openSync(path.resolve(o.cwd ?? ".", cmd.stdin), "r") : "ignore";
      const t0 = performance.now();
      const r = spawnSync(cmd.argv[0], cmd.argv.slice(1), { cwd: o.cwd, stdio: [stdin, "ignore", "ignore"] });
      const ms = performance.now() - t0;
      if (typeof stdin === "number") fs.closeSync(stdin);
      if (r.error) throw r.error;
      if (r.status !== 0 && !o.ignoreFailure) throw new Error(`${cmd.argv.join(" ")}: exit status ${r.status}`);
      return ms;
    };
    for (let i = 0; i < o.warmup; i++) once();
    const times = [once()];
    const runs = o.runs ?? Math.max(3, Math.min(1000, Math.floor(3000 / Math.max(times[0], 0.01))));
    while (times.length < runs) times.push(once());
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const variance = times.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, times.length - 1);
    const sorted = [...times].sort((a, b) => a - b);
    const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
    return { meanMs: mean, medianMs: median, stddevMs: Math.sqrt(variance), runs: times.length };
  });
}
