// pidof: the PIDs of processes called NAME, newest first as GNU pidof prints
// them, matched as BusyBox's find_pid_by_name() does (comm, argv[0] or exe).
// -s and -o are BusyBox's optional FEATURE_PIDOF_SINGLE/OMIT (Debian's build
// leaves them out): -s prints one PID per NAME, -o PID (or %PPID) skips one.
import { defineApplet } from "../lib/applet.ts";
import { parseNumber } from "../lib/numbers.ts";
import { findPidsByName, scanProcesses } from "../lib/procps.ts";
import { getppid } from "../lib/syscalls.ts";

defineApplet({
  name: "pidof",
  usage: "[-s] [-o PID] [NAME]...",
  summary: "List PIDs of all processes with names that match NAMEs",
  options: ["-s  Show only one PID", "-o PID...  Omit given pid (%PPID: the parent)"],
  async run(ctx, opts, names) {
    const omit = new Set<number>();
    for (const o of opts.o as string[]) {
      for (const part of o.split(",")) omit.add(part === "%PPID" ? getppid() : parseNumber(part));
    }
    const procs = names.length ? scanProcesses({ argv: "full", exe: true }) : [];
    const found: number[] = [];
    for (const name of names) {
      for (const pid of findPidsByName(name, procs).reverse()) {
        if (omit.has(pid)) continue;
        found.push(pid);
        if (opts.s) break;
      }
    }
    if (found.length) await ctx.stdout.write(found.join(" ") + "\n");
    return found.length ? 0 : 1;
  },
});
