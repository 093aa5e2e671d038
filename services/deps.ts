// Each service's dependencies, from its depend() function and rc_need-style
// conf.d settings, gathered by running the script in pika sh with recorders
// for need/use/want/after/before/provide/keyword. Cached in
// /run/openrc/deptree, keyed by the mtimes of the script and its conf files.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Context } from "../lib/applet.ts";
import { CONFD, INITD, RC_CONF, SVCDIR } from "./paths.ts";
import { emptyDeps, type DepInfo, type Graph } from "./order.ts";
import { isNativeFile, loadNative, nativeServices } from "./native.ts";
import { runScript, scriptOf } from "./script.ts";

export interface ServiceDeps extends DepInfo {
  commands: string[];
  startedCommands: string[];
  stoppedCommands: string[];
  /** Why depend() could not be read (a syntax error...): the service cannot start. */
  error?: string;
}

const CACHE = path.join(SVCDIR, "deptree");
const CACHE_VERSION = 2;

/** Every service's name: regular files in /etc/init.d, as OpenRC sees them, and the YAML services. */
export function allServices(): string[] {
  let scripts: string[] = [];
  try {
    scripts = fs.readdirSync(INITD).filter((n) => !n.startsWith(".") && isFile(path.join(INITD, n)));
  } catch {}
  return [...new Set([...scripts, ...nativeServices()])].sort();
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function mtimeKey(name: string, script: string): string {
  const base = name.split(".")[0];
  const files = [script, RC_CONF, path.join(CONFD, name), path.join(CONFD, base)];
  return script + "=" + files.map((f) => {
    try {
      return String(fs.statSync(f).mtimeMs);
    } catch {
      return "-";
    }
  }).join(":");
}

/** Parse the recorders' "TYPE NAMES" lines. */
export function parseDepends(text: string): ServiceDeps {
  const d: ServiceDeps = { ...emptyDeps(), commands: [], startedCommands: [], stoppedCommands: [] };
  const keys: Record<string, keyof ServiceDeps> = {
    need: "need", use: "use", want: "want", after: "after", before: "before", provide: "provide", keyword: "keyword",
    commands: "commands", started_commands: "startedCommands", stopped_commands: "stoppedCommands",
  };
  for (const line of text.split("\n")) {
    const [type, ...names] = line.trim().split(/\s+/);
    const key = keys[type];
    if (!key) continue;
    const list = d[key] as string[];
    for (const n of names) if (n && !list.includes(n)) list.push(n);
  }
  return d;
}

type Cache = { version: number; services: Record<string, { key: string; deps: ServiceDeps }> };

function readCache(): Cache {
  try {
    const c = JSON.parse(fs.readFileSync(CACHE, "utf8"));
    if (c.version === CACHE_VERSION) return c;
  } catch {}
  return { version: CACHE_VERSION, services: {} };
}

function writeCache(c: Cache): void {
  try {
    fs.mkdirSync(SVCDIR, { recursive: true });
    const tmp = `${CACHE}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(c));
    fs.renameSync(tmp, CACHE);
  } catch {
    // No state directory to write to: the tree is simply worked out again next time.
  }
}

async function evaluate(ctx: Context, name: string, script: string): Promise<ServiceDeps> {
  if (isNativeFile(script)) {
    // Declared, not computed: no shell to run.
    const svc = loadNative(script);
    const none = { commands: [], startedCommands: [], stoppedCommands: [] };
    return "error" in svc ? { ...emptyDeps(), ...none, error: svc.error } : { ...svc.deps, ...none };
  }
  const r = await runScript({ ...ctx, env: { ...ctx.env, RC_SVCNAME: name } }, script, "depend", true);
  const deps = parseDepends(r.stdout ?? "");
  if (r.status !== 0) deps.error = (r.stderr ?? "").trim().split("\n")[0] || `${script}: exit status ${r.status}`;
  return deps;
}

/** Dependencies of every service (or of `names`), from the cache where nothing changed. */
export async function loadGraph(ctx: Context, names: string[] = allServices()): Promise<Map<string, ServiceDeps>> {
  const cache = readCache();
  const graph = new Map<string, ServiceDeps>();
  let changed = false;
  for (const name of names) {
    const script = scriptOf(name);
    const key = mtimeKey(name, script);
    let entry = cache.services[name];
    if (!entry || entry.key !== key) {
      entry = { key, deps: await evaluate(ctx, name, script) };
      cache.services[name] = entry;
      changed = true;
    }
    graph.set(name, entry.deps);
  }
  if (changed) writeCache(cache);
  return graph;
}

/** The graph for ordering: broken services keep their place but pull nothing in. */
export function orderGraph(deps: Map<string, ServiceDeps>): Graph {
  return deps as Graph;
}
