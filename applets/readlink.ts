// readlink and realpath. realpath and readlink -f resolve as BusyBox's
// xmalloc_realpath_coreutils(): realpath(3), and when the last component
// does not exist, its directory resolved with that name appended. -e and -m
// (GNU) are extensions: every component must exist / none need exist.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { absPath, cwdOf, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { errnoCode } from "../lib/errors.ts";

type Resolved = string | { err: unknown };

function realpath(ctx: Context, p: string): Resolved {
  try {
    return fs.realpathSync(fsPath(absPath(ctx, p)), { encoding: "buffer" }).toString("latin1");
  } catch (err) {
    return { err };
  }
}

function readlinkRaw(ctx: Context, p: string): Resolved {
  try {
    return fs.readlinkSync(fsPath(absPath(ctx, p)), { encoding: "buffer" }).toString("latin1");
  } catch (err) {
    return { err };
  }
}

function physicalCwd(ctx: Context): string {
  try {
    return fs.realpathSync(fsPath(cwdOf(ctx)), { encoding: "buffer" }).toString("latin1");
  } catch {
    return cwdOf(ctx);
  }
}

/** BusyBox's xmalloc_realpath_coreutils(). */
export function realpathCoreutils(ctx: Context, p: string): Resolved {
  const r = realpath(ctx, p);
  if (typeof r === "string" || errnoCode(r.err) !== "ENOENT") return r;
  const slash = p.lastIndexOf("/");
  if (slash >= 0) {
    const dir = realpath(ctx, p.slice(0, slash));
    if (typeof dir !== "string") return dir;
    return dir + "/" + p.slice(slash + 1);
  }
  const target = readlinkRaw(ctx, p);
  if (typeof target !== "string") return target;
  if (target.startsWith("/")) return realpathCoreutils(ctx, target);
  const cwd = physicalCwd(ctx);
  return cwd + (cwd === "/" ? "" : "/") + target;
}

/** GNU readlink -m: resolve what exists, the rest by name; nothing need exist. */
function canonicalizeMissing(ctx: Context, p: string): Resolved {
  const start = p.startsWith("/") ? "/" : physicalCwd(ctx);
  const parts: string[] = start === "/" ? [] : start.slice(1).split("/");
  const todo = p.split("/").filter((c) => c !== "" && c !== ".");
  let links = 0;
  let exists = true;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === "..") {
      parts.pop();
      continue;
    }
    parts.push(c);
    if (!exists) continue;
    const cur = "/" + parts.join("/");
    let st: fs.Stats;
    try {
      st = fs.lstatSync(fsPath(cur));
    } catch {
      exists = false;
      continue;
    }
    if (st.isSymbolicLink()) {
      if (++links > 40) return { err: Object.assign(new Error("loop"), { code: "ELOOP" }) };
      const t = fs.readlinkSync(fsPath(cur), { encoding: "buffer" }).toString("latin1");
      parts.pop();
      if (t.startsWith("/")) parts.length = 0;
      todo.unshift(...t.split("/").filter((x) => x !== "" && x !== "."));
    }
  }
  return "/" + parts.join("/");
}

defineApplet({
  name: "readlink",
  usage: "[-fnv] FILE",
  summary: "Display the value of a symlink",
  options: [
    "-f  Canonicalize by following all symlinks",
    "-e  Canonicalize, all components must exist (GNU)",
    "-m  Canonicalize, no component need exist (GNU)",
    "-n  Don't add newline",
    "-v  Verbose",
    // BusyBox accepts (and ignores) these.
    "-s",
    "-q",
  ],
  async run(ctx, opts, args) {
    if (args.length !== 1) throw new UsageError();
    const name = binaryOf(args[0]);
    let r: Resolved;
    if (opts.f) r = realpathCoreutils(ctx, name);
    else if (opts.e) r = realpath(ctx, name);
    else if (opts.m) r = canonicalizeMissing(ctx, name);
    else {
      r = readlinkRaw(ctx, name);
      if (typeof r !== "string" && opts.v) {
        const code = errnoCode(r.err);
        await warnBytes(ctx, `${name}: cannot read link: ${code === "EINVAL" ? "not a symlink" : errText(r.err)}`);
      }
    }
    if (typeof r !== "string") return 1;
    await ctx.stdout.write(bytesOf(opts.n ? r : r + "\n"));
    return 0;
  },
});

defineApplet({
  name: "realpath",
  usage: "FILE...",
  summary: "Print absolute pathnames of FILEs",
  dir: "/usr/bin",
  // BusyBox's realpath takes no options: "-z" is a file name.
  rawArgs: true,
  async run(ctx, _opts, args) {
    if (args.length === 0) throw new UsageError();
    let status = 0;
    for (const a of args) {
      const r = realpathCoreutils(ctx, binaryOf(a));
      if (typeof r === "string") await ctx.stdout.write(bytesOf(r + "\n"));
      else {
        await warnBytes(ctx, `${binaryOf(a)}: ${errText(r.err)}`);
        status = 1;
      }
    }
    return status;
  },
});
