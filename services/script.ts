// Running an init script: pika sh, in-process, on the prelude + conf.d +
// the script + one command, with OpenRC's environment.
import * as fs from "node:fs";
import * as path from "node:path";
import { Parser, ShSyntaxError } from "../applets/sh/parser.ts";
import { loadApplet, runApplet, type Context } from "../lib/applet.ts";
import { MemoryReader, MemoryWriter } from "../lib/io.ts";
import { DEFAULT_PATH } from "../lib/exec.ts";
import { COLOURS, coloursFor } from "./einfo.ts";
import { SVCDIR } from "./paths.ts";
import { scriptProgram } from "./prelude.ts";
import { softlevel } from "./state.ts";

/** The name a script runs as: its file name (net.eth0 for a link net.eth0 -> net). */
export function serviceName(script: string): string {
  return path.basename(script);
}

export function serviceEnv(ctx: Context, script: string, cmd: string): Record<string, string> {
  const name = serviceName(script);
  return {
    ...ctx.env,
    PATH: ctx.env.PATH || DEFAULT_PATH,
    RC_SVCNAME: name,
    SVCNAME: name,
    RC_SERVICE: script,
    RC_RUNLEVEL: ctx.env.RC_RUNLEVEL || softlevel() || "none",
    RC_CMD: cmd,
    RC_SVCDIR: SVCDIR,
  };
}

export interface ScriptRun { status: number; stdout?: string; stderr?: string }

/**
 * Run `action` (a command, or "depend") of a script. `collect` captures
 * stdout and stderr instead of passing them through.
 */
export async function runScript(ctx: Context, script: string, action: string, collect = false): Promise<ScriptRun> {
  const bad = syntaxError(script);
  if (bad) {
    if (!collect) await ctx.stderr.write(`openrc-run: ${bad}\n`);
    return { status: 1, stdout: "", stderr: bad };
  }
  const sh = (await loadApplet("sh"))!;
  const program = scriptProgram({ colour: !collect && coloursFor(ctx) === COLOURS, action });
  const out = collect ? new MemoryWriter() : ctx.stdout;
  const err = collect ? new MemoryWriter() : ctx.stderr;
  const status = await runApplet(sh, {
    argv: ["openrc-run", "-c", program, script],
    env: serviceEnv(ctx, script, action),
    cwd: "/",
    stdin: collect ? new MemoryReader() : ctx.stdin,
    stdout: out,
    stderr: err,
  });
  if (!collect) return { status };
  return { status, stdout: (out as MemoryWriter).text(), stderr: (err as MemoryWriter).text() };
}

/** "FILE: line N: MESSAGE" when the script does not parse (the shell's own message would not name it). */
export function syntaxError(script: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(script, "latin1");
  } catch {
    return undefined;
  }
  try {
    const p = new Parser(text, 0, {}, 1);
    while (p.parseNext());
  } catch (e) {
    if (e instanceof ShSyntaxError) return `${script}: line ${e.line}: ${e.message}`;
    throw e;
  }
  return undefined;
}
