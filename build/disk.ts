// Whole-disk images: partition images (FAT, squashfs, ext4) laid out behind a
// partition table, as one sparse file. The x86_64 disk is GPT with an EFI
// system partition that BIOS machines also boot (syslinux's gptmbr.bin in the
// protective MBR, syslinux in the partition) and UEFI machines boot through
// systemd-boot (Debian's systemd-boot-efi, as EFI/BOOT/BOOTX64.EFI); the qemu-aarch64 disk
// is the same GPT and ESP for UEFI only (BOOTAA64.EFI).
import * as fs from "node:fs";
import { ALIGN, alignedSectors, gpt, mbr, SECTOR, GPT_TYPE, type MbrPartition } from "./partition.ts";

export interface DiskPart {
  /** An image file to place in the partition, and the space to give it (>= its size). */
  file: string;
  sectors?: number;
  name: string;
  gptType?: string;
  mbrType?: number;
  boot?: boolean;
}

export interface Placed extends DiskPart {
  start: number;
  sectors: number;
}

function place(parts: DiskPart[]): { placed: Placed[]; total: number } {
  let at = ALIGN;
  const placed = parts.map((p) => {
    const sectors = Math.max(p.sectors ?? 0, alignedSectors(fs.statSync(p.file).size));
    const r = { ...p, start: at, sectors };
    at += sectors;
    return r;
  });
  // 1 MiB at the end: room for the backup GPT (33 sectors) and alignment.
  return { placed, total: at + ALIGN };
}

/** Copies each partition image into `out` at its offset (holes stay sparse). */
function writeParts(fd: number, placed: Placed[]): void {
  const buf = Buffer.alloc(4 << 20);
  for (const p of placed) {
    const src = fs.openSync(p.file, "r");
    try {
      let pos = 0;
      for (;;) {
        const n = fs.readSync(src, buf, 0, buf.length, pos);
        if (n === 0) break;
        const chunk = buf.subarray(0, n);
        // Skip all-zero chunks: the file is sparse there anyway.
        if (chunk.some((x) => x !== 0)) fs.writeSync(fd, chunk, 0, n, p.start * SECTOR + pos);
        pos += n;
      }
    } finally {
      fs.closeSync(src);
    }
  }
}

export function writeGptDisk(out: string, parts: DiskPart[], opts: { seed: string; bootCode?: Uint8Array }): Placed[] {
  const { placed, total } = place(parts);
  const table = gpt(total, placed.map((p) => ({
    start: p.start, sectors: p.sectors, type: p.gptType ?? GPT_TYPE.linux, name: p.name, legacyBoot: p.boot,
  })), opts.seed, opts.bootCode);
  writeDisk(out, total, placed, [[0, table.head], [table.tailStart, table.tail]]);
  return placed;
}

/** `powerOfTwo`: QEMU's SD card emulation only takes cards whose size is a power of two. */
export function writeMbrDisk(out: string, parts: DiskPart[], opts: { signature: number; bootCode?: Uint8Array; powerOfTwo?: boolean }): Placed[] {
  const { placed, total: minimum } = place(parts);
  const total = opts.powerOfTwo ? 2 ** Math.ceil(Math.log2(minimum)) : minimum;
  const entries: MbrPartition[] = placed.map((p) => ({ start: p.start, sectors: p.sectors, type: p.mbrType ?? 0x83, bootable: p.boot }));
  writeDisk(out, total, placed, [[0, mbr(entries, { bootCode: opts.bootCode, signature: opts.signature })]]);
  return placed;
}

function writeDisk(out: string, totalSectors: number, placed: Placed[], tables: [number, Buffer][]): void {
  const tmp = `${out}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.ftruncateSync(fd, totalSectors * SECTOR);
    for (const [sector, data] of tables) fs.writeSync(fd, data, 0, data.length, sector * SECTOR);
    writeParts(fd, placed);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, out);
}
