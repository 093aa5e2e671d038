// cut: BusyBox 1.35's algorithm, kept step for step because its corner cases
// are the specification (overlapping ranges, "N-M" with M < N, -D, a line
// without delimiters printed whole). Lines are read as xmalloc_fgetline()
// reads them: a NUL ends a line too. -F splits on an extended regex.
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { optionOrder } from "../lib/options.ts";
import { parseSuffixed32 } from "../lib/numbers.ts";
import { compileRegex } from "../lib/regex.ts";
import { binaryOf } from "../lib/text.ts";
import { eachInput, lineBatches, TextOut } from "../lib/textio.ts";

interface Range { start: number; end: number }

const INT_MAX = 2147483647;

defineApplet({
  name: "cut",
  usage: "[OPTIONS] [FILE]...",
  summary: "Print selected fields from FILEs to stdout",
  options: [
    "-b LIST  Output only bytes from LIST",
    "-c LIST  Output only characters from LIST",
    "-d SEP  Field delimiter for input (default -f TAB, -F run of whitespace)",
    "-O SEP  Field delimiter for output (default = -d for -f, one space for -F)",
    "-D  Don't sort/collate sections or match -fF lines without delimiter",
    "-f LIST  Print only these fields (-d is single char)",
    "-F LIST  Print only these fields (-d is regex)",
    "-s  Output only lines containing delimiter",
    "-n  Ignored",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const modes = (["b", "c", "f", "F"] as const).filter((k) => opts[k] !== undefined);
    // One list only: BusyBox refuses -b with -c, and also -c given twice.
    const lists = optionOrder(opts).filter((k) => k === "b" || k === "c" || k === "f" || k === "F");
    if (modes.length > 1 || lists.length > 1) throw new UsageError();
    if (modes.length === 0) throw new AppletError("expected a list of bytes, characters, or fields");
    const mode = modes[0];
    const regexMode = mode === "F";
    const fields = mode === "f" || regexMode;
    let delim: string = opts.d !== undefined ? binaryOf(opts.d) : "";
    if (!delim) delim = regexMode ? "[[:space:]]+" : "\t";
    const odelim: string = opts.O !== undefined ? binaryOf(opts.O) : regexMode ? " " : delim;
    if (!fields) {
      if (opts.s) throw new AppletError("suppressing non-delimited lines makes sense only when operating on fields");
      if (opts.d !== undefined) throw new AppletError("a delimiter may be specified only when operating on fields");
    }
    const ranges = parseList(opts[mode]);
    // qsort by start (ties in either order: equal starts give the same output).
    if (!opts.D) ranges.sort((a, b) => a.start - b.start);
    const cutter: Cutter = {
      ranges,
      delim,
      odelim,
      regex: regexMode ? compileRegex(delim, { extended: true, global: true }) : undefined,
      suppress: !!opts.s,
      noSort: !!opts.D,
      mode: !fields ? "chars" : !regexMode && delim[0] === "\n" ? "lines" : "fields",
    };
    const out = new TextOut(ctx.stdout);
    const status = await eachInput(ctx, files, (input) => cutFile(ctx, input, cutter, out));
    await out.flush();
    return status;
  },
});

function parseList(list: string): Range[] {
  const ranges: Range[] = [];
  const num = (s: string) => Number(parseSuffixed32(s, [], 0n, BigInt(INT_MAX)));
  for (const tok of list.split(",")) {
    if (!tok) continue;
    const dash = tok.indexOf("-");
    const ntok = dash < 0 ? tok : tok.slice(0, dash);
    const ltok = dash < 0 ? undefined : tok.slice(dash + 1);
    let s = 0;
    if (ntok) {
      s = num(ntok);
      if (s !== 0) s--;
    }
    let e: number;
    if (ltok === undefined) e = s;
    else if (!ltok) e = INT_MAX;
    else {
      e = num(ltok);
      if (e < s) throw new AppletError(`${e}<${s}`);
      e--;
    }
    ranges.push({ start: s, end: e });
  }
  if (ranges.length === 0) throw new AppletError("missing list of positions");
  return ranges;
}

