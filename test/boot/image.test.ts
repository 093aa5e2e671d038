// Boot tests of the images people flash: the x86_64 disk through its own boot
// loaders (BIOS: syslinux, UEFI: systemd-boot on OVMF; no -kernel), the
// qemu-aarch64 recipe's initramfs and its disk (UEFI: edk2, systemd-boot), and a
// Raspberry Pi 3 from the kernel, device tree and initramfs read back out of the
// SD card image's FAT partition; and
// the squashfs root mode, whose /data partition must survive a reboot.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { debianPackage } from "../../build/debian.ts";
import { fatRead } from "../../build/fat.ts";
import { buildImage, extractPartition, FIRST_PARTITION, gptPartitions, mbrPartitions, pikaFor, type PartitionEntry } from "../helpers/image.ts";

const INITTAB = `
::sysinit:/bin/echo PIKA-IMAGE-TEST sysinit ran
::wait:/bin/cat /etc/hostname
::wait:/bin/readlink /etc/runlevels/default/sshd
::once:/sbin/poweroff
`;

const recipe = (board: string, outputs: string, cmdline: string) => `
board: ${board}
outputs: [${outputs}]
hostname: imagetest
kernel:
  cmdline: ${cmdline}
services:
  default: [sshd]
files:
  - path: /etc/inittab
    content: |${INITTAB.replace(/\n/g, "\n      ")}
`;

async function qemu(args: string[], timeoutMs: number, until?: RegExp): Promise<{ console: string; exitCode: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(args[0], args.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString("utf8");
      if (until?.test(out)) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => { clearTimeout(timer); resolve({ console: out.replace(/\r/g, ""), exitCode: code, timedOut }); });
  });
}

function expectPoweroff(r: { console: string; exitCode: number | null; timedOut: boolean }, arch: string): void {
  expect(r.console).toMatch(new RegExp(`Pika Linux [\\d.]+ init \\(PID 1\\) on ${arch}`));
  expect(r.console).toContain("PIKA-IMAGE-TEST sysinit ran");
  expect(r.console).toMatch(/^imagetest$/m);
  expect(r.console).toMatch(/^\/etc\/init\.d\/sshd$/m);
  expect(r.console).toMatch(/reboot: Power down/);
  expect(r.console).not.toMatch(/Kernel panic/);
  expect(r.timedOut).toBe(false);
  expect(r.exitCode).toBe(0);
}

const X86 = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-cpu", "max", "-m", "1024", "-nographic", "-no-reboot"];

describe.runIf(fs.existsSync(pikaFor("x86_64")))("x86_64 disk image (no -kernel)", () => {
  let disk = "";
  beforeAll(async () => {
    const b = await buildImage("disk", recipe("x86_64", "disk", "console=ttyS0 panic=-1"), "x86_64");
    disk = path.join(b.dir, "disk.img");
    expect(fs.existsSync(`${disk}.manifest.json`)).toBe(true);
  }, 240_000);

  it("boots with BIOS (syslinux) and powers off cleanly", async () => {
    const r = await qemu([...X86, "-drive", `file=${disk},format=raw,snapshot=on`], 240_000);
    expect(r.console).toContain("SYSLINUX");
    expectPoweroff(r, "x86_64");
  }, 300_000);

  it.runIf(fs.existsSync("/usr/share/ovmf/OVMF.fd"))("boots with UEFI (OVMF, systemd-boot) and powers off cleanly", async () => {
    const r = await qemu([...X86, "-bios", "/usr/share/ovmf/OVMF.fd", "-drive", `file=${disk},format=raw,snapshot=on`], 240_000);
    expect(r.console).toContain("EFI stub");
    expectPoweroff(r, "x86_64");
  }, 300_000);
});

// Run twice on one disk: the first boot writes /data/marker and a file under
// /etc, then `restart`s; the second finds the marker but not the /etc file
// (that lived in the tmpfs overlay), then runs `end`.
const squashfsCheck = (restart: string, end: string) => `
echo "SQ-ROOT-FS $(grep ' / ' /proc/mounts | cut -d' ' -f3)"
echo "SQ-LOWER $(grep ' /media/root-ro ' /proc/mounts | cut -d' ' -f3,4 | cut -d, -f1)"
echo "SQ-DATA $(grep ' /data ' /proc/mounts | cut -d' ' -f1,3)"
if touch /media/root-ro/probe 2>/dev/null; then echo SQ-LOWER-WRITABLE; else echo SQ-LOWER-READONLY; fi
if [ -e /etc/volatile ]; then echo SQ-ETC-KEPT; fi
if [ -f /data/marker ]; then
  echo "SQ-SECOND-BOOT found $(cat /data/marker)"
  ${end}
else
  echo written-on-first-boot > /data/marker
  touch /etc/volatile && echo SQ-OVERLAY-WRITABLE
  echo SQ-FIRST-BOOT
  ${restart}
fi
`;

