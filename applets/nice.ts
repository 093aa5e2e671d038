// nice: run PROG with its niceness changed by ADJUST (10 by default), or
// print the current niceness. The child's priority is set right after it
// starts (Bun cannot change a child's priority before its exec), never ours:
// the shell may run nice in-process.
import * as os from "node:os";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno } from "../lib/errors.ts";
import { runCommand, exitStatus } from "../lib/exec.ts";
import { parseNumber } from "../lib/numbers.ts";

/** xatoi_range(s, INT_MIN/2, INT_MAX/2): a signed decimal. */
function adjustment(s: string): number {
  const neg = s.startsWith("-");
  const body = neg || s.startsWith("+") ? s.slice(1) : s;
  try {
    const n = parseNumber(body, 0n, 1073741824n);
    if (!neg && n > 1073741823) throw new Error();
    return neg ? -n : n;
  } catch {
    if (/^\d+$/.test(body)) throw new AppletError(`number ${s} is not in -1073741824..1073741823 range`);
    throw new AppletError(`invalid number '${s}'`);
  }
}

defineApplet({
  name: "nice",
  usage: "[-n ADJUST] [PROG ARGS]",
  summary: "Change scheduling priority, run PROG",
  options: ["-n ADJUST  Adjust priority by ADJUST"],
  rawArgs: true, // "-5" means "-n 5"
  async run(ctx, _opts, args) {
    const current = os.getPriority(0);
    if (args.length === 0) {
      await ctx.stdout.write(`${current}\n`);
      return 0;
    }
    let adjust = 10;
    if (args[0].startsWith("-")) {
      let num: string | undefined = args[0].slice(1);
      args = args.slice(1);
      if (num.startsWith("n")) {
        num = num.slice(1);
        if (num === "") {
          num = args[0];
          args = args.slice(1);
        }
      }
      if (num === undefined || args.length === 0) throw new UsageError();
      adjust = adjustment(num);
    }
    // The kernel keeps niceness in -20..19; only root may lower it.
    const prio = Math.max(-20, Math.min(19, current + adjust));
    if (prio < current && process.geteuid?.() !== 0) throw new AppletError(`setpriority(${current + adjust}): ${describeErrno("EACCES")}`);
    const r = await runCommand(ctx, args, { niceness: prio });
    if (r.error) await ctx.stderr.write(`nice: can't execute '${args[0]}': ${describeErrno(r.error)}\n`);
    return exitStatus(r);
  },
});
