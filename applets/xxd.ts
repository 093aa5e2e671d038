// xxd: BusyBox's, built on the dump engine (lib/dump.ts) like its hexdump:
// "address: " then the bytes in groups of -g, then the printable column;
// -p plain hex, -i a C array, -r back from hex to bytes. Lines never fold.
import { defineApplet, type Context } from "../lib/applet.ts";
import { Dumper } from "../lib/dump.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openInput } from "../lib/fsutil.ts";
import type { Reader } from "../lib/io.ts";
import { parsePositiveInt, parseSuffixedAnyBase } from "../lib/numbers.ts";
import { readLines } from "../lib/text.ts";
import { OutBuf } from "../lib/bufio.ts";

defineApplet({
  name: "xxd",
  usage: "[-pri] [-g N] [-c N] [-n LEN] [-s OFS] [-o OFS] [FILE]",
  summary: "Hex dump FILE (or stdin)",
  options: [
    "-g N  Bytes per group",
    "-c N  Bytes per line",
    "-p  Show only hex bytes, assumes -c30",
    "-i  C include file style",
    "-l LENGTH  Show only first LENGTH bytes",
    "-s OFFSET  Skip OFFSET bytes",
    "-o OFFSET  Add OFFSET to displayed offset",
    "-r  Reverse (with -p, assumes no offsets in input)",
    "-a",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    if (files.length > 1) throw new UsageError();
    let bytes = opts.g !== undefined ? parsePositiveInt(opts.g) : 2;
    let cols = opts.c !== undefined ? parsePositiveInt(opts.c) : 0;
    const d = new Dumper(ctx);
    d.vflag = "all";
    if (opts.l !== undefined) d.length = Number(parseSuffixedAnyBase(opts.l, [], 0n, 2147483647n));
    if (opts.s !== undefined) d.skip = Number(parseSuffixedAnyBase(opts.s, [], 0n, 9223372036854775807n));
    if (opts.r) return reverse(ctx, files[0] ?? "-", !!opts.p);

    if (opts.p) {
      if (cols === 0) cols = 30;
      bytes = cols; // -p has no groups
    } else {
      if (cols === 0) cols = opts.i ? 12 : 16;
      if (opts.i) {
        bytes = 1;
        d.add('" "');
      } else d.add('"%08.8_ax: "');
    }
    if (bytes < 1 || bytes >= cols) d.add(`${cols}/1 "%02x"`);
    else if (bytes === 1) d.add(opts.i ? `${cols}/1 " 0x%02x,"` : `${cols}/1 "%02x "`);
    else {
      // Groups of -g bytes, one blank between groups.
      let f = "";
      for (let i = 1; i <= cols; i++) {
        f += '1/1 "%02x"';
        if (i % bytes === 0 && i < cols) f += '" "';
      }
      d.add(f);
    }
    if (opts.p || opts.i) {
      d.add('"\n"');
      // The last line stops where the data does, without padding.
      d.eofString = "\n";
    } else d.add(`"  " ${cols}/1 "%_p" "\n"`);
    if (opts.o !== undefined) d.displayOffset = parseSigned(opts.o);

    // -i names the array after the file (stdin gets none).
    const name = opts.i && files.length ? cName(files[0]) : undefined;
    if (name !== undefined) await ctx.stdout.write(Buffer.from(`unsigned char ${name}[] = {\n`, "latin1"));
    const status = await d.dump(files);
    if (name !== undefined) await ctx.stdout.write(Buffer.from(`};\nunsigned int ${name}_len = ${d.endAddress};\n`, "latin1"));
    return status;
  },
});

/** A file name as a C identifier: other characters become "_", a leading digit gets "__". */
function cName(file: string): string {
  const n = file.replace(/[^A-Za-z0-9]/g, "_");
  return /^[0-9]/.test(n) ? "__" + n : n;
}

/** xstrtoll(s, 0): a signed number in C's base-0 notation. */
function parseSigned(s: string): number {
  const neg = s.startsWith("-");
  const body = s.replace(/^[-+]/, "");
  try {
    const v = Number(parseSuffixedAnyBase(body));
    return neg ? -v : v;
  } catch {
    throw new AppletError(`invalid number '${s}'`);
  }
}

/**
 * -r: hex digit pairs back into bytes. Blanks may sit between the two digits
 * of a byte, any other character drops a half-read byte; without -p each line
 * starts with an address (skipped, not used) and a colon.
 */
async function reverse(ctx: Context, file: string, plain: boolean): Promise<number> {
  let input: Reader;
  try {
    input = openInput(ctx, file);
  } catch (err) {
    throw new AppletError(`can't open '${file}': ${errorMessage(err)}`);
  }
  const out = new OutBuf(ctx.stdout);
  let half = -1;
  const hex = (c: number) => (c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1);
  for await (const line of readLines(input)) {
    let i = 0;
    if (!plain && half < 0) {
      while (i < line.length && hex(line.charCodeAt(i)) >= 0) i++;
      if (line[i] === ":") i++;
    }
    let bytes = "";
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      const v = hex(c);
      if (v >= 0) {
        if (half < 0) half = v;
        else {
          bytes += String.fromCharCode(half * 16 + v);
          half = -1;
        }
      } else if (c !== 32 && (c < 9 || c > 13)) half = -1;
    }
    out.push(bytes);
    await out.maybeFlush();
  }
  await out.flush();
  return 0;
}
