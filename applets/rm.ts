import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";

defineApplet({
  name: "rm",
  usage: "[-irf] FILE...",
  summary: "Remove (unlink) FILEs",
  options: ["-i  Always prompt before removing", "-f  Never prompt", "-R  Recurse", "-r  Recurse", "-v  Verbose"],
  async run(ctx, opts, files) {
    if (files.length === 0) {
      if (opts.f) return 0;
      throw new (await import("../lib/errors.ts")).UsageError();
    }
    const recursive = opts.r || opts.R;
    let status = 0;
    for (const file of files) {
      const base = path.basename(file);
      if (base === "." || base === "..") {
        await warn(ctx, `can't remove '.' or '..'`);
        status = 1;
        continue;
      }
      const full = resolvePath(ctx, file);
      try {
        const st = fs.lstatSync(full);
        if (st.isDirectory()) {
          if (!recursive) {
            await warn(ctx, `'${file}' is a directory`);
            status = 1;
            continue;
          }
          fs.rmSync(full, { recursive: true, force: false });
        } else fs.unlinkSync(full);
        if (opts.v) await ctx.stdout.write(`removed '${file}'\n`);
      } catch (err: any) {
        if (opts.f && err?.code === "ENOENT") continue;
        await warn(ctx, `can't remove '${file}': ${errorMessage(err)}`);
        status = 1;
      }
    }
    return status;
  },
});
