// dirname: a path without its last component, as dirname(3).
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { dirName } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "dirname",
  usage: "FILENAME",
  summary: "Strip non-directory suffix from FILENAME",
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args.length !== 1) throw new UsageError();
    await ctx.stdout.write(bytesOf(dirName(binaryOf(args[0])) + "\n"));
    return 0;
  },
});
