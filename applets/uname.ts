import * as os from "node:os";
import { defineApplet } from "../lib/applet.ts";
import { readTextIfExists } from "../lib/fsutil.ts";

defineApplet({
  name: "uname",
  usage: "[-amnrspvio]",
  summary: "Print system information",
  options: [
    "-a  Print all",
    "-m  Machine (hardware) type",
    "-n  Hostname",
    "-r  Kernel release",
    "-s  Kernel name (default)",
    "-p  Processor type",
    "-v  Kernel version",
    "-i  Hardware platform",
    "-o  OS name",
  ],
  async run(ctx, opts) {
    const machine = os.machine();
    const fields: [string, string][] = [
      ["s", "Linux"],
      ["n", (readTextIfExists("/proc/sys/kernel/hostname") ?? os.hostname()).trim()],
      ["r", os.release()],
      ["v", os.version()],
      ["m", machine],
      ["p", "unknown"],
      ["i", "unknown"],
      ["o", "GNU/Linux"],
    ];
    const any = fields.some(([k]) => opts[k]);
    const chosen = fields.filter(([k]) => (opts.a ? !["p", "i"].includes(k) : opts[k] || (!any && k === "s")));
    await ctx.stdout.write(chosen.map(([, v]) => v).join(" ") + "\n");
    return 0;
  },
});
