// cp, as BusyBox's cp_main() and copy_file() (lib/copy.ts): -a = -dpR, -R
// implies -d (symlinks copied as symlinks) unless -L, -H follows links named
// on the command line, -i and -n (the last one wins), -l/-s make links, -T,
// -t DIR, --parents. An existing file is replaced through a temporary name, so
// a failed copy leaves it intact.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, errnoCode } from "../lib/errors.ts";
import { Copier, cpMvStat, sourcesAndTarget, type CopyFlags } from "../lib/copy.ts";
import { absPath, concatPath, dirName, errText, fsPath, lastComponent, makeDirectory, warnBytes } from "../lib/fileops.ts";
import { optionOrder } from "../lib/options.ts";
import { binaryOf } from "../lib/text.ts";

defineApplet({
  name: "cp",
  usage: "[-arPLHpfinlsTu] SOURCE DEST\nor: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }",
  summary: "Copy SOURCEs to DEST",
  options: [
    "-a, --archive  Same as -dpR",
    "-R, -r, --recursive  Recurse",
    "-d, -P, --no-dereference  Preserve symlinks (default if -R)",
    "-L, --dereference  Follow all symlinks",
    "-H  Follow symlinks on command line",
    "-p  Preserve file attributes if possible",
    "-f, --force  Overwrite",
    "-i, --interactive  Prompt before overwrite",
    "-n, --no-clobber  Don't overwrite",
    "-l, --link  Create hard links",
    "-s, --symbolic-link  Create symlinks",
    "-T, --no-target-directory  Refuse to copy if DEST is a directory",
    "-t, --target-directory DIR  Copy all SOURCEs into DIR",
    "-u, --update  Copy only newer files",
    "-v, --verbose  Verbose",
    "--parents  Use full source file name under DIRECTORY",
    "--remove-destination  Remove each existing destination file before copying",
    "--reflink[=WHEN]  Clone the data (WHEN: always, auto)",
  ],
  async run(ctx, opts, operands) {
    if (opts.l && opts.s) throw new UsageError();
    // -i and -n: the last one given wins.
    const order = optionOrder(opts);
    const lastIN = order.filter((k) => k === "i" || k === "n").pop();
    const recurse = opts.R > 0 || opts.a > 0;
    // Symlinks are followed unless -d/-P, -R or -a; -L always follows.
    const noDeref = opts.d > 0 || recurse;
    let reflink: "always" | "auto" | undefined;
    if (opts.reflink !== undefined) {
      const w = opts.reflink === "" ? "always" : opts.reflink;
      if (w !== "always" && w !== "auto") throw new UsageError();
      reflink = w;
    }
    const flags: CopyFlags = {
      preserve: opts.p > 0 || opts.a > 0,
      deref: !noDeref || opts.L > 0,
      derefL0: opts.H > 0,
      recurse,
      force: opts.f > 0 || opts["remove-destination"] > 0,
      interactive: lastIN === "i",
      noOverwrite: lastIN === "n",
      hardlink: opts.l > 0,
      softlink: opts.s > 0,
      verbose: opts.v > 0,
      update: opts.u > 0,
      // BusyBox 1.35 treats --remove-destination as -f: an existing file is still written through.
      reflink: reflink === "always",
    };
    const args = operands.map(binaryOf);
    const { sources, last } = sourcesAndTarget(args, opts.t !== undefined ? binaryOf(opts.t) : undefined);
    const copier = new Copier(ctx, flags);
    if (opts.t === undefined && sources.length === 1) {
      // cp SOURCE DEST: a copy to DEST itself unless DEST is a directory.
      const s = await cpMvStat(ctx, sources[0], flags.deref!);
      if (s < 0) return 1;
      const d = await cpMvStat(ctx, last, true);
      if (d < 0) return 1;
      if (opts.T) {
        if (!(s & 2) && d & 2) throw new AppletError(`'${last}' is a directory`);
        return (await copier.copy(sources[0], last)) < 0 ? 1 : 0;
      }
      if (opts.parents && !(d & 2)) throw new AppletError("with --parents, the destination must be a directory");
      // Neither is a directory, or a directory copied (-R) to a new name.
      if (!((s | d) & 2) || (recurse && s & 2 && !d)) return (await copier.copy(sources[0], last)) < 0 ? 1 : 0;
    } else if (opts.T && opts.t === undefined) throw new UsageError();
    let status = 0;
    for (const src of sources) {
      let dest: string;
      if (opts.parents) {
        dest = concatPath(last, src);
        if (await makeDirectory(ctx, dirName(dest), -1, true, false)) return 1;
      } else dest = concatPath(last, lastComponent(src));
      if ((await copier.copy(src, dest)) < 0) status = 1;
    }
    return status;
  },
});
