// tac: each FILE's lines last to first, each keeping its own ending (a last
// line without a newline is joined to the next one printed, as in BusyBox).
// A regular file is read backwards a block at a time, so its size does not
// matter; a pipe is held in memory.
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { concat } from "../lib/io.ts";
import { readAll } from "../lib/text.ts";

const BLOCK = 1 << 20;

defineApplet({
  name: "tac",
  usage: "[FILE]...",
  summary: "Concatenate FILEs and print them in reverse",
  dir: "/usr/bin",
  async run(ctx, _opts, files) {
    if (files.length === 0) files = ["-"];
    let status = 0;
    for (const file of files) {
      try {
        if (file === "-") await tacBuffer(ctx, await readAll(ctx.stdin));
        else {
          const fd = fs.openSync(resolvePath(ctx, file), "r");
          try {
            const st = fs.fstatSync(fd);
            if (st.isFile()) await tacFile(ctx, fd, st.size);
            else await tacBuffer(ctx, readFd(fd));
          } finally {
            fs.closeSync(fd);
          }
        }
      } catch (err) {
        if ((err as any)?.code === "EPIPE") throw err;
        await warn(ctx, `${file}: ${errorMessage(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

function readFd(fd: number): Buffer {
  const parts: Buffer[] = [];
  for (;;) {
    const b = Buffer.allocUnsafe(BLOCK);
    const n = fs.readSync(fd, b, 0, BLOCK, null);
    if (n === 0) break;
    parts.push(b.subarray(0, n));
  }
  return Buffer.concat(parts);
}

/** Lines of data in reverse; each line keeps its newline. */
async function tacBuffer(ctx: Context, data: Uint8Array): Promise<void> {
  const out: Uint8Array[] = [];
  let size = 0;
  let end = data.length;
  // Start of the last line: just after the newline before it.
  let i = data.length > 0 && data[data.length - 1] === 10 ? data.length - 2 : data.length - 1;
  for (; i >= -1; i--) {
    if (i === -1 || data[i] === 10) {
      if (end > i + 1) {
        out.push(data.subarray(i + 1, end));
        size += end - i - 1;
      }
      end = i + 1;
      if (size >= BLOCK) {
        await ctx.stdout.write(concat(out, size));
        out.length = 0;
        size = 0;
      }
    }
  }
  if (size) await ctx.stdout.write(concat(out, size));
}

/** A regular file from its end: blocks read backwards, lines printed as soon as they are whole. */
async function tacFile(ctx: Context, fd: number, fileSize: number): Promise<void> {
  let pos = fileSize;
  // Bytes after the last newline seen (in file order): the end of a line whose start is further back.
  let carry: Buffer[] = [];
  while (pos > 0) {
    const n = Math.min(BLOCK, pos);
    pos -= n;
    const b = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) got += fs.readSync(fd, b, got, n - got, pos + got);
    const nl = pos === 0 ? -1 : b.indexOf(10);
    if (pos > 0 && nl < 0) {
      carry.unshift(b);
      continue;
    }
    // From just after that newline on, the lines are whole.
    const whole = [b.subarray(nl + 1), ...carry];
    await tacBuffer(ctx, concat(whole, whole.reduce((k, x) => k + x.length, 0)));
    carry = [b.subarray(0, nl + 1)];
  }
}
