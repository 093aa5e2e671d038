// What an applet is, the context it runs in, and how one is run: --help,
// option parsing, and errors printed BusyBox-style as "applet: message".
import * as path from "node:path";
import { AppletError, UsageError, errorMessage, errnoCode } from "./errors.ts";
import { compileOptions, optionHelp, parseOptions, type OptionSpec, type Options } from "./options.ts";
import type { Reader, Writer } from "./io.ts";

export const PIKA_VERSION = "0.1.0";

/** Everything an applet may know about its world. Never process.* directly. */
export interface Context {
  /** argv[0] is the applet name as invoked. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: Reader;
  stdout: Writer;
  stderr: Writer;
  /**
   * Aborted when whoever runs the applet in-process wants it to stop (the
   * shell's Ctrl-C): applets that can run forever (tail -f) watch it.
   */
  signal?: AbortSignal;
}

export interface AppletDef {
  name: string;
  /** Usage line after the name, e.g. "[-p] [-m MODE] DIRECTORY...". */
  usage: string;
  /** One-line description. */
  summary: string;
  /** Declarative options (see lib/options.ts). */
  options?: string[];
  /** Options end at the first operand (env, nice, timeout, xargs). */
  stopAtOperand?: boolean;
  /** Short option that -NUM stands for. */
  numeric?: string;
  /** Hand argv to run() unparsed (echo, test, true). */
  rawArgs?: boolean;
  /** Minimum number of operands; fewer prints usage. */
  minOperands?: number;
  /** Directory its link goes in (/bin, /sbin, /usr/bin, /usr/sbin); default /bin. */
  dir?: string;
  run(ctx: Context, opts: Options, operands: string[]): Promise<number> | number;
}

export interface Applet extends AppletDef {
  spec: OptionSpec;
}

const registry = new Map<string, Applet>();
/** How to load each applet's module: nothing is evaluated until it is run. */
const loaders = new Map<string, () => Promise<unknown>>();

/**
 * Name the applets a module defines and how to import it (applets/index.ts).
 * Start-up then costs the same with 20 applets compiled in or 200.
 */
export function lazyApplet(names: string | string[], load: () => Promise<unknown>): void {
  for (const n of typeof names === "string" ? [names] : names) loaders.set(n, load);
}

/** The applet called `name`, importing its module on first use. */
export async function loadApplet(name: string): Promise<Applet | undefined> {
  if (!registry.has(name)) await loaders.get(name)?.();
  return registry.get(name);
}

export async function loadAllApplets(): Promise<Applet[]> {
  await Promise.all([...new Set(loaders.values())].map((load) => load()));
  return appletNames().map((n) => registry.get(n)!);
}

/** Declare an applet; every file in applets/ calls this once at import. */
export function defineApplet(def: AppletDef): Applet {
  if (registry.has(def.name)) throw new Error(`applet '${def.name}' defined twice`);
  const applet: Applet = { ...def, spec: compileOptions(def.options, def) };
  registry.set(def.name, applet);
  return applet;
}

/** An applet already loaded (or defined directly, as tests do). */
export function findApplet(name: string): Applet | undefined {
  return registry.get(name);
}

/** Every applet name, loaded or not. */
export function appletNames(): string[] {
  return [...new Set([...loaders.keys(), ...registry.keys()])].sort();
}

export function usageText(applet: Applet): string {
  const table = optionHelp(applet.spec);
  return (
    `Pika v${PIKA_VERSION} multi-call binary.\n\n` +
    `Usage: ${applet.name}${applet.usage ? " " + applet.usage : ""}\n\n` +
    `${applet.summary}\n` +
    (table ? `\n${table}\n` : "")
  );
}

/** Print "name: message" on the context's stderr. */
export async function warn(ctx: Context, message: string): Promise<void> {
  await ctx.stderr.write(`${appletName(ctx)}: ${message}\n`);
}

export function appletName(ctx: Context): string {
  return path.basename(ctx.argv[0] ?? "pika");
}

/** A path relative to the applet's cwd, never the process's. */
export function resolvePath(ctx: Context, p: string): string {
  return path.resolve(ctx.cwd, p);
}

/**
 * A file operand's path: resolvePath, except that "" stays "", so that opening
 * it fails with ENOENT as open("") does instead of opening the cwd.
 */
export function operandPath(ctx: Context, p: string): string {
  return p === "" ? "" : resolvePath(ctx, p);
}

/** Run an applet in a context, returning its exit status. Never throws. */
export async function runApplet(applet: Applet, ctx: Context): Promise<number> {
  let status: number;
  try {
    const args = ctx.argv.slice(1);
    if (args[0] === "--help" && !applet.rawArgs) {
      await ctx.stdout.write(usageText(applet));
      status = 0;
    } else if (applet.rawArgs) {
      status = await applet.run(ctx, {}, args);
    } else {
      const { opts, operands } = parseOptions(applet.spec, args);
      if (operands.length < (applet.minOperands ?? 0)) throw new UsageError();
      status = await applet.run(ctx, opts, operands);
    }
  } catch (err) {
    status = await reportError(applet, ctx, err);
  }
  try {
    await ctx.stdout.flush();
  } catch (err) {
    if (errnoCode(err) !== "EPIPE") status = await reportError(applet, ctx, err);
  }
  await ctx.stderr.flush().catch(() => {});
  return status;
}

async function reportError(applet: Applet, ctx: Context, err: unknown): Promise<number> {
  // A reader that went away is not an error worth a message (BusyBox dies of SIGPIPE).
  if (errnoCode(err) === "EPIPE") return 1;
  const name = appletName(ctx);
  try {
    if (err instanceof UsageError) {
      if (err.message) await ctx.stderr.write(`${name}: ${err.message}\n`);
      await ctx.stderr.write(usageText(applet));
      return err.status;
    }
    await ctx.stderr.write(`${name}: ${errorMessage(err)}\n`);
    if (!(err instanceof AppletError) && !errnoCode(err) && ctx.env.PIKA_DEBUG) {
      await ctx.stderr.write(String((err as Error)?.stack ?? err) + "\n");
    }
  } catch {
    // stderr itself is gone: nothing more to say.
  }
  return err instanceof AppletError ? err.status : 1;
}