interface Cutter {
  ranges: Range[];
  delim: string;
  odelim: string;
  regex?: RegExp;
  suppress: boolean;
  noSort: boolean;
  mode: "chars" | "lines" | "fields";
}

async function cutFile(ctx: Context, input: import("../lib/io.ts").Reader, c: Cutter, out: TextOut): Promise<void> {
  let linenum = 0;
  try {
    for await (const { lines } of lineBatches(input, "\n", true)) {
      for (const line of lines) {
        if (c.mode === "chars") cutChars(line, c, out);
        else if (c.mode === "fields") cutFields(line, c, out);
        else {
          if (lineWanted(linenum, c.ranges)) out.put(line + "\n");
        }
        linenum++;
      }
      await out.drain();
    }
  } catch {
    // A read error ends the file, as getline() failing does.
  }
  void ctx;
}

function cutChars(line: string, c: Cutter, out: TextOut): void {
  const len = line.length;
  const { ranges } = c;
  if (ranges.length === 1) {
    // One range: a slice (the common "cut -c 1-10").
    const r = ranges[0];
    if (r.start < len) out.put(line.slice(r.start, Math.max(r.start + 1, Math.min(len, r.end + 1))));
    out.put("\n");
    return;
  }
  const printed = new Uint8Array(len + 1);
  let s = "";
  for (const r of ranges) {
    for (let spos = r.start; spos < len; ) {
      if (!printed[spos]) {
        printed[spos] = 1;
        s += line[spos];
      }
      if (++spos > r.end) break;
    }
  }
  out.put(s + "\n");
}

function lineWanted(linenum: number, ranges: Range[]): boolean {
  let pos = 0;
  let spos = ranges[pos].start;
  if (linenum < spos) return false;
  while (spos < linenum) {
    spos++;
    if (spos > ranges[pos].end) {
      if (++pos >= ranges.length) return false;
      spos = ranges[pos].start;
      if (linenum < spos) return false;
    }
  }
  return true;
}

function cutFields(line: string, c: Cutter, out: TextOut): void {
  const { ranges, regex, noSort } = c;
  const delimCode = c.delim.charCodeAt(0);
  const linelen = line.length;
  let uu = 0, start = 0, end = 0, n = 0, dcount = 0, pos = 0;
  let s = "";
  for (;;) {
    if (end === linelen || dcount > ranges[pos].end) {
      if (++pos >= ranges.length) break;
      if (noSort) start = dcount = uu = 0;
      end = 0;
    }
    if (uu === linelen) {
      if (!pos && !dcount && !regex) {
        if (c.suppress) return;
      } else if (dcount < ranges[pos].start) start = linelen;
      end = linelen;
    } else {
      if (regex) {
        regex.lastIndex = uu;
        const m = regex.exec(line);
        if (!m) {
          uu = linelen;
          continue;
        }
        end = m.index;
        // An empty match would never move on: step over one byte.
        uu = m.index + m[0].length > uu ? m.index + m[0].length : uu + 1;
      } else {
        if (line.charCodeAt(uu) !== delimCode) {
          if (dcount <= ranges[pos].end) {
            // Nothing changes until the next delimiter: jump there.
            const next = line.indexOf(c.delim[0], uu + 1);
            uu = next < 0 ? linelen : next;
            end = uu - 1;
          } else {
            end = uu++;
          }
          continue;
        }
        end = uu++;
      }
      if (dcount++ < ranges[pos].start) {
        start = uu;
        continue;
      }
    }
    if (end !== start || !regex) s += (n++ ? c.odelim : "") + line.slice(start, end);
    start = uu;
    if (!dcount) break;
  }
  out.put(s + "\n");
}
