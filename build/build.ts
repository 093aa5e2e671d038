// Build everything an image needs, for one architecture or all:
//   bun build/build.ts [x86_64|aarch64|all|host] [--host]
// Outputs: out/<arch>/{pika,vmlinuz,initramfs.cpio.gz} (+ dtbs/ on aarch64),
// and with --host, out/host/pika for the integration tests.
import * as fs from "node:fs";
import * as path from "node:path";
import { ARCHES, parseArch, type Arch } from "./arch.ts";
import { compilePika, hostBinaryPath, ROOT } from "./compile.ts";
import { packInitramfs, writeAtomically } from "./initramfs.ts";
import { buildPreinit } from "./preinit.ts";
import { rootfsEntries } from "./rootfs.ts";
import { prepare } from "./toolchain.ts";

function step(arch: string, message: string): void {
  process.stderr.write(`[build ${arch}] ${message}\n`);
}

async function timedStep<T>(arch: string, what: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  step(arch, `${what} ...`);
  const r = await fn();
  step(arch, `${what}: done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return r;
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export async function buildArch(arch: Arch): Promise<void> {
  const out = path.join(ROOT, "out", arch);
  fs.mkdirSync(out, { recursive: true });
  const tc = await timedStep(arch, "toolchain (Bun runtime, kernel, musl, libstdc++)", () => prepare(arch));
  const [pika, preinit] = await Promise.all([
    timedStep(arch, "compiling pika", () => compilePika({ arch, runtime: tc.bunRuntime, outfile: path.join(out, "pika") })),
    buildPreinit(arch),
  ]);
  const initramfs = await timedStep(arch, "packing initramfs", async () =>
    packInitramfs(await rootfsEntries({ arch, pika, preinit, muslLoader: tc.muslLoader, libstdcxx: tc.libstdcxx })),
  );
  writeAtomically(path.join(out, "initramfs.cpio.gz"), initramfs);
  fs.copyFileSync(tc.kernel.vmlinuz, path.join(out, "vmlinuz"));
  if (tc.kernel.dtbDir) {
    fs.rmSync(path.join(out, "dtbs"), { recursive: true, force: true });
    fs.cpSync(tc.kernel.dtbDir, path.join(out, "dtbs"), { recursive: true });
  }
  step(arch, `kernel ${tc.kernel.version}; pika ${mib(fs.statSync(pika).size)}; initramfs ${mib(initramfs.length)} -> out/${arch}/`);
}

async function main(args: string[]): Promise<void> {
  const which = args.find((a) => !a.startsWith("--")) ?? "all";
  // "host" alone compiles only out/host/pika (a second, for quick test runs).
  const arches = which === "all" ? ARCHES : which === "host" ? [] : [parseArch(which)];
  if (which === "host") args.push("--host");
  const t0 = performance.now();
  if (args.includes("--host")) await timedStep("host", "compiling pika for this machine", () => compilePika({ outfile: hostBinaryPath() }));
  // One architecture after the other: each step already uses both cores.
  for (const arch of arches) await buildArch(arch);
  process.stderr.write(`[build] done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`build: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  });
}