const squashfsRecipe = (board: string, outputs: string, cmdline: string, check: string) => `
board: ${board}
outputs: [${outputs}]
hostname: sqtest
kernel:
  cmdline: ${cmdline}
root:
  mode: squashfs
  data_size: 16M
files:
  - path: /etc/inittab
    content: |
      ::wait:/bin/sh /etc/sqcheck.sh
  - path: /etc/sqcheck.sh
    content: |${check.replace(/\n/g, "\n      ")}
`;

/** What both boots of the squashfs check printed: / an overlay on a read-only squashfs, /data kept. */
function expectSquashfsBoots(console: string, dev: string): void {
  const firstBoot = console.indexOf("SQ-FIRST-BOOT");
  expect(firstBoot).toBeGreaterThan(0);
  expect(console.indexOf("SQ-SECOND-BOOT")).toBeGreaterThan(firstBoot);
  expect(console).toContain(`preinit: root: squashfs /dev/${dev}2 read-only, with a tmpfs overlay`);
  expect(console.match(/^SQ-ROOT-FS overlay$/gm)).toHaveLength(2);
  expect(console.match(/^SQ-LOWER squashfs ro$/gm)).toHaveLength(2);
  expect(console.match(new RegExp(`^SQ-DATA /dev/${dev}3 ext4$`, "gm"))).toHaveLength(2);
  expect(console.match(/^SQ-LOWER-READONLY$/gm)).toHaveLength(2);
  expect(console).not.toContain("SQ-LOWER-WRITABLE");
  expect(console).toContain("SQ-OVERLAY-WRITABLE");
  expect(console).toMatch(/^SQ-SECOND-BOOT found written-on-first-boot$/m);
  expect(console).not.toContain("SQ-ETC-KEPT");
  expect(console).not.toMatch(/Kernel panic/);
}

/** The marker is on the disk itself, in a data filesystem left clean (unmounted). */
function expectMarkerOnDisk(disk: string, part: PartitionEntry, scratch: string): void {
  extractPartition(disk, part, scratch);
  execFileSync("e2fsck", ["-fn", scratch], { stdio: "pipe" });
  expect(execFileSync("debugfs", ["-R", "cat /marker", scratch], { stdio: ["ignore", "pipe", "ignore"] }).toString()).toBe("written-on-first-boot\n");
}

describe.runIf(fs.existsSync(pikaFor("x86_64")))("x86_64 disk image, squashfs root", () => {
  it("boots a read-only squashfs root under an overlay, and keeps /data across a reboot", async () => {
    const b = await buildImage("sq", squashfsRecipe("x86_64", "disk", "console=ttyS0 panic=-1", squashfsCheck("reboot", "poweroff")), "x86_64");
    const disk = path.join(b.dir, "sq.img");
    const parts = gptPartitions(disk);
    expect(parts.map((p) => p.name)).toEqual(["pika-boot", "pika-root", "pika-data"]);
    expect(parts[2].size).toBe(16 << 20);
    const m = JSON.parse(fs.readFileSync(`${disk}.manifest.json`, "utf8"));
    expect(m.totals.squashfs).toBeGreaterThan(0);
    expect(m.packages).toHaveProperty(["squashfs-tools (host)"]);

    // No -no-reboot and no snapshot: the guest's reboot restarts it on the same, written, disk.
    const r = await qemu([...X86.filter((a) => a !== "-no-reboot"), "-drive", `file=${disk},format=raw`], 600_000);
    expectSquashfsBoots(r.console, "sda");
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expectMarkerOnDisk(disk, parts[2], path.join(b.dir, "data.ext4"));
  }, 900_000);
});

