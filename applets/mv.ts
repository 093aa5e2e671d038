// mv, as BusyBox: rename(2), and across filesystems (EXDEV) a copy that keeps
// everything (-a like) followed by removing the source. -f, -i, -n: the last
// one given wins; without -f an unwritable destination is asked about when
// stdin is a terminal. The copy replaces an existing file through a temporary
// name (lib/copy.ts), so nothing is lost if it fails.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, errnoCode } from "../lib/errors.ts";
import { Copier, cpMvStat, removeFile, sourcesAndTarget } from "../lib/copy.ts";
import { absPath, askYes, concatPath, errText, fsPath, lastComponent, warnBytes } from "../lib/fileops.ts";
import { optionOrder } from "../lib/options.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "mv",
  usage: "[-finT] SOURCE DEST\nor: mv [-fin] SOURCE... { -t DIRECTORY | DIRECTORY }",
  summary: "Rename SOURCE to DEST, or move SOURCEs to DIRECTORY",
  options: [
    "-f, --force  Don't prompt before overwriting",
    "-i, --interactive  Interactive, prompt before overwrite",
    "-n, --no-clobber  Don't overwrite an existing file",
    "-T, --no-target-directory  Refuse to move if DEST is a directory",
    "-t, --target-directory DIR  Move all SOURCEs into DIR",
    "-v, --verbose  Verbose",
  ],
  async run(ctx, opts, operands) {
    if (opts.t !== undefined && opts.T) throw new UsageError();
    const mode = optionOrder(opts).filter((k) => k === "f" || k === "i" || k === "n").pop();
    const args = operands.map(binaryOf);
    if (opts.T && args.length > 2) throw new UsageError(); // -T: exactly SOURCE DEST
    const { sources, last } = sourcesAndTarget(args, opts.t !== undefined ? binaryOf(opts.t) : undefined);
    let status = 0;
    for (const src of sources) {
      let dest: string;
      let destExists: number;
      if (opts.t === undefined && sources.length === 1) {
        destExists = await cpMvStat(ctx, last, true);
        if (destExists < 0) return 1;
        dest = last;
        if (destExists & 2) {
          if (opts.T) {
            if (!((await cpMvStat(ctx, src, true)) & 2)) throw new AppletError(`'${last}' is a directory`);
          } else {
            dest = concatPath(last, lastComponent(src));
            destExists = await cpMvStat(ctx, dest, true);
            if (destExists < 0) {
              status = 1;
              continue;
            }
          }
        }
      } else {
        dest = concatPath(last, lastComponent(src));
        destExists = await cpMvStat(ctx, dest, true);
        if (destExists < 0) {
          status = 1;
          continue;
        }
      }
      if (!(await move(src, dest, destExists))) status = 1;
      if (opts.v) await ctx.stdout.write(bytesOf(`'${src}' -> '${dest}'\n`));
    }
    return status;

    /** One move; false after an error message. */
    async function move(src: string, dest: string, destExists: number): Promise<boolean> {
      if (destExists) {
        if (mode === "n") return true;
        let unwritable = false;
        if (mode !== "f" && ctx.stdin.isTTY) {
          try {
            fs.accessSync(fsPath(absPath(ctx, dest)), fs.constants.W_OK);
          } catch {
            unwritable = true;
          }
        }
        if (mode !== "f" && (unwritable || mode === "i")) {
          if (!(await askYes(ctx, `mv: overwrite '${dest}'? `))) return true;
        }
      }
      try {
        fs.renameSync(fsPath(absPath(ctx, src)), fsPath(absPath(ctx, dest)));
        return true;
      } catch (err) {
        if (errnoCode(err) !== "EXDEV") {
          await warnBytes(ctx, `can't rename '${src}': ${errText(err)}`);
          return false;
        }
      }
      // Another filesystem: copy everything, then remove the source.
      const srcExists = await cpMvStat(ctx, src, false);
      if (srcExists < 1) {
        if (srcExists === 0) await warnBytes(ctx, `can't rename '${src}': No such file or directory`);
        return false;
      }
      if (destExists) {
        if (destExists === 3 && srcExists !== 3) {
          await warnBytes(ctx, "can't overwrite directory with non-directory");
          return false;
        }
        if (destExists !== 3 && srcExists === 3) {
          await warnBytes(ctx, "can't overwrite non-directory with directory");
          return false;
        }
        if (destExists === 3) {
          // BusyBox unlink()s the destination first, which a directory refuses.
          await warnBytes(ctx, `can't remove '${dest}': Is a directory`);
          return false;
        }
      }
      const copier = new Copier(ctx, { recurse: true, preserve: true, force: true });
      if (destExists) {
        // BusyBox unlinks DEST and copies; the copy goes to a temporary name and replaces DEST at once.
        const tmp = tempSibling(dest);
        if ((await copier.copy(src, tmp)) < 0) {
          fs.rmSync(fsPath(absPath(ctx, tmp)), { recursive: true, force: true });
          return false;
        }
        try {
          fs.renameSync(fsPath(absPath(ctx, tmp)), fsPath(absPath(ctx, dest)));
        } catch (err) {
          fs.rmSync(fsPath(absPath(ctx, tmp)), { recursive: true, force: true });
          await warnBytes(ctx, `can't remove '${dest}': ${errText(err)}`);
          return false;
        }
      } else if ((await copier.copy(src, dest)) < 0) return false;
      return (await removeFile(ctx, src, { recurse: true, force: true })) >= 0;
    }
  },
});

function tempSibling(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1).slice(0, 200)}.${process.pid}.${Date.now()}.pika-tmp`;
}
