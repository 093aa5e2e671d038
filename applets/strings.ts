// strings: runs of at least N printable ASCII bytes (tab counts as
// printable) in each file, one per line, optionally after the file name and
// the run's offset. Streams: only a run shorter than N is ever held.
import { defineApplet, warn } from "../lib/applet.ts";
import { ByteReader } from "../lib/bytereader.ts";
import { UsageError, errorMessage } from "../lib/errors.ts";
import { parseNumber } from "../lib/numbers.ts";
import { OutBuf } from "../lib/bufio.ts";

defineApplet({
  name: "strings",
  usage: "[-fo] [-t o|d|x] [-n LEN] [FILE]...",
  summary: "Display printable strings in a binary file",
  options: [
    "-a",
    "-f  Precede strings with filenames",
    "-o  Precede strings with octal offsets",
    "-t o|d|x  Precede strings with offsets in base 8/10/16",
    "-n LEN  At least LEN characters form a string (default 4)",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const min = opts.n !== undefined ? parseNumber(opts.n, 1n, 2147483647n) : 4;
    let radix = 0;
    if (opts.t !== undefined) {
      radix = ({ o: 8, d: 10, x: 16 } as Record<string, number>)[opts.t] ?? 0;
      if (!radix) throw new UsageError();
    } else if (opts.o) radix = 8;
    const names = files.length ? files : ["-"];
    const out = new OutBuf(ctx.stdout);
    let status = 0;
    for (const name of names) {
      let input: ByteReader;
      try {
        input = ByteReader.open(ctx, name);
      } catch (err) {
        await warn(ctx, `${name}: ${errorMessage(err)}`);
        status = 1;
        continue;
      }
      const label = opts.f ? `${files.length ? name : "{standard input}"}: ` : "";
      let run = ""; // a run not yet long enough to print
      let printing = false;
      let offset = 0;
      try {
        for (let chunk = await input.chunk(); chunk; chunk = await input.chunk()) {
          let start = 0; // where the printable bytes being printed started in this chunk
          for (let i = 0; i < chunk.length; i++, offset++) {
            const c = chunk[i];
            const printable = (c >= 0x20 && c < 0x7f) || c === 9;
            if (printable) {
              if (printing) continue;
              run += String.fromCharCode(c);
              if (run.length === min) {
                out.push(label + (radix ? (offset - min + 1).toString(radix).padStart(7) + " " : "") + run);
                printing = true;
                run = "";
                start = i + 1;
              }
            } else {
              if (printing) {
                out.pushBytes(chunk.subarray(start, i));
                out.push("\n");
                printing = false;
              }
              run = "";
            }
          }
          if (printing) {
            out.pushBytes(chunk.subarray(start));
          }
          await out.maybeFlush();
        }
      } catch {
        // A read error (a directory) ends the file quietly, as fgetc() returning EOF does.
      } finally {
        input.close();
      }
      if (printing) out.push("\n");
    }
    await out.flush();
    return status;
  },
});
