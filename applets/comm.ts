// comm: compare two sorted files line by line (C locale byte order): lines
// only in FILE1, only in FILE2, and in both, in three tab-indented columns;
// -1 -2 -3 hide a column. "-" is stdin. Inputs stream.
import { defineApplet, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { openInput } from "../lib/fsutil.ts";
import type { Reader } from "../lib/io.ts";
import { LineReader, TextOut } from "../lib/textio.ts";

defineApplet({
  name: "comm",
  usage: "[-123] FILE1 FILE2",
  summary: "Compare FILE1 with FILE2",
  options: ["-1  Suppress lines unique to FILE1", "-2  Suppress lines unique to FILE2", "-3  Suppress lines common to both files"],
  minOperands: 2,
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    if (files.length !== 2) {
      await warn(ctx, `extra operand '${files[2]}'`);
      return 1;
    }
    const inputs: Reader[] = [];
    for (const f of files) {
      try {
        inputs.push(openInput(ctx, f));
      } catch (err) {
        await warn(ctx, `${f}: ${errorMessage(err)}`);
        return 1;
      }
    }
    const show = [!opts["1"], !opts["2"], !opts["3"]];
    // Each column is indented by a tab per shown column before it.
    const indent = [0, 1, 2].map((c) => "\t".repeat(show.slice(0, c).filter(Boolean).length));
    const out = new TextOut(ctx.stdout);
    const put = (col: number, line: string) => {
      if (show[col]) out.put(indent[col] + line + "\n");
    };
    const [r1, r2] = inputs.map((i) => new LineReader(i));
    let a = await r1.next();
    let b = await r2.next();
    while (a !== undefined || b !== undefined) {
      if (b === undefined || (a !== undefined && a < b)) {
        put(0, a!);
        a = await r1.next();
      } else if (a === undefined || b < a) {
        put(1, b);
        b = await r2.next();
      } else {
        put(2, a);
        a = await r1.next();
        b = await r2.next();
      }
      await out.drain();
    }
    await out.flush();
    return 0;
  },
});
