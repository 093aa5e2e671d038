// time: run PROG and report on stderr (or -o FILE) how long it took and what
// it used, in BusyBox's formats: "real/user/sys" by default, -p POSIX's, -v
// every field, -f FMT (or $TIME) a format of %-conversions.
import * as fs from "node:fs";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { runCommand, exitStatus, type ExecResult } from "../lib/exec.ts";
import { bytesOf, binaryOf } from "../lib/text.ts";
import { describeErrno } from "../lib/errors.ts";

const DEFAULT_FORMAT = "real\t%E\nuser\t%u\nsys\t%T";
const POSIX_FORMAT = "real %e\nuser %U\nsys %S";
const LONG_FORMAT = [
  '\tCommand being timed: "%C"', "\tUser time (seconds): %U", "\tSystem time (seconds): %S",
  "\tPercent of CPU this job got: %P", "\tElapsed (wall clock) time (h:mm:ss or m:ss): %E",
  "\tAverage shared text size (kbytes): %X", "\tAverage unshared data size (kbytes): %D",
  "\tAverage stack size (kbytes): %p", "\tAverage total size (kbytes): %K",
  "\tMaximum resident set size (kbytes): %M", "\tAverage resident set size (kbytes): %t",
  "\tMajor (requiring I/O) page faults: %F", "\tMinor (reclaiming a frame) page faults: %R",
  "\tVoluntary context switches: %w", "\tInvoluntary context switches: %c", "\tSwaps: %W",
  "\tFile system inputs: %I", "\tFile system outputs: %O", "\tSocket messages sent: %s",
  "\tSocket messages received: %r", "\tSignals delivered: %k", "\tPage size (bytes): %Z", "\tExit status: %x",
].join("\n");

const pad2 = (n: number) => String(n).padStart(2, "0");

/** [h:]m:s as BusyBox prints it: "0m 1.05s", or "1h 2m 03s" past an hour. */
function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ${pad2(s % 60)}s`;
  return `${Math.floor(s / 60)}m ${s % 60}.${pad2(Math.floor(ms / 10) % 100)}s`;
}
const seconds = (ms: number) => `${Math.floor(ms / 1000)}.${pad2(Math.floor(ms / 10) % 100)}`;

function summarize(fmt: string, argv: string[], r: ExecResult, elapsedMs: number): string {
  const u = r.usage ?? {};
  const userMs = Number(u.cpuTime?.user ?? 0n) / 1000;
  const sysMs = Number(u.cpuTime?.system ?? 0n) / 1000;
  let out = "";
  if (r.signal !== null) out += `Command terminated by signal ${r.signal}\n`;
  else if (exitStatus(r)) out += `Command exited with non-zero status ${exitStatus(r)}\n`;
  const fields: Record<string, () => string> = {
    C: () => argv.join(" "),
    E: () => clock(elapsedMs),
    e: () => seconds(elapsedMs),
    U: () => seconds(userMs),
    S: () => seconds(sysMs),
    u: () => clock(userMs),
    T: () => clock(sysMs),
    P: () => (elapsedMs > 0 ? `${Math.floor(((Math.floor(userMs) + Math.floor(sysMs)) * 100) / elapsedMs)}%` : "?%"),
    M: () => String(Math.floor(Number(u.maxRSS ?? 0) / 1024)),
    w: () => String(u.contextSwitches?.voluntary ?? 0),
    c: () => String(u.contextSwitches?.involuntary ?? 0),
    I: () => String(u.ops?.in ?? 0),
    O: () => String(u.ops?.out ?? 0),
    s: () => String(u.messages?.sent ?? 0),
    r: () => String(u.messages?.received ?? 0),
    k: () => String(u.signalCount ?? 0),
    W: () => String(u.swapCount ?? 0),
    Z: () => "4096",
    x: () => String(r.signal !== null ? 0 : exitStatus(r)),
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    // As BusyBox: a backslash is dropped, "%%" and unknown conversions print nothing.
    if (c === "\\") continue;
    if (c !== "%") { out += c; continue; }
    const conv = fmt[++i];
    if (conv === undefined) break;
    out += fields[conv]?.() ?? ("DFKXRptp".includes(conv) ? "0" : "");
  }
  return out + "\n";
}

defineApplet({
  name: "time",
  dir: "/usr/bin",
  usage: "[-vpa] [-o FILE] PROG ARGS",
  summary: "Run PROG, display resource usage when it exits",
  options: ["-v  Verbose", "-p  POSIX output format", "-f FMT  Custom format", "-o FILE  Write result to FILE", "-a  Append (else overwrite)"],
  stopAtOperand: true,
  minOperands: 1,
  async run(ctx, opts, argv) {
    let fmt = opts.f ?? ctx.env.TIME ?? DEFAULT_FORMAT;
    if (opts.v) fmt = LONG_FORMAT;
    if (opts.p) fmt = POSIX_FORMAT;
    let fd: number | undefined;
    if (opts.o !== undefined) {
      try {
        fd = fs.openSync(resolvePath(ctx, opts.o), opts.a ? "a" : "w");
      } catch (err) {
        throw new AppletError(`can't open '${opts.o}': ${errorMessage(err)}`);
      }
    }
    try {
      const start = performance.now();
      const r = await runCommand(ctx, argv);
      const elapsed = performance.now() - start;
      if (r.error) await ctx.stderr.write(`time: can't execute '${argv[0]}': ${describeErrno(r.error)}\n`);
      const report = bytesOf(binaryOf(summarize(fmt, argv, r, elapsed)));
      if (fd !== undefined) fs.writeSync(fd, report);
      else await ctx.stderr.write(report);
      // Like a shell, a death by signal N is 128+N (BusyBox returns N).
      return exitStatus(r);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
});
