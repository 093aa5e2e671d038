// The entry point of the pika executable: pick the applet from argv[0] (a
// link's name) or from "pika APPLET ...", run it, and exit with its status.
import * as path from "node:path";
import "../applets/index.ts";
import { loadApplet, runApplet, type Context } from "./applet.ts";
import { FdReader, FdWriter } from "./io.ts";
import { multicall } from "./multicall.ts";
import { exitNow } from "./syscalls.ts";
import { terminalModesKept } from "./term.ts";

function processContext(argv: string[]): Context {
  return {
    argv,
    env: initialEnv(),
    cwd: safeCwd(),
    stdin: new FdReader(0),
    stdout: new FdWriter(1),
    stderr: new FdWriter(2),
  };
}

/**
 * The environment in environ's order (env and printenv print it so): Bun's
 * process.env moves some variables (TZ) to the end. /proc/self/environ holds
 * the order we were started with.
 */
function initialEnv(): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  try {
    const ordered: Record<string, string> = {};
    for (const entry of require("node:fs").readFileSync("/proc/self/environ", "utf8").split("\0")) {
      const eq = entry.indexOf("=");
      const name = eq < 0 ? "" : entry.slice(0, eq);
      if (eq >= 0 && name in env && !(name in ordered)) ordered[name] = env[name];
    }
    return { ...ordered, ...env };
  } catch {
    return env;
  }
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return "/";
  }
}

async function main(): Promise<number> {
  // process.argv0 is the name we were started by; process.argv[0] is always "bun".
  const name = path.basename(process.argv0 || "pika");
  // "-sh" is a login shell (login, su -, init's "-/bin/sh"): the applet is sh,
  // and it still sees the "-" to know it is a login shell.
  const invokedAs = name.startsWith("-") ? name.slice(1) : name;
  const rest = process.argv.slice(2);
  const applet = await loadApplet(invokedAs);
  if (applet) return runApplet(applet, processContext([name, ...rest]));
  const ctx = processContext(["pika", ...rest]);
  const status = await multicall(ctx);
  await ctx.stdout.flush().catch(() => {});
  await ctx.stderr.flush().catch(() => {});
  return status;
}

main().then(
  (status) => (terminalModesKept() ? exitNow(status) : process.exit(status)),
  (err) => {
    console.error(`pika: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
