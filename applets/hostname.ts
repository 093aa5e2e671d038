import * as fs from "node:fs";
import * as os from "node:os";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { sethostname } from "../lib/syscalls.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";

defineApplet({
  name: "hostname",
  usage: "[-sidf] [HOSTNAME | -F FILE]",
  summary: "Show or set hostname or DNS domain name",
  options: [
    "-s       Short",
    "-i       Addresses for the hostname",
    "-d       DNS domain name",
    "-f       Fully qualified domain name",
    "-F FILE  Use FILE's content as hostname",
  ],
  async run(ctx, opts, args) {
    let name = args[0];
    if (opts.F !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(resolvePath(ctx, opts.F), "utf8");
      } catch (err) {
        throw new AppletError(`can't open '${opts.F}': ${errorMessage(err)}`);
      }
      // The first line that is not a comment, as BusyBox reads it.
      name = text.split("\n").find((l) => l.trim() && !l.startsWith("#"))?.trim() ?? "";
    }
    if (name !== undefined) {
      sethostname(name);
      return 0;
    }
    const full = os.hostname();
    const dot = full.indexOf(".");
    let out = full;
    if (opts.s) out = dot < 0 ? full : full.slice(0, dot);
    else if (opts.d) out = dot < 0 ? "" : full.slice(dot + 1);
    await ctx.stdout.write(out + "\n");
    return 0;
  },
});
