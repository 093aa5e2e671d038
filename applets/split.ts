// split: INPUT (or stdin) into files PREFIX (default "x") + a suffix of -a N
// letters (aa, ab, ...) or with -d digits (00, 01, ...), each of -l N lines
// (default 1000) or -b N bytes (with k, m, g... suffixes). Input streams;
// running out of suffixes is an error.
import * as fs from "node:fs";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openChunks } from "../lib/bufio.ts";
import { parseNumber, parseSuffixed, type Suffixes } from "../lib/numbers.ts";

const SIZE_SUFFIXES: Suffixes = [
  ["b", 512], ["k", 1024], ["K", 1024], ["KB", 1000], ["m", 1048576], ["M", 1048576], ["MB", 1000000],
  ["g", 1073741824], ["G", 1073741824], ["GB", 1000000000],
];

defineApplet({
  name: "split",
  usage: "[OPTIONS] [INPUT [PREFIX]]",
  summary: "Split INPUT into pieces",
  options: ["-b N[k|m]  Split by N (kilo|mega)bytes", "-l N  Split by N lines", "-a N  Use N letters as suffix", "-d  Use numeric suffixes"],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    if (operands.length > 2) throw new UsageError();
    if (opts.b !== undefined && opts.l !== undefined) throw new UsageError();
    const suffixLen = opts.a !== undefined ? parseNumber(opts.a, 1n, 1000n) : 2;
    const bytes = opts.b !== undefined ? Number(parseSuffixed(opts.b, SIZE_SUFFIXES, 1n)) : 0;
    const lines = opts.l !== undefined ? parseNumber(opts.l, 1n) : 1000;
    const name = operands[0] ?? "-";
    const prefix = operands[1] ?? "x";
    const alphabet = opts.d ? "0123456789" : "abcdefghijklmnopqrstuvwxyz";
    let input;
    try {
      input = openChunks(ctx, name);
    } catch (err) {
      throw new AppletError(`can't open '${name}': ${errorMessage(err)}`);
    }
    const digits = new Array(suffixLen).fill(0);
    let exhausted = false;
    let fd = -1;
    const nextFile = () => {
      if (fd >= 0) fs.closeSync(fd);
      if (exhausted) throw new AppletError("suffixes exhausted");
      const file = prefix + digits.map((d) => alphabet[d]).join("");
      try {
        fd = fs.openSync(resolvePath(ctx, file), "w");
      } catch (err) {
        throw new AppletError(`can't open '${file}': ${errorMessage(err)}`);
      }
      // Count the suffix up, like an odometer.
      let i = suffixLen - 1;
      while (i >= 0 && ++digits[i] === alphabet.length) digits[i--] = 0;
      if (i < 0) exhausted = true;
    };
    const write = (b: Uint8Array) => {
      for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off, b.length - off);
    };
    // How much the current piece can still take (bytes or lines); 0: start a new one first.
    let room = 0;
    try {
      for (;;) {
        const r = await input.chunks.next();
        if (r.done) break;
        let chunk = r.value;
        while (chunk.length) {
          if (room === 0) {
            nextFile();
            room = bytes || lines;
          }
          let take: number;
          if (bytes) {
            take = Math.min(room, chunk.length);
            room -= take;
          } else {
            // Up to the room-th newline; a line cut by the chunk's end still belongs here.
            let p = -1;
            while (room > 0) {
              const q = chunk.indexOf(10, p + 1);
              if (q < 0) break;
              p = q;
              room--;
            }
            take = room === 0 ? p + 1 : chunk.length;
          }
          write(chunk.subarray(0, take));
          chunk = chunk.subarray(take);
        }
      }
    } finally {
      if (fd >= 0) fs.closeSync(fd);
      input.close();
    }
    return 0;
  },
});
