// cat: BusyBox's three paths. Plain cat copies bytes; -n/-b number lines
// read as BusyBox's xmalloc_fgetline() reads them (a NUL ends a line too);
// -v/-t/-e/-A show bytes visibly (^X, M-X, $) and, with -n/-b, number at
// every line start across all files, as "%6u  ".
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { eachInput, lineBatches, TextOut } from "../lib/textio.ts";

defineApplet({
  name: "cat",
  usage: "[-nbvteA] [FILE]...",
  summary: "Print FILEs to stdout",
  options: [
    "-n  Number output lines",
    "-b  Number nonempty lines",
    "-v  Show nonprinting characters as ^x or M-x",
    "-t  ...and tabs as ^I",
    "-e  ...and end lines with $",
    "-A  Same as -vte",
    "-u  (ignored)",
  ],
  async run(ctx, opts, files) {
    if (files.length === 0) files = ["-"];
    if (opts.A) opts.v = opts.t = opts.e = 1;
    if (opts.v || opts.t || opts.e) return catVisible(ctx, files, !!opts.t, !!opts.e, !!(opts.n || opts.b), !!opts.b);
    if (opts.n || opts.b) return catNumbered(ctx, files, !!opts.b);
    return eachInput(ctx, files, async (input) => {
      try {
        for await (const chunk of input.chunks()) await ctx.stdout.write(chunk);
      } catch (err) {
        await warn(ctx, `read error: ${errorMessage(err)}`);
        return 1;
      }
    }, "cant-open");
  },
});

/** cat -n / -b: "%6u\t" before lines, counting across all inputs; a read error ends a file quietly. */
async function catNumbered(ctx: Context, files: string[], nonEmptyOnly: boolean): Promise<number> {
  const out = new TextOut(ctx.stdout);
  let n = 1;
  const status = await eachInput(ctx, files, async (input) => {
    try {
      for await (const { lines } of lineBatches(input, "\n", true)) {
        for (const line of lines) {
          if (!nonEmptyOnly || line) out.put(`${String(n++ >>> 0).padStart(6)}\t${line}\n`);
          else out.put("\n");
        }
        await out.drain();
      }
    } catch {
      // getline() failing on a directory or a device reads as end of file.
    }
  });
  await out.flush();
  return status;
}

/** BusyBox's visible(): how each byte is shown by cat -v (with -t and -e variants). */
export function visibleTable(showTabs: boolean, showEnds: boolean): string[] {
  const table: string[] = [];
  for (let c = 0; c < 256; c++) {
    if (c === 9 && !showTabs) table.push("\t");
    else if (c === 10) table.push(showEnds ? "$\n" : "\n");
    else {
      let s = "";
      let ch = c;
      if (ch >= 128) {
        ch -= 128;
        s += "M-";
      }
      if (ch < 32 || ch === 127) {
        s += "^";
        ch ^= 0x40;
      }
      table.push(s + String.fromCharCode(ch));
    }
  }
  return table;
}

async function catVisible(ctx: Context, files: string[], showTabs: boolean, showEnds: boolean, number: boolean, nonEmptyOnly: boolean): Promise<number> {
  const table = visibleTable(showTabs, showEnds);
  const out = new TextOut(ctx.stdout);
  let atLineStart = number;
  let lineno = 0;
  const status = await eachInput(ctx, files, async (input) => {
    try {
      for await (const chunk of input.chunks()) {
        let s = "";
        for (let i = 0; i < chunk.length; i++) {
          const c = chunk[i];
          if (number) {
            if (atLineStart && !(nonEmptyOnly && c === 10)) s += `${String(++lineno >>> 0).padStart(6)}  `;
            atLineStart = c === 10;
          }
          s += table[c];
        }
        out.put(s);
        await out.drain();
      }
    } catch {
      return 1; // a read error ends the file without a message
    }
  }, "cant-open");
  await out.flush();
  return status;
}
