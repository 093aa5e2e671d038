// openrc RUNLEVEL: start what the runlevel wants (its services, plus
// sysinit's and boot's for the ordinary levels, plus what they need) in
// dependency order, and stop, in reverse order, what is running but not wanted.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Context } from "../lib/applet.ts";
import { eerror, ewarn } from "./einfo.ts";
import { loadGraph, type ServiceDeps } from "./deps.ts";
import { edges, plan, providers, type Graph } from "./order.ts";
import { BOOT, RC_CONF, RUNLEVELS, SHUTDOWN, SYSINIT } from "./paths.ts";
import { declaredRunlevels, isNativeFile, nativeFile, nativeServices } from "./native.ts";
import { scriptOf, startService, stopService } from "./service.ts";
import { isFailed, markFailed, serviceState, servicesIn, setSoftlevel } from "./state.ts";

export function runlevels(): string[] {
  try {
    return fs.readdirSync(RUNLEVELS).filter((n) => fs.statSync(path.join(RUNLEVELS, n)).isDirectory()).sort();
  } catch {
    return [];
  }
}

/** The services linked into a runlevel's directory. */
export function linkedInRunlevel(level: string): string[] {
  try {
    return fs.readdirSync(path.join(RUNLEVELS, level)).filter((n) => !n.startsWith(".")).sort();
  } catch {
    return [];
  }
}

/** YAML services that list a runlevel in their `runlevels` (and are not shadowed by an init script). */
export function declaredInRunlevel(level: string): string[] {
  return nativeServices().filter((n) => isNativeFile(scriptOf(n)) && declaredRunlevels(nativeFile(n)).includes(level));
}

/** A runlevel's services: its links, and the YAML services that declare it. */
export function servicesInRunlevel(level: string): string[] {
  return [...new Set([...linkedInRunlevel(level), ...declaredInRunlevel(level)])].sort();
}

/** The runlevels whose services stay up in `level`. */
export function levelsKept(level: string): string[] {
  if (level === SYSINIT || level === SHUTDOWN) return [level];
  if (level === BOOT) return [SYSINIT, BOOT];
  return [SYSINIT, BOOT, level];
}

export async function reportPlanProblems(ctx: Context, p: ReturnType<typeof plan>): Promise<void> {
  for (const c of p.cycles) {
    await eerror(ctx, `ERROR: dependency cycle: ${[...c, c[0]].join(" -> ")}`);
    await ewarn(ctx, `WARNING: breaking the link ${c[c.length - 1]} -> ${c[0]}: ${c[0]} may start before ${c[c.length - 1]}`);
  }
  for (const [svc, dep] of p.missing) await eerror(ctx, `ERROR: ${svc} needs service(s) ${dep}`);
}

export async function switchRunlevel(ctx: Context, level: string): Promise<number> {
  if (!fs.existsSync(path.join(RUNLEVELS, level)) && level !== SHUTDOWN && level !== SYSINIT) {
    await eerror(ctx, `ERROR: runlevel ${level} does not exist`);
    return 1;
  }
  setSoftlevel(level);
  const deps = await loadGraph(ctx);
  const graph = deps as Graph;
  const targets = [...new Set(levelsKept(level).flatMap(servicesInRunlevel))].filter((s) => graph.has(s));
  const p = plan(graph, targets);
  await reportPlanProblems(ctx, p);
  const wanted = new Set(p.order);

  let status = 0;
  const up = [...new Set([...servicesIn("started"), ...servicesIn("inactive")])].filter((s) => !wanted.has(s) && graph.has(s));
  const stopOrder = plan(graph, up).order.filter((s) => up.includes(s)).reverse();
  for (const s of stopOrder) {
    if (serviceState(s) === "stopped") continue;
    if ((await stopService(ctx, scriptOf(s), { noDeps: true })) !== 0) status = 1;
  }

  const bad = new Set(p.missing.map(([s]) => s));
  const startOne = async (s: string): Promise<void> => {
    if (serviceState(s) === "started") return;
    const d = deps.get(s) as ServiceDeps;
    if (d.error) {
      await eerror(ctx, `ERROR: ${s}: ${d.error}`);
      markFailed(s, true, scriptOf(s));
      bad.add(s);
      status = 1;
      return;
    }
    const failedNeed = d.need.flatMap((n) => providers(graph, n)).find((n) => bad.has(n) || (wanted.has(n) && serviceState(n) !== "started" && isFailed(n)));
    if (bad.has(s) || failedNeed) {
      if (failedNeed) await eerror(ctx, `ERROR: cannot start ${s} as ${failedNeed} would not start`);
      bad.add(s);
      status = 1;
      return;
    }
    if ((await startService(ctx, scriptOf(s), { noDeps: true })) !== 0) {
      bad.add(s);
      status = 1;
    }
  };
  if (rcParallel()) await startParallel(p.order, edges(graph, wanted), p.cycles, startOne);
  else for (const s of p.order) await startOne(s);
  return status;
}

/** rc_parallel from /etc/rc.conf (a plain assignment; the file is shell, but this one setting is read without one). */
export function rcParallel(): boolean {
  try {
    const m = /^\s*rc_parallel=["']?([^"'\s#]*)/m.exec(fs.readFileSync(RC_CONF, "utf8"));
    return !!m && /^(yes|true|on|1)$/i.test(m[1]);
  } catch {
    return false;
  }
}

/**
 * Start each service as soon as everything ordered before it is done, many
 * at once. The links dropped to break cycles are left out here too.
 */
async function startParallel(order: string[], out: Map<string, Set<string>>, cycles: string[][], start: (s: string) => Promise<void>): Promise<void> {
  for (const c of cycles) out.get(c[c.length - 1])?.delete(c[0]);
  const waitingOn = new Map(order.map((s) => [s, new Set<string>()]));
  for (const [a, succ] of out) for (const b of succ) waitingOn.get(b)?.add(a);
  const running = new Map<string, Promise<string>>();
  const left = new Set(order);
  while (left.size || running.size) {
    for (const s of order) {
      if (left.has(s) && waitingOn.get(s)!.size === 0) {
        left.delete(s);
        running.set(s, start(s).then(() => s));
      }
    }
    if (!running.size) break;
    const done = await Promise.race(running.values());
    running.delete(done);
    for (const w of waitingOn.values()) w.delete(done);
  }
}
