// Kernel modules for an image: only those a recipe names, plus what they
// depend on. Debian's kernel package ships no modules.dep (its postinst runs
// depmod), so we run kmod's depmod on the unpacked package once, into the
// cache, and again on the chosen subset so the image gets a matching modules.dep.
import * as fs from "node:fs";
import * as path from "node:path";
import { cachedDir } from "./cache.ts";
import type { CpioEntry } from "./cpio.ts";
import { run } from "./progress.ts";
import type { Kernel } from "./toolchain.ts";

const norm = (name: string) => name.replace(/-/g, "_");

/** modules.dep of the whole kernel package: module path -> its dependencies' paths. */
async function fullDeps(k: Kernel): Promise<Map<string, string[]>> {
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
  const map = new Map<string, string[]>();
  for (const line of fs.readFileSync(dep, "utf8").split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) map.set(m[1], m[2].split(/\s+/).filter(Boolean));
  }
  return map;
}

export interface ModuleSet {
  /** Module file paths relative to lib/modules/<ver>, dependencies first (load order). */
  files: string[];
  /** Requested names that are built into the kernel (nothing to ship). */
  builtin: string[];
}

/** The named modules and their dependency closure, in an order they can be loaded in. */
export async function selectModules(k: Kernel, names: string[]): Promise<ModuleSet> {
  if (!names.length) return { files: [], builtin: [] };
  const deps = await fullDeps(k);
  const byName = new Map<string, string>();
  for (const p of deps.keys()) byName.set(norm(path.basename(p).replace(/\.ko(\.\w+)?$/, "")), p);
  const builtinList = fs.readFileSync(path.join(k.modulesDir, "modules.builtin"), "utf8").split("\n")
    .map((l) => norm(path.basename(l).replace(/\.ko$/, "")));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const d of deps.get(p) ?? []) visit(d);
    order.push(p);
  };
  const builtin: string[] = [];
  for (const n of names) {
    const p = byName.get(norm(n));
    if (p) visit(p);
    else if (builtinList.includes(norm(n))) builtin.push(n);
    else throw new Error(`kernel.modules: no module named "${n}" in Debian's kernel ${k.version}`);
  }
  return { files: order, builtin };
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
