// basename: the last component of each path, less an optional suffix.
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { lastComponent } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "basename",
  usage: "FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...",
  summary: "Strip directory path and SUFFIX from FILE",
  dir: "/usr/bin",
  options: ["-a  All arguments are FILEs", "-s SUFFIX  Remove SUFFIX (implies -a)"],
  minOperands: 1,
  async run(ctx, opts, args) {
    let suffix: string | undefined = opts.s;
    if (!opts.a && opts.s === undefined) {
      // basename FILE [SUFFIX]
      if (args.length > 2) throw new UsageError();
      suffix = args[1];
      args = args.slice(0, 1);
    }
    const sfx = suffix === undefined ? undefined : binaryOf(suffix);
    let out = "";
    for (const a of args) {
      let s = lastComponent(binaryOf(a));
      if (sfx !== undefined && s.length > sfx.length && s.endsWith(sfx)) s = s.slice(0, s.length - sfx.length);
      out += s + "\n";
    }
    await ctx.stdout.write(bytesOf(out));
    return 0;
  },
});
