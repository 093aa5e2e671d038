// gzip, gunzip and zcat: compress or expand FILEs (or stdin) in the gzip
// format, streaming through node:zlib (lib/archive/gzip.ts); the file
// handling (suffixes, -c -f -k -t, temporary output renamed on success,
// the original kept on failure) is BusyBox's bbunpack() (lib/archive/unpack.ts).
import { defineApplet } from "../lib/applet.ts";
import { optionOrder } from "../lib/options.ts";
import { gunzip, gzip } from "../lib/archive/gzip.ts";
import { anyDecompressor, bbunpack, stripSuffix } from "../lib/archive/unpack.ts";

const gunzipNames = stripSuffix([".gz", ""], [".tgz", ".tar"]);

const LEVELS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

defineApplet({
  name: "gzip",
  usage: "[-cfkdt] [FILE]...",
  summary: "Compress FILEs (or stdin)",
  options: [
    "-d  Decompress",
    "-c  Write to stdout",
    "-f  Force",
    "-k  Keep input files",
    "-t  Test integrity",
    "-q",
    "-v",
    "-n",
    ...LEVELS.map((l) => `-${l}`),
  ],
  async run(ctx, opts, files) {
    const common = { stdout: !!opts.c, test: !!opts.t, force: !!opts.f, keep: !!opts.k, verbose: !!opts.v };
    if (opts.d || opts.t) return bbunpack(ctx, files, { ...common, transform: (src, info) => gunzip(src, info), newName: gunzipNames });
    // The last level given wins; 6 as gzip's default.
    const lastLevel = optionOrder(opts).filter((k) => LEVELS.includes(k)).pop();
    const level = lastLevel ? Number(lastLevel) : 6;
    return bbunpack(ctx, files, {
      ...common,
      compressing: true,
      transform: (src) => gzip(src.rest(), { level }),
      newName: (name) => name + ".gz",
    });
  },
});

defineApplet({
  name: "gunzip",
  usage: "[-cfkt] [FILE]...",
  summary: "Decompress FILEs (or stdin)",
  options: ["-c  Write to stdout", "-f  Force", "-k  Keep input files", "-t  Test integrity", "-d", "-q", "-v", "-n"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, {
      stdout: !!opts.c, test: !!opts.t, force: !!opts.f, keep: !!opts.k, verbose: !!opts.v,
      transform: (src, info) => gunzip(src, info),
      newName: gunzipNames,
    });
  },
});

defineApplet({
  name: "zcat",
  usage: "[FILE]...",
  summary: "Decompress to stdout",
  options: ["-c", "-f", "-k", "-t", "-d", "-q", "-v", "-n"],
  run(ctx, opts, files) {
    return bbunpack(ctx, files, {
      stdout: true, test: !!opts.t, force: !!opts.f, keep: true,
      transform: anyDecompressor,
      newName: () => undefined,
    });
  },
});
