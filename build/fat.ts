// FAT boot partitions as plain image files, without root and without loop
// mounts. We use Debian's dosfstools (mkfs.fat) and mtools (mmd, mcopy) rather
// than our own FAT writer: they are the reference implementations firmware is
// tested against (UEFI, the Pi's bootcode.bin and syslinux all read FAT), and
// syslinux --install itself needs mtools. Determinism: a fixed volume id,
// mkfs.fat --invariant, SOURCE_DATE_EPOCH for mtools' timestamps, and files
// copied one directory at a time in sorted order.
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "./progress.ts";
import { sourceDateEpoch } from "./initramfs.ts";

export interface FatFile {
  /** Path inside the FAT, e.g. "/EFI/BOOT/BOOTX64.EFI". */
  path: string;
  /** A file on the build machine, or the bytes themselves. */
  source?: string;
  data?: Uint8Array;
}

/** FAT cannot date anything before 1980-01-01. */
const FAT_EPOCH = 315532800;

export function fatEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MTOOLS_SKIP_CHECK: "1", SOURCE_DATE_EPOCH: String(Math.max(sourceDateEpoch(), FAT_EPOCH) + 86400) };
}

export function fileSize(f: FatFile): number {
  return f.data ? f.data.length : fs.statSync(f.source!).size;
}

/** Creates `image` (`sizeMiB` MiB) holding `files`; `label` is at most 11 characters. */
export async function makeFat(image: string, sizeMiB: number, files: FatFile[], opts: { label: string; volumeId: string; tmp: string }): Promise<void> {
  fs.rmSync(image, { force: true });
  fs.writeFileSync(image, "");
  fs.truncateSync(image, sizeMiB * 1048576);
  const env = fatEnv();
  // FAT32 from 64 MiB up (UEFI prefers it; the Pi firmware reads both).
  const fatType = sizeMiB >= 64 ? ["-F", "32"] : [];
  await run("mkfs.fat", [...fatType, "-n", opts.label, "-i", opts.volumeId, "--invariant", image],
    { what: `format FAT partition ${path.basename(image)}`, env });
  const dirs = new Set<string>();
  for (const f of files) for (let d = path.posix.dirname(f.path); d !== "/"; d = path.posix.dirname(d)) dirs.add(d);
  const sortedDirs = [...dirs].sort();
  if (sortedDirs.length) await run("mmd", ["-i", image, ...sortedDirs.map((d) => `::${d}`)], { what: `create directories in ${path.basename(image)}`, env });
  // Blobs go through files in tmp, named as in the FAT so mcopy keeps the name.
  const byDir = new Map<string, string[]>();
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  sorted.forEach((f, i) => {
    let src = f.source;
    if (!src) {
      const dir = path.join(opts.tmp, `blob${i}`);
      fs.mkdirSync(dir, { recursive: true });
      src = path.join(dir, path.posix.basename(f.path));
      fs.writeFileSync(src, f.data!);
    }
    const d = path.posix.dirname(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), `${src}\0${path.posix.basename(f.path)}`]);
  });
  for (const [dir, list] of [...byDir].sort()) {
    // One mcopy per file: the target name may differ from the source name.
    for (const item of list) {
      const [src, name] = item.split("\0");
      await run("mcopy", ["-i", image, "-o", src, `::${path.posix.join(dir, name)}`], { what: `copy ${name} into ${path.basename(image)}`, env });
    }
  }
}

/** Installs syslinux's boot sector and ldlinux.sys/ldlinux.c32 into a FAT image. */
export async function installSyslinux(image: string): Promise<void> {
  await run("syslinux", ["--install", image], { what: "install syslinux (Debian package syslinux) on the boot partition", env: fatEnv() });
}

/** Copies one file out of a FAT image (used by the tests, and to check what was written). */
export async function fatRead(image: string, offsetBytes: number, file: string, dest: string): Promise<void> {
  await run("mcopy", ["-i", `${image}@@${offsetBytes}`, "-o", `::${file}`, dest], { what: `read ${file} from ${path.basename(image)}`, env: fatEnv() });
}
