// The cpio "newc" format (and its "crc" variant) as a stream: headers of 13
// hex fields, the name, and the data, each padded to 4 bytes; "TRAILER!!!"
// ends the archive. Names are latin1 byte strings.
import { AppletError } from "../errors.ts";
import { ByteSource } from "./bytesource.ts";

export interface CpioEntry {
  name: string;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  size: number;
  devmajor: number;
  devminor: number;
  rdevmajor: number;
  rdevminor: number;
}

const HEADER = 110;
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

function hex(h: string, i: number): number {
  const s = h.slice(6 + i * 8, 14 + i * 8);
  if (!/^[0-9A-Fa-f]{8}$/.test(s)) throw new AppletError("corrupted cpio header");
  return parseInt(s, 16);
}

/**
 * The entries of a cpio stream up to the trailer. After each is yielded the
 * consumer may read up to entry.size bytes from `src`; the rest and the
 * padding are skipped before the next header.
 */
export async function* readCpio(src: ByteSource): AsyncGenerator<CpioEntry> {
  for (;;) {
    // Headers start on a 4-byte boundary.
    const align = (4 - (src.offset % 4)) % 4;
    if (align && (await src.skip(align)) !== align) throw new AppletError("short read");
    const hb = await src.readExact(HEADER);
    if (!hb) throw new AppletError("short read");
    const h = latin1(hb);
    if (h.slice(0, 6) !== "070701" && h.slice(0, 6) !== "070702") throw new AppletError("unsupported cpio format, use newc or crc");
    const namesize = hex(h, 11);
    if (namesize === 0 || namesize > 65536) throw new AppletError("corrupted cpio header");
    const nb = await src.readExact(namesize);
    if (!nb) throw new AppletError("short read");
    let name = latin1(nb);
    const nul = name.indexOf("\0");
    if (nul >= 0) name = name.slice(0, nul);
    const e: CpioEntry = {
      name, ino: hex(h, 0), mode: hex(h, 1), uid: hex(h, 2), gid: hex(h, 3), nlink: hex(h, 4), mtime: hex(h, 5),
      size: hex(h, 6), devmajor: hex(h, 7), devminor: hex(h, 8), rdevmajor: hex(h, 9), rdevminor: hex(h, 10),
    };
    const pad = (4 - ((HEADER + namesize) % 4)) % 4;
    if ((await src.skip(pad)) !== pad) throw new AppletError("short read");
    if (name === "TRAILER!!!") return;
    const start = src.offset;
    yield e;
    const left = e.size - (src.offset - start);
    if (left > 0 && (await src.skip(left)) !== left) throw new AppletError("short read");
  }
}

const h8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");

/** A newc header and name, padded; the caller writes the data and pads it to 4. */
export function cpioHeader(e: CpioEntry): Uint8Array {
  const namesize = e.name.length + 1;
  const text =
    "070701" + h8(e.ino) + h8(e.mode) + h8(e.uid) + h8(e.gid) + h8(e.nlink) + h8(e.mtime) + h8(e.size) +
    h8(e.devmajor) + h8(e.devminor) + h8(e.rdevmajor) + h8(e.rdevminor) + h8(namesize) + h8(0) + e.name + "\0";
  const pad = (4 - (text.length % 4)) % 4;
  return Buffer.from(text + "\0".repeat(pad), "latin1");
}

export const TRAILER: CpioEntry = {
  name: "TRAILER!!!", ino: 0, mode: 0, uid: 0, gid: 0, nlink: 0, mtime: 0, size: 0,
  devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0,
};
