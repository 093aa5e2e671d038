// echo: BusyBox's options -n -e -E, parsed by hand because echo must print
// anything that is not exactly a cluster of those letters. As in BusyBox,
// -E only exists to be accepted: escapes stay on once -e was seen.
import { defineApplet } from "../lib/applet.ts";
import { processEscapesB } from "../lib/escapes.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "echo",
  usage: "[-neE] [ARG]...",
  summary: "Print the specified ARGs to stdout",
  options: ["-n  No trailing newline", "-e  Interpret backslash escapes (i.e., \\t=tab)", "-E  Don't interpret backslash escapes (default)"],
  rawArgs: true,
  async run(ctx, _opts, args) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) {
      for (const f of args[i].slice(1)) {
        if (f === "n") newline = false;
        else if (f === "e") escapes = true;
      }
    }
    if (!escapes) {
      await ctx.stdout.write(args.slice(i).join(" ") + (newline ? "\n" : ""));
      return 0;
    }
    // Bytes, not UTF-8: \xNN and octal escapes above 0x7f are single bytes.
    let text = "";
    for (let k = i; k < args.length; k++) {
      const [out, stop] = processEscapesB(binaryOf(args[k]));
      text += out;
      if (stop) {
        await ctx.stdout.write(Buffer.from(text, "latin1"));
        return 0;
      }
      if (k + 1 < args.length) text += " ";
    }
    await ctx.stdout.write(Buffer.from(text + (newline ? "\n" : ""), "latin1"));
    return 0;
  },
});
