// unlink FILE: unlink(2), nothing more.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { absPath, errText, fsPath } from "../lib/fileops.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "unlink",
  usage: "FILE",
  summary: "Delete FILE by calling unlink()",
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args.length !== 1) throw new UsageError();
    try {
      fs.unlinkSync(fsPath(absPath(ctx, binaryOf(args[0]))));
    } catch (err) {
      throw new AppletError(`can't remove file '${args[0]}': ${errText(err)}`);
    }
    return 0;
  },
});
