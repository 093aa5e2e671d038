// nl: number lines (-b a all, t non-empty (default), n none), counting on
// across files from -v by -i, in -w columns followed by -s. Unnumbered lines
// get blanks of the same width. A NUL ends a line, as in BusyBox.
import { defineApplet } from "../lib/applet.ts";
import { parseNumber } from "../lib/numbers.ts";
import { binaryOf } from "../lib/text.ts";
import { eachInput, lineBatches, TextOut } from "../lib/textio.ts";

defineApplet({
  name: "nl",
  usage: "[OPTIONS] [FILE]...",
  summary: "Write FILEs to standard output with line numbers added",
  options: [
    "-b STYLE  Which lines to number - a: all, t: nonempty, n: none",
    "-i N  Line number increment",
    "-s STRING  Use STRING as line number separator",
    "-v N  Start from N",
    "-w N  Width of line numbers",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const style = opts.b ?? "t";
    const incr = opts.i !== undefined ? parseNumber(opts.i) : 1;
    let num = opts.v !== undefined ? parseNumber(opts.v) : 1;
    const width = opts.w !== undefined ? parseNumber(opts.w) : 6;
    const sep = opts.s !== undefined ? binaryOf(opts.s) : "\t";
    const blank = " ".repeat(width + sep.length);
    const out = new TextOut(ctx.stdout);
    const status = await eachInput(ctx, files, async (input) => {
      for await (const { lines } of lineBatches(input, "\n", true)) {
        for (const line of lines) {
          const numbered = style === "a" || (style === "t" && line.length > 0);
          if (numbered) {
            out.put(String(num).padStart(width) + sep + line + "\n");
            num += incr;
          } else out.put(blank + line + "\n");
        }
        await out.drain();
      }
    });
    await out.flush();
    return status;
  },
});
