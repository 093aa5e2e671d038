// halt, poweroff, reboot: ask init (PID 1) by signal, as BusyBox does, or with
// -f call reboot(2) directly after sync.
import { defineApplet, type AppletDef } from "../lib/applet.ts";
import { parseDuration } from "../lib/numbers.ts";
import { kill, reboot, RB, sync } from "../lib/syscalls.ts";
import { constants } from "node:os";

const ACTIONS = {
  halt: { signal: constants.signals.SIGUSR1, cmd: RB.HALT_SYSTEM, summary: "Halt the system" },
  poweroff: { signal: constants.signals.SIGUSR2, cmd: RB.POWER_OFF, summary: "Halt and shut off power" },
  reboot: { signal: constants.signals.SIGTERM, cmd: RB.AUTOBOOT, summary: "Reboot the system" },
};

for (const [name, action] of Object.entries(ACTIONS)) {
  const def: AppletDef = {
    name,
    dir: "/sbin",
    usage: "[-d DELAY] [-nf]",
    summary: action.summary,
    options: ["-d SEC  Delay interval", "-n      Do not sync", "-f      Force (don't go through init)"],
    async run(_ctx, opts) {
      if (opts.d !== undefined) await new Promise((r) => setTimeout(r, parseDuration(opts.d) * 1000));
      if (!opts.n) sync();
      if (opts.f) reboot(action.cmd);
      else kill(1, action.signal);
      return 0;
    },
  };
  defineApplet(def);
}
