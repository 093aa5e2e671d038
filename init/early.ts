// The first things PID 1 does: mount the pseudo-filesystems, /proc first
// (the Bun runtime needs it before process.execPath can be touched).
import * as fs from "node:fs";
import { log } from "./console.ts";
import { MS, mount } from "../lib/syscalls.ts";
import { readMounts } from "../lib/mounts.ts";

interface EarlyMount { source: string; target: string; fstype: string; flags: number; data?: string; mode?: number }

const EARLY_MOUNTS: EarlyMount[] = [
  { source: "proc", target: "/proc", fstype: "proc", flags: MS.NOSUID | MS.NODEV | MS.NOEXEC },
  { source: "sysfs", target: "/sys", fstype: "sysfs", flags: MS.NOSUID | MS.NODEV | MS.NOEXEC },
  { source: "devtmpfs", target: "/dev", fstype: "devtmpfs", flags: MS.NOSUID, data: "mode=0755" },
  { source: "devpts", target: "/dev/pts", fstype: "devpts", flags: MS.NOSUID | MS.NOEXEC, data: "gid=5,mode=0620,ptmxmode=0666" },
  { source: "tmpfs", target: "/dev/shm", fstype: "tmpfs", flags: MS.NOSUID | MS.NODEV, data: "mode=1777" },
  { source: "tmpfs", target: "/run", fstype: "tmpfs", flags: MS.NOSUID | MS.NODEV, data: "mode=0755" },
  { source: "tmpfs", target: "/tmp", fstype: "tmpfs", flags: MS.NOSUID | MS.NODEV, data: "mode=1777" },
];

function mountedTargets(): Set<string> {
  return new Set(readMounts().map((m) => m.target));
}

/** Mount what is not mounted yet; report, and go on past, what fails. */
export function mountPseudoFilesystems(): void {
  let mounted = new Set<string>();
  for (const m of EARLY_MOUNTS) {
    try {
      if (m.target !== "/proc" && mounted.has(m.target)) continue;
      if (m.target === "/proc" && fs.existsSync("/proc/self/stat")) {
        mounted = mountedTargets();
        continue;
      }
      fs.mkdirSync(m.target, { recursive: true, mode: m.mode ?? 0o755 });
      mount(m.source, m.target, m.fstype, m.flags, m.data ?? null);
      if (m.target === "/proc") mounted = mountedTargets();
    } catch (err) {
      log(`can't mount ${m.target}: ${err instanceof Error ? err.message : err}`);
    }
  }
}

/** pika.* options from the kernel command line (pika.inittab=FILE, ...). */
export function kernelOptions(): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const word of fs.readFileSync("/proc/cmdline", "utf8").trim().split(/\s+/)) {
      const m = /^pika\.([\w.-]+)(?:=(.*))?$/.exec(word);
      if (m) out[m[1]] = m[2] ?? "1";
    }
  } catch {}
  return out;
}
