// Boot an image in QEMU with files layered over its initramfs, as the boot
// tests do (test/helpers/qemu.ts), but keep the time each console line
// arrived at, so that start-up phases can be timed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { CpioWriter, type CpioEntry } from "../build/cpio.ts";
import { machineArch, outDir, qemuCommand, type Machine } from "../build/qemu.ts";

export type Overlay = Record<string, string | { data: Uint8Array; mode: number }>;

export interface ConsoleLine {
  /** Milliseconds since QEMU was started. */
  ms: number;
  text: string;
}

export interface TimedBoot {
  lines: ConsoleLine[];
  /** When the console (its lines and the unfinished one) first matched `stopAt`, after which QEMU was stopped. */
  stopMs?: number;
  exitCode: number | null;
  timedOut: boolean;
  totalMs: number;
}

/** A gzipped cpio of the overlay files (and their directories); later archives win. */
function overlayArchive(files: Overlay): Uint8Array {
  const w = new CpioWriter();
  const dirs = new Set<string>();
  const entries: CpioEntry[] = [];
  for (const [p, v] of Object.entries(files).sort()) {
    for (let d = path.posix.dirname(p); d !== "/" && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
    const { data, mode } = typeof v === "string" ? { data: Buffer.from(v), mode: 0o644 } : v;
    entries.push({ type: "file", path: p, data, mode });
  }
  for (const d of [...dirs].sort()) w.add({ type: "dir", path: d });
  for (const e of entries) w.add(e);
  return gzipSync(w.finish(), { level: 1 });
}

/**
 * Boots `machine` with `overlay` over its initramfs until QEMU exits, or until
 * the console shows `stopAt` (a prompt, that ends no line).
 */
export async function bootTimed(machine: Machine, overlay: Overlay, timeoutMs: number, stopAt?: RegExp): Promise<TimedBoot> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pika-bench-boot-"));
  try {
    const initrd = path.join(tmp, "initramfs.cpio.gz");
    const base = fs.readFileSync(path.join(outDir(machineArch(machine)), "initramfs.cpio.gz"));
    fs.writeFileSync(initrd, Buffer.concat([base, overlayArchive(overlay)]));
    const [cmd, ...args] = qemuCommand({ machine, initrd });
    return await runTimed(cmd, args, timeoutMs, stopAt);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function runTimed(cmd: string, args: string[], timeoutMs: number, stopAt?: RegExp): Promise<TimedBoot> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const lines: ConsoleLine[] = [];
    let partial = "";
    let timedOut = false;
    let stopMs: number | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    // A line's time is when its end arrived.
    const onData = (b: Buffer) => {
      const ms = performance.now() - t0;
      const parts = (partial + b.toString("utf8")).replace(/\r/g, "").split("\n");
      partial = parts.pop()!;
      for (const text of parts) lines.push({ ms, text });
      if (stopAt && stopMs === undefined && (stopAt.test(partial) || parts.some((t) => stopAt.test(t)))) {
        stopMs = ms;
        child.kill("SIGKILL");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (partial) lines.push({ ms: performance.now() - t0, text: partial });
      resolve({ lines, stopMs, exitCode: code, timedOut, totalMs: performance.now() - t0 });
    });
  });
}

/** When the first console line matching `re` arrived, in ms since QEMU started. */
export function lineTime(boot: TimedBoot, re: RegExp): number | undefined {
  return boot.lines.find((l) => re.test(l.text))?.ms;
}
