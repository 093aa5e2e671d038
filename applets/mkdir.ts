// mkdir, as BusyBox's bb_make_directory(): with -p each missing parent is made
// with u+wx whatever the umask, and an existing final directory is no error;
// -m MODE is applied with chmod(2) after creation (so the umask does not cut it).
import { defineApplet } from "../lib/applet.ts";
import { makeDirectory } from "../lib/fileops.ts";
import { parseMode } from "../lib/mode.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "mkdir",
  usage: "[-m MODE] [-p] DIRECTORY...",
  summary: "Create DIRECTORY",
  options: [
    "-m, --mode MODE  Mode",
    "-p, --parents  No error if exists; make parent directories as needed",
    "-v, --verbose  Verbose",
  ],
  minOperands: 1,
  async run(ctx, opts, dirs) {
    const mode = opts.m !== undefined ? parseMode(opts.m, 0o777) : -1;
    let status = 0;
    for (const dir of dirs) {
      if (await makeDirectory(ctx, binaryOf(dir), mode, opts.p > 0, opts.v > 0)) status = 1;
    }
    return status;
  },
});
