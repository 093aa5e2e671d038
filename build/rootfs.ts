// The root filesystem of an image, as a list of entries: the /etc skeleton
// from rootfs/, pika and a link per applet, the pre-init, musl's loader and the
// libstdc++ the Bun runtime needs. Sorted and owned by root, so that the same
// inputs always give the same archive.
import * as fs from "node:fs";
import * as path from "node:path";
import "../applets/index.ts";
import { appletNames, loadAllApplets } from "../lib/applet.ts";
import { appletDir } from "../lib/multicall.ts";
import type { CpioEntry } from "./cpio.ts";
import { ARCH_INFO, type Arch } from "./arch.ts";
import { ROOT } from "./compile.ts";

export interface RootfsInputs {
  arch: Arch;
  pika: string;
  preinit: string;
  muslLoader: string;
  libstdcxx: string;
}

const DIRS: [string, number][] = [
  ["/bin", 0o755], ["/sbin", 0o755], ["/usr", 0o755], ["/usr/bin", 0o755], ["/usr/sbin", 0o755],
  ["/usr/lib", 0o755], ["/lib", 0o755], ["/etc", 0o755], ["/dev", 0o755], ["/proc", 0o555],
  ["/sys", 0o555], ["/run", 0o755], ["/tmp", 0o1777], ["/root", 0o700], ["/home", 0o755],
  ["/var", 0o755], ["/var/log", 0o755], ["/var/run", 0o755], ["/mnt", 0o755], ["/media", 0o755],
];

// Files that must not be world-readable.
const MODES: Record<string, number> = { "/etc/shadow": 0o640 };

/** Every file under rootfs/, as image paths. */
function skeleton(): CpioEntry[] {
  const base = path.join(ROOT, "rootfs");
  const out: CpioEntry[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = "/" + path.relative(base, full);
      const st = fs.lstatSync(full);
      if (st.isDirectory()) {
        out.push({ type: "dir", path: rel, mode: st.mode & 0o7777 });
        walk(full);
      } else if (st.isSymbolicLink()) out.push({ type: "symlink", path: rel, target: fs.readlinkSync(full) });
      else out.push({ type: "file", path: rel, data: fs.readFileSync(full), mode: MODES[rel] ?? (st.mode & 0o111 ? 0o755 : 0o644) });
    }
  };
  walk(base);
  return out;
}

export async function rootfsEntries(inputs: RootfsInputs): Promise<CpioEntry[]> {
  await loadAllApplets();
  const info = ARCH_INFO[inputs.arch];
  const entries = new Map<string, CpioEntry>();
  const add = (e: CpioEntry) => entries.set(e.path, e);
  for (const [p, mode] of DIRS) add({ type: "dir", path: p, mode });
  for (const e of skeleton()) add(e);
  // The kernel opens /dev/console for init before devtmpfs is mounted.
  add({ type: "chardev", path: "/dev/console", major: 5, minor: 1, mode: 0o600 });
  add({ type: "chardev", path: "/dev/null", major: 1, minor: 3, mode: 0o666 });
  add({ type: "file", path: "/bin/pika", data: fs.readFileSync(inputs.pika), mode: 0o755 });
  for (const name of appletNames()) {
    const link = path.posix.join(appletDir(name), name);
    add({ type: "symlink", path: link, target: "/bin/pika" });
  }
  add({ type: "file", path: "/init", data: fs.readFileSync(inputs.preinit), mode: 0o755 });
  add({ type: "file", path: `/lib/${info.muslLoader}`, data: fs.readFileSync(inputs.muslLoader), mode: 0o755 });
  add({ type: "symlink", path: `/lib/${info.muslLibc}`, target: info.muslLoader });
  add({ type: "file", path: "/usr/lib/libstdc++.so.6", data: fs.readFileSync(inputs.libstdcxx), mode: 0o755 });
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
