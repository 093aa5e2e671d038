import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { AppletError, errorMessage, UsageError } from "../lib/errors.ts";
import { fnmatch } from "../lib/glob.ts";
import { loadModuleFile, normName, readAliases, readModprobeConfig, readModulesDep, readProcModules, resolveAlias, modulesDir, type DepEntry } from "../lib/kmod.ts";
import { deleteModule } from "../lib/syscalls.ts";

defineApplet({
  name: "modprobe",
  dir: "/sbin",
  usage: "[-alrqvsDb] MODULE [SYMBOL=VALUE]...",
  summary: "Load or unload kernel modules and what they depend on",
  options: [
    "-a  Load multiple MODULEs",
    "-l  List (MODULE is a pattern)",
    "-r  Remove MODULE (stacks) or do autoclean",
    "-q  Quiet",
    "-v  Verbose",
    "-s  Log to syslog",
    "-D  Show dependencies",
    "-b  Apply blacklist to module names too",
  ],
  async run(ctx, opts, args) {
    const dir = modulesDir();
    for (const d of [path.dirname(dir), dir]) {
      if (!fs.existsSync(d)) throw new AppletError(`can't change directory to '${d === dir ? path.basename(d) : d}': No such file or directory`);
    }
    let deps: Map<string, DepEntry>;
    try {
      deps = readModulesDep(dir);
    } catch (err) {
      throw new AppletError(`can't open '${path.join(dir, "modules.dep")}': ${errorMessage(err).replace(/^.*: /, "")}`);
    }
    if (opts.l) {
      const lines = [...deps.values()].map((d) => d.file)
        .filter((f) => !args.length || args.some((p) => fnmatch(p, path.basename(f))));
      await ctx.stdout.write(lines.map((l) => l + "\n").join(""));
      return 0;
    }
    if (!args.length || (opts.D && opts.r)) throw new UsageError();
    const cfg = readModprobeConfig("/");
    let aliases: [string, string][] | undefined;
    let blacklisted = false;
    /** Module names a command-line name stands for: itself, or what aliases say. */
    const resolve = (name: string): string[] => {
      const n = normName(name);
      if (deps.has(n)) {
        blacklisted = !!opts.b && cfg.blacklist.has(n);
        return blacklisted ? [] : [n];
      }
      const viaConfig = resolveAlias(n, cfg.aliases);
      aliases ??= readAliases(dir);
      const found = viaConfig.length ? viaConfig : resolveAlias(name, aliases);
      const allowed = found.filter((m) => !cfg.blacklist.has(m));
      blacklisted = found.length > 0 && !allowed.length;
      return allowed;
    };
    const loaded = () => {
      try {
        return new Set(readProcModules().map((m) => m.name));
      } catch {
        return new Set<string>();
      }
    };
    const names = opts.a || opts.r ? args : [args[0]];
    const params = opts.a || opts.r ? [] : args.slice(1);
    let status = 0;
    for (const name of names) {
        const mods = resolve(name);
      if (!mods.length && blacklisted) continue;
      if (!mods.length) {
        if (!opts.q) await warn(ctx, `module ${name} not found in modules.dep`);
        status = 1;
        continue;
      }
      for (const m of mods) {
        try {
          if (opts.r) await remove(ctx, m, deps, !!opts.v, loaded());
          else await load(ctx, m, deps, dir, [...(cfg.options.get(m) ?? []), ...params], opts, loaded());
        } catch (err) {
          if (!opts.q) await warn(ctx, errorMessage(err));
          status = 1;
        }
      }
    }
    return status;
  },
});

/** Load a module after its dependencies (modules.dep lists them nearest last). */
async function load(ctx: Context, name: string, deps: Map<string, DepEntry>, dir: string, params: string[], opts: Record<string, any>, loaded: Set<string>): Promise<void> {
  const entry = deps.get(name)!;
  const chain = [...entry.deps].reverse().map((f) => ({ file: f, params: [] as string[], last: false }));
  chain.push({ file: entry.file, params, last: true });
  for (const c of chain) {
    const full = path.join(dir, c.file);
    const line = `insmod ${full}${c.last && !opts.a ? ` ${c.params.map((p) => p + " ").join("")}` : ""}`;
    if (opts.D) {
      await ctx.stdout.write(line + "\n");
      continue;
    }
    const modName = normName(path.basename(c.file).replace(/\.ko(\..*)?$/, ""));
    if (loaded.has(modName)) continue;
    if (opts.v) await ctx.stdout.write(line + "\n");
    try {
      await loadModuleFile(full, c.params.join(" "));
    } catch (err) {
      const msg = errorMessage(err).replace(/^(init|finit)_module: /, "");
      if (/File exists/.test(msg)) continue;
      throw new Error(`can't load module ${modName} (${c.file}): ${msg}`);
    }
  }
}

/** Unload a module, then those it used that nothing else needs now. */
async function remove(ctx: Context, name: string, deps: Map<string, DepEntry>, verbose: boolean, loaded: Set<string>): Promise<void> {
  const entry = deps.get(name);
  const order = [name, ...(entry?.deps ?? []).map((f) => normName(path.basename(f).replace(/\.ko(\..*)?$/, "")))];
  for (const [i, m] of order.entries()) {
    if (!loaded.has(m)) {
      if (i === 0) throw new Error(`remove '${m}': No such file or directory`);
      continue;
    }
    if (verbose) await ctx.stdout.write(`rmmod ${m}\n`);
    try {
      deleteModule(m);
    } catch (err) {
      if (i === 0) throw new Error(`remove '${m}': ${errorMessage(err).replace(/^.*: /, "")}`);
    }
  }
}
