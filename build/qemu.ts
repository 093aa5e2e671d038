// How each supported machine is started in QEMU (TCG: KVM guests hang here).
// Shared by `npm run boot` and the boot tests, so both boot the same way.
import * as path from "node:path";
import type { Arch } from "./arch.ts";
import { ROOT } from "./compile.ts";

export type Machine = "x86_64" | "aarch64" | "raspi3b";

export interface QemuOptions {
  machine: Machine;
  /** Defaults to out/<arch>/initramfs.cpio.gz. */
  initrd?: string;
  /** Defaults to out/<arch>/vmlinuz. */
  kernel?: string;
  /** More QEMU arguments (disks, devices). */
  extra?: string[];
  /** Extra kernel command line words. */
  append?: string[];
  memoryMiB?: number;
}

export function machineArch(m: Machine): Arch {
  return m === "x86_64" ? "x86_64" : "aarch64";
}

export function outDir(arch: Arch): string {
  return path.join(ROOT, "out", arch);
}

/** The qemu-system command line; the serial console is on stdio. */
export function qemuCommand(o: QemuOptions): string[] {
  const arch = machineArch(o.machine);
  const out = outDir(arch);
  const initrd = o.initrd ?? path.join(out, "initramfs.cpio.gz");
  const common = ["-nographic", "-no-reboot", "-kernel", o.kernel ?? path.join(out, "vmlinuz"), "-initrd", initrd, ...(o.extra ?? [])];
  // panic=-1 turns a kernel panic into a reboot, which -no-reboot turns into an exit.
  const cmdline = (console: string) => ["-append", [`console=${console}`, "panic=-1", ...(o.append ?? [])].join(" ")];
  switch (o.machine) {
    case "x86_64":
      return ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-cpu", "max", "-m", String(o.memoryMiB ?? 1024), ...common, ...cmdline("ttyS0")];
    case "aarch64":
      return ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-m", String(o.memoryMiB ?? 1024), ...common, ...cmdline("ttyAMA0")];
    case "raspi3b":
      return [
        "qemu-system-aarch64", "-M", "raspi3b", "-m", "1024",
        "-dtb", path.join(out, "dtbs", "broadcom", "bcm2837-rpi-3-b.dtb"),
        ...common, ...cmdline("ttyAMA0"),
      ];
  }
}
