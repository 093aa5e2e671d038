import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { errorMessage, UsageError } from "../lib/errors.ts";

const ROOT = "/proc/sys";

interface Flags { n: boolean; e: boolean; q: boolean; N: boolean }

/** kernel.hostname <-> kernel/hostname (a key may be written with either separator). */
const toPath = (key: string) => path.join(ROOT, key.replace(/\./g, "/"));
const toKey = (p: string) => path.relative(ROOT, p).replace(/\//g, ".");

async function show(ctx: Context, file: string, f: Flags): Promise<number> {
  const key = toKey(file);
  if (f.N) {
    await ctx.stdout.write(key + "\n");
    return 0;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "latin1");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      if (!f.e) await warn(ctx, `error: '${path.relative(ROOT, file)}' is an unknown key`);
    } else if ((err as NodeJS.ErrnoException).code === "EISDIR") {
      return showAll(ctx, file, f);
    } else await warn(ctx, `error reading key '${key}': ${errorMessage(err).replace(/^.*: /, "")}`);
    return 1;
  }
  const lines = text.replace(/\n$/, "").split("\n");
  await ctx.stdout.write(Buffer.from(lines.map((l) => (f.n ? l : `${key} = ${l}`) + "\n").join(""), "latin1"));
  return 0;
}

async function showAll(ctx: Context, dir: string, f: Flags): Promise<number> {
  let status = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) status |= await showAll(ctx, p, f);
    else {
      try {
        if ((fs.statSync(p).mode & 0o444) === 0) continue;
        fs.accessSync(p, fs.constants.R_OK);
      } catch {
        continue;
      }
      // Unreadable (write-only, EPERM on read) entries are skipped as BusyBox does.
      try {
        fs.closeSync(fs.openSync(p, "r"));
      } catch {
        continue;
      }
      status |= await show(ctx, p, { ...f, e: true });
    }
  }
  return status ? 1 : 0;
}

async function write(ctx: Context, setting: string, f: Flags): Promise<number> {
  const eq = setting.indexOf("=");
  if (eq < 0) {
    await warn(ctx, `error: '${setting}' must be of the form name=value`);
    return 1;
  }
  const key = setting.slice(0, eq).trim(), value = setting.slice(eq + 1).trim();
  if (!key) {
    await warn(ctx, `error: malformed setting '${setting}'`);
    return 1;
  }
  const file = toPath(key);
  try {
    const fd = fs.openSync(file, "w");
    try {
      fs.writeSync(fd, value + "\n");
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (!f.e) await warn(ctx, `error: '${key.replace(/\./g, "/")}' is an unknown key`);
    } else await warn(ctx, `error setting key '${key.replace(/\//g, ".")}': ${errorMessage(err).replace(/^.*: /, "")}`);
    return 1;
  }
  if (!f.q) await ctx.stdout.write(f.n ? `${value}\n` : `${key.replace(/\//g, ".")} = ${value}\n`);
  return 0;
}

/** -p FILE: `key = value` lines; `#` and `;` start comments. */
async function preload(ctx: Context, file: string, f: Flags): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, "latin1");
  } catch (err) {
    await warn(ctx, `can't open '${file}': ${errorMessage(err).replace(/^.*: /, "")}`);
    return 1;
  }
  let status = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      await warn(ctx, `error: '${line}' must be of the form name=value`);
      status = 1;
      continue;
    }
    status |= await write(ctx, `${line.slice(0, eq).trim()}=${line.slice(eq + 1).trim()}`, f);
  }
  return status;
}

defineApplet({
  name: "sysctl",
  dir: "/sbin",
  usage: "[-enq] { -a | -p [FILE]... | [-w] [KEY[=VALUE]]... }",
  summary: "Show/set kernel parameters",
  options: [
    "-e  Don't warn about unknown keys",
    "-n  Don't show key names",
    "-N  Show only key names",
    "-q  Quiet",
    "-a  Show all values",
    "-A  Show all values",
    "-p  Set values from FILEs (default /etc/sysctl.conf)",
    "-w  Set values",
  ],
  async run(ctx, opts, args) {
    const f: Flags = { n: !!opts.n, e: !!opts.e, q: !!opts.q, N: !!opts.N };
    if (opts.a || opts.A) return showAll(ctx, ROOT, f);
    if (opts.p) {
      let status = 0;
      for (const file of args.length ? args : ["/etc/sysctl.conf"]) status |= await preload(ctx, resolvePath(ctx, file), f);
      return status;
    }
    if (!args.length) throw new UsageError();
    let status = 0;
    for (const a of args) {
      if (opts.w || a.includes("=")) status |= await write(ctx, a, f);
      else status |= await show(ctx, toPath(a), f);
    }
    return status;
  },
});
