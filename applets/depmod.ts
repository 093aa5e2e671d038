import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { writeFileAtomic } from "../lib/fsutil.ts";
import { moduleName, moduleSymbols, readModinfo, readModuleImage } from "../lib/kmod.ts";
import { uname } from "../lib/syscalls.ts";

interface Mod { file: string; name: string; depends: string[]; aliases: string[]; exported: string[]; needs: string[] }

function moduleFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(dir, rel)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const r = rel ? `${rel}/${n}` : n;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...moduleFiles(dir, r));
    else if (/\.ko(\.(gz|xz))?$/.test(n)) out.push(r);
  }
  return out;
}

defineApplet({
  name: "depmod",
  dir: "/sbin",
  usage: "[-n] [-b BASE] [VERSION] [MODFILES]...",
  summary: "Generate modules.dep, alias, and symbols files",
  options: ["-b BASE  Use BASE/lib/modules/VERSION", "-n  Dry run: print files to stdout", "-a  Probe all modules (default)", "-A  Only if newer (always done)", "-e  Report unresolved symbols (ignored)", "-F MAP  System.map (ignored)"],
  async run(ctx, opts, args) {
    const version = args[0] && /^\d+\.\d+/.test(args[0]) ? args.shift()! : uname().release;
    const dir = path.join(opts.b ? resolvePath(ctx, opts.b) : "/", "lib", "modules", version);
    const files = args.length ? args.map((a) => path.relative(dir, resolvePath(ctx, a))) : moduleFiles(dir);
    const mods: Mod[] = [];
    for (const file of files) {
      const image = await readModuleImage(path.join(dir, file));
      const info = readModinfo(image);
      const get = (k: string) => info.filter(([key]) => key === k).map(([, v]) => v);
      const syms = moduleSymbols(image);
      mods.push({
        file, name: get("name")[0] ?? moduleName(file),
        depends: (get("depends")[0] ?? "").split(",").filter(Boolean),
        aliases: get("alias"), exported: syms.exported, needs: syms.undefined,
      });
    }
    const byName = new Map(mods.map((m) => [m.name.replace(/-/g, "_"), m]));
    // Without depends= (out-of-tree builds), a module depends on those exporting what it needs.
    const exporter = new Map<string, Mod>();
    for (const m of mods) for (const s of m.exported) exporter.set(s, m);
    const direct = (m: Mod): Mod[] => {
      const ds = m.depends.map((d) => byName.get(d.replace(/-/g, "_"))).filter((d): d is Mod => !!d);
      if (ds.length || m.depends.length) return ds;
      return [...new Set(m.needs.map((s) => exporter.get(s)).filter((d): d is Mod => !!d && d !== m))];
    };
    /** The dependency closure, nearest first: loading it in reverse order works. */
    const closure = (m: Mod): Mod[] => {
      const order: Mod[] = [];
      const seen = new Set<Mod>([m]);
      const visit = (x: Mod) => {
        for (const d of direct(x)) if (!seen.has(d)) {
          seen.add(d);
          visit(d);
          order.push(d);
        }
      };
      visit(m);
      return order.reverse();
    };
    const dep = mods.map((m) => `${m.file}:${closure(m).map((d) => " " + d.file).join("")}\n`).join("");
    const alias = "# Aliases extracted from modules themselves.\n" + mods.flatMap((m) => m.aliases.map((a) => `alias ${a} ${m.name}\n`)).join("");
    const symbols = "# Aliases for symbols, used by symbol_request().\n" + mods.flatMap((m) => m.exported.map((s) => `alias symbol:${s} ${m.name}\n`)).join("");
    if (opts.n) {
      await ctx.stdout.write(dep + alias + symbols);
      return 0;
    }
    writeFileAtomic(path.join(dir, "modules.dep"), dep);
    writeFileAtomic(path.join(dir, "modules.alias"), alias);
    writeFileAtomic(path.join(dir, "modules.symbols"), symbols);
    return 0;
  },
});
