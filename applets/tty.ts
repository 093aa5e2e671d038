// tty: print the name of the terminal on stdin, or "not a tty" (status 1).
import * as fs from "node:fs";
import { defineApplet, warn } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";

defineApplet({
  name: "tty",
  dir: "/usr/bin",
  usage: "[-s]",
  summary: "Print file name of stdin's terminal",
  options: ["-s  Print nothing, only return exit status"],
  rawArgs: true, // parsed here: a bad option is status 2, as BusyBox's tty says
  async run(ctx, _opts, args) {
    let silent = false;
    let i = 0;
    for (; i < args.length && args[i].startsWith("-") && args[i] !== "-"; i++) {
      if (args[i] === "--") { i++; break; }
      for (const c of args[i].slice(1)) {
        if (c === "s") silent = true;
        else throw new UsageError(`invalid option -- '${c}'`, 2);
      }
    }
    if (i < args.length) await warn(ctx, "ignoring all arguments");
    let name: string | undefined;
    if (ctx.stdin.isTTY && ctx.stdin.fd !== undefined) {
      try {
        name = fs.readlinkSync(`/proc/self/fd/${ctx.stdin.fd}`);
      } catch {}
    }
    if (!silent) await ctx.stdout.write(`${name ?? "not a tty"}\n`);
    return name ? 0 : 1;
  },
});
