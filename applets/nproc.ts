// nproc: how many CPUs this process may run on (--all: how many there are).
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { parsePositiveInt } from "../lib/numbers.ts";

/** CPUs in a kernel list such as "0-3,6". */
function countList(list: string): number {
  let n = 0;
  for (const part of list.trim().split(",")) {
    if (!part) continue;
    const [a, b] = part.split("-").map(Number);
    n += b === undefined ? 1 : b - a + 1;
  }
  return n;
}

/** The affinity mask's size, as sched_getaffinity() gives it. */
function allowedCpus(): number {
  try {
    const m = /^Cpus_allowed_list:\s*(.*)$/m.exec(fs.readFileSync("/proc/self/status", "latin1"));
    if (m) return countList(m[1]);
  } catch {}
  return require("node:os").cpus().length || 1;
}

/** Every CPU the kernel knows: the cpuN directories in sysfs. */
function installedCpus(): number {
  try {
    return fs.readdirSync("/sys/devices/system/cpu").filter((n) => /^cpu\d+$/.test(n)).length || 1;
  } catch {
    return allowedCpus();
  }
}

defineApplet({
  name: "nproc",
  dir: "/usr/bin",
  usage: "[--all] [--ignore=N]",
  summary: "Print number of available CPUs",
  options: ["--all  Number of installed CPUs", "--ignore=N  Exclude N CPUs"],
  async run(ctx, opts) {
    let n = opts.all ? installedCpus() : allowedCpus();
    if (opts.ignore !== undefined) n -= parsePositiveInt(opts.ignore);
    await ctx.stdout.write(`${Math.max(n, 1)}\n`);
    return 0;
  },
});
