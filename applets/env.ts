// env: print the environment, or run a command in a modified one.
// printenv: print the environment, or the values of the variables named.
import { defineApplet } from "../lib/applet.ts";
import { runCommandOrExplain } from "../lib/exec.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

/** The environment as "NAME=VALUE" lines (bytes, as environ holds them). */
async function printEnvironment(ctx: { stdout: { write(b: Uint8Array): Promise<void> } }, env: Record<string, string>, end: string) {
  const text = Object.entries(env).map(([k, v]) => `${k}=${v}${end}`).join("");
  await ctx.stdout.write(bytesOf(binaryOf(text)));
}

defineApplet({
  name: "env",
  dir: "/usr/bin",
  usage: "[-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]",
  summary: "Print current environment or run PROG after setting up environment",
  options: ["-i  Start with empty environment", "-0  NUL terminated output", "-u NAME...  Remove variable from environment"],
  stopAtOperand: true,
  async run(ctx, opts, args) {
    // A lone "-" (first operand) is -i.
    if (args[0] === "-") {
      opts.i++;
      args = args.slice(1);
    }
    const env: Record<string, string> = opts.i ? {} : { ...ctx.env };
    for (const name of opts.u as string[]) delete env[name];
    let k = 0;
    for (; k < args.length && args[k].includes("="); k++) {
      const eq = args[k].indexOf("=");
      env[args[k].slice(0, eq)] = args[k].slice(eq + 1);
    }
    if (k < args.length) return runCommandOrExplain(ctx, args.slice(k), { env });
    await printEnvironment(ctx, env, opts["0"] ? "\0" : "\n");
    return 0;
  },
});

defineApplet({
  name: "printenv",
  usage: "[VARIABLE]...",
  summary: "Print environment VARIABLEs.\nIf no VARIABLE specified, print all.",
  rawArgs: true,
  async run(ctx, _opts, names) {
    if (names.length === 0) {
      await printEnvironment(ctx, ctx.env, "\n");
      return 0;
    }
    // Each value that is set, in order; any unset one makes the status 1.
    let status = 0;
    for (const n of names) {
      if (Object.prototype.hasOwnProperty.call(ctx.env, n)) await ctx.stdout.write(bytesOf(binaryOf(ctx.env[n] + "\n")));
      else status = 1;
    }
    return status;
  },
});
