// Fuzzing helpers for the program parsers (sed, awk): a replayable PRNG and a
// runner that spawns each program with a timeout, a few at a time, and reports
// every run that crashed, hung, died of a signal or failed without an
// "applet: message".
import { spawn } from "node:child_process";
import { PIKA } from "./run.ts";

/** xorshift32: deterministic, so that a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Insert, delete or replace a few characters of s. */
export function mutate(r: () => number, s: string, alphabet: string, edits: number): string {
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const ch = pick(r, [...alphabet]);
    const k = r();
    s = k < 0.4 ? s.slice(0, at) + ch + s.slice(at) : k < 0.7 ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + ch + s.slice(at + 1);
  }
  return s;
}

interface Outcome { args: string[]; status: number | null; signal: string | null; stderr: string; timedOut: boolean }

function runOne(applet: string, args: string[], input: string, cwd: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(PIKA, [applet, ...args], { cwd, env: { PATH: "/usr/bin:/bin", LANG: "C" }, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr.on("data", (d) => (stderr += d.toString("latin1")));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ args, status, signal, stderr, timedOut });
    });
  });
}

/**
 * Run every program (an argv after the applet name); return a description of
 * each bad outcome. quietExit: programs that may fail without a message (sed's
 * q N, awk's exit N).
 */
export async function fuzzRuns(
  applet: string,
  programs: string[][],
  input: string,
  cwd: string,
  quietExit: (args: string[]) => boolean = () => false,
  timeoutMs = 5000,
  parallel = 4,
): Promise<string[]> {
  const bad: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < programs.length) {
      const o = await runOne(applet, programs[next++], input, cwd, timeoutMs);
      const what = JSON.stringify(o.args);
      if (o.timedOut) bad.push(`${what}: did not finish in ${timeoutMs} ms`);
      else if (o.signal || o.status === null) bad.push(`${what}: killed by ${o.signal}`);
      else if (o.status !== 0 && !o.stderr.startsWith(`${applet}: `) && !(o.stderr === "" && quietExit(o.args))) bad.push(`${what}: status ${o.status} with stderr ${JSON.stringify(o.stderr.slice(0, 200))}`);
      else if (/\n\s+at |TypeError|RangeError|ReferenceError|SyntaxError: |Maximum call stack|panic|undefined is not/.test(o.stderr)) bad.push(`${what}: ${JSON.stringify(o.stderr.slice(0, 300))}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return bad;
}
