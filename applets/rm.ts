// rm, as BusyBox's rm_main() and remove_file() (lib/copy.ts): -f and -i (the
// last one wins), -r/-R, -v; "." and ".." are refused; without -f a file
// that is not writable is asked about when stdin is a terminal. Answers to
// -i are read from stdin.
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { removeFile } from "../lib/copy.ts";
import { lastComponentNoStrip, stripTrailingSlashes, warnBytes } from "../lib/fileops.ts";
import { optionOrder } from "../lib/options.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "rm",
  usage: "[-irf] FILE...",
  summary: "Remove (unlink) FILEs",
  options: [
    "-i  Always prompt before removing",
    "-f  Never prompt",
    "-R, -r  Recurse",
    "-v  Verbose",
  ],
  async run(ctx, opts, files) {
    const last = optionOrder(opts).filter((k) => k === "f" || k === "i").pop();
    const flags = { force: last === "f", interactive: last === "i", recurse: opts.R > 0, verbose: opts.v > 0 };
    if (files.length === 0) {
      if (flags.force) return 0;
      throw new UsageError();
    }
    let status = 0;
    for (const f of files) {
      // BusyBox strips the trailing slashes of the argument itself: "rm -rv d/" says 'd'.
      const name = stripTrailingSlashes(binaryOf(f));
      const base = lastComponentNoStrip(name);
      if (base === "." || base === "..") {
        await warnBytes(ctx, "can't remove '.' or '..'");
        status = 1;
        continue;
      }
      if ((await removeFile(ctx, name, flags)) < 0) status = 1;
    }
    return status;
  },
});