describe.runIf(fs.existsSync(pikaFor("aarch64")))("aarch64 images", () => {
  it("qemu-aarch64: boots the recipe's initramfs on QEMU virt and powers off", async () => {
    const b = await buildImage("virt", recipe("qemu-aarch64", "initramfs", "console=ttyAMA0 panic=-1"), "aarch64");
    const r = await qemu([
      "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-m", "1024", "-nographic", "-no-reboot",
      "-kernel", path.join(b.dir, "virt.vmlinuz"), "-initrd", path.join(b.dir, "virt.initramfs.cpio.gz"),
      "-append", "console=ttyAMA0 panic=-1",
    ], 240_000);
    expectPoweroff(r, "aarch64");
  }, 420_000);

  it("qemu-aarch64 disk: edk2 (Debian's qemu-efi-aarch64) boots systemd-boot from the GPT disk, no -kernel", async () => {
    const edk2 = path.join(await debianPackage("qemu-efi-aarch64", "arm64"), "usr/share/qemu-efi-aarch64/QEMU_EFI.fd");
    const b = await buildImage("virtdisk", recipe("qemu-aarch64", "disk", "console=ttyAMA0 panic=-1"), "aarch64");
    const disk = path.join(b.dir, "virtdisk.img");
    expect(gptPartitions(disk).map((p) => p.name)).toEqual(["pika-boot"]);
    const m = JSON.parse(fs.readFileSync(`${disk}.manifest.json`, "utf8"));
    expect(m.files.map((f: { path: string }) => f.path)).toContain("boot:/EFI/BOOT/BOOTAA64.EFI");
    expect(m.files.map((f: { path: string }) => f.path)).not.toContain("boot:/syslinux.cfg");
    const r = await qemu([
      "qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-m", "1024", "-nographic", "-no-reboot", "-bios", edk2,
      "-drive", `if=none,id=disk,file=${disk},format=raw,snapshot=on`, "-device", "virtio-blk-pci,drive=disk",
    ], 420_000);
    expect(r.console).toContain("EFI stub");
    expectPoweroff(r, "aarch64");
  }, 600_000);

  it("rpi3: boots raspi3b from the kernel, dtb and initramfs on the SD card's FAT", async () => {
    const b = await buildImage("pi", recipe("rpi3", "sdcard", "console=ttyAMA0,115200 panic=-1"), "aarch64");
    const card = path.join(b.dir, "pi.sdcard.img");
    // QEMU's SD emulation insists on a power-of-two card.
    expect(Math.log2(fs.statSync(card).size) % 1).toBe(0);
    const files: Record<string, string> = {};
    for (const f of ["vmlinuz", "initramfs.gz", "bcm2837-rpi-3-b.dtb", "cmdline.txt", "config.txt", "bootcode.bin", "start.elf", "fixup.dat"]) {
      files[f] = path.join(b.dir, `x-${f}`);
      await fatRead(card, FIRST_PARTITION, `/${f}`, files[f]);
    }
    const config = fs.readFileSync(files["config.txt"], "utf8");
    for (const line of ["arm_64bit=1", "enable_uart=1", "upstream_kernel=1", "kernel=vmlinuz", "initramfs initramfs.gz followkernel"]) {
      expect(config).toContain(line);
    }
    const r = await qemu([
      "qemu-system-aarch64", "-M", "raspi3b", "-m", "1024", "-nographic", "-no-reboot",
      "-kernel", files.vmlinuz, "-initrd", files["initramfs.gz"], "-dtb", files["bcm2837-rpi-3-b.dtb"],
      "-append", fs.readFileSync(files["cmdline.txt"], "utf8").trim(),
    ], 240_000, /init \(PID 1\)/);
    expect(r.console).toMatch(/Pika Linux [\d.]+ init \(PID 1\) on aarch64/);
    expect(r.console).not.toMatch(/Kernel panic/);
  }, 420_000);

  it("rpi3 squashfs: boots the SD card's root and data partitions on raspi3b, twice, keeping /data", async () => {
    // The Pi's reboot needs its watchdog driver, which QEMU runs can do without: boot the card twice instead.
    const check = squashfsCheck("umount /data && echo SQ-BOOT-DONE", "echo SQ-BOOT-DONE");
    const b = await buildImage("pisq", squashfsRecipe("rpi3", "sdcard", "console=ttyAMA0,115200 panic=-1", check), "aarch64");
    const card = path.join(b.dir, "pisq.sdcard.img");
    const parts = mbrPartitions(card);
    expect(parts.map((p) => p.type)).toEqual([0x0c, 0x83, 0x83]);
    const files: Record<string, string> = {};
    for (const f of ["vmlinuz", "initramfs.gz", "bcm2837-rpi-3-b.dtb", "cmdline.txt"]) {
      files[f] = path.join(b.dir, `x-${f}`);
      await fatRead(card, FIRST_PARTITION, `/${f}`, files[f]);
    }
    const cmdline = fs.readFileSync(files["cmdline.txt"], "utf8").trim();
    expect(cmdline).toContain("pika.root=PARTUUID=50494b41-02 pika.data=PARTUUID=50494b41-03");
    const boot = () => qemu([
      "qemu-system-aarch64", "-M", "raspi3b", "-m", "1024", "-nographic", "-no-reboot",
      "-kernel", files.vmlinuz, "-initrd", files["initramfs.gz"], "-dtb", files["bcm2837-rpi-3-b.dtb"],
      "-append", cmdline, "-drive", `file=${card},if=sd,format=raw`,
    ], 300_000, /SQ-BOOT-DONE/);
    const first = await boot();
    expect(first.timedOut).toBe(false);
    expectMarkerOnDisk(card, parts[2], path.join(b.dir, "data.ext4"));
    const second = await boot();
    expect(second.timedOut).toBe(false);
    expectSquashfsBoots(first.console + second.console, "mmcblk0p");
  }, 900_000);
});
