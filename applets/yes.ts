// yes: print STRING (the operands joined by spaces, or "y") forever, a large
// block at a time; a reader that goes away (EPIPE) ends it quietly.
import * as fs from "node:fs";
import { defineApplet, usageText, type Applet } from "../lib/applet.ts";
import { errnoCode } from "../lib/errors.ts";
import { FdWriter } from "../lib/io.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

const yes: Applet = defineApplet({
  name: "yes",
  usage: "[STRING]",
  summary: "Repeatedly print a line with STRING, or 'y'",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(yes));
      return 0;
    }
    const line = bytesOf((args.length ? args.map(binaryOf).join(" ") : "y") + "\n");
    // Whole lines, about 64 KiB of them.
    const copies = Math.max(1, Math.floor(65536 / line.length));
    const block = Buffer.alloc(line.length * copies);
    for (let i = 0; i < copies; i++) line.copy(block, i * line.length);
    const direct = ctx.stdout instanceof FdWriter ? ctx.stdout.fd : undefined;
    try {
      for (let n = 1; ; n++) {
        if (ctx.signal?.aborted) return 1;
        // Now and then let the event loop run (the shell runs applets in-process).
        if (n % 256 === 0) await new Promise((r) => setImmediate(r));
        if (direct === undefined) {
          await ctx.stdout.write(block);
          await ctx.stdout.flush();
          continue;
        }
        let off = 0;
        while (off < block.length) {
          try {
            off += fs.writeSync(direct, block, off, block.length - off);
          } catch (err) {
            if (errnoCode(err) !== "EAGAIN") throw err;
            await new Promise((r) => setTimeout(r, 1));
          }
        }
      }
    } catch (err) {
      if (errnoCode(err) === "EPIPE") return 1;
      throw err;
    }
  },
});
