// truncate -s SIZE FILE...: BusyBox's sizes (digits with k K kB KB M MB G GB;
// no relative +-<>/% forms, which BusyBox rejects as invalid numbers).
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { absPath, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { parseSuffixed, type Suffixes } from "../lib/numbers.ts";
import { binaryOf } from "../lib/text.ts";
import { errnoCode } from "../lib/errors.ts";

const SIZE_SUFFIXES: Suffixes = [
  ["k", 1024], ["K", 1024], ["kB", 1000], ["KB", 1000],
  ["M", 1048576], ["MB", 1000000], ["G", 1073741824], ["GB", 1000000000],
];

defineApplet({
  name: "truncate",
  usage: "[-c] -s SIZE FILE...",
  summary: "Truncate FILEs to SIZE",
  dir: "/usr/bin",
  options: ["-c  Do not create files", "-s SIZE"],
  minOperands: 1,
  async run(ctx, opts, files) {
    if (opts.s === undefined) throw new UsageError();
    const size = parseSuffixed(opts.s, SIZE_SUFFIXES, 0n, 0x7fffffffffffffffn);
    const flags = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | (opts.c ? 0 : fs.constants.O_CREAT);
    let status = 0;
    for (const f of files) {
      const name = binaryOf(f);
      let fd: number;
      try {
        fd = fs.openSync(fsPath(absPath(ctx, name)), flags, 0o666);
      } catch (err) {
        if (!(opts.c && errnoCode(err) === "ENOENT")) {
          await warnBytes(ctx, `${name}: open: ${errText(err)}`);
          status = 1;
        }
        continue;
      }
      try {
        fs.ftruncateSync(fd, Number(size));
      } catch (err) {
        await warnBytes(ctx, `${name}: truncate: ${errText(err)}`);
        status = 1;
      } finally {
        fs.closeSync(fd);
      }
    }
    return status;
  },
});
