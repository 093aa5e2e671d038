// Applies a recipe to the base root filesystem (build/rootfs.ts): host name,
// time zone, users and groups, runlevel links, sysctl, extra files and
// overlays. Works on the entry list, so every output (cpio, squashfs, tar)
// gets exactly the same tree.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CpioEntry } from "./cpio.ts";
import type { Recipe } from "./recipe.ts";

type Entries = Map<string, CpioEntry>;

const text = (s: string) => Buffer.from(s);
const fileText = (m: Entries, p: string): string => {
  const e = m.get(p);
  return e && e.type === "file" ? Buffer.from(e.data).toString("utf8") : "";
};

/** Adds `p`'s missing parent directories (root-owned, 0755). */
function parents(m: Entries, p: string): void {
  for (let d = path.posix.dirname(p); d !== "/"; d = path.posix.dirname(d)) {
    if (!m.has(d)) m.set(d, { type: "dir", path: d, mode: 0o755 });
  }
}

function put(m: Entries, e: CpioEntry): void {
  parents(m, e.path);
  m.set(e.path, e);
}

/** Rows of a colon-separated database (passwd, group, shadow), comments dropped. */
const rows = (s: string) => s.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(":"));
const unrows = (r: string[][]) => r.map((f) => f.join(":")).join("\n") + "\n";

function freeId(used: Set<number>): number {
  let id = 1000;
  while (used.has(id)) id++;
  used.add(id);
  return id;
}

/** /etc/passwd, /etc/group, /etc/shadow and home directories with authorized_keys. */
function accounts(m: Entries, r: Recipe): void {
  const passwd = rows(fileText(m, "/etc/passwd"));
  const group = rows(fileText(m, "/etc/group"));
  const shadow = rows(fileText(m, "/etc/shadow"));
  const uids = new Set(passwd.map((f) => Number(f[2])));
  const gids = new Set(group.map((f) => Number(f[2])));
  const groupRow = (name: string) => group.find((g) => g[0] === name);

  for (const g of r.groups) {
    const row = groupRow(g.name) ?? (group.push([g.name, "x", String(g.gid ?? freeId(gids)), ""]), group[group.length - 1]);
    if (g.gid !== undefined) row[2] = String(g.gid);
    gids.add(Number(row[2]));
    row[3] = [...new Set([...row[3].split(",").filter(Boolean), ...g.members])].join(",");
  }
  // Root stays locked ("!") unless the recipe gives it a hash; with SSH keys
  // only, "*" (no password, but not a locked account to sshd).
  const root = r.users.find((u) => u.name === "root");
  const rootShadow = shadow.find((s) => s[0] === "root");
  if (rootShadow) rootShadow[1] = root?.password ?? (root?.sshKeys.length ? "*" : "!");

  for (const u of r.users) {
    let pw = passwd.find((p) => p[0] === u.name);
    if (!pw) {
      const uid = u.uid ?? freeId(uids);
      uids.add(uid);
      let gid = u.gid;
      if (gid === undefined) {
        // A personal group of the same name, as adduser makes.
        const own = groupRow(u.name);
        gid = own ? Number(own[2]) : gids.has(uid) ? freeId(gids) : uid;
        if (!own) { group.push([u.name, "x", String(gid), ""]); gids.add(gid); }
      }
      pw = [u.name, "x", String(uid), String(gid), u.name, u.home ?? `/home/${u.name}`, u.shell];
      passwd.push(pw);
      shadow.push([u.name, u.password ?? "*", "0", "0", "99999", "7", "", "", ""]);
    } else {
      if (u.uid !== undefined) pw[2] = String(u.uid);
      if (u.gid !== undefined) pw[3] = String(u.gid);
      if (u.home) pw[5] = u.home;
      pw[6] = u.shell;
      const s = shadow.find((x) => x[0] === u.name);
      if (s && u.name !== "root") s[1] = u.password ?? s[1];
    }
    for (const gname of u.groups) {
      const g = groupRow(gname);
      if (!g) throw new Error(`${r.file}: users: ${u.name}: group "${gname}" does not exist (add it under groups)`);
      g[3] = [...new Set([...g[3].split(",").filter(Boolean), u.name])].join(",");
    }
    const uid = Number(pw[2]), gid = Number(pw[3]), home = pw[5];
    if (home !== "/" && !m.has(home)) put(m, { type: "dir", path: home, mode: 0o750, uid, gid });
    if (u.sshKeys.length) {
      put(m, { type: "dir", path: `${home}/.ssh`, mode: 0o700, uid, gid });
      put(m, { type: "file", path: `${home}/.ssh/authorized_keys`, data: text(u.sshKeys.join("\n") + "\n"), mode: 0o600, uid, gid });
    }
  }
  put(m, { type: "file", path: "/etc/passwd", data: text(unrows(passwd)), mode: 0o644 });
  put(m, { type: "file", path: "/etc/group", data: text(unrows(group)), mode: 0o644 });
  put(m, { type: "file", path: "/etc/shadow", data: text(unrows(shadow)), mode: 0o640 });
}

