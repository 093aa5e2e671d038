// rmdir: remove empty directories; -p also their parents, as BusyBox.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { errnoCode } from "../lib/errors.ts";
import { absPath, dirName, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "rmdir",
  usage: "[-p] DIRECTORY...",
  summary: "Remove DIRECTORY if it is empty",
  options: [
    "-p, --parents  Include parents",
    "--ignore-fail-on-non-empty",
    "-v, --verbose",
  ],
  minOperands: 1,
  async run(ctx, opts, dirs) {
    let status = 0;
    for (const dir of dirs) {
      let path = binaryOf(dir);
      for (;;) {
        if (opts.v) await ctx.stdout.write(bytesOf(`rmdir: removing directory, '${path}'\n`));
        try {
          fs.rmdirSync(fsPath(absPath(ctx, path)));
        } catch (err) {
          if (!(opts["ignore-fail-on-non-empty"] && errnoCode(err) === "ENOTEMPTY")) {
            await warnBytes(ctx, `'${path}': ${errText(err)}`);
            status = 1;
          }
          break;
        }
        if (!opts.p) break;
        path = dirName(path);
        if (path === ".") break;
      }
    }
    return status;
  },
});
