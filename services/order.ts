// Dependency order, pure: which services a set of targets pulls in (need,
// want), virtual names (provide), and a start order that puts each service
// after what it needs, uses, wants or comes after, and before what it names
// in before. Cycles are broken deterministically and reported by name.

export interface DepInfo {
  need: string[];
  use: string[];
  want: string[];
  after: string[];
  before: string[];
  provide: string[];
  keyword: string[];
}

export type Graph = Map<string, DepInfo>;

export function emptyDeps(): DepInfo {
  return { need: [], use: [], want: [], after: [], before: [], provide: [], keyword: [] };
}

/** Providers of a name: the service itself if it exists, else every service providing it, sorted. */
export function providers(graph: Graph, name: string): string[] {
  if (graph.has(name)) return [name];
  return [...graph.keys()].filter((s) => graph.get(s)!.provide.includes(name)).sort();
}

/**
 * The one provider to start for a need: one already wanted (`prefer`), else
 * the first by name. Undefined when nothing provides it.
 */
export function pickProvider(graph: Graph, name: string, prefer: Set<string>): string | undefined {
  const all = providers(graph, name);
  return all.find((p) => prefer.has(p)) ?? all[0];
}

export interface Plan {
  /** Start order; stop in the reverse. */
  order: string[];
  /** Each cycle found, as the services along it; the link from the last to the first was dropped. */
  cycles: string[][];
  /** [service, dependency] where a need names nothing that exists. */
  missing: [string, string][];
}

/** Targets plus what they need or want, transitively. */
export function closure(graph: Graph, targets: string[], missing: [string, string][] = []): Set<string> {
  const set = new Set(targets.filter((t) => graph.has(t)));
  const queue = [...set];
  while (queue.length) {
    const s = queue.shift()!;
    const d = graph.get(s)!;
    for (const [kind, names] of [["need", d.need], ["want", d.want]] as const) {
      for (const n of names) {
        const p = pickProvider(graph, n, set);
        if (!p) {
          if (kind === "need") missing.push([s, n]);
          continue;
        }
        if (!set.has(p)) {
          set.add(p);
          queue.push(p);
        }
      }
    }
  }
  return set;
}

/** Edges a -> b (a starts first) among `members`. */
export function edges(graph: Graph, members: Set<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of members) out.set(m, new Set());
  const link = (a: string, b: string) => {
    if (a !== b && members.has(a) && members.has(b)) out.get(a)!.add(b);
  };
  const expand = (name: string, self: string) => (name === "*" ? [...members].filter((m) => m !== self) : providers(graph, name));
  for (const s of members) {
    const d = graph.get(s)!;
    // "after *" and "before *" yield to what a service names explicitly
    // (mount-ro after killprocs, killprocs after *), and to another "*".
    const explicitlyAfter = (p: string, q: string) => {
      const e = graph.get(p)!;
      return [...e.need, ...e.use, ...e.want, ...e.after].includes(q) || graph.get(q)!.before.includes(p);
    };
    for (const n of [...d.need, ...d.use, ...d.want, ...d.after]) {
      for (const p of expand(n, s)) {
        if (n !== "*" || (!graph.get(p)!.after.includes("*") && !explicitlyAfter(p, s))) link(p, s);
      }
    }
    for (const n of d.before) {
      for (const p of expand(n, s)) {
        if (n !== "*" || (!graph.get(p)!.before.includes("*") && !explicitlyAfter(s, p))) link(s, p);
      }
    }
  }
  return out;
}

/** Start order of the targets and what they pull in. */
export function plan(graph: Graph, targets: string[]): Plan {
  const missing: [string, string][] = [];
  const members = closure(graph, targets, missing);
  const { order, cycles } = orderOf(edges(graph, members));
  return { order, cycles, missing };
}

/** Kahn's algorithm, smallest name first; when stuck, break one cycle and go on. */
export function orderOf(out: Map<string, Set<string>>): { order: string[]; cycles: string[][] } {
  const indeg = new Map<string, number>();
  for (const n of out.keys()) indeg.set(n, 0);
  for (const [, succ] of out) for (const b of succ) indeg.set(b, (indeg.get(b) ?? 0) + 1);
  const done = new Set<string>();
  const order: string[] = [];
  const cycles: string[][] = [];
  while (done.size < out.size) {
    const ready = [...indeg].filter(([n, d]) => d === 0 && !done.has(n)).map(([n]) => n).sort();
    if (ready.length) {
      const n = ready[0];
      done.add(n);
      order.push(n);
      for (const b of out.get(n)!) indeg.set(b, indeg.get(b)! - 1);
      continue;
    }
    const cycle = findCycle(out, done);
    cycles.push(cycle);
    // Drop the link that closes the cycle: last -> first.
    const last = cycle[cycle.length - 1], first = cycle[0];
    out.get(last)!.delete(first);
    indeg.set(first, indeg.get(first)! - 1);
  }
  return { order, cycles };
}

/**
 * A cycle among the services not yet ordered. Every one of them still has a
 * predecessor among them, so walking predecessors (smallest name first) from
 * the smallest name must come back on itself.
 */
function findCycle(out: Map<string, Set<string>>, done: Set<string>): string[] {
  const left = [...out.keys()].filter((n) => !done.has(n)).sort();
  const preds = (n: string) => left.filter((a) => out.get(a)!.has(n));
  const path: string[] = [];
  const seen = new Map<string, number>();
  let n = left[0];
  while (!seen.has(n)) {
    seen.set(n, path.length);
    path.push(n);
    n = preds(n)[0];
  }
  const cycle = path.slice(seen.get(n)).reverse();
  // Named from its smallest member, so the report does not depend on where the walk began.
  const i = cycle.indexOf([...cycle].sort()[0]);
  return [...cycle.slice(i), ...cycle.slice(0, i)];
}
