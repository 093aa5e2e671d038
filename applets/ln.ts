// ln, as BusyBox: hard links, or symlinks with -s; into DIR when the last
// operand is a directory (a link to one counts, unless -n); -f removes the
// destination first, -b renames it to DEST~ (-S SUFFIX), -T refuses a DIR.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError, errnoCode } from "../lib/errors.ts";
import { absPath, concatPath, errText, fsPath, lastComponent, warnBytes } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

defineApplet({
  name: "ln",
  usage: "[-sfnbtv] [-S SUF] TARGET... LINK|DIR",
  summary: "Create a link LINK or DIR/TARGET to the specified TARGET(s)",
  options: [
    "-s  Make symlinks instead of hardlinks",
    "-f  Remove existing destinations",
    "-n  Don't dereference symlinks - treat like normal file",
    "-b  Make a backup of the target (if exists) before link operation",
    "-S SUF  Use suffix instead of ~ when making backup files",
    "-T  Treat LINK as a file, not DIR",
    "-v  Verbose",
  ],
  minOperands: 1,
  async run(ctx, opts, operands) {
    const args = operands.map(binaryOf);
    if (opts.T && args.length > 2) throw new AppletError("-T accepts 2 args max");
    let last = args[args.length - 1];
    let targets = args.slice(0, -1);
    if (args.length === 1) {
      targets = [last];
      last = lastComponent(last);
    }
    const suffix = opts.S !== undefined ? binaryOf(opts.S) : "~";
    const p = (s: string) => fsPath(absPath(ctx, s));
    let status = 0;
    for (const target of targets) {
      let link = last;
      let isDir = false;
      try {
        isDir = (opts.n ? fs.lstatSync(p(link)) : fs.statSync(p(link))).isDirectory();
      } catch {}
      if (isDir) {
        if (opts.T) throw new AppletError(`'${link}' is a directory`);
        link = concatPath(link, lastComponent(target));
      }
      if (!opts.s) {
        // A hard link to a dangling symlink is allowed; to nothing, not.
        let ok = true;
        try {
          fs.statSync(p(target));
        } catch (err) {
          try {
            ok = fs.lstatSync(p(target)).isSymbolicLink();
          } catch {
            ok = false;
          }
          if (!ok) {
            await warnBytes(ctx, `${target}: ${errText(err)}`);
            status = 1;
            continue;
          }
        }
      }
      if (opts.b) {
        try {
          fs.renameSync(p(link), p(link + suffix));
        } catch (err) {
          if (errnoCode(err) !== "ENOENT") {
            await warnBytes(ctx, `${link}: ${errText(err)}`);
            status = 1;
            continue;
          }
        }
        try {
          fs.unlinkSync(p(link));
        } catch {}
      } else if (opts.f) {
        try {
          fs.unlinkSync(p(link));
        } catch {}
      }
      if (opts.v) await ctx.stdout.write(bytesOf(`'${link}' -> '${target}'\n`));
      try {
        if (opts.s) fs.symlinkSync(fsPath(target), p(link));
        else fs.linkSync(p(target), p(link));
      } catch (err) {
        await warnBytes(ctx, `${link}: ${errText(err)}`);
        status = 1;
      }
    }
    return status;
  },
});
