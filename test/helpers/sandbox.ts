// A throwaway root for system applets on the host: a tmpfs in a private mount
// namespace (`unshare --mount`), holding busybox-static, the host pika and the
// C library it needs, into which each command is chroot'ed. Whatever the
// command mounts or writes vanishes with the namespace.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { BUSYBOX, PIKA, tempDir, type Result } from "./run.ts";

export function sandboxSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root for unshare --mount";
  const r = spawnSync("unshare", ["--mount", "true"], { encoding: "utf8" });
  if (r.status !== 0) return `unshare --mount failed: ${(r.stderr || "").trim()}`;
  return undefined;
}

export interface SandboxOptions {
  /** Shell run (outside the chroot, cwd = the new root) before the command, e.g. to add files or bind mounts. */
  setup?: string;
  /** Bind the host's /sys (read-only) and /dev into the root; /proc is always there (Bun needs it). */
  proc?: boolean;
  sys?: boolean;
  dev?: boolean;
  /** More unshare flags, e.g. ["--uts"]. */
  unshare?: string[];
  env?: Record<string, string>;
  /** Shell run inside the namespace after the command (outside the chroot), its output on stdout after a marker. */
  after?: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run `which` (busybox or pika) APPLET ARGS chrooted into a fresh sandbox root.
 * The root has /bin/busybox, /bin/pika, /bin/APPLET -> the chosen one, and /lib{,64} for pika.
 */
export function inSandbox(which: "busybox" | "pika", applet: string, args: string[], o: SandboxOptions = {}): Result & { after: string } {
  const root = tempDir("pika-root-");
  const script = [
    "set -e",
    `mount -t tmpfs -o mode=755 sandbox ${q(root)}`,
    `cd ${q(root)}`,
    "mkdir -p bin sbin etc lib/x86_64-linux-gnu lib/aarch64-linux-gnu lib64 proc sys dev tmp",
    "touch bin/busybox bin/pika",
    `mount --bind ${BUSYBOX} bin/busybox`,
    `mount --bind ${q(PIKA)} bin/pika`,
    "for d in /lib/x86_64-linux-gnu /lib/aarch64-linux-gnu /lib64; do [ -d $d ] && mount --bind -o ro $d .$d || true; done",
    `ln -s ${which} bin/${applet}`,
    "mount --rbind /proc proc",
    o.sys ? "mount --rbind -o ro /sys sys" : "",
    o.dev ? "mount --rbind /dev dev" : "",
    o.setup ?? "",
    "set +e",
    `chroot . /bin/${applet} ${args.map(q).join(" ")}; rc=$?`,
    o.after ? `echo "@@AFTER@@"; ${o.after}` : "",
    "exit $rc",
  ].join("\n");
  try {
    const r = spawnSync("unshare", ["--mount", "--propagation", "private", ...(o.unshare ?? []), "sh", "-c", script], {
      encoding: "latin1", env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C", TZ: "UTC", ...o.env }, timeout: 60_000,
    });
    const [stdout, after = ""] = (r.stdout ?? "").split("@@AFTER@@\n");
    return { stdout, stderr: r.stderr ?? "", status: r.status, after };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
