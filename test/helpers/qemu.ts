// Boot an image in QEMU with extra files layered on top of its initramfs (the
// kernel unpacks concatenated archives in order, later files winning), and
// collect the serial console until QEMU exits or a pattern shows up.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { CpioWriter, type CpioEntry } from "../../build/cpio.ts";
import { outDir, machineArch, qemuCommand, type Machine } from "../../build/qemu.ts";

export interface BootResult {
  console: string;
  /** QEMU's exit status, or null when the test stopped it. */
  exitCode: number | null;
  timedOut: boolean;
}

export interface BootOptions {
  machine: Machine;
  /** Files to add to (or replace in) the image, by absolute path. */
  overlay?: Record<string, string | Uint8Array | { data: string | Uint8Array; mode: number }>;
  append?: string[];
  timeoutMs: number;
  /** Stop QEMU as soon as the console matches this. */
  until?: RegExp;
  /** Typed on the serial console, in order: each text once the console (since the last step) matches. */
  type?: [RegExp, string][];
}

function overlayArchive(files: NonNullable<BootOptions["overlay"]>): Uint8Array {
  const w = new CpioWriter();
  const dirs = new Set<string>();
  const entries: CpioEntry[] = [];
  for (const [p, v] of Object.entries(files).sort()) {
    for (let d = path.posix.dirname(p); d !== "/" && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
    const { data, mode } = typeof v === "string" || v instanceof Uint8Array ? { data: v, mode: 0o644 } : v;
    entries.push({ type: "file", path: p, data: typeof data === "string" ? Buffer.from(data) : data, mode });
  }
  for (const d of [...dirs].sort()) w.add({ type: "dir", path: d });
  for (const e of entries) w.add(e);
  return gzipSync(w.finish());
}

export function imageExists(machine: Machine): boolean {
  return fs.existsSync(path.join(outDir(machineArch(machine)), "initramfs.cpio.gz"));
}

export async function boot(o: BootOptions): Promise<BootResult> {
  const base = path.join(outDir(machineArch(o.machine)), "initramfs.cpio.gz");
  let initrd = base;
  let tmpDir: string | undefined;
  if (o.overlay) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "pika-boot-"));
    initrd = path.join(tmpDir, "initramfs.cpio.gz");
    fs.writeFileSync(initrd, Buffer.concat([fs.readFileSync(base), overlayArchive(o.overlay)]));
  }
  const [cmd, ...args] = qemuCommand({ machine: o.machine, initrd, append: o.append });
  try {
    return await new Promise<BootResult>((resolve) => {
      const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, o.timeoutMs);
      const steps = [...(o.type ?? [])];
      let seen = 0;
      const onData = (b: Buffer) => {
        out += b.toString("utf8");
        while (steps.length) {
          const m = steps[0][0].exec(out.slice(seen));
          if (!m) break;
          seen += m.index + m[0].length;
          child.stdin.write(steps.shift()![1]);
        }
        if (o.until && o.until.test(out)) child.kill("SIGKILL");
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ console: out.replace(/\r/g, ""), exitCode: code, timedOut });
      });
    });
  } finally {
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
