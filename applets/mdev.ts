import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, type Context } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { S_IFBLK, S_IFCHR } from "../lib/fileops.ts";
import { compileRegex } from "../lib/regex.ts";
import { makedev, mknod } from "../lib/syscalls.ts";
import { groupByName, userByName } from "../lib/users.ts";

/** One line of /etc/mdev.conf. */
interface Rule {
  keepGoing: boolean;
  env: [string, RegExp][];
  name?: RegExp;
  envMatch?: [string, RegExp];
  majmin?: [number, number, number];
  uid: number; gid: number; mode: number;
  move?: { to: string; link: boolean };
  noNode: boolean;
  cmd?: { when: "@" | "$" | "*"; text: string };
}

function parseOwner(s: string): [number, number] {
  const [u, g = ""] = s.split(/[:.]/);
  const id = (x: string, byName: (n: string) => { uid?: number; gid?: number } | undefined, key: "uid" | "gid") =>
    /^\d+$/.test(x) ? Number(x) : ((byName(x) as any)?.[key] ?? 0);
  return [id(u, userByName, "uid"), id(g, groupByName, "gid")];
}

const full = (re: string) => compileRegex(`^(${re})$`, { extended: true });

function parseConf(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s+/, "");
    if (!line || line.startsWith("#")) continue;
    const f = line.match(/^(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/);
    if (!f) continue;
    let [, spec, owner, mode, rest] = f;
    const r: Rule = { keepGoing: false, env: [], uid: 0, gid: 0, mode: parseInt(mode, 8) || 0o660, noNode: false };
    if (spec.startsWith("-")) {
      r.keepGoing = true;
      spec = spec.slice(1);
    }
    // ENV=regex; prefixes must all match too.
    let m: RegExpMatchArray | null;
    while ((m = spec.match(/^([A-Za-z_]\w*)=([^;]*);(.*)$/))) {
      r.env.push([m[1], full(m[2])]);
      spec = m[3];
    }
    if ((m = spec.match(/^@(\d+),(\d+)(?:-(\d+))?$/))) r.majmin = [Number(m[1]), Number(m[2]), Number(m[3] ?? m[2])];
    else if ((m = spec.match(/^\$(\w+)=(.*)$/))) r.envMatch = [m[1], full(m[2])];
    else r.name = full(spec);
    [r.uid, r.gid] = parseOwner(owner);
    rest = rest.trim();
    if ((m = rest.match(/^([=>])(\S+)\s*(.*)$/))) {
      r.move = { to: m[2], link: m[1] === ">" };
      rest = m[3];
    } else if ((m = rest.match(/^!\s*(.*)$/))) {
      r.noNode = true;
      rest = m[1];
    }
    if ((m = rest.match(/^([@$*])\s*(.*)$/))) r.cmd = { when: m[1] as "@" | "$" | "*", text: m[2] };
    rules.push(r);
  }
  return rules;
}

interface Device { name: string; major: number; minor: number; block: boolean; subsystem: string; devpath: string }

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "latin1");
  } catch {
    return undefined;
  }
}

/** A device from its /sys directory: "dev" holds MAJ:MIN, "uevent" may name it (DEVNAME=input/event0). */
function deviceAt(sysDir: string, block: boolean, subsystem: string): Device | undefined {
  const dev = readText(path.join(sysDir, "dev"))?.trim().match(/^(\d+):(\d+)$/);
  if (!dev) return undefined;
  const uevent = readText(path.join(sysDir, "uevent")) ?? "";
  const name = uevent.match(/^DEVNAME=(.*)$/m)?.[1] ?? path.basename(sysDir);
  return { name, major: Number(dev[1]), minor: Number(dev[2]), block, subsystem, devpath: sysDir.replace(/^\/sys/, "") };
}

