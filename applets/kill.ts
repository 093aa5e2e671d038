// kill and killall, with BusyBox's hand-made argument handling: "-l [SIG]..."
// lists or translates signals, "-SIG", "-s SIG" or "--" come first, killall
// takes "-q" before the signal. kill's exit status is the number of failures;
// a PID operand may hold several numbers separated by spaces (from pidof).
import { defineApplet, usageText, warn, type Applet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno, errnoCode } from "../lib/errors.ts";
import { findPidsByName } from "../lib/procps.ts";
import { bbSignalName, bbSignalNumber, bbSignalTable } from "../lib/signals.ts";
import { getpid, kill as sysKill } from "../lib/syscalls.ts";

const killApplet: Applet = defineApplet({
  name: "kill",
  usage: "[-l] [-SIG] PID...",
  summary: "Send a signal (default: TERM) to given PIDs",
  options: ["-l  List all signal names and numbers"],
  rawArgs: true,
  run: (ctx, _o, args) => killMain(ctx, args, false, killApplet),
});

const killallApplet: Applet = defineApplet({
  name: "killall",
  usage: "[-lq] [-SIG] PROCESS_NAME...",
  summary: "Send a signal (default: TERM) to given processes",
  options: ["-l  List all signal names and numbers", "-q  Don't complain if no processes were killed"],
  rawArgs: true,
  dir: "/usr/bin",
  run: (ctx, _o, args) => killMain(ctx, args, true, killallApplet),
});

async function killMain(ctx: Context, args: string[], isKillall: boolean, applet: Applet): Promise<number> {
  if (args[0] === "--help") {
    await ctx.stdout.write(usageText(applet));
    return 0;
  }
  let signo = 15;
  let quiet = false;
  let i = 0;
  let arg = args[i];
  if (arg !== undefined && arg[0] === "-") {
    if (arg === "-l") return listSignals(ctx, args.slice(1));
    if (isKillall && arg === "-q") {
      quiet = true;
      arg = args[++i];
      if (arg === undefined) throw new UsageError();
    }
    if (arg[0] === "-") {
      let name = arg.slice(1);
      if (name === "s" && i + 1 < args.length) name = args[++i];
      if (name !== "-") {
        const n = bbSignalNumber(name);
        if (n === undefined) throw new AppletError(`bad signal name '${name}'`);
        signo = n;
      }
      i++;
    }
  }
  const operands = args.slice(i);
  if (operands.length === 0) throw new AppletError("you need to specify whom to kill");
  return isKillall ? killByName(ctx, operands, signo, quiet) : killPids(ctx, operands, signo);
}

/** kill -l: the table, or each operand translated (number to name, name to number). */
async function listSignals(ctx: Context, names: string[]): Promise<number> {
  if (names.length === 0) {
    await ctx.stdout.write(bbSignalTable());
    return 0;
  }
  for (const a of names) {
    if (/^\d+$/.test(a) && Number(a) <= 4294967295) {
      // An exit status like 143 names its signal too.
      await ctx.stdout.write(bbSignalName(Number(a) & 127) + "\n");
      continue;
    }
    const n = bbSignalNumber(a);
    if (n === undefined) throw new AppletError(`unknown signal '${a}'`);
    await ctx.stdout.write(`${n}\n`);
  }
  return 0;
}

function sendSignal(pid: number, signo: number): string | undefined {
  try {
    sysKill(pid, signo);
    return undefined;
  } catch (err) {
    return describeErrno(errnoCode(err));
  }
}

async function killPids(ctx: Context, operands: string[], signo: number): Promise<number> {
  let errors = 0;
  for (const operand of operands) {
    let s = operand;
    for (;;) {
      s = s.replace(/^[ \t\n\v\f\r]+/, "");
      const m = /^-?\d+/.exec(s);
      const rest = m ? s.slice(m[0].length) : "";
      const pid = m ? Number(m[0]) : NaN;
      if (!m || pid > 2147483647 || pid < -2147483648 || (rest !== "" && rest[0] !== " ")) {
        await warn(ctx, `invalid number '${s}'`);
        errors++;
        break;
      }
      const err = sendSignal(pid, signo);
      if (err) {
        await warn(ctx, `can't kill pid ${pid}: ${err}`);
        errors++;
      }
      if (rest === "") break;
      s = rest;
    }
  }
  return errors;
}

async function killByName(ctx: Context, names: string[], signo: number, quiet: boolean): Promise<number> {
  const self = getpid();
  let errors = 0;
  for (const name of names) {
    const pids = findPidsByName(name);
    if (pids.length === 0) {
      errors++;
      if (!quiet) await warn(ctx, `${name}: no process killed`);
      continue;
    }
    for (const pid of pids) {
      if (pid === self) continue;
      const err = sendSignal(pid, signo);
      if (err) {
        errors++;
        if (!quiet) await warn(ctx, `can't kill pid ${pid}: ${err}`);
      }
    }
  }
  return errors;
}
