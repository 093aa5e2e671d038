// pwd: the working directory; -P (the default, as BusyBox) resolves links,
// -L prints $PWD when it is absolute, has no "." or ".." and names the same
// directory.
import * as fs from "node:fs";
import { defineApplet, warn } from "../lib/applet.ts";
import { errText, fsPath } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "pwd",
  usage: "",
  summary: "Print the full filename of the current working directory",
  options: ["-L  Print $PWD if it names the current directory", "-P  Print the physical directory (default)"],
  async run(ctx, opts) {
    // As BusyBox: -L wins whenever it is given, even before a -P.
    if (opts.L) {
      const wd = ctx.env.PWD;
      if (wd && wd.startsWith("/") && !/\/\.\.?(\/|$)/.test(wd)) {
        try {
          const a = fs.statSync(wd);
          const b = fs.statSync(ctx.cwd);
          if (a.ino === b.ino && a.dev === b.dev) {
            await ctx.stdout.write(wd + "\n");
            return 0;
          }
        } catch {}
      }
    }
    try {
      const real = fs.realpathSync(fsPath(binaryOf(ctx.cwd)), { encoding: "buffer" });
      await ctx.stdout.write(bytesOf(real.toString("latin1") + "\n"));
      return 0;
    } catch (err) {
      await warn(ctx, `getcwd: ${errText(err)}`);
      return 1;
    }
  },
});
