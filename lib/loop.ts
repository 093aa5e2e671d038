// Loop devices through /dev/loop-control and the LOOP_* ioctls (losetup, mount -o loop).
import * as fs from "node:fs";
import { ioctl, ioctlValue } from "./syscalls.ts";

// <linux/loop.h>
export const LOOP_SET_FD = 0x4c00, LOOP_CLR_FD = 0x4c01, LOOP_SET_STATUS64 = 0x4c04, LOOP_GET_STATUS64 = 0x4c05;
const LOOP_SET_CAPACITY = 0x4c07, LOOP_CTL_GET_FREE = 0x4c82;
export const LO_FLAGS_READ_ONLY = 1, LO_FLAGS_AUTOCLEAR = 4, LO_FLAGS_PARTSCAN = 8;
/** struct loop_info64: five u64, four u32, file name[64], crypt name[64], key[32], init[2] u64. */
const INFO_SIZE = 232, NAME_AT = 56;

export interface LoopStatus { device: bigint; inode: bigint; offset: bigint; sizelimit: bigint; flags: number; file: string }

export function loopStatus(dev: string): LoopStatus | undefined {
  let fd: number;
  try {
    fd = fs.openSync(dev, "r");
  } catch {
    return undefined;
  }
  try {
    const b = Buffer.alloc(INFO_SIZE);
    ioctl(fd, LOOP_GET_STATUS64, b);
    const name = b.subarray(NAME_AT, NAME_AT + 64);
    const end = name.indexOf(0);
    return {
      device: b.readBigUInt64LE(0), inode: b.readBigUInt64LE(8), offset: b.readBigUInt64LE(24), sizelimit: b.readBigUInt64LE(32),
      flags: b.readUInt32LE(52), file: name.subarray(0, end < 0 ? 64 : end).toString("latin1"),
    };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** A status line as BusyBox's losetup prints it: "DEV: OFFSET FILE". */
export function showLoop(dev: string, s: LoopStatus): string {
  return `${dev}: ${s.offset} ${s.file}\n`;
}

export function freeLoopDevice(): string {
  const ctl = fs.openSync("/dev/loop-control", "r+");
  try {
    return `/dev/loop${ioctlValue(ctl, LOOP_CTL_GET_FREE, 0)}`;
  } finally {
    fs.closeSync(ctl);
  }
}


/**
 * Attach FILE to loop device DEV. Returns the loop device's descriptor, open:
 * with autoclear the kernel detaches the file when the last one closes, so
 * close it only once the device is in use (mounted).
 */
export function attachLoop(dev: string, file: string, o: { readOnly?: boolean; offset?: number; partscan?: boolean; autoclear?: boolean } = {}): number {
  const backing = fs.openSync(file, o.readOnly ? "r" : "r+");
  try {
    const loop = fs.openSync(dev, o.readOnly ? "r" : "r+");
    try {
      ioctlValue(loop, LOOP_SET_FD, backing);
      const info = Buffer.alloc(INFO_SIZE);
      info.writeBigUInt64LE(BigInt(o.offset ?? 0), 24);
      info.writeUInt32LE((o.readOnly ? LO_FLAGS_READ_ONLY : 0) | (o.partscan ? LO_FLAGS_PARTSCAN : 0) | (o.autoclear ? LO_FLAGS_AUTOCLEAR : 0), 52);
      Buffer.from(file, "latin1").subarray(0, 63).copy(info, NAME_AT);
      try {
        ioctl(loop, LOOP_SET_STATUS64, info);
      } catch (err) {
        ioctlValue(loop, LOOP_CLR_FD, 0);
        throw err;
      }
    } catch (err) {
      fs.closeSync(loop);
      throw err;
    }
    return loop;
  } finally {
    fs.closeSync(backing);
  }
}

/** LOOP_CLR_FD or LOOP_SET_CAPACITY on a loop device. */
export function loopControl(dev: string, what: "detach" | "capacity"): void {
  const fd = fs.openSync(dev, "r");
  try {
    ioctlValue(fd, what === "detach" ? LOOP_CLR_FD : LOOP_SET_CAPACITY, 0);
  } finally {
    fs.closeSync(fd);
  }
}
