// The manifest written next to each image: every file (boot partition and root
// filesystem) with its size and sha256, the package versions that went in, and
// totals per part, so two builds can be compared and size regressions spotted.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CpioEntry } from "./cpio.ts";
import { fileSize, type FatFile } from "./fat.ts";

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  part: string;
}

export type Part = "kernel" | "dtbs" | "modules" | "firmware" | "bootloader" | "pika" | "musl" | "libstdc++" | "initramfs" | "squashfs" | "data" | "other";

/** Which part of the system a root filesystem path belongs to. */
export function rootfsPart(p: string): Part {
  if (p === "/bin/pika") return "pika";
  if (p.startsWith("/lib/ld-musl-")) return "musl";
  if (p === "/usr/lib/libstdc++.so.6") return "libstdc++";
  if (p.startsWith("/lib/modules/")) return "modules";
  if (p.startsWith("/lib/firmware/")) return "firmware";
  return "other";
}

/** Which part a boot partition file is (the caller knows the board's conventions). */
export function bootPart(p: string): Part {
  const base = path.posix.basename(p).toLowerCase();
  if (/^(vmlinuz|kernel8\.img|image)$/.test(base)) return "kernel";
  if (base.endsWith(".dtb") || base.endsWith(".dtbo")) return "dtbs";
  if (/^(bootcode\.bin|start.*\.elf|fixup.*\.dat)$/.test(base)) return "firmware";
  if (/initramfs|initrd|rootfs/.test(base)) return "initramfs";
  if (/\.(efi|sys|c32|bin)$/.test(base)) return "bootloader";
  return "other";
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export function rootfsFiles(entries: CpioEntry[]): ManifestFile[] {
  return entries.filter((e): e is Extract<CpioEntry, { type: "file" }> => e.type === "file")
    .map((e) => ({ path: e.path, size: e.data.length, sha256: sha(e.data), part: rootfsPart(e.path) }));
}

export function bootFiles(files: FatFile[], prefix = "boot:"): ManifestFile[] {
  return files.map((f) => {
    const data = f.data ?? fs.readFileSync(f.source!);
    return { path: `${prefix}${f.path}`, size: fileSize(f), sha256: sha(data), part: bootPart(f.path) };
  }).sort((a, b) => (a.path < b.path ? -1 : 1));
}

export interface Manifest {
  image: string;
  size: number;
  sha256: string;
  recipe: string;
  sourceDateEpoch: number;
  packages: Record<string, string>;
  totals: Record<string, number>;
  files: ManifestFile[];
}

export async function fileSha256(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** Writes `<image>.manifest.json` and returns the manifest. */
export async function writeManifest(image: string, m: Omit<Manifest, "image" | "size" | "sha256" | "totals">): Promise<Manifest> {
  const totals: Record<string, number> = {};
  for (const f of m.files) totals[f.part] = (totals[f.part] ?? 0) + f.size;
  const st = fs.statSync(image);
  const size = st.isDirectory() ? 0 : st.size;
  const full: Manifest = {
    image: path.basename(image), size, sha256: st.isDirectory() ? "" : await fileSha256(image),
    recipe: m.recipe, sourceDateEpoch: m.sourceDateEpoch, packages: m.packages,
    totals: Object.fromEntries(Object.entries(totals).sort()), files: m.files,
  };
  fs.writeFileSync(`${image}.manifest.json`, JSON.stringify(full, null, 1) + "\n");
  return full;
}