/** Every file of an overlay directory, owned by root, modes as on disk. */
function overlay(m: Entries, dir: string): void {
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const p = "/" + path.relative(dir, full);
      const st = fs.lstatSync(full);
      if (st.isDirectory()) { put(m, { type: "dir", path: p, mode: st.mode & 0o7777 }); walk(full); }
      else if (st.isSymbolicLink()) put(m, { type: "symlink", path: p, target: fs.readlinkSync(full) });
      else put(m, { type: "file", path: p, data: fs.readFileSync(full), mode: st.mode & 0o7777 });
    }
  };
  walk(dir);
}

export interface RecipeExtras {
  /** usr/share/zoneinfo of Debian's tzdata, when the recipe names a zone. */
  zoneinfo?: string;
  /** Kernel module entries (build/modules.ts) and the module names to load at boot. */
  modules?: { entries: CpioEntry[]; load: string[] };
}

/**
 * Modules named by the recipe load at boot: /etc/modules lists them and the
 * `modules` service joins the boot runlevel, unless the recipe places that
 * service itself (in any runlevel). A recipe's own /etc/modules (files, overlays) wins.
 */
function bootModules(m: Entries, r: Recipe, load: string[]): void {
  if (!load.length) return;
  put(m, { type: "file", path: "/etc/modules", data: text(load.map((n) => `${n}\n`).join("")), mode: 0o644 });
  if (!Object.values(r.services).some((list) => list.includes("modules"))) {
    put(m, { type: "symlink", path: "/etc/runlevels/boot/modules", target: "/etc/init.d/modules" });
  }
}

export function applyRecipe(base: CpioEntry[], r: Recipe, extras: RecipeExtras = {}): CpioEntry[] {
  const m: Entries = new Map(base.map((e) => [e.path, e]));
  put(m, { type: "file", path: "/etc/hostname", data: text(`${r.hostname}\n`), mode: 0o644 });
  if (r.timezone) {
    const zone = path.join(extras.zoneinfo ?? "", r.timezone);
    if (!extras.zoneinfo || !fs.existsSync(zone) || !fs.statSync(zone).isFile()) {
      throw new Error(`${r.file}: timezone: "${r.timezone}" is not a zone in Debian's tzdata`);
    }
    put(m, { type: "file", path: "/etc/localtime", data: fs.readFileSync(zone), mode: 0o644 });
    put(m, { type: "file", path: "/etc/timezone", data: text(`${r.timezone}\n`), mode: 0o644 });
  }
  accounts(m, r);
  // OpenRC's layout: /etc/runlevels/<level>/<service> -> /etc/init.d/<service> (or the
  // YAML service /etc/pika/services/<service>.yaml, as rc-update links it).
  for (const level of ["sysinit", "boot", "default", "shutdown"]) put(m, { type: "dir", path: `/etc/runlevels/${level}`, mode: 0o755 });
  put(m, { type: "dir", path: "/etc/init.d", mode: 0o755 });
  for (const [level, services] of Object.entries(r.services)) {
    put(m, { type: "dir", path: `/etc/runlevels/${level}`, mode: 0o755 });
    for (const s of services) {
      const yaml = `/etc/pika/services/${s}.yaml`;
      const target = !m.has(`/etc/init.d/${s}`) && m.has(yaml) ? yaml : `/etc/init.d/${s}`;
      put(m, { type: "symlink", path: `/etc/runlevels/${level}/${s}`, target });
    }
  }
  const sysctl = Object.entries(r.sysctl);
  if (sysctl.length) put(m, { type: "file", path: "/etc/sysctl.conf", data: text(sysctl.map(([k, v]) => `${k} = ${v}\n`).join("")), mode: 0o644 });
  for (const e of extras.modules?.entries ?? []) put(m, e);
  bootModules(m, r, extras.modules?.load ?? []);
  for (const dir of r.overlays) overlay(m, dir);
  for (const f of r.files) {
    const data = f.content !== undefined ? text(f.content) : fs.readFileSync(f.source!);
    const mode = f.mode ?? (f.source && fs.statSync(f.source).mode & 0o111 ? 0o755 : 0o644);
    put(m, { type: "file", path: f.path, data, mode, uid: f.uid, gid: f.gid });
  }
  return [...m.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
