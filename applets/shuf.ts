// shuf: the input lines (of FILE, of -e ARGs, or the numbers -i L-H) in a
// random order, at most -n NUM of them, ending in "\n" or with -z NUL (then
// NUL separates input lines too). -o FILE is written only after all input
// is read, so it may be the input itself.
import * as fs from "node:fs";
import { randomInt } from "node:crypto";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openInput, openAtomicOutput } from "../lib/fsutil.ts";
import { parseNumber } from "../lib/numbers.ts";
import { binaryOf, bytesOf, readAll, textOf } from "../lib/text.ts";

defineApplet({
  name: "shuf",
  usage: "[-n NUM] [-o FILE] [-z] [FILE | -e [ARG...] | -i L-H]",
  summary: "Randomly permute lines",
  options: [
    "-n NUM  Output at most NUM lines",
    "-o FILE  Write to FILE, not standard output",
    "-z  NUL terminated output",
    "-e  Treat ARGs as lines",
    "-i L-H  Treat numbers L-H as lines",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    if (opts.e && opts.i !== undefined) throw new UsageError();
    const eol = opts.z ? "\0" : "\n";
    const limit = opts.n !== undefined ? parseNumber(opts.n) : Infinity;
    // The items as a count and a way to get the i-th.
    let count: number;
    let item: (i: number) => string;
    if (opts.i !== undefined) {
      if (operands.length) throw new UsageError();
      const spec: string = opts.i;
      const dash = spec.indexOf("-");
      if (dash < 0) throw new AppletError(`bad range '${spec}'`);
      const lo = parseNumber(spec.slice(0, dash));
      const hi = parseNumber(spec.slice(dash + 1));
      if (lo > hi) throw new AppletError(`bad range '${spec}'`);
      count = hi - lo + 1;
      item = (i) => String(lo + i);
    } else {
      let lines: string[];
      if (opts.e) lines = operands.map(binaryOf);
      else {
        if (operands.length > 1) throw new UsageError();
        const name = operands[0] ?? "-";
        let data: Buffer;
        try {
          data = await readAll(openInput(ctx, name));
        } catch (err) {
          throw new AppletError(`${name}: ${errorMessage(err)}`);
        }
        const text = textOf(data);
        lines = text === "" ? [] : text.split(opts.z ? "\0" : "\n");
        if (lines.length && text.endsWith(opts.z ? "\0" : "\n")) lines.pop();
      }
      count = lines.length;
      item = (i) => lines[i];
    }
    const order = sample(count, Math.min(limit, count));
    let text = "";
    for (const i of order) text += item(i) + eol;
    if (opts.o === undefined) {
      await ctx.stdout.write(bytesOf(text));
      return 0;
    }
    let target;
    try {
      target = openAtomicOutput(resolvePath(ctx, opts.o));
    } catch (err) {
      throw new AppletError(`can't open '${opts.o}': ${errorMessage(err)}`);
    }
    try {
      fs.writeSync(target.fd, bytesOf(text));
      target.commit();
    } finally {
      target.abort();
    }
    return 0;
  },
});

/** k distinct indices below n in random order: Fisher-Yates, with a map of moved slots instead of an array. */
function sample(n: number, k: number): number[] {
  const moved = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + (n - i > 1 ? randomInt(n - i) : 0);
    const vi = moved.get(i) ?? i;
    const vj = moved.get(j) ?? j;
    moved.set(j, vi);
    out.push(vj);
  }
  return out;
}
