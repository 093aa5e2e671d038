// timeout: run PROG; send it SIG (TERM) if it is still running after SECS
// seconds, and KILL after KILL_SECS more with -k. As POSIX (and GNU) say, a
// command that timed out makes the status 124 (137 if it took a KILL from -k).
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno } from "../lib/errors.ts";
import { runCommand, exitStatus, type Child } from "../lib/exec.ts";
import { signalNumber } from "../lib/signals.ts";
import { parseDuration } from "../lib/numbers.ts";

defineApplet({
  name: "timeout",
  dir: "/usr/bin",
  usage: "[-s SIG] [-k KILL_SECS] SECS PROG ARGS",
  summary: "Run PROG. Send SIG to it if it is not gone in SECS seconds.\nDefault SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.",
  options: ["-s SIG  Signal to send", "-k KILL_SECS  Send KILL this long after SIG"],
  stopAtOperand: true,
  async run(ctx, opts, args) {
    if (args.length < 2) throw new UsageError();
    let sig = 15;
    if (opts.s !== undefined) {
      const n = signalNumber(opts.s);
      if (n === undefined) throw new AppletError(`unknown signal '${opts.s}'`);
      sig = n;
    }
    const seconds = parseDuration(args[0]);
    const killAfter = opts.k !== undefined ? parseDuration(opts.k) : undefined;
    let child: Child | undefined;
    let timedOut = false, killed = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const r = await runCommand(ctx, args.slice(1), {
      onSpawn: (c) => {
        child = c;
        timers.push(setTimeout(() => {
          timedOut = true;
          child?.kill(sig);
          if (killAfter !== undefined) timers.push(setTimeout(() => { killed = true; child?.kill(9); }, killAfter * 1000));
        }, seconds * 1000));
      },
    });
    for (const t of timers) clearTimeout(t);
    if (r.error) {
      await ctx.stderr.write(`timeout: can't execute '${args[1]}': ${describeErrno(r.error)}\n`);
      return exitStatus(r);
    }
    if (timedOut) return killed && r.signal === 9 ? 137 : 124;
    return exitStatus(r);
  },
});
