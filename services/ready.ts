// Readiness of a YAML service (`ready:`): `rc-service NAME start` returns,
// and what needs NAME starts, only once the daemon is ready: a file exists,
// something listens on a TCP port on localhost, or (s6's notification-fd)
// the daemon wrote a newline to a descriptor it was given.
//
// The descriptor is a FIFO under /run/openrc/ready, opened read-write by the
// spawner (so opening never blocks and the newline stays in the pipe until
// read) and handed to the daemon as fd N; the waiter reads it after the start.
import * as fs from "node:fs";
import * as path from "node:path";
import { mknod } from "../lib/syscalls.ts";
import { SVCDIR } from "./paths.ts";

export type ReadyKind = "file" | "port" | "notify";

/** The FIFO a service's notification descriptor is. */
export function readyFifo(name: string): string {
  return path.join(SVCDIR, "ready", name);
}

const S_IFIFO = 0o010000;

/**
 * The stdio entries that give a daemon fd N on the FIFO (`N:FIFO`, from
 * --ready-fd), after its stdin, stdout and stderr; the caller closes it after the spawn.
 */
export function notifyFds(spec: string | undefined): { extra: ("ignore" | number)[] } {
  if (!spec) return { extra: [] };
  const m = /^(\d+):(\/.+)$/.exec(spec);
  if (!m || Number(m[1]) < 3) throw new Error(`--ready-fd: "${spec}" is not FD:FIFO with FD 3 or more`);
  const n = Number(m[1]), fifo = m[2];
  fs.mkdirSync(path.dirname(fifo), { recursive: true });
  if (!fs.existsSync(fifo)) mknod(fifo, S_IFIFO | 0o600);
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  return { extra: [...Array(n - 3).fill("ignore"), fd] };
}

/** Local ports in LISTEN state on a loopback or wildcard address (/proc/net/tcp and tcp6). */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(file, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== "0A") continue;
      const [addr, port] = f[1].split(":");
      if (reachableLocally(addr)) ports.add(parseInt(port, 16));
    }
  }
  return ports;
}

/** An address from /proc/net/tcp{,6} (hex, in host order per 32-bit word) that 127.0.0.1 or ::1 reaches. */
function reachableLocally(hex: string): boolean {
  if (/^0+$/.test(hex)) return true; // 0.0.0.0 or ::
  if (hex.length === 8) return hex.endsWith("7F"); // 127.x.x.x, little-endian
  if (hex === "00000000000000000000000001000000") return true; // ::1
  // ::ffff:127.x.x.x
  return hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F");
}

/** Ready yet? `value` is the path, the port, or the FIFO (already opened as `fifoFd`). */
function isReady(kind: ReadyKind, value: string, fifoFd: number | undefined): boolean {
  if (kind === "file") return fs.existsSync(value);
  if (kind === "port") return listeningPorts().has(Number(value));
  const buf = Buffer.alloc(256);
  try {
    const n = fs.readSync(fifoFd!, buf);
    return buf.subarray(0, n).includes(10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EAGAIN") return false;
    throw e;
  }
}

export function describeReady(kind: ReadyKind, value: string): string {
  return kind === "file" ? `${value} does not exist` : kind === "port" ? `nothing listens on port ${value}` : "no notification on its fd";
}

/** Wait until ready: true, or false once `timeout` seconds passed. Polls: the daemon owes us no wake-up. */
export async function waitReady(kind: ReadyKind, value: string, timeout: number): Promise<boolean> {
  const fifoFd = kind === "notify" ? fs.openSync(value, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK) : undefined;
  const deadline = Date.now() + timeout * 1000;
  try {
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      if (isReady(kind, value, fifoFd)) return true;
      if (Date.now() >= deadline) return false;
      await Bun.sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    }
  } finally {
    if (fifoFd !== undefined) fs.closeSync(fifoFd);
  }
}
