// bunzip2 and bzcat: expand bzip2 FILEs (or stdin) with the streaming decoder
// of lib/archive/bzip2.ts, with bbunpack()'s file handling (lib/archive/unpack.ts).
import { defineApplet } from "../lib/applet.ts";
import { bunzip2 } from "../lib/archive/bzip2.ts";
import { bbunpack, stripSuffix } from "../lib/archive/unpack.ts";

const names = stripSuffix([".bz2", ""], [".tbz2", ".tar"], [".tbz", ".tar"]);

defineApplet({
  name: "bunzip2",
  usage: "[-cfk] [FILE]...",
  summary: "Decompress FILEs (or stdin)",
  options: ["-c  Write to stdout", "-f  Force", "-k  Keep input files", "-t  Test integrity", "-d", "-q", "-v"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, {
      stdout: !!opts.c, test: !!opts.t, force: !!opts.f, keep: !!opts.k, verbose: !!opts.v,
      transform: (src) => bunzip2(src),
      newName: names,
    });
  },
});

defineApplet({
  name: "bzcat",
  usage: "[FILE]...",
  summary: "Decompress to stdout",
  options: ["-c", "-f", "-k", "-t", "-d", "-q", "-v"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, { stdout: true, test: !!opts.t, force: !!opts.f, keep: true, transform: (src) => bunzip2(src), newName: () => undefined });
  },
});
