import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { parseMode } from "../lib/mode.ts";

defineApplet({
  name: "mkdir",
  usage: "[-m MODE] [-p] DIRECTORY...",
  summary: "Create DIRECTORY",
  options: ["-m MODE  Mode", "-p       No error if exists; make parent directories as needed", "-v       Verbose"],
  minOperands: 1,
  async run(ctx, opts, dirs) {
    const mode = opts.m !== undefined ? parseMode(opts.m, 0o777) : 0o777;
    let status = 0;
    for (const dir of dirs) {
      try {
        const full = resolvePath(ctx, dir);
        if (opts.p) {
          if (!isDir(full)) fs.mkdirSync(full, { recursive: true, mode: 0o777 });
        } else fs.mkdirSync(full, { mode });
        // mkdir(2) applies the umask; an explicit -m does not.
        if (opts.m !== undefined) fs.chmodSync(full, mode);
        if (opts.v) await ctx.stdout.write(`mkdir: created directory '${dir}'\n`);
      } catch (err) {
        await warn(ctx, `can't create directory '${dir}': ${errorMessage(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