/** Apply the first matching rule to a device being added or removed. */
async function handle(ctx: Context, dev: Device, rules: Rule[], action: "add" | "remove"): Promise<void> {
  const env: Record<string, string> = { ...ctx.env, MDEV: dev.name, ACTION: action, SUBSYSTEM: dev.subsystem, DEVPATH: dev.devpath };
  let chosen: Rule | undefined;
  const matched: Rule[] = [];
  for (const r of rules) {
    if (!r.env.every(([k, re]) => re.test(env[k] ?? ""))) continue;
    const ok = r.majmin ? dev.major === r.majmin[0] && dev.minor >= r.majmin[1] && dev.minor <= r.majmin[2]
      : r.envMatch ? r.envMatch[1].test(env[r.envMatch[0]] ?? "")
      : r.name!.test(dev.name);
    if (!ok) continue;
    matched.push(r);
    if (!r.keepGoing) {
      chosen = r;
      break;
    }
  }
  // A "-" rule runs its command and lets matching go on; only the final match places the node.
  const rule = chosen;
  let node = dev.name;
  if (rule?.move) node = rule.move.to.endsWith("/") ? rule.move.to + path.basename(dev.name) : rule.move.to;
  const file = path.join("/dev", node);
  const runCmd = async (when: string) => {
    for (const r of matched) {
      if (r.cmd && (r.cmd.when === when || r.cmd.when === "*")) await runCommand(ctx, ["/bin/sh", "-c", r.cmd.text], { env: { ...env, MDEV: node } });
    }
  };
  if (action === "remove") {
    await runCmd("$");
    if (!rule?.noNode) {
      fs.rmSync(file, { force: true });
      if (rule?.move?.link) fs.rmSync(path.join("/dev", dev.name), { force: true });
    }
    return;
  }
  if (!rule?.noNode) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const mode = rule?.mode ?? 0o660;
    try {
      mknod(file, (dev.block ? S_IFBLK : S_IFCHR) | mode, makedev(dev.major, dev.minor));
    } catch (err) {
      if ((err as { code?: string }).code !== "EEXIST") throw err;
    }
    fs.chmodSync(file, mode);
    fs.chownSync(file, rule?.uid ?? 0, rule?.gid ?? 0);
    if (rule?.move?.link) {
      fs.rmSync(path.join("/dev", dev.name), { force: true });
      fs.symlinkSync(node, path.join("/dev", dev.name));
    }
  }
  await runCmd("@");
}

/** Every device under /sys/class and /sys/block (with partitions). */
function scan(): Device[] {
  const out: Device[] = [];
  const ls = (d: string) => {
    try {
      return fs.readdirSync(d).sort();
    } catch {
      return [];
    }
  };
  const seen = new Set<string>();
  const add = (d: Device | undefined) => {
    if (d && !seen.has(d.name)) {
      seen.add(d.name);
      out.push(d);
    }
  };
  for (const b of ls("/sys/block")) {
    const dir = path.join("/sys/block", b);
    add(deviceAt(dir, true, "block"));
    for (const p of ls(dir)) if (p.startsWith(b)) add(deviceAt(path.join(dir, p), true, "block"));
  }
  for (const c of ls("/sys/class")) {
    for (const d of ls(path.join("/sys/class", c))) add(deviceAt(path.join("/sys/class", c, d), c === "block", c));
  }
  return out;
}

/** Hotplug firmware request: copy /lib/firmware/$FIRMWARE into /sys$DEVPATH/data. */
function loadFirmware(devpath: string, name: string): void {
  const dir = path.join("/sys", devpath);
  const loading = path.join(dir, "loading");
  let data: Buffer | undefined;
  try {
    data = fs.readFileSync(path.join("/lib/firmware", name));
  } catch {}
  // One open "loading" file: "1" starts the transfer, "0" ends it, "-1" aborts.
  const fd = fs.openSync(loading, "w");
  try {
    if (!data) {
      fs.writeSync(fd, "-1");
      return;
    }
    fs.writeSync(fd, "1");
    fs.writeFileSync(path.join(dir, "data"), data);
    fs.writeSync(fd, "0");
  } finally {
    fs.closeSync(fd);
  }
}

defineApplet({
  name: "mdev",
  dir: "/sbin",
  usage: "[-s] | [-df]",
  summary: "mdev -s is to be run during boot to scan /sys and populate /dev.\n\nBare mdev is a kernel hotplug helper.",
  options: ["-s  Scan /sys and populate /dev", "-d  Daemon, listen on netlink (not supported)", "-f  Run in foreground", "-v  Verbose"],
  async run(ctx, opts) {
    const rules = parseConf(readText("/etc/mdev.conf") ?? "");
    if (opts.s) {
      for (const d of scan()) await handle(ctx, d, rules, "add");
      return 0;
    }
    const { ACTION: action, DEVPATH: devpath, SUBSYSTEM: subsystem = "" } = ctx.env;
    if (!action || !devpath) throw new UsageError();
    if (subsystem === "firmware" && ctx.env.FIRMWARE && action === "add") {
      loadFirmware(devpath, ctx.env.FIRMWARE);
      return 0;
    }
    const block = subsystem === "block";
    let dev = deviceAt(path.join("/sys", devpath), block, subsystem);
    if (!dev && action === "remove" && ctx.env.MAJOR && ctx.env.MINOR) {
      dev = { name: ctx.env.DEVNAME ?? path.basename(devpath), major: Number(ctx.env.MAJOR), minor: Number(ctx.env.MINOR), block, subsystem, devpath };
    }
    if (dev && (action === "add" || action === "remove")) await handle(ctx, dev, rules, action);
    return 0;
  },
});
