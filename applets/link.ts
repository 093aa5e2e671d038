// link FILE LINK: link(2), nothing more.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { absPath, errText, fsPath } from "../lib/fileops.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "link",
  usage: "FILE LINK",
  summary: "Create hard LINK to FILE",
  async run(ctx, _opts, args) {
    if (args.length !== 2) throw new UsageError();
    try {
      fs.linkSync(fsPath(absPath(ctx, binaryOf(args[0]))), fsPath(absPath(ctx, binaryOf(args[1]))));
    } catch (err) {
      throw new AppletError(`can't create hardlink '${args[1]}' to '${args[0]}': ${errText(err)}`);
    }
    return 0;
  },
});
