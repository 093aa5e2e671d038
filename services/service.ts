// What openrc-run does around an init script's functions: the state
// transitions (starting -> started, stopping -> stopped, failed), starting
// what a service needs first and stopping what needs it first, and the
// commands OpenRC implements itself (restart, zap, status, describe).
import type { Context } from "../lib/applet.ts";
import { eerror, einfo, ewarn } from "./einfo.ts";
import { loadGraph, type ServiceDeps } from "./deps.ts";
import { withServiceLock } from "./lock.ts";
import { pickProvider, plan, type Graph } from "./order.ts";
import { isManaged, runScript, scriptOf, serviceName } from "./script.ts";

export { scriptOf };
import { clearService, markFailed, markService, serviceState, servicesIn } from "./state.ts";

export interface RunOptions {
  /** Do not start needed services or stop dependents (openrc does the ordering itself). */
  noDeps?: boolean;
}

/** One command of a service, as `openrc-run SCRIPT CMD` runs it. Returns the exit status. */
export async function serviceCommand(ctx: Context, script: string, cmd: string, opts: RunOptions = {}): Promise<number> {
  const name = serviceName(script);
  switch (cmd) {
    case "start":
      return startService(ctx, script, opts);
    case "stop":
      return stopService(ctx, script, opts);
    case "restart": {
      const s = serviceState(name);
      if (s === "started" || s === "inactive") {
        const st = await stopService(ctx, script, opts);
        if (st !== 0) return st;
      }
      return startService(ctx, script, opts);
    }
    case "zap":
      await einfo(ctx, `Manually resetting ${name} to stopped state`);
      markService(name, "stopped");
      markFailed(name, false);
      clearService(name);
      return 0;
    default:
      return (await runScript(ctx, script, cmd)).status;
  }
}

export function startService(ctx: Context, script: string, opts: RunOptions = {}): Promise<number> {
  return withServiceLock(ctx, serviceName(script), () => startLocked(ctx, script, opts));
}

async function startLocked(ctx: Context, script: string, opts: RunOptions): Promise<number> {
  const name = serviceName(script);
  const state = serviceState(name);
  if (state === "started" || state === "starting") {
    await ewarn(ctx, `WARNING: ${name} has already been ${state === "started" ? "started" : "starting"}`);
    return 0;
  }
  if (!opts.noDeps && isManaged(script)) {
    const status = await startNeeded(ctx, name);
    if (status !== 0) return status;
  }
  markService(name, "starting", script);
  const r = await runScript(ctx, script, "start");
  // The script may have marked itself (inactive, or started by hand).
  const now = serviceState(name);
  if (r.status === 0) {
    if (now === "starting") markService(name, "started", script);
    markFailed(name, false);
    return 0;
  }
  markService(name, "stopped");
  markFailed(name, true, script);
  await eerror(ctx, `ERROR: ${name} failed to start`);
  return 1;
}

/** Start what `name` needs (and wants, and uses when in the same plan), in order. */
async function startNeeded(ctx: Context, name: string): Promise<number> {
  const graph = (await loadGraph(ctx)) as Graph;
  if (!graph.has(name)) return 0;
  const p = plan(graph, [name]);
  const needs = closureOfNeeds(graph, name);
  for (const [svc, dep] of p.missing) {
    if (needs.has(svc)) {
      await eerror(ctx, `ERROR: ${svc} needs service(s) ${dep}`);
      return 1;
    }
  }
  for (const dep of p.order) {
    if (dep === name) break;
    if (serviceState(dep) === "started") continue;
    const d = graph.get(dep) as ServiceDeps;
    const st = d.error ? (await eerror(ctx, `${dep}: ${d.error}`), 1) : await startService(ctx, scriptOf(dep), { noDeps: true });
    if (st !== 0 && needs.has(dep)) {
      await eerror(ctx, `ERROR: cannot start ${name} as ${dep} would not start`);
      return 1;
    }
  }
  return 0;
}

/** The services `name` needs, transitively (not use or want). */
function closureOfNeeds(graph: Graph, name: string): Set<string> {
  const seen = new Set<string>();
  const queue = [name];
  while (queue.length) {
    const s = queue.shift()!;
    for (const n of graph.get(s)?.need ?? []) {
      const p = pickProvider(graph, n, new Set(servicesIn("started")));
      if (p && !seen.has(p)) {
        seen.add(p);
        queue.push(p);
      }
    }
  }
  return seen;
}

export function stopService(ctx: Context, script: string, opts: RunOptions = {}): Promise<number> {
  return withServiceLock(ctx, serviceName(script), () => stopLocked(ctx, script, opts));
}

async function stopLocked(ctx: Context, script: string, opts: RunOptions): Promise<number> {
  const name = serviceName(script);
  const state = serviceState(name);
  if (state === "stopped" || state === "stopping") {
    await ewarn(ctx, `WARNING: ${name} is already ${state === "stopped" ? "stopped" : "stopping"}`);
    return 0;
  }
  if (!opts.noDeps && isManaged(script)) {
    // What needs this service goes first.
    const graph = (await loadGraph(ctx)) as Graph;
    const started = servicesIn("started").filter((s) => s !== name && graph.has(s));
    const dependents = started.filter((s) => closureOfNeeds(graph, s).has(name));
    const order = plan(graph, dependents).order.filter((s) => dependents.includes(s)).reverse();
    for (const d of order) {
      if (serviceState(d) !== "started") continue;
      const st = await stopService(ctx, scriptOf(d), { noDeps: true });
      if (st !== 0) {
        await eerror(ctx, `ERROR: cannot stop ${name} as ${d} is still up`);
        return 1;
      }
    }
  }
  markService(name, "stopping", script);
  const r = await runScript(ctx, script, "stop");
  if (r.status === 0) {
    markService(name, "stopped");
    clearService(name);
    return 0;
  }
  markService(name, state, script);
  await eerror(ctx, `ERROR: ${name} failed to stop`);
  return 1;
}

