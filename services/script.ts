// Running an init script: pika sh, in-process, on the prelude + conf.d +
// the script + one command, with OpenRC's environment.
import * as fs from "node:fs";
import * as path from "node:path";
import { Parser, ShSyntaxError } from "../applets/sh/parser.ts";
import { loadApplet, runApplet, type Context } from "../lib/applet.ts";
import { MemoryReader, MemoryWriter } from "../lib/io.ts";
import { DEFAULT_PATH } from "../lib/exec.ts";
import { COLOURS, coloursFor } from "./einfo.ts";
import { INITD, NATIVE_DIR, SVCDIR } from "./paths.ts";
import { isNativeFile, loadNative, nativeFile, nativeScript, NATIVE_SUFFIX } from "./native.ts";
import { scriptProgram } from "./prelude.ts";
import { softlevel } from "./state.ts";

/** The name a script runs as: its file name (net.eth0 for a link net.eth0 -> net; NAME for NAME.yaml). */
export function serviceName(script: string): string {
  const base = path.basename(script);
  return isNativeFile(base) ? base.slice(0, -NATIVE_SUFFIX.length) : base;
}

/**
 * The file a service name runs: /etc/init.d/NAME, else the YAML service
 * /etc/pika/services/NAME.yaml (an init script of the same name wins).
 */
export function scriptOf(name: string): string {
  const script = path.join(INITD, name);
  if (fs.existsSync(script)) return script;
  const native = nativeFile(name);
  return fs.existsSync(native) ? native : script;
}

/** One of the services the manager knows by name (not a script run by hand from elsewhere)? */
export function isManaged(script: string): boolean {
  return path.dirname(script) === INITD || path.dirname(script) === NATIVE_DIR;
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
  // A YAML service runs as the init script it stands for.
  const native = isNativeFile(script) ? loadNative(script) : undefined;
  const bad = native && "error" in native ? native.error : native ? undefined : syntaxError(script);
  if (bad) {
    if (!collect) await ctx.stderr.write(bad.split("\n").map((l) => `openrc-run: ${l}\n`).join(""));
    return { status: 1, stdout: "", stderr: bad };
  }
  const sh = (await loadApplet("sh"))!;
  const body = native && !("error" in native) ? nativeScript(native) : undefined;
  const program = scriptProgram({ colour: !collect && coloursFor(ctx) === COLOURS, action, body });
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
