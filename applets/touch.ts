// touch: set access and modification times (utimensat(2)), creating missing
// files unless -c. -d/-t take BusyBox's date forms (lib/datestr.ts), -r copies
// another file's times; -a or -m alone leaves the other time as it is.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, errnoCode } from "../lib/errors.ts";
import { InvalidDate, localTm, parseDatestr } from "../lib/datestr.ts";
import { absPath, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { utimensat, UTIME_NOW, UTIME_OMIT, type Timespec } from "../lib/syscalls.ts";
import { binaryOf } from "../lib/text.ts";
import { optionOrder, type Options } from "../lib/options.ts";

defineApplet({
  name: "touch",
  usage: "[-cham] [-d DATE] [-t DATE] [-r FILE] FILE...",
  summary: "Update mtime of FILEs",
  options: [
    "-c, --no-create  Don't create files",
    "-h, --no-dereference  Don't follow links",
    "-a  Change only atime",
    "-m  Change only mtime",
    "-d, --date DT  Date/time to use",
    "-t DT  Date/time to use",
    "-r, --reference FILE  Use FILE's date/time",
    // Accepted and ignored, as BusyBox.
    "-f",
  ],
  minOperands: 1,
  async run(ctx, opts, files) {
    if (opts.r !== undefined && opts.t !== undefined) throw new UsageError();
    const atime: Timespec = { sec: 0, nsec: UTIME_NOW };
    const mtime: Timespec = { sec: 0, nsec: UTIME_NOW };
    if (opts.r !== undefined) {
      let st: fs.Stats;
      try {
        st = fs.statSync(fsPath(absPath(ctx, binaryOf(opts.r))));
      } catch (err) {
        throw new AppletError(`can't stat '${opts.r}': ${errText(err)}`);
      }
      atime.sec = Math.floor(st.atimeMs / 1000);
      mtime.sec = Math.floor(st.mtimeMs / 1000);
      atime.nsec = mtime.nsec = 0;
    }
    // -d and -t share one variable in BusyBox: the last one given counts.
    const dateStr: string | undefined = lastOf(opts);
    if (dateStr !== undefined) {
      let t: number;
      try {
        t = parseDatestr(dateStr, localTm(Math.floor(Date.now() / 1000)));
      } catch (err) {
        if (err instanceof InvalidDate) throw new AppletError(`invalid date '${dateStr}'`);
        throw err;
      }
      atime.sec = mtime.sec = t;
      atime.nsec = mtime.nsec = 0;
    }
    if (!(opts.a && opts.m)) {
      if (opts.a) mtime.nsec = UTIME_OMIT;
      if (opts.m) atime.nsec = UTIME_OMIT;
    }
    const setTimes = opts.r !== undefined || dateStr !== undefined;
    let status = 0;
    for (const f of files) {
      const name = binaryOf(f);
      const path = absPath(ctx, name);
      try {
        utimensat(path, atime, mtime, !opts.h);
      } catch (err) {
        if (errnoCode(err) === "ENOENT") {
          if (opts.c) continue;
          try {
            fs.closeSync(fs.openSync(fsPath(path), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o666));
            if (setTimes) {
              try {
                utimensat(path, atime, mtime, true);
              } catch {}
            }
            continue;
          } catch (err2) {
            err = err2;
          }
        }
        await warnBytes(ctx, `${name}: ${errText(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

/** Which of -d D / -t D came last on the command line (both fill one variable in BusyBox). */
function lastOf(opts: Options): string | undefined {
  const order = optionOrder(opts).filter((k) => k === "d" || k === "t");
  const last = order[order.length - 1];
  return last === undefined ? undefined : opts[last];
}
