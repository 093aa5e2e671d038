// rev: each line's bytes in reverse order; a last line without a newline
// stays without one. Files stream a chunk of lines at a time.
import { defineApplet } from "../lib/applet.ts";
import { lineBatches, openOrWarn, TextOut } from "../lib/textio.ts";

defineApplet({
  name: "rev",
  usage: "[FILE]...",
  summary: "Reverse lines of FILE",
  dir: "/bin",
  async run(ctx, _opts, files) {
    if (files.length === 0) files = ["-"];
    let status = 0;
    const out = new TextOut(ctx.stdout);
    for (const file of files) {
      const input = await openOrWarn(ctx, file);
      if (!input) {
        status = 1;
        continue;
      }
      for await (const { lines, partial } of lineBatches(input)) {
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i];
          let r = "";
          for (let k = l.length - 1; k >= 0; k--) r += l[k];
          out.put(partial && i === lines.length - 1 ? r : r + "\n");
        }
        await out.drain();
      }
    }
    await out.flush();
    return status;
  },
});
