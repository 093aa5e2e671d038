// Kernel modules for an image: only those a recipe names, plus what they
// depend on, hard (modules.dep) and soft (modules.softdep: ext4 asks the crypto
// API for crc32c, which no symbol ties it to). Debian's kernel package ships no
// modules.dep (its postinst runs depmod), so we run kmod's depmod on the unpacked
// package once, into the cache, and again on the chosen subset so the image gets
// a matching modules.dep.
import * as fs from "node:fs";
import * as path from "node:path";
import { cachedDir } from "./cache.ts";
import type { CpioEntry } from "./cpio.ts";
import { readAliases, readModprobeConfig, resolveAlias } from "../lib/kmod.ts";
import { run } from "./progress.ts";
import type { Kernel } from "./toolchain.ts";

const norm = (name: string) => name.replace(/-/g, "_");

/** What depmod knows about a set of modules: all that selecting from it needs. */
export interface ModuleIndex {
  /** modules.dep: module path -> its dependencies' paths. */
  deps: Map<string, string[]>;
  /** modules.softdep: module name -> names or aliases to load before (pre) and after (post) it. */
  softdeps: Map<string, { pre: string[]; post: string[] }>;
  /** modules.alias: [pattern, module name]. */
  aliases: [string, string][];
  /** Names of the modules built into the kernel (modules.builtin). */
  builtin: Set<string>;
}

/** The depmod index of the whole kernel package. */
async function fullIndex(k: Kernel): Promise<ModuleIndex> {
  // modulesDir is <pkgroot>/lib/modules/<ver> (or usr/lib/modules/<ver>).
  const base = path.resolve(k.modulesDir, "..", "..", "..");
  const usr = base.endsWith("/usr");
  const pkgRoot = usr ? path.dirname(base) : base;
  const dir = await cachedDir(`modules-dep/${k.version}-${path.basename(path.resolve(pkgRoot, ".."))}`, async (tmp) => {
    // Bookworm's depmod has no --outdir: index a hard-linked copy of the tree instead.
    const rel = path.relative(pkgRoot, k.modulesDir);
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    await run("cp", ["-al", k.modulesDir, path.join(tmp, rel)], { what: `link kernel ${k.version}'s modules for depmod` });
    const sysmap = path.join(pkgRoot, "boot", `System.map-${k.version}`);
    await run("depmod", ["-b", tmp, ...(fs.existsSync(sysmap) ? ["-F", sysmap] : []), k.version],
      { what: `compute module dependencies of Debian kernel ${k.version} (depmod, Debian package kmod)` });
  });
  const dep = [path.join(dir, "lib", "modules", k.version, "modules.dep"), path.join(dir, "usr", "lib", "modules", k.version, "modules.dep")]
    .find((f) => fs.existsSync(f));
  if (!dep) throw new Error(`depmod wrote no modules.dep for kernel ${k.version} under ${dir}`);
  const deps = new Map<string, string[]>();
  for (const line of fs.readFileSync(dep, "utf8").split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) deps.set(m[1], m[2].split(/\s+/).filter(Boolean));
  }
  const indexDir = path.dirname(dep);
  const builtin = new Set(fs.readFileSync(path.join(k.modulesDir, "modules.builtin"), "utf8").split("\n")
    .map((l) => norm(path.basename(l).replace(/\.ko$/, ""))));
  // The cached tree has no modprobe.d: only the modules' own softdeps are read.
  return { deps, softdeps: readModprobeConfig(dir, indexDir).softdeps, aliases: readAliases(indexDir), builtin };
}

export interface ModuleSet {
  /** Module file paths relative to lib/modules/<ver>, dependencies first (load order). */
  files: string[];
  /** Requested names that are built into the kernel (nothing to ship). */
  builtin: string[];
  /**
   * What /etc/modules loads at boot, in load order: the requested modules and
   * their soft dependencies (modprobe follows hard dependencies itself, not soft ones).
   */
  load: string[];
  /** Modules added as soft dependencies, as "module (softdep of requester)". */
  soft: string[];
}

