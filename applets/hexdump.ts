// hexdump: BusyBox's, a front end to the format-string dump engine
// (lib/dump.ts). -b -c -d -o -x and -C add canned formats, -e and -f add the
// user's, in command-line order; with none, two-byte hex words.
import * as fs from "node:fs";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { Dumper } from "../lib/dump.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { BKM_SUFFIXES, parsePositiveInt, parseSuffixedAnyBase } from "../lib/numbers.ts";
import { optionOrder } from "../lib/options.ts";

const ADD_FIRST = '"%07.7_Ax\n"';
const CANNED: Record<string, string> = {
  b: '"%07.7_ax " 16/1 "%03o " "\n"',
  c: '"%07.7_ax " 16/1 "%3_c " "\n"',
  d: '"%07.7_ax " 8/2 "  %05u " "\n"',
  o: '"%07.7_ax " 8/2 " %06o " "\n"',
  x: '"%07.7_ax " 8/2 "   %04x " "\n"',
};
const CANONICAL = ['"%08.8_Ax\n"', '"%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "', '"  |" 16/1 "%_p" "|\n"'];

defineApplet({
  name: "hexdump",
  usage: "[-bcdoxCv] [-e FMT] [-f FMT_FILE] [-n LEN] [-s OFS] [FILE]...",
  summary: "Display FILEs (or stdin) in a user specified format",
  options: [
    "-b  1-byte octal display",
    "-c  1-byte character display",
    "-d  2-byte decimal display",
    "-o  2-byte octal display",
    "-x  2-byte hex display",
    "-C  hex+ASCII 16 bytes per line",
    "-v  Show all (no dup folding)",
    "-e FORMAT_STR...  Example: '16/1 \"%02x|\"\"\\n\"'",
    "-f FORMAT_FILE...",
    "-n LENGTH  Show only first LENGTH bytes",
    "-s OFFSET  Skip OFFSET bytes",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const d = new Dumper(ctx);
    let added = false;
    const seen: Record<string, number> = { e: 0, f: 0 };
    // Formats stack up in the order the options were given.
    for (const key of optionOrder(opts)) {
      if (key in CANNED) {
        d.add(ADD_FIRST);
        d.add(CANNED[key]);
        added = true;
      } else if (key === "C") {
        for (const f of CANONICAL) d.add(f);
        added = true;
      } else if (key === "e") {
        d.add(opts.e[seen.e++]);
        added = true;
      } else if (key === "f") {
        added = addFile(ctx, d, opts.f[seen.f++]) || added;
      } else if (key === "v") d.vflag = "all";
    }
    if (opts.n !== undefined) d.length = parsePositiveInt(opts.n);
    if (opts.s !== undefined) d.skip = Number(parseSuffixedAnyBase(opts.s, BKM_SUFFIXES, 0n, 9223372036854775807n));
    if (!added) {
      d.add(ADD_FIRST);
      d.add('"%07.7_ax " 8/2 "%04x " "\n"');
    }
    return d.dump(files);
  },
});

/** -f FILE: each line not blank or a #comment is a format string. */
function addFile(ctx: Parameters<typeof resolvePath>[0], d: Dumper, name: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(resolvePath(ctx, name), "latin1");
  } catch (err) {
    throw new AppletError(`can't open '${name}': ${errorMessage(err)}`);
  }
  let any = false;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const p = line.replace(/^[ \t\n\v\f\r]+/, "");
    if (p && p[0] !== "#") {
      d.add(p);
      any = true;
    }
  }
  return any;
}
