// seq: numbers from FIRST to LAST by INC as BusyBox prints them: "%0*.*f"
// with as many decimals as FIRST and INC have (LAST's never count), and with
// -w zero-padded to the widest operand. -s SEP goes between numbers; -f FMT
// (as GNU seq) formats each with one %e, %f or %g directive. Each value is
// FIRST + n*INC, so errors do not add up. Negative operands are numbers,
// not options (BusyBox 1.35 rejects "seq -1 1").
import { defineApplet, usageText, type Applet } from "../lib/applet.ts";
import { formatFloat, parseCSpec, type CSpec } from "../lib/cformat.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { strtod } from "../lib/numbers.ts";
import { parseOptions } from "../lib/options.ts";
import { binaryOf } from "../lib/text.ts";
import { OutBuf } from "../lib/bufio.ts";

const seq: Applet = defineApplet({
  name: "seq",
  usage: "[-w] [-s SEP] [FIRST [INC]] LAST",
  summary: "Print numbers from FIRST to LAST, in steps of INC.\nFIRST, INC default to 1.",
  options: ["-w  Pad to last with leading zeros", "-s SEP  String separator", "-f FMT  Format each number with FMT (%e, %f or %g)"],
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, rawArgs) {
    if (rawArgs[0] === "--help") {
      await ctx.stdout.write(usageText(seq));
      return 0;
    }
    // A negative number ends the options: "seq -s : -1 1".
    let cut = rawArgs.findIndex((a) => /^-[.\d]/.test(a));
    if (cut < 0) cut = rawArgs.length;
    const { opts, operands: before } = parseOptions({ ...seq.spec, stopAtOperand: true }, rawArgs.slice(0, cut));
    const operands = [...before, ...rawArgs.slice(cut)];
    if (operands.length < 1 || operands.length > 3) throw new UsageError();
    const nums = operands.map((a) => {
      const r = strtod(a);
      if (r.end !== a.length) throw new UsageError();
      return r.value;
    });
    const last = nums[nums.length - 1];
    const first = nums.length > 1 ? nums[0] : 1;
    const inc = nums.length > 2 ? nums[1] : 1;
    // Width: the longest integer part of any operand; decimals: FIRST's and INC's.
    let width = 0;
    let frac = 0;
    operands.forEach((a, i) => {
      const dot = a.indexOf(".");
      width = Math.max(width, dot < 0 ? a.length : dot);
      if (i < operands.length - 1 && dot >= 0) frac = Math.max(frac, a.length - dot - 1);
    });
    if (opts.w) width += frac ? frac + 1 : 0;
    else width = 0;
    let spec: CSpec;
    let prefix = "";
    let suffix = "";
    if (opts.f !== undefined) [prefix, spec, suffix] = userFormat(binaryOf(opts.f));
    else spec = { ...parseCSpec("", "f"), flags: width ? "0" : "", width: width || undefined, precision: frac };
    const sep = opts.s !== undefined ? binaryOf(opts.s) : "\n";
    const out = new OutBuf(ctx.stdout);
    let n = 0;
    for (let v = first; inc >= 0 ? v <= last : v >= last; v = first + n * inc) {
      out.push((n ? sep : "") + prefix + formatFloat(spec, v) + suffix);
      n++;
      if (out.full) await out.maybeFlush();
      if (ctx.signal?.aborted) break;
    }
    if (n) out.push("\n");
    await out.flush();
    return 0;
  },
});

/** -f FMT: text, exactly one floating-point directive, text ("%%" is a percent sign). */
function userFormat(f: string): [string, CSpec, string] {
  const bad = () => new AppletError(`invalid format string: '${f}'`);
  const re = /%%|%([-+ #0']*)(\d*)(?:\.(\d*))?([eEfFgGaA])?/g;
  let found: [number, number, CSpec] | undefined;
  for (let m; (m = re.exec(f)); ) {
    if (m[0] === "%%") continue;
    if (found || !m[4] || "aA".includes(m[4])) throw bad();
    const spec = parseCSpec(`${m[1].replace(/'/g, "")}${m[2]}${m[3] !== undefined ? "." + m[3] : ""}`, m[4]);
    found = [m.index, m.index + m[0].length, spec];
  }
  if (!found) throw bad();
  const unpct = (s: string) => s.replace(/%%/g, "%");
  return [unpct(f.slice(0, found[0])), found[2], unpct(f.slice(found[1]))];
}