const moduleOf = (file: string) => norm(path.basename(file).replace(/\.ko(\.\w+)?$/, ""));

/** The named modules and their dependency closure, hard and soft, in an order they can be loaded in. */
export async function selectModules(k: Kernel, names: string[]): Promise<ModuleSet> {
  if (!names.length) return { files: [], builtin: [], load: [], soft: [] };
  return closure(await fullIndex(k), names, k.version);
}

/**
 * The closure of `names` in `index`: each module after its dependencies and its
 * softdep "pre:" modules, before its "post:" ones, as modprobe loads them. A soft
 * dependency is a name or an alias (crypto-crc32c: every module providing it
 * goes in, as modprobe would try them all); one that is built in or that this
 * kernel lacks is skipped (modprobe skips it too).
 */
export function closure(index: ModuleIndex, names: string[], version = "?"): ModuleSet {
  const byName = new Map<string, string>();
  for (const p of index.deps.keys()) byName.set(moduleOf(p), p);
  const order: string[] = [];
  const seen = new Set<string>();
  const soft: string[] = [];
  const toLoad = new Set<string>();
  // modprobe.d parsing gives softdeps with '_' for '-' (crypto_crc32c); compare aliases
  // the same way (kmod does too), except the dashes of [a-z] ranges.
  const aliases = index.aliases.map(([pat, mod]): [string, string] => [pat.includes("[") ? pat : norm(pat), mod]);
  const softTargets = (name: string): string[] => {
    const n = norm(name);
    if (byName.has(n)) return [byName.get(n)!];
    return resolveAlias(n, aliases).map((m) => byName.get(m)).filter((p): p is string => !!p);
  };
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const sd = index.softdeps.get(moduleOf(p));
    const viaSoft = (names: string[]) => {
      for (const s of names) for (const t of softTargets(s)) {
        if (!seen.has(t)) soft.push(`${moduleOf(t)} (softdep of ${moduleOf(p)})`);
        toLoad.add(t);
        visit(t);
      }
    };
    viaSoft(sd?.pre ?? []);
    for (const d of index.deps.get(p) ?? []) visit(d);
    order.push(p);
    viaSoft(sd?.post ?? []);
  };
  const builtin: string[] = [];
  for (const n of names) {
    const p = byName.get(norm(n));
    if (p) { visit(p); toLoad.add(p); }
    else if (index.builtin.has(norm(n))) builtin.push(n);
    else throw new Error(`kernel.modules: no module named "${n}" in Debian's kernel ${version}`);
  }
  return { files: order, builtin, load: order.filter((p) => toLoad.has(p)).map(moduleOf), soft };
}

/**
 * Root filesystem entries for a module subset: the .ko files and a modules.dep,
 * modules.alias... that depmod computes for exactly this subset.
 */
export async function moduleEntries(k: Kernel, set: ModuleSet, tmp: string): Promise<CpioEntry[]> {
  if (!set.files.length) return [];
  const stage = path.join(tmp, "modules");
  const rel = path.join("lib", "modules", k.version);
  const entries: CpioEntry[] = [];
  for (const f of set.files) {
    const dst = path.join(stage, rel, f);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(path.join(k.modulesDir, f), dst);
  }
  for (const f of ["modules.builtin", "modules.builtin.modinfo", "modules.order"]) {
    if (fs.existsSync(path.join(k.modulesDir, f))) fs.copyFileSync(path.join(k.modulesDir, f), path.join(stage, rel, f));
  }
  await run("depmod", ["-b", stage, k.version], { what: `index the image's kernel modules (depmod)` });
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const p = "/" + path.relative(stage, full);
      if (fs.statSync(full).isDirectory()) {
        entries.push({ type: "dir", path: p, mode: 0o755 });
        walk(full);
      } else entries.push({ type: "file", path: p, data: fs.readFileSync(full), mode: 0o644 });
    }
  };
  walk(path.join(stage, "lib"));
  entries.unshift({ type: "dir", path: "/lib", mode: 0o755 });
  return entries;
}
