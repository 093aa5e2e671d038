// Running a parsed awk program: BEGIN, the records of the input files,
// END, and BusyBox's error reports ("awk: cmd. line:3: Division by zero").
import type { Context } from "../../lib/applet.ts";
import { Compiler, EXIT, FlowSignal, NEXTFILE, type Code } from "./compile.ts";
import { AwkError, AwkFatal } from "./errors.ts";
import { AGAIN, ReaderSource } from "./io.ts";
import { unescape } from "./lexer.ts";
import { Parser } from "./parser.ts";
import { binary, Runtime } from "./runtime.ts";
import { UStr } from "./values.ts";

export interface AwkInvocation {
  /** Program texts (latin1) with the name errors give them ("cmd. line" or the -f file). */
  sources: { text: string; progname: string }[];
  /** -F */
  fs?: string;
  /** -v VAR=VAL, in order. */
  assigns: string[];
  /** ARGV[1..] */
  operands: string[];
}

/** Run an awk program; returns the exit status. Errors are reported on ctx.stderr. */
export async function runAwk(ctx: Context, inv: AwkInvocation): Promise<number> {
  const rt = new Runtime(ctx);
  try {
    return await run(rt, inv);
  } catch (err) {
    try {
      rt.closeAll();
    } catch {
      // Reporting the first error matters more.
    }
    if (err instanceof AwkError) {
      const where = `${err.progname ?? rt.progname}:${err.line ?? rt.line}`;
      await ctx.stderr.write(`awk: ${where}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof AwkFatal) {
      await ctx.stderr.write(`awk: ${err.message}\n`);
      return err.status;
    }
    // Only a stack overflow means the awk program recursed too deep; any other RangeError is a bug to show.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      await ctx.stderr.write(`awk: ${rt.progname}:${rt.line}: Recursion too deep\n`);
      return 1;
    }
    throw err;
  }
}

async function run(rt: Runtime, inv: AwkInvocation): Promise<number> {
  const S = rt.S;
  if (inv.fs !== undefined) rt.setGlobal(S.FS, unescape(binary(inv.fs)));
  for (const a of inv.assigns) rt.assignOperand(a);

  const prog = Parser.newProgram();
  let lastLine = 1;
  for (const src of inv.sources) {
    rt.progname = src.progname;
    const p = new Parser(src.text, src.progname, prog);
    try {
      p.parse();
    } catch (err) {
      if (err instanceof AwkError) err.progname ??= src.progname;
      throw err;
    }
    lastLine = p.lastLine();
  }
  rt.line = lastLine;

  const argv = rt.array(S.ARGV);
  argv.set("0", new UStr("awk"));
  inv.operands.forEach((op, i) => argv.set(String(i + 1), new UStr(binary(op))));
  rt.G[S.ARGC] = inv.operands.length + 1;

  const code = new Compiler(rt, prog).compile();
  if (prog.usesGetline && rt.stdinReader instanceof ReaderSource) await rt.stdinReader.slurp();

  const exited = runBlock(code.begin) === EXIT;
  if (!exited && (code.main || prog.end.length)) {
    rt.G[S.FNR] = 0;
    const main = code.main;
    for (;;) {
      const r = rt.nextMainRecord(false);
      if (r === AGAIN) {
        await rt.fillMain();
        continue;
      }
      if (r === null) break;
      rt.countRecord();
      rt.setRecord(r);
      if (main) {
        const c = runBlock(main);
        if (c === EXIT) break;
        if (c === NEXTFILE) rt.nextFile();
      }
      if (rt.stdout.pending.length) await rt.stdout.settle();
    }
  }
  runBlock(code.end);
  rt.closeAll();
  await rt.stdout.settle();
  await rt.stderr.settle();
  return rt.exitCode;
}

function runBlock(code: Code): number {
  try {
    return code();
  } catch (err) {
    if (err instanceof FlowSignal) return err.code;
    throw err;
  }
}
