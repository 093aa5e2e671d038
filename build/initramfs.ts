// Pack root filesystem entries into a gzip-compressed newc cpio archive.
import * as fs from "node:fs";
import { gzipSync } from "node:zlib";
import { CpioWriter, type CpioEntry } from "./cpio.ts";

/** Entries' timestamps: SOURCE_DATE_EPOCH for reproducible builds, else 0. */
export function sourceDateEpoch(): number {
  const v = Number(process.env.SOURCE_DATE_EPOCH);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

export function packInitramfs(entries: CpioEntry[]): Uint8Array {
  const w = new CpioWriter(sourceDateEpoch());
  for (const e of entries) w.add(e);
  return gzipSync(w.finish(), { level: 6 });
}

/** Write through a temporary name so a failed build never leaves half an image. */
export function writeAtomically(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
