// awk: pattern scanning and processing, POSIX awk with BusyBox's extensions
// (and/or/xor/lshift/rshift/compl, systime/strftime/mktime, gensub,
// IGNORECASE, -e). The interpreter lives in applets/awk/: lexer, parser,
// compiler to closures, runtime.
import * as fs from "node:fs";
import { defineApplet, operandPath, warn } from "../lib/applet.ts";
import { describeErrno, UsageError } from "../lib/errors.ts";
import { optionOrder } from "../lib/options.ts";
import { binaryOf, textOf } from "../lib/text.ts";
import { runAwk } from "./awk/interp.ts";

defineApplet({
  name: "awk",
  usage: "[OPTIONS] [AWK_PROGRAM] [FILE]...",
  summary: "Pattern scanning and processing language",
  options: [
    "-v VAR=VAL...  Set variable",
    "-F SEP  Use SEP as field separator",
    "-f FILE...  Read program from FILE",
    "-e AWK_PROGRAM...  Program text",
    "-W OPT...  Ignored",
  ],
  stopAtOperand: true,
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    if (optionOrder(opts).includes("W")) await warn(ctx, "warning: option -W is ignored");
    for (const a of opts.v as string[]) if (!/^[A-Za-z_][A-Za-z0-9_]*=/s.test(a)) throw new UsageError();
    const sources: { text: string; progname: string }[] = [];
    for (const f of opts.f as string[]) {
      let text: string;
      try {
        text = textOf(f === "-" ? await readStdin(ctx) : fs.readFileSync(operandPath(ctx, f)));
      } catch (err: any) {
        await warn(ctx, `can't open '${f}': ${describeErrno(err?.code)}`);
        return 1;
      }
      sources.push({ text, progname: f });
    }
    for (const e of opts.e as string[]) sources.push({ text: binaryOf(e), progname: "cmd. line" });
    if (sources.length === 0) {
      if (operands.length === 0) throw new UsageError();
      sources.push({ text: binaryOf(operands.shift()!), progname: "cmd. line" });
    }
    return runAwk(ctx, { sources, fs: opts.F, assigns: opts.v, operands });
  },
});

async function readStdin(ctx: Parameters<typeof runAwk>[0]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of ctx.stdin.chunks()) parts.push(c.slice());
  return Buffer.concat(parts);
}
