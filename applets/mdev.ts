import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, type Context } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { S_IFBLK, S_IFCHR } from "../lib/fileops.ts";
import { compileRegex } from "../lib/regex.ts";
import { respawnInBackground } from "../lib/daemon.ts";
import { LOG_DAEMON, LOG_ERR, LOG_INFO, syslog } from "../lib/syslog.ts";
import { makedev, mknod, netlinkSenderPort, pollFd, POLLIN, recvDatagram, SOCKADDR_NL_SIZE, ueventSocket } from "../lib/syscalls.ts";
import { groupByName, userByName } from "../lib/users.ts";

const CONF = "/etc/mdev.conf";
/** The kernel's uevents are at most a few kB (UEVENT_BUFFER_SIZE is 2 kB of variables). */
const UEVENT_BUFFER = 16 * 1024;

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

/** mdev -s: every device there is now, as if each had just been added. */
async function coldplug(ctx: Context, rules: Rule[]): Promise<void> {
  for (const d of scan()) await handle(ctx, d, rules, "add");
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

/** One hotplug event, from the kernel's environment for it (ACTION, DEVPATH, SUBSYSTEM, MAJOR, ...). */
async function hotplug(ctx: Context, env: Record<string, string | undefined>, rules: Rule[]): Promise<void> {
  const { ACTION: action, DEVPATH: devpath, SUBSYSTEM: subsystem = "" } = env;
  if (!action || !devpath) return;
  if (subsystem === "firmware" && env.FIRMWARE && action === "add") {
    loadFirmware(devpath, env.FIRMWARE);
    return;
  }
  const block = subsystem === "block";
  let dev = deviceAt(path.join("/sys", devpath), block, subsystem);
  if (!dev && action === "remove" && env.MAJOR && env.MINOR) {
    dev = { name: env.DEVNAME ?? path.basename(devpath), major: Number(env.MAJOR), minor: Number(env.MINOR), block, subsystem, devpath };
  }
  if (dev && (action === "add" || action === "remove")) await handle({ ...ctx, env: { ...ctx.env, ...env } as Record<string, string> }, dev, rules, action);
}

/** A uevent datagram: "ACTION@DEVPATH\0KEY=VALUE\0...", as the environment it stands for. */
function parseUevent(data: Buffer): Record<string, string> | undefined {
  const [head, ...fields] = data.toString("latin1").split("\0");
  if (!head.includes("@")) return undefined; // not from the kernel (udevd's "libudev" messages)
  const env: Record<string, string> = {};
  for (const f of fields) {
    const eq = f.indexOf("=");
    if (eq > 0) env[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return env.ACTION && env.DEVPATH ? env : undefined;
}

/** /etc/mdev.conf's rules, parsed again whenever the file changes. */
function ruleSource(): () => Rule[] {
  let stamp = "";
  let rules: Rule[] = [];
  return () => {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(CONF);
    } catch {}
    const now = st ? `${st.ino}:${st.mtimeMs}:${st.size}` : "";
    if (now !== stamp) {
      stamp = now;
      rules = parseConf(readText(CONF) ?? "");
    }
    return rules;
  };
}

/** mdev -d: a coldplug scan, then every uevent the kernel sends, until a signal. */
async function daemon(ctx: Context, log: { verbose: boolean; syslog: boolean }): Promise<number> {
  const say = async (msg: string, pri = LOG_INFO) => {
    if (log.syslog) syslog(LOG_DAEMON | pri, "mdev", msg, ctx.env);
    await ctx.stderr.write(`mdev: ${msg}\n`);
  };
  // Listening before the scan, so that nothing falls between the two.
  const sock = ueventSocket();
  const rules = ruleSource();
  await coldplug(ctx, rules());
  let stop = false;
  const onSignal = () => void (stop = true);
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, onSignal);
  ctx.signal?.addEventListener("abort", onSignal);
  const buf = new Uint8Array(UEVENT_BUFFER);
  const from = new Uint8Array(SOCKADDR_NL_SIZE);
  try {
    while (!stop) {
      if (pollFd(sock, POLLIN, 250)) {
        for (let n; (n = recvDatagram(sock, buf, from)) >= 0; ) {
          // Only the kernel may say what a device is: root in a container could multicast too.
          if (netlinkSenderPort(from) !== 0) continue;
          const env = parseUevent(Buffer.from(buf.subarray(0, n)));
          if (!env) continue;
          if (log.verbose) await say(`${env.ACTION} ${env.DEVPATH}`);
          try {
            await hotplug(ctx, env, rules());
          } catch (err) {
            // One device that cannot be made must not end the daemon.
            await say(`${env.DEVPATH}: ${(err as Error).message}`, LOG_ERR);
          }
        }
      }
      await new Promise((r) => setImmediate(r)); // let signal handlers run
    }
  } finally {
    fs.closeSync(sock);
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.off(sig, onSignal);
  }
  return 0;
}

defineApplet({
  name: "mdev",
  dir: "/sbin",
  usage: "[-vS] { [-s] | [-df] }",
  summary: "mdev -s is to be run during boot to scan /sys and populate /dev.\n\nBare mdev is a kernel hotplug helper.",
  options: ["-v  Verbose", "-S  Log to syslog too", "-s  Scan /sys and populate /dev", "-d  Daemon, listen on netlink", "-f  Run in foreground"],
  async run(ctx, opts) {
    if (opts.d) {
      if (opts.f) return daemon(ctx, { verbose: !!opts.v, syslog: !!opts.S });
      // Return once /dev is complete, as BusyBox does; the daemon scans again
      // after it starts listening, for what came in between.
      await coldplug(ctx, parseConf(readText(CONF) ?? ""));
      respawnInBackground(ctx, "-f");
      return 0;
    }
    const rules = parseConf(readText(CONF) ?? "");
    if (opts.s) {
      await coldplug(ctx, rules);
      return 0;
    }
    if (!ctx.env.ACTION || !ctx.env.DEVPATH) throw new UsageError();
    await hotplug(ctx, ctx.env, rules);
    return 0;
  },
});
