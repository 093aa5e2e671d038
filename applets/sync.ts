// sync: flush everything, or (BusyBox's FEATURE_SYNC_FANCY) only the FILEs:
// fsync each, -d fdatasync, -f syncfs of the filesystem holding it.
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { UsageError, errorMessage } from "../lib/errors.ts";
import { sync, syncfs } from "../lib/syscalls.ts";

defineApplet({
  name: "sync",
  usage: "[-df] [FILE]...",
  summary: "Write all buffered blocks (in FILEs) to disk",
  options: ["-d  Avoid syncing metadata", "-f  Sync filesystems underlying FILEs"],
  async run(ctx, opts, files) {
    if (opts.d && opts.f) throw new UsageError();
    if (files.length === 0) {
      sync();
      return 0;
    }
    let status = 0;
    for (const file of files) {
      let fd: number;
      try {
        fd = fs.openSync(resolvePath(ctx, file), fs.constants.O_RDONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
      } catch (err) {
        await warn(ctx, `can't open '${file}': ${errorMessage(err)}`);
        status = 1;
        continue;
      }
      try {
        if (opts.f) syncfs(fd);
        else if (opts.d) fs.fdatasyncSync(fd);
        else fs.fsyncSync(fd);
      } catch (err) {
        if (!opts.f) {
          await warn(ctx, `${file}: ${errorMessage(err)}`);
          status = 1;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    return status;
  },
});
