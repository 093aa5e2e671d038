// Builds an image from a recipe text with build/image.ts, reusing the pika
// already compiled by build/build.ts (out/<arch>/pika), into a fresh directory.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export function pikaFor(arch: "x86_64" | "aarch64"): string {
  return path.join(ROOT, "out", arch, "pika");
}

export interface Built {
  dir: string;
  log: string;
}

/** Writes `recipe` as <tmp>/<name>.yaml and builds it into <tmp>/out. */
export async function buildImage(name: string, recipe: string, arch: "x86_64" | "aarch64", env: NodeJS.ProcessEnv = {}): Promise<Built> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pika-image-${name}-`));
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, recipe);
  const dir = path.join(tmp, "out");
  const bun = path.join(ROOT, "node_modules", ".bin", "bun");
  const log = await new Promise<string>((resolve, reject) => {
    const child = spawn(bun, [path.join(ROOT, "build", "image.ts"), file, "--out", dir, "--pika", pikaFor(arch)],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.stderr.on("data", (b) => (out += b));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`image build failed (${code}):\n${out}`))));
  });
  return { dir, log };
}

/** The byte offset of the first partition (the builders align it to 1 MiB). */
export const FIRST_PARTITION = 1048576;

export interface PartitionEntry {
  /** Byte offset and length on the disk. */
  offset: number;
  size: number;
}

export interface GptEntry extends PartitionEntry {
  name: string;
}

/** The partitions of a GPT disk image, read from its primary table (LBA 2 on). */
export function gptPartitions(disk: string): GptEntry[] {
  const fd = fs.openSync(disk, "r");
  try {
    const table = Buffer.alloc(128 * 128);
    fs.readSync(fd, table, 0, table.length, 1024);
    const out: GptEntry[] = [];
    for (let o = 0; o < table.length && table.readBigUInt64LE(o + 32) !== 0n; o += 128) {
      const first = Number(table.readBigUInt64LE(o + 32)), last = Number(table.readBigUInt64LE(o + 40));
      out.push({ name: table.subarray(o + 56, o + 128).toString("utf16le").replace(/\0.*$/s, ""), offset: first * 512, size: (last - first + 1) * 512 });
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** The primary partitions of an MBR disk image, with their type bytes. */
export function mbrPartitions(disk: string): (PartitionEntry & { type: number })[] {
  const fd = fs.openSync(disk, "r");
  const mbr = Buffer.alloc(512);
  try {
    fs.readSync(fd, mbr, 0, 512, 0);
  } finally {
    fs.closeSync(fd);
  }
  return [0, 1, 2, 3].map((i) => mbr.subarray(446 + 16 * i, 462 + 16 * i))
    .filter((e) => e[4] !== 0)
    .map((e) => ({ type: e[4], offset: e.readUInt32LE(8) * 512, size: e.readUInt32LE(12) * 512 }));
}

/** Copies one partition of a disk image out into its own file. */
export function extractPartition(disk: string, p: PartitionEntry, dest: string): void {
  const buf = Buffer.alloc(p.size);
  const fd = fs.openSync(disk, "r");
  try {
    fs.readSync(fd, buf, 0, p.size, p.offset);
  } finally {
    fs.closeSync(fd);
  }
  fs.writeFileSync(dest, buf);
}
