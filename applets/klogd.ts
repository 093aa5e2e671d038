// klogd: pass the kernel's messages to syslogd, each as "kernel: MSG" at the
// priority the kernel gave it (facility kern, or user for /dev/kmsg writes). Reads /proc/kmsg (syslog(2)'s
// consuming read), polled so that SIGTERM is heard; -c N sets the console
// log level. Without -n it goes into the background.
import * as fs from "node:fs";
import { defineApplet, PIKA_VERSION } from "../lib/applet.ts";
import { respawnInBackground } from "../lib/daemon.ts";
import { AppletError } from "../lib/errors.ts";
import { klogctl, pollFd, POLLIN, SYSLOG_ACTION } from "../lib/syscalls.ts";
import { LOG_INFO, LOG_KERN, LOG_NOTICE, syslog } from "../lib/syslog.ts";

/**
 * Kernel log lines: "<N>text" to [priority, text] (N carries a facility for
 * messages written to /dev/kmsg by programs); text without one is LOG_INFO.
 */
export function kernelLines(chunk: string): [number, string][] {
  return chunk.split("\n").filter((l) => l !== "").map((l) => {
    const m = /^<(\d+)>/.exec(l);
    return m ? [Number(m[1]) & 0x3ff, l.slice(m[0].length)] : [LOG_INFO, l];
  });
}

defineApplet({
  name: "klogd",
  usage: "[-c N] [-n]",
  summary: "Log kernel messages to syslog",
  options: ["-c N  Print to console messages more urgent than prio N (1-8)", "-n  Run in foreground"],
  dir: "/sbin",
  async run(ctx, opts) {
    const level = opts.c === undefined ? undefined : Number(opts.c);
    if (level !== undefined && !(Number.isInteger(level) && level >= 1 && level <= 8)) throw new AppletError(`invalid number '${opts.c}'`);
    if (!opts.n) {
      respawnInBackground(ctx);
      return 0;
    }
    if (level !== undefined) klogctl(SYSLOG_ACTION.CONSOLE_LEVEL, null, level);
    const log = (pri: number, msg: string) => syslog(LOG_KERN | pri, "kernel", msg, ctx.env);
    log(LOG_NOTICE, `klogd started: Pika v${PIKA_VERSION}`);
    const fd = fs.openSync("/proc/kmsg", "r");
    let stop = false;
    let stoppedBy: NodeJS.Signals | undefined;
    const onSignal = (sig: NodeJS.Signals) => {
      stop = true;
      stoppedBy = sig;
    };
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, onSignal);
    const buf = Buffer.alloc(16 * 1024);
    let partial = "";
    try {
      while (!stop && !ctx.signal?.aborted) {
        if (pollFd(fd, POLLIN, 250)) {
          const n = fs.readSync(fd, buf, 0, buf.length, null);
          const text = partial + buf.toString("latin1", 0, n);
          const end = text.lastIndexOf("\n") + 1;
          partial = text.slice(end);
          for (const [pri, msg] of kernelLines(text.slice(0, end))) log(pri, msg);
        }
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      fs.closeSync(fd);
      log(LOG_NOTICE, "klogd: exiting");
      for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.off(sig, onSignal);
    }
    if (stoppedBy) process.kill(process.pid, stoppedBy);
    return 0;
  },
});
