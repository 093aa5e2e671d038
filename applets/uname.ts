import { defineApplet } from "../lib/applet.ts";
import { uname } from "../lib/syscalls.ts";

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
    const u = uname();
    const fields: [string, string][] = [
      ["s", u.sysname],
      ["n", u.nodename],
      ["r", u.release],
      ["v", u.version],
      ["m", u.machine],
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
