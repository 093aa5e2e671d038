// Raspberry Pi SD card: MBR with one FAT32 boot partition holding Debian's
// raspi-firmware (the GPU boot stages: bootcode.bin, start*.elf, fixup*.dat),
// the board's device trees from Debian's arm64 kernel, config.txt,
// cmdline.txt, the kernel and the initramfs. The firmware reads only MBR.
// In squashfs root mode the card also holds the root and data partitions (2, 3).
import * as fs from "node:fs";
import * as path from "node:path";
import { debianPackage } from "./debian.ts";
import { writeMbrDisk } from "./disk.ts";
import { makeFat, type FatFile } from "./fat.ts";
import { rootCompatible } from "./firmware.ts";
import { debVersion, hostToolVersions, manifest, timedStep, type Build } from "./image.ts";
import { bootFiles, rootfsFiles } from "./manifest.ts";
import type { Board } from "./recipe.ts";
import type { Kernel } from "./toolchain.ts";
import { buildSquashfsParts, SQUASHFS_TOOLS } from "./squashfs.ts";

/** The card's MBR disk signature ("PIKA"): squashfs mode finds its partitions by it. */
const SIGNATURE = 0x50494b41;

interface PiBoard {
  /** Upstream device tree names (config.txt upstream_kernel=1 makes the firmware use these). */
  dtbs: string[];
  firmware: string[];
}

const PI: Partial<Record<Board, PiBoard>> = {
  rpi3: {
    dtbs: ["bcm2837-rpi-3-b.dtb", "bcm2837-rpi-3-b-plus.dtb", "bcm2837-rpi-3-a-plus.dtb", "bcm2837-rpi-cm3-io3.dtb"],
    firmware: ["bootcode.bin", "start.elf", "fixup.dat"],
  },
  "rpi-zero2w": { dtbs: ["bcm2837-rpi-zero-2-w.dtb"], firmware: ["bootcode.bin", "start.elf", "fixup.dat"] },
  // The Pi 4's boot stage lives in its EEPROM: no bootcode.bin.
  rpi4: { dtbs: ["bcm2711-rpi-4-b.dtb", "bcm2711-rpi-400.dtb", "bcm2711-rpi-cm4-io.dtb"], firmware: ["start4.elf", "fixup4.dat"] },
};

/**
 * The boards' device tree compatibles, as drivers see them: the first string of
 * each shipped device tree's root (brcmfmac names its per-board files after it).
 * Empty for boards that are not Pis.
 */
export function boardCompatibles(board: Board, k: Kernel): string[] {
  return (PI[board]?.dtbs ?? []).map((d) => rootCompatible(fs.readFileSync(path.join(k.dtbDir!, "broadcom", d)))[0]).filter(Boolean);
}

export function configTxt(board: Board): string {
  return [
    `# Pika Linux on ${board}: read by the Raspberry Pi firmware`,
    "arm_64bit=1",
    "enable_uart=1",
    // Use mainline device tree names and let the kernel own the hardware.
    "upstream_kernel=1",
    "kernel=vmlinuz",
    "initramfs initramfs.gz followkernel",
    "",
  ].join("\n");
}

export async function buildSdcard(b: Build): Promise<void> {
  const r = b.recipe;
  const pi = PI[r.board];
  if (!pi) throw new Error(`${r.file}: outputs: sdcard: ${r.board} is not a Raspberry Pi board`);
  const fw = await debianPackage("raspi-firmware", "arm64");
  const fwDir = path.join(fw, "usr/lib/raspi-firmware");
  const dtbDir = path.join(b.tc.kernel.dtbDir!, "broadcom");
  const sq = r.root.mode === "squashfs" ? await buildSquashfsParts(b, { type: "mbr", signature: SIGNATURE }) : undefined;
  const cmdline = [...b.cmdline, ...(sq?.cmdline ?? [])];
  const files: FatFile[] = [
    ...pi.firmware.map((f) => ({ path: `/${f}`, source: path.join(fwDir, f) })),
    ...pi.dtbs.map((d) => ({ path: `/${d}`, source: path.join(dtbDir, d) })),
    { path: "/config.txt", data: Buffer.from(configTxt(r.board)) },
    { path: "/cmdline.txt", data: Buffer.from(cmdline.join(" ") + "\n") },
    { path: "/vmlinuz", source: b.tc.kernel.vmlinuz },
    { path: "/initramfs.gz", data: sq?.initramfs ?? b.initramfs() },
  ];
  for (const f of files) if (f.source && !fs.existsSync(f.source)) throw new Error(`sdcard: ${f.source} is missing from its Debian package`);
  const fat = path.join(b.tmp, "boot.img");
  const content = files.reduce((n, f) => n + (f.data?.length ?? fs.statSync(f.source!).size), 0);
  const sizeMiB = Math.max(64, Math.ceil((content * 1.05) / 1048576) + 8);
  await timedStep(`boot partition (FAT32, ${sizeMiB} MiB)`, () =>
    makeFat(fat, sizeMiB, files, { label: "PIKA-BOOT", volumeId: "50494b42", tmp: path.join(b.tmp, "fat") }));
  const image = path.join(b.out, `${r.name}.sdcard.img`);
  await timedStep("SD card image (MBR)", () =>
    writeMbrDisk(image, [{ file: fat, name: "boot", mbrType: 0x0c, boot: true }, ...(sq?.parts ?? [])], { signature: SIGNATURE, powerOfTwo: true }));
  const [name, version] = debVersion(fw);
  await manifest(b, image, [...bootFiles(files), ...rootfsFiles(b.entries), ...(sq?.manifest ?? [])], {
    [name]: version, ...(sq ? await hostToolVersions(SQUASHFS_TOOLS) : {}),
  });
}
