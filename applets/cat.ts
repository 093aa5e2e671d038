import { defineApplet, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { openInput } from "../lib/fsutil.ts";

defineApplet({
  name: "cat",
  usage: "[-nb] [FILE]...",
  summary: "Print FILEs to stdout",
  options: ["-n  Number output lines", "-b  Number nonempty lines", "-u  (ignored)"],
  async run(ctx, opts, files) {
    if (files.length === 0) files = ["-"];
    const numbering = opts.n || opts.b;
    const numberer = numbering ? lineNumberer(!!opts.b) : undefined;
    let status = 0;
    for (const file of files) {
      let input;
      try {
        input = openInput(ctx, file);
      } catch (err) {
        await warn(ctx, `can't open '${file}': ${errorMessage(err)}`);
        status = 1;
        continue;
      }
      try {
        for await (const chunk of input.chunks()) await ctx.stdout.write(numberer ? numberer.feed(chunk) : chunk);
        if (numberer) await ctx.stdout.write(numberer.endFile());
      } catch (err) {
        await warn(ctx, `read error: ${errorMessage(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

/**
 * cat -n / -b: number lines as "%6d\t", counting across all inputs. Numbering
 * works line by line, so like BusyBox it ends each file's last line with \n.
 */
function lineNumberer(skipBlank: boolean) {
  let line = 0;
  let atLineStart = true;
  return {
    feed(chunk: Uint8Array): Uint8Array {
      const out: number[] = [];
      for (const byte of chunk) {
        if (atLineStart && !(skipBlank && byte === 10)) {
          for (const b of Buffer.from(String(++line).padStart(6) + "\t")) out.push(b);
        }
        out.push(byte);
        atLineStart = byte === 10;
      }
      return Uint8Array.from(out);
    },
    endFile(): Uint8Array {
      if (atLineStart) return new Uint8Array(0);
      atLineStart = true;
      return Uint8Array.of(10);
    },
  };
}
