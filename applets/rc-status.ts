// rc-status [-a|-l|-r|-s] [RUNLEVEL]: the services of a runlevel and their state.
import { byLongName } from "../services/opts.ts";
import { defineApplet, type Context } from "../lib/applet.ts";
import { terminalSize } from "../lib/term.ts";
import { allServices, loadGraph } from "../services/deps.ts";
import { coloursFor } from "../services/einfo.ts";
import { closure, type Graph } from "../services/order.ts";
import { crashed } from "../services/helpers.ts";
import { DEFAULT } from "../services/paths.ts";
import { levelsKept, runlevels, servicesInRunlevel } from "../services/runlevel.ts";
import { isFailed, serviceState, servicesIn, softlevel } from "../services/state.ts";

function stateWord(svc: string): string {
  const s = serviceState(svc);
  if (s === "started" && crashed(svc)) return "crashed";
  if (s === "stopped" && isFailed(svc)) return "failed";
  return s;
}

async function line(ctx: Context, svc: string): Promise<void> {
  const c = coloursFor(ctx);
  const word = stateWord(svc);
  const colour = word === "started" ? c.good : word === "stopped" ? c.bad : word === "crashed" || word === "failed" ? c.bad : c.warn;
  const cols = ctx.stdout.isTTY ? terminalSize(ctx.stdout.fd, ctx.env).cols : 80;
  const status = `[  ${word}  ]`;
  // The bracket ends in the last column, as OpenRC's does (80 off a terminal).
  await ctx.stdout.write(` ${svc.padEnd(Math.max(cols - 1 - status.length, svc.length + 1))}${c.bracket}[${c.normal}  ${colour}${word}${c.normal}  ${c.bracket}]${c.normal}\n`);
}

const OPTS = [
    "-a, --all  Every runlevel",
    "-l, --list  List the runlevels",
    "-r, --runlevel  Print the current runlevel",
    "-s, --servicelist  Every service and its state",
    "-m, --manual  Services started by hand only",
    "-c, --crashed  Crashed services only",
];

defineApplet({
  name: "rc-status",
  usage: "[-a] [-l] [-r] [-s] [RUNLEVEL]",
  summary: "Show the services of RUNLEVEL (default: the current one) and their state",
  options: OPTS,
  dir: "/bin",
  async run(ctx, parsed, args) {
    const opts = byLongName(OPTS, parsed);
    const current = softlevel() ?? "none";
    if (opts.runlevel) {
      await ctx.stdout.write(current + "\n");
      return 0;
    }
    if (opts.list) {
      for (const l of runlevels()) await ctx.stdout.write(l + "\n");
      return 0;
    }
    if (opts.servicelist) {
      for (const s of allServices()) await line(ctx, s);
      return 0;
    }
    if (opts.crashed) {
      for (const s of servicesIn("started").filter(crashed)) await ctx.stdout.write(s + "\n");
      return 0;
    }
    const levels = opts.all ? runlevels() : [args[0] ?? (current === "none" ? DEFAULT : current)];
    const inLevels = new Set(levelsKept(current).flatMap(servicesInRunlevel));
    const up = [...new Set([...servicesIn("started"), ...servicesIn("starting"), ...servicesIn("inactive")])];
    if (!opts.manual) {
      for (const l of levels) {
        await ctx.stdout.write(`Runlevel: ${l}\n`);
        for (const s of servicesInRunlevel(l)) await line(ctx, s);
      }
    }
    // As OpenRC's: a runlevel named (without -a) is shown alone, without the dynamic ones.
    if (args[0] !== undefined && !opts.all && !opts.manual) return 0;
    const graph = (await loadGraph(ctx)) as Graph;
    const needed = closure(graph, [...inLevels]);
    const dynNeeded = up.filter((s) => !inLevels.has(s) && needed.has(s));
    const manual = up.filter((s) => !inLevels.has(s) && !needed.has(s));
    if (!opts.manual) {
      await ctx.stdout.write("Dynamic Runlevel: hotplugged\n");
      await ctx.stdout.write("Dynamic Runlevel: needed/wanted\n");
      for (const s of dynNeeded) await line(ctx, s);
      await ctx.stdout.write("Dynamic Runlevel: manual\n");
    }
    for (const s of manual) await line(ctx, s);
    return 0;
  },
});
