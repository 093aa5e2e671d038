// Filesystem signatures as blkid reports them: TYPE, LABEL and UUID of ext2/3/4,
// vfat, squashfs and swap, read from the first 64 KiB of a device or image.
import * as fs from "node:fs";

export interface Probe { type: string; label?: string; uuid?: string }

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const uuid = (b: Uint8Array) => {
  const h = hex(b);
  return /^0+$/.test(h) ? undefined : `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const text = (b: Uint8Array) => {
  const end = b.indexOf(0);
  const s = Buffer.from(end < 0 ? b : b.subarray(0, end)).toString("latin1");
  return s || undefined;
};

function ext(b: Uint8Array, v: DataView): Probe | undefined {
  if (b.length < 2048 || v.getUint16(1024 + 56, true) !== 0xef53) return undefined;
  const compat = v.getUint32(1024 + 92, true), incompat = v.getUint32(1024 + 96, true), roCompat = v.getUint32(1024 + 100, true);
  // extents, 64bit, flex_bg, or ro features beyond ext3's (huge_file, gdt_csum, dir_nlink, extra_isize, metadata_csum) mean ext4.
  const type = incompat & (0x40 | 0x80 | 0x200) || roCompat & (0x8 | 0x10 | 0x20 | 0x40 | 0x400) ? "ext4" : compat & 0x4 ? "ext3" : "ext2";
  return { type, label: text(b.subarray(1024 + 120, 1024 + 136)), uuid: uuid(b.subarray(1024 + 104, 1024 + 120)) };
}

function swap(b: Uint8Array): Probe | undefined {
  for (const page of [4096, 8192, 16384, 65536]) {
    if (b.length >= page && Buffer.from(b.subarray(page - 10, page)).toString("latin1") === "SWAPSPACE2") {
      return { type: "swap", label: text(b.subarray(1024 + 28, 1024 + 44)), uuid: uuid(b.subarray(1024 + 12, 1024 + 28)) };
    }
  }
  return undefined;
}

function vfat(b: Uint8Array, v: DataView): Probe | undefined {
  if (b.length < 512 || b[510] !== 0x55 || b[511] !== 0xaa) return undefined;
  const s = (o: number, n: number) => Buffer.from(b.subarray(o, o + n)).toString("latin1");
  let at: number;
  if (s(82, 5) === "FAT32") at = 67;
  else if (s(54, 5) === "FAT12" || s(54, 5) === "FAT16") at = 39;
  else return undefined;
  const id = v.getUint32(at, true).toString(16).toUpperCase().padStart(8, "0");
  const label = s(at + 4, 11).replace(/ +$/, "");
  return { type: "vfat", label: label && label !== "NO NAME" ? label : undefined, uuid: `${id.slice(0, 4)}-${id.slice(4)}` };
}

/** The filesystem in the first bytes of a device. */
export function probeBytes(b: Uint8Array): Probe | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 4 && Buffer.from(b.subarray(0, 4)).toString("latin1") === "hsqs") return { type: "squashfs" };
  return ext(b, v) ?? swap(b) ?? vfat(b, v);
}

export function probeFile(file: string): Probe | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return probeBytes(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** Block devices the kernel knows (/proc/partitions), as /dev paths. */
export function blockDevices(): string[] {
  let t = "";
  try {
    t = fs.readFileSync("/proc/partitions", "utf8");
  } catch {}
  return t.split("\n").slice(2).map((l) => l.trim().split(/\s+/)[3]).filter(Boolean).map((n) => `/dev/${n}`);
}

/** LABEL=x / UUID=x (or a path) to the device holding it. */
export function findDevice(spec: string): string | undefined {
  const m = /^(LABEL|UUID)=(.*)$/.exec(spec);
  if (!m) return spec;
  const want = m[2].replace(/^"(.*)"$/, "$1");
  for (const d of blockDevices()) {
    try {
      const p = probeFile(d);
      if (p && (m[1] === "LABEL" ? p.label : p.uuid?.toLowerCase()) === (m[1] === "UUID" ? want.toLowerCase() : want)) return d;
    } catch {}
  }
  return undefined;
}
