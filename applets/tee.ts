// tee: copy stdin to stdout and to each FILE ("-" is stdout again), as it
// arrives. A FILE that cannot be opened or written is reported and dropped;
// the others go on. -a appends, -i ignores SIGINT while tee runs.
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { errnoCode, errorMessage } from "../lib/errors.ts";

defineApplet({
  name: "tee",
  usage: "[-ai] [FILE]...",
  summary: "Copy stdin to each FILE, and also to stdout",
  options: ["-a  Append to the given FILEs, don't overwrite", "-i  Ignore interrupt signals (SIGINT)"],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    let status = 0;
    const outs: { name: string; fd: number }[] = [];
    let stdoutCopies = 1;
    for (const name of files) {
      if (name === "-") {
        stdoutCopies++;
        continue;
      }
      try {
        outs.push({ name, fd: fs.openSync(resolvePath(ctx, name), opts.a ? "a" : "w") });
      } catch (err) {
        await warn(ctx, `${name}: ${errorMessage(err)}`);
        status = 1;
      }
    }
    const ignore = () => {};
    if (opts.i) process.on("SIGINT", ignore);
    let stdoutOk = true;
    try {
      for await (const chunk of ctx.stdin.chunks()) {
        for (let i = 0; i < outs.length; i++) {
          const o = outs[i];
          if (o.fd < 0) continue;
          try {
            for (let off = 0; off < chunk.length; ) off += fs.writeSync(o.fd, chunk, off, chunk.length - off);
          } catch (err) {
            await warn(ctx, `${o.name}: ${errorMessage(err)}`);
            fs.closeSync(o.fd);
            o.fd = -1;
            status = 1;
          }
        }
        if (!stdoutOk) continue;
        try {
          for (let k = 0; k < stdoutCopies; k++) await ctx.stdout.write(chunk);
          // Pass data on as it comes, not when a block is full.
          await ctx.stdout.flush();
        } catch (err) {
          // A reader that went away: keep feeding the files.
          if (errnoCode(err) !== "EPIPE") await warn(ctx, errorMessage(err));
          stdoutOk = false;
          status = 1;
        }
      }
    } finally {
      if (opts.i) process.off("SIGINT", ignore);
      for (const o of outs) if (o.fd >= 0) fs.closeSync(o.fd);
    }
    return status;
  },
});
