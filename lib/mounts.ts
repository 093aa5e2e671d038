// Mount options as mount(8) spells them, turned into mount(2) flags plus the
// filesystem-specific data string; and the table of current mounts.
import * as fs from "node:fs";
import { MS } from "./syscalls.ts";

const FLAG_OPTIONS: Record<string, [set: number, clear: number]> = {
  ro: [MS.RDONLY, 0], rw: [0, MS.RDONLY],
  nosuid: [MS.NOSUID, 0], suid: [0, MS.NOSUID],
  nodev: [MS.NODEV, 0], dev: [0, MS.NODEV],
  noexec: [MS.NOEXEC, 0], exec: [0, MS.NOEXEC],
  sync: [MS.SYNCHRONOUS, 0], async: [0, MS.SYNCHRONOUS],
  remount: [MS.REMOUNT, 0], bind: [MS.BIND, 0], rbind: [MS.BIND | MS.REC, 0], move: [MS.MOVE, 0],
  noatime: [MS.NOATIME, 0], atime: [0, MS.NOATIME], nodiratime: [MS.NODIRATIME, 0], diratime: [0, MS.NODIRATIME],
  relatime: [MS.RELATIME, 0], norelatime: [0, MS.RELATIME], strictatime: [MS.STRICTATIME, 0],
  lazytime: [MS.LAZYTIME, 0], dirsync: [MS.DIRSYNC, 0], mand: [MS.MANDLOCK, 0], nomand: [0, MS.MANDLOCK],
  private: [MS.PRIVATE, 0], rprivate: [MS.PRIVATE | MS.REC, 0], shared: [MS.SHARED, 0], rshared: [MS.SHARED | MS.REC, 0],
  slave: [MS.SLAVE, 0], rslave: [MS.SLAVE | MS.REC, 0],
  defaults: [0, 0], auto: [0, 0], noauto: [0, 0], user: [0, 0], nouser: [0, 0], _netdev: [0, 0], nofail: [0, 0],
};

export function parseMountOptions(options: string[]): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const o of options.flatMap((s) => s.split(",")).filter(Boolean)) {
    const f = FLAG_OPTIONS[o];
    if (f) flags = (flags | f[0]) & ~f[1];
    else data.push(o);
  }
  return { flags, data: data.join(",") };
}

export interface MountEntry { source: string; target: string; fstype: string; options: string }

/** /proc/mounts (or another mtab-format file), with octal escapes undone. */
export function readMounts(file = "/proc/mounts"): MountEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const [source, target, fstype, options] = l.split(/\s+/);
      return { source: unescape(source), target: unescape(target), fstype, options };
    });
}
