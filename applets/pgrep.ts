// pgrep and pkill as BusyBox has them: an extended regex against the first
// word of each command line (the whole of it with -f), falling back to comm;
// -x wants the whole string, -v negates, -n/-o keep the newest/oldest, -s SID
// and -P PPID narrow the set (0 for -s: our session). pkill takes -SIGNAL as
// its first argument and -l lists signals; pgrep -l/-a show the name or the
// command line. -u EUID and -U UID (names or numbers) are procps' additions.
import { defineApplet, usageText, type Applet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { parseNumber } from "../lib/numbers.ts";
import { parseOptions } from "../lib/options.ts";
import { readEntry, scanProcesses } from "../lib/procps.ts";
import { compileRegex } from "../lib/regex.ts";
import { bbSignalNumber, bbSignalTable } from "../lib/signals.ts";
import { getpid, kill } from "../lib/syscalls.ts";
import { parseUid } from "../lib/users.ts";

const COMMON = [
  "-x  Match whole name (not substring)",
  "-f  Match against entire command line",
  "-s SID  Match session ID (0 for current)",
  "-P PPID  Match parent process ID",
  "-u EUID  Match effective user (name or number)",
  "-U UID  Match real user (name or number)",
  "-v  Negate the match",
  "-n  Select the newest process only",
  "-o  Select the oldest process only",
];

const pgrep: Applet = defineApplet({
  name: "pgrep",
  usage: "[-flanovx] [-s SID|-P PPID|PATTERN]",
  summary: "Display process(es) selected by regex PATTERN",
  options: ["-l  Show command name too", "-a  Show command line too", ...COMMON, "-e  Display name and PID of the process being killed"],
  rawArgs: true,
  dir: "/usr/bin",
  run: (ctx, _o, args) => pgrepMain(ctx, args, false, pgrep),
});

const pkill: Applet = defineApplet({
  name: "pkill",
  usage: "[-l|-SIGNAL] [-xfvnoe] [-s SID|-P PPID|PATTERN]",
  summary: "Send signal to processes selected by regex PATTERN",
  options: ["-l  List all signals", "-a  Show command line too", ...COMMON, "-e  Display name and PID of the process being killed"],
  rawArgs: true,
  dir: "/usr/bin",
  run: (ctx, _o, args) => pgrepMain(ctx, args, true, pkill),
});

async function pgrepMain(ctx: Context, args: string[], isPkill: boolean, applet: Applet): Promise<number> {
  if (args[0] === "--help") {
    await ctx.stdout.write(usageText(applet));
    return 0;
  }
  let signo = 15;
  // pkill -SIGNAL: only as the first argument, and only if it names a signal.
  if (isPkill && args[0]?.[0] === "-") {
    const n = bbSignalNumber(args[0].slice(1));
    if (n !== undefined) {
      signo = n;
      args = args.slice(1);
    }
  }
  const { opts, operands } = parseOptions(applet.spec, args);
  if (isPkill && opts.l) {
    await ctx.stdout.write(bbSignalTable());
    return 0;
  }
  const num = (s: string | undefined) => (s === undefined ? -1 : parseNumber(s, 0n, 2147483647n));
  let sid = num(opts.s);
  const ppid = num(opts.P);
  const user = (s: string | undefined) => {
    if (s === undefined) return -1;
    const uid = parseUid(s);
    if (uid === undefined) throw new AppletError(`unknown user ${s}`);
    return uid;
  };
  const euid = user(opts.u);
  const ruid = user(opts.U);
  const self = getpid();
  if (sid === 0) sid = sessionOf(self);
  const filtered = sid >= 0 || ppid >= 0 || euid >= 0 || ruid >= 0;
  if (!filtered && operands.length !== 1) throw new UsageError();
  const pattern = operands[0];
  let re: RegExp | undefined;
  if (pattern !== undefined) {
    const base = compileRegex(pattern, { extended: true });
    re = opts.x ? new RegExp(`^(?:${base.source})$`, base.flags) : base;
  }
  const procs = scanProcesses({ argv: opts.f || opts.a ? "full" : "first", ids: euid >= 0, real: ruid >= 0 });
  const selected: { pid: number; cmd: string }[] = [];
  for (const p of procs) {
    if (p.pid === self) continue;
    // "-v -P1 NAME" means: not (parent 1 and called NAME).
    const filtersOk =
      (ppid < 0 || p.ppid === ppid) && (sid < 0 || p.sid === sid) && (euid < 0 || p.uid === euid) && (ruid < 0 || p.ruid === ruid);
    if (!filtersOk && !opts.v) continue;
    // Matched against the program (the whole command line with -f), then comm.
    let full: string | undefined;
    let cmd = p.comm;
    if (p.argv0 !== undefined) {
      const a = p.argv0.endsWith("\0") ? p.argv0.slice(0, -1) : p.argv0;
      full = a.replace(/[\x00-\x1f]/g, " ");
      cmd = opts.f ? full : a.split("\0")[0];
    }
    let match: boolean;
    if (!filtersOk) match = false;
    else if (!re) match = true;
    else {
      match = re.test(cmd);
      if (!match && cmd !== p.comm) {
        cmd = p.comm;
        full = undefined;
        match = re.test(cmd);
      }
    }
    if (match === !!opts.v) continue;
    if (opts.a && full !== undefined) cmd = full;
    selected.push({ pid: p.pid, cmd });
    if (opts.o) break;
  }
  const chosen = opts.n ? selected.slice(-1) : selected;
  for (const { pid, cmd } of chosen) {
    if (!isPkill) await ctx.stdout.write(Buffer.from(opts.l || opts.a ? `${pid} ${cmd}\n` : `${pid}\n`, "latin1"));
    else {
      try {
        kill(pid, signo);
      } catch {
        // Gone already, or not ours: pkill says nothing, as BusyBox.
      }
      if (opts.e) await ctx.stdout.write(Buffer.from(`${cmd} killed (pid ${pid})\n`, "latin1"));
    }
  }
  return chosen.length ? 0 : 1;
}

function sessionOf(pid: number): number {
  return readEntry(pid, `/proc/${pid}/`)?.sid ?? -1;
}
