// expand and unexpand: tabs to spaces and back, with tab stops every -t N
// columns (default 8). expand -i converts only leading tabs. unexpand
// converts leading blanks, or with -a (or -t, unless -f) every run of two
// or more blanks that reaches a tab stop, as POSIX says (BusyBox 1.35 also
// converts the first run after text and single spaces).
import { defineApplet } from "../lib/applet.ts";
import type { Options } from "../lib/options.ts";
import { parseNumber } from "../lib/numbers.ts";
import { mapLines } from "../lib/textio.ts";


const tabSize = (opts: Options) => (opts.t !== undefined ? parseNumber(opts.t, 1n, 4294967295n) : 8);

defineApplet({
  name: "expand",
  usage: "[-i] [-t N] [FILE]...",
  summary: "Convert tabs to spaces, writing to stdout",
  options: ["-i  Don't convert tabs after non blanks", "-t N  Tabstops every N chars"],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const n = tabSize(opts);
    const initial = !!opts.i;
    return mapLines(ctx, files, (line) => {
      if (!line.includes("\t")) return line;
      let res = "";
      let col = 0;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (initial && c !== " " && c !== "\t") return res + line.slice(i);
        if (c === "\t") {
          const pad = n - (col % n);
          res += " ".repeat(pad);
          col += pad;
        } else {
          res += c;
          col++;
        }
      }
      return res;
    });
  },
});

defineApplet({
  name: "unexpand",
  usage: "[-fa][-t N] [FILE]...",
  summary: "Convert spaces to tabs, writing to stdout",
  options: ["-a  Convert all blanks", "-f  Convert only leading blanks", "-t N  Tabstops every N chars"],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const n = tabSize(opts);
    const all = !!opts.a || (opts.t !== undefined && !opts.f);
    return mapLines(ctx, files, (line) => {
      let res = "";
      let col = 0;
      let i = 0;
      while (i < line.length) {
        const c = line[i];
        if (c !== " " && c !== "\t") {
          if (!all && i > 0) return res + line.slice(i);
          res += c;
          col++;
          i++;
          continue;
        }
        // A run of blanks from column `start` to `col`.
        const start = col;
        const from = i;
        while (i < line.length && (line[i] === " " || line[i] === "\t")) {
          col = line[i] === "\t" ? col + n - (col % n) : col + 1;
          i++;
        }
        const leading = from === 0;
        if (!leading && i - from < 2) {
          res += line.slice(from, i);
          continue;
        }
        let at = start;
        for (let stop = (Math.floor(start / n) + 1) * n; stop <= col; stop += n) {
          res += "\t";
          at = stop;
        }
        res += " ".repeat(col - at);
      }
      return res;
    });
  },
});
