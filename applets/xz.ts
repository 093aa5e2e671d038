// unxz and xzcat: expand .xz FILEs (or stdin) with the streaming LZMA2
// decoder of lib/archive/xz.ts, with bbunpack()'s file handling.
import { defineApplet } from "../lib/applet.ts";
import { unxz } from "../lib/archive/xz.ts";
import { bbunpack, stripSuffix } from "../lib/archive/unpack.ts";

const names = stripSuffix([".xz", ""], [".txz", ".tar"]);

defineApplet({
  name: "unxz",
  usage: "[-cfk] [FILE]...",
  summary: "Decompress FILEs (or stdin)",
  options: ["-c  Write to stdout", "-f  Force", "-k  Keep input files", "-t  Test integrity", "-d", "-q", "-v"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, {
      stdout: !!opts.c, test: !!opts.t, force: !!opts.f, keep: !!opts.k, verbose: !!opts.v,
      transform: (src) => unxz(src),
      newName: names,
    });
  },
});

defineApplet({
  name: "xzcat",
  usage: "[FILE]...",
  summary: "Decompress to stdout",
  options: ["-c", "-f", "-k", "-t", "-d", "-q", "-v"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, { stdout: true, test: !!opts.t, force: !!opts.f, keep: true, transform: (src) => unxz(src), newName: () => undefined });
  },
});
