import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { findDevice } from "../lib/blkid.ts";
import { AppletError, describeErrno, errorMessage, SyscallError } from "../lib/errors.ts";
import { readMounts } from "../lib/mounts.ts";
import { lseek, SEEK_END, SWAP_FLAG_DISCARD, SWAP_FLAG_PREFER, swapoff, swapon } from "../lib/syscalls.ts";

const PAGE = 4096;
const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err).replace(/^.*: /, ""));

defineApplet({
  name: "mkswap",
  dir: "/sbin",
  usage: "[-L LBL] BLOCKDEV [KBYTES]",
  summary: "Prepare BLOCKDEV to be used as swap partition",
  options: ["-L LBL  Label"],
  minOperands: 1,
  async run(ctx, opts, [dev, kbytes]) {
    const file = resolvePath(ctx, dev);
    let fd: number;
    try {
      fd = fs.openSync(file, "r+");
    } catch (err) {
      throw new AppletError(`can't open '${dev}': ${reason(err)}`);
    }
    try {
      const st = fs.fstatSync(fd);
      let size = st.isBlockDevice() ? lseek(fd, 0, SEEK_END) : st.size;
      if (kbytes) size = Math.min(size, Number(kbytes) * 1024);
      const pages = Math.floor(size / PAGE);
      if (pages < 10) throw new AppletError("swap area needs to be at least 40 KiB");
      const hdr = Buffer.alloc(PAGE);
      const id = crypto.randomBytes(16);
      id[6] = (id[6] & 0x0f) | 0x40;
      id[8] = (id[8] & 0x3f) | 0x80;
      hdr.writeUInt32LE(1, 1024);
      hdr.writeUInt32LE(pages - 1, 1028);
      id.copy(hdr, 1036);
      if (opts.L) Buffer.from(opts.L, "latin1").subarray(0, 16).copy(hdr, 1052);
      hdr.write("SWAPSPACE2", PAGE - 10, "latin1");
      fs.writeSync(fd, hdr, 0, PAGE, 0);
      fs.fsyncSync(fd);
      const h = id.toString("hex");
      await ctx.stdout.write(`Setting up swapspace version 1, size = ${(pages - 1) * PAGE} bytes\nUUID=${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return 0;
  },
});

/** Swap entries of /etc/fstab (noauto skipped), as device paths. */
function fstabSwaps(): { dev: string; options: string }[] {
  return readMounts("/etc/fstab").filter((m) => m.fstype === "swap" && !/(^|,)noauto(,|$)/.test(m.options ?? ""))
    .map((m) => ({ dev: findDevice(m.source) ?? m.source, options: m.options ?? "" }));
}

defineApplet({
  name: "swapon",
  dir: "/sbin",
  usage: "[-a] [-e] [-d[POL]] [-p PRI] [DEVICE]",
  summary: "Start swapping on DEVICE",
  options: ["-a  Start swapping on all swap devices", "-d  Discard blocks at swapon", "-e  Silently skip devices that do not exist", "-p PRI  Set swap device priority"],
  async run(ctx, opts, devs) {
    const list = opts.a ? fstabSwaps() : devs.map((d) => ({ dev: findDevice(d) ?? d, options: "" }));
    let status = 0;
    for (const { dev, options } of list) {
      const pri = opts.p ?? /(?:^|,)pri=(\d+)/.exec(options)?.[1];
      const flags = (pri !== undefined ? SWAP_FLAG_PREFER | (Number(pri) & 0x7fff) : 0) | (opts.d || /(^|,)discard/.test(options) ? SWAP_FLAG_DISCARD : 0);
      if (opts.e && !fs.existsSync(dev)) continue;
      try {
        swapon(resolvePath(ctx, dev), flags);
      } catch (err) {
        if (opts.a && err instanceof SyscallError && err.code === "EBUSY") continue;
        await warn(ctx, `${dev}: ${reason(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

defineApplet({
  name: "swapoff",
  dir: "/sbin",
  usage: "[-a] [DEVICE]",
  summary: "Stop swapping on DEVICE",
  options: ["-a  Stop swapping on all swap devices"],
  async run(ctx, opts, devs) {
    let list = devs.map((d) => findDevice(d) ?? d);
    if (opts.a) {
      const active = (fs.existsSync("/proc/swaps") ? fs.readFileSync("/proc/swaps", "utf8") : "").split("\n").slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean);
      list = [...new Set([...active.map((s) => s.replace(/\\040/g, " ")), ...fstabSwaps().map((s) => s.dev)])];
    }
    let status = 0;
    for (const dev of list) {
      try {
        swapoff(resolvePath(ctx, dev));
      } catch (err) {
        if (opts.a) continue;
        await warn(ctx, `${dev}: ${reason(err)}`);
        status = 1;
      }
    }
    return status;
  },
});
