// fold: break lines longer than -w columns (default 80). Columns count as a
// terminal shows them: a tab goes to the next multiple of 8, backspace steps
// back, carriage return goes to column 0; -b counts bytes instead; -s breaks
// after the last blank that fits, when there is one.
import { defineApplet } from "../lib/applet.ts";
import { parseNumber } from "../lib/numbers.ts";
import { mapLines } from "../lib/textio.ts";

defineApplet({
  name: "fold",
  usage: "[-bs] [-w WIDTH] [FILE]...",
  summary: "Wrap input lines in FILEs (or stdin), writing to stdout",
  options: ["-b  Count bytes rather than columns", "-s  Break at spaces", "-w WIDTH  Use WIDTH columns instead of 80"],
  numeric: "w",
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const width = opts.w !== undefined ? parseNumber(opts.w, 1n, 10000n) : 80;
    const bytes = !!opts.b;
    const spaces = !!opts.s;
    const colAfter = (col: number, c: string): number => {
      if (bytes) return col + 1;
      if (c === "\t") return col + 8 - (col % 8);
      if (c === "\b") return col > 0 ? col - 1 : 0;
      if (c === "\r") return 0;
      return col + 1;
    };
    const foldLine = (line: string): string => {
      let res = "";
      let cur = "";
      let col = 0;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        col = colAfter(col, c);
        while (col > width) {
          if (spaces) {
            const blank = Math.max(cur.lastIndexOf(" "), cur.lastIndexOf("\t"));
            if (blank >= 0) {
              // Break after the blank; what follows it starts the next line.
              res += cur.slice(0, blank + 1) + "\n";
              cur = cur.slice(blank + 1);
              col = 0;
              for (const ch of cur) col = colAfter(col, ch);
              col = colAfter(col, c);
              continue;
            }
          }
          if (cur === "") break; // One character wider than the line: it goes alone.
          res += cur + "\n";
          cur = "";
          col = colAfter(0, c);
        }
        cur += c;
      }
      return res + cur;
    };
    return mapLines(ctx, files, foldLine);
  },
});
