// cksum (POSIX CRC-32 and size) and sum (BSD or System V checksums), as
// BusyBox prints them: "CRC SIZE NAME", "%05u %5u NAME" (BSD, 1K blocks) and
// "SUM BLOCKS NAME" (-s, 512-byte blocks).
import { defineApplet, type Context } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { warnBytes } from "../lib/fileops.ts";
import { Cksum } from "../lib/archive/crc.ts";
import { forEachBlock, openOperand } from "../lib/archive/input.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

async function open(ctx: Context, name: string) {
  try {
    return openOperand(ctx, name);
  } catch (err) {
    await warnBytes(ctx, `can't open '${name}': ${errorMessage(err)}`);
    return undefined;
  }
}

defineApplet({
  name: "cksum",
  usage: "FILE...",
  summary: "Calculate the CRC32 checksums of FILEs",
  dir: "/usr/bin",
  async run(ctx, _opts, files) {
    let status = 0;
    const names = files.length ? files.map(binaryOf) : [undefined];
    for (const name of names) {
      const input = await open(ctx, name ?? "-");
      if (input === undefined) {
        status = 1;
        continue;
      }
      const ck = new Cksum();
      try {
        await forEachBlock(input, (b) => ck.update(b));
      } catch {
        // BusyBox stops reading at an error and prints what it has.
      }
      await ctx.stdout.write(bytesOf(`${ck.digest()} ${ck.size}${name !== undefined ? " " + name : ""}\n`));
    }
    return status;
  },
});

defineApplet({
  name: "sum",
  usage: "[-rs] [FILE]...",
  summary: "Checksum and count the blocks in a file",
  dir: "/usr/bin",
  options: ["-r  Use BSD sum algorithm (1K blocks)", "-s  Use System V sum algorithm (512byte blocks)"],
  async run(ctx, opts, files) {
    // -r wins over -s, as in BusyBox.
    const sysv = !!opts.s && !opts.r;
    const names = files.length ? files.map(binaryOf) : ["-"];
    // The name is printed for System V, or when there is more than one file.
    const printName = files.length > 0 && (sysv || files.length > 1);
    let status = 0;
    for (const name of names) {
      const input = await open(ctx, name);
      if (input === undefined) {
        status = 1;
        continue;
      }
      let s = 0;
      let total = 0;
      try {
        await forEachBlock(input, (b) => {
          total += b.length;
          if (sysv) {
            for (let i = 0; i < b.length; i++) s = (s + b[i]) >>> 0;
          } else {
            for (let i = 0; i < b.length; i++) {
              s = ((s >>> 1) + ((s & 1) << 15) + b[i]) & 0xffff;
            }
          }
        });
      } catch (err) {
        await warnBytes(ctx, `${name}: ${errorMessage(err)}`);
        status = 1;
        continue;
      }
      const shown = printName ? name : "";
      if (sysv) {
        const r = (s & 0xffff) + (s >>> 16);
        const sum = (r & 0xffff) + (r >>> 16);
        await ctx.stdout.write(bytesOf(`${sum} ${Math.floor((total + 511) / 512)} ${shown}\n`));
      } else {
        await ctx.stdout.write(bytesOf(`${String(s).padStart(5, "0")} ${String(Math.floor((total + 1023) / 1024)).padStart(5)} ${shown}\n`));
      }
    }
    return status;
  },
});
