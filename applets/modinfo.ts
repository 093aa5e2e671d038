import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { modulesDir, normName, readModinfo, readModuleImage, readModulesDep } from "../lib/kmod.ts";

/** The fields shown without -F, in this order, after filename. */
const SHOWN = ["author", "description", "license", "parm", "version", "alias", "srcversion", "depends", "uts_release", "intree", "vermagic", "firmware"];

defineApplet({
  name: "modinfo",
  dir: "/sbin",
  usage: "[-adlpn0] [-F keyword] MODULE",
  summary: "Show information about a kernel module",
  options: [
    "-a  Shortcut for '-F author'",
    "-d  Shortcut for '-F description'",
    "-l  Shortcut for '-F license'",
    "-p  Shortcut for '-F parm'",
    "-n  Shortcut for '-F filename'",
    "-F keyword  Keyword to look for",
    "-0  NUL terminated output",
  ],
  minOperands: 1,
  async run(ctx, opts, mods) {
    const field: string | undefined = opts.F ?? (opts.a ? "author" : opts.d ? "description" : opts.l ? "license" : opts.p ? "parm" : opts.n ? "filename" : undefined);
    const end = opts["0"] ? "\0" : "\n";
    const dir = modulesDir();
    let deps: ReturnType<typeof readModulesDep> | undefined;
    for (const m of mods) {
      let file: string | undefined = resolvePath(ctx, m);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        try {
          deps ??= readModulesDep(dir);
        } catch {
          await warn(ctx, `can't open '${path.join(dir, "modules.dep")}': No such file or directory`);
          return 1;
        }
        const e = deps.get(normName(m));
        file = e && path.join(dir, e.file);
      }
      if (!file) {
        await warn(ctx, `module '${path.join(dir, m)}' not found`);
        continue;
      }
      const info = readModinfo(await readModuleImage(file));
      let out = "";
      const show = (k: string, v: string) => (out += field ? v + end : `${(k + ":").padEnd(16)}${v}${end}`);
      if (!field || field === "filename") show("filename", file);
      for (const k of field ? (field === "filename" ? [] : [field]) : SHOWN) for (const [key, v] of info) if (key === k) show(k, v);
      await ctx.stdout.write(Buffer.from(out, "latin1"));
    }
    return 0;
  },
});
