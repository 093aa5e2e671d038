// which: where in $PATH (BusyBox's default PATH when unset) a command is.
import * as path from "node:path";
import { defineApplet } from "../lib/applet.ts";
import { DEFAULT_PATH, findInPath, isExecutableFile } from "../lib/exec.ts";

defineApplet({
  name: "which",
  usage: "[-a] COMMAND...",
  summary: "Locate COMMAND",
  options: ["-a  Show all matches"],
  minOperands: 1,
  dir: "/usr/bin",
  async run(ctx, opts, names) {
    const PATH = ctx.env.PATH ?? DEFAULT_PATH;
    let status = 0;
    let out = "";
    for (const name of names) {
      let found: string[];
      if (name.includes("/")) found = isExecutableFile(path.resolve(ctx.cwd, name)) ? [name] : [];
      else found = findInPath(name, PATH, ctx.cwd, !!opts.a);
      for (const f of found) out += f + "\n";
      if (found.length === 0) status = 1;
    }
    await ctx.stdout.write(out);
    return status;
  },
});
