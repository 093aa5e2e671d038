// rev: each line's bytes in reverse order; a last line without a newline
// stays without one. Files stream a chunk of lines at a time.
import { defineApplet } from "../lib/applet.ts";
import { mapLines } from "../lib/textio.ts";

function reverse(line: string): string {
  let r = "";
  for (let k = line.length - 1; k >= 0; k--) r += line[k];
  return r;
}

defineApplet({
  name: "rev",
  usage: "[FILE]...",
  summary: "Reverse lines of FILE",
  dir: "/bin",
  run: (ctx, _opts, files) => mapLines(ctx, files, reverse),
});
