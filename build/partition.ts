// Partition tables written byte by byte: an MBR (the Raspberry Pi firmware only
// reads MBR) and a GPT with its protective MBR (x86_64: UEFI wants an EFI
// system partition, and syslinux's gptmbr.bin boots BIOS machines from the
// partition flagged "legacy BIOS bootable"). Pure functions of their inputs:
// GUIDs are derived from a seed, never random, so images are reproducible.
import { createHash } from "node:crypto";

export const SECTOR = 512;
/** Partitions start on 1 MiB boundaries (what fdisk does; good for SD cards' erase blocks). */
export const ALIGN = 2048;

export interface MbrPartition {
  /** First sector and length in sectors. */
  start: number;
  sectors: number;
  /** 0x0c FAT32 (LBA), 0x83 Linux, 0xee GPT protective. */
  type: number;
  bootable?: boolean;
}

/** A 512-byte MBR: `bootCode` (up to 440 bytes), disk signature, four entries, 0x55AA. */
export function mbr(parts: MbrPartition[], opts: { bootCode?: Uint8Array; signature?: number } = {}): Buffer {
  if (parts.length > 4) throw new Error("an MBR holds at most four primary partitions");
  const b = Buffer.alloc(SECTOR);
  if (opts.bootCode) Buffer.from(opts.bootCode.subarray(0, 440)).copy(b, 0);
  b.writeUInt32LE(opts.signature ?? 0, 440);
  parts.forEach((p, i) => {
    const o = 446 + 16 * i;
    b[o] = p.bootable ? 0x80 : 0;
    // CHS fields: "use LBA" (0xfe/0xff/0xff) as every modern tool writes them.
    b.set([0xfe, 0xff, 0xff], o + 1);
    b[o + 4] = p.type;
    b.set([0xfe, 0xff, 0xff], o + 5);
    b.writeUInt32LE(p.start, o + 8);
    b.writeUInt32LE(Math.min(p.sectors, 0xffffffff), o + 12);
  });
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

// ------------------------------------------------------------------ GPT

export const GPT_TYPE = {
  esp: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
  linux: "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
} as const;

export interface GptPartition {
  start: number;
  sectors: number;
  type: string;
  name: string;
  /** Bit 2: legacy BIOS bootable (what gptmbr.bin looks for). */
  legacyBoot?: boolean;
}

/** A GUID derived from a seed (RFC 4122 variant bits set, version 4 layout). */
export function seededGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`.toUpperCase();
}

/** GUIDs are stored mixed-endian: the first three groups little-endian. */
function guidBytes(guid: string): Buffer {
  const h = guid.replace(/-/g, "");
  const b = Buffer.from(h, "hex");
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const ENTRIES = 128, ENTRY_SIZE = 128;
const ARRAY_SECTORS = (ENTRIES * ENTRY_SIZE) / SECTOR; // 32

export interface GptImage {
  /** Sectors 0..33: protective MBR, header, entry array. */
  head: Buffer;
  /** The last 33 sectors: entry array copy and backup header. */
  tail: Buffer;
  /** First sector the tail goes to. */
  tailStart: number;
}

/** The primary and backup GPT for a disk of `totalSectors`, with `bootCode` in the protective MBR. */
export function gpt(totalSectors: number, parts: GptPartition[], seed: string, bootCode?: Uint8Array): GptImage {
  const array = Buffer.alloc(ENTRIES * ENTRY_SIZE);
  parts.forEach((p, i) => {
    const o = i * ENTRY_SIZE;
    guidBytes(p.type).copy(array, o);
    guidBytes(seededGuid(`${seed}/part${i + 1}`)).copy(array, o + 16);
    array.writeBigUInt64LE(BigInt(p.start), o + 32);
    array.writeBigUInt64LE(BigInt(p.start + p.sectors - 1), o + 40);
    array.writeBigUInt64LE(p.legacyBoot ? 1n << 2n : 0n, o + 48);
    Buffer.from(p.name, "utf16le").subarray(0, 72).copy(array, o + 56);
  });
  const arrayCrc = crc32(array);
  const last = totalSectors - 1;
  const header = (self: number, other: number, entriesAt: number) => {
    const h = Buffer.alloc(SECTOR);
    h.write("EFI PART", 0, "latin1");
    h.writeUInt32LE(0x00010000, 8); // revision 1.0
    h.writeUInt32LE(92, 12);
    h.writeBigUInt64LE(BigInt(self), 24);
    h.writeBigUInt64LE(BigInt(other), 32);
    h.writeBigUInt64LE(BigInt(2 + ARRAY_SECTORS), 40); // first usable
    h.writeBigUInt64LE(BigInt(last - 1 - ARRAY_SECTORS), 48); // last usable
    guidBytes(seededGuid(`${seed}/disk`)).copy(h, 56);
    h.writeBigUInt64LE(BigInt(entriesAt), 72);
    h.writeUInt32LE(ENTRIES, 80);
    h.writeUInt32LE(ENTRY_SIZE, 84);
    h.writeUInt32LE(arrayCrc, 88);
    h.writeUInt32LE(crc32(h.subarray(0, 92)), 16);
    return h;
  };
  const protective = mbr([{ start: 1, sectors: Math.min(totalSectors - 1, 0xffffffff), type: 0xee }], { bootCode });
  const head = Buffer.concat([protective, header(1, last, 2), array]);
  const tail = Buffer.concat([array, header(last, 1, last - ARRAY_SECTORS)]);
  return { head, tail, tailStart: last - ARRAY_SECTORS };
}

/** Rounds a byte size up to whole aligned sectors. */
export function alignedSectors(bytes: number): number {
  return Math.ceil(bytes / (ALIGN * SECTOR)) * ALIGN;
}
