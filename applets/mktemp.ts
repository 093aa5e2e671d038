// mktemp: a new file (mode 0600) or directory (-d, 0700) from a TEMPLATE
// ending in XXXXXX, as BusyBox: no TEMPLATE means -t tmp.XXXXXX; -t and -p put
// it under -p DIR, else $TMPDIR, else /tmp. Errors are BusyBox's, "(null)"
// included (it prints a null name).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { absPath, concatPath, errText, fsPath, warnBytes } from "../lib/fileops.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { errnoCode } from "../lib/errors.ts";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function fillTemplate(t: string): string {
  const rnd = crypto.randomBytes(6);
  let s = "";
  for (let i = 0; i < 6; i++) s += LETTERS[rnd[i] % 62];
  return t.slice(0, -6) + s;
}

class EinvalError extends Error {
  code = "EINVAL";
}

defineApplet({
  name: "mktemp",
  usage: "[-dt] [-p DIR] [TEMPLATE]",
  summary:
    "Create a temporary file with name based on TEMPLATE and print its name.\n" +
    "TEMPLATE must end with XXXXXX (e.g. [/dir/]nameXXXXXX).\n" +
    "Without TEMPLATE, -t tmp.XXXXXX is assumed.",
  options: [
    "-d, --directory  Make directory, not file",
    "-q, --quiet  Fail silently on errors",
    "-t  Prepend base directory name to TEMPLATE",
    "-p DIR  Use DIR as a base directory (implies -t)",
    "--tmpdir[=DIR]  Same as -p DIR",
    "-u, --dry-run  Do not create anything; print a name",
  ],
  async run(ctx, opts, args) {
    if (args.length > 1) throw new UsageError();
    let dir = ctx.env.TMPDIR || "/tmp";
    let t = opts.t > 0;
    let p = false;
    if (opts.p !== undefined) {
      dir = opts.p;
      p = true;
    }
    if (opts.tmpdir !== undefined) {
      if (opts.tmpdir !== "") dir = opts.tmpdir;
      p = true;
    }
    let template = args[0] !== undefined ? binaryOf(args[0]) : undefined;
    if (template === undefined) {
      template = "tmp.XXXXXX";
      t = true;
    }
    if (t || p) template = concatPath(binaryOf(dir), template);
    try {
      if (!template.endsWith("XXXXXX")) throw new EinvalError();
      let name = "";
      for (let tries = 0; ; tries++) {
        name = fillTemplate(template);
        if (opts.u) break;
        try {
          if (opts.d) fs.mkdirSync(fsPath(absPath(ctx, name)), 0o700);
          else fs.closeSync(fs.openSync(fsPath(absPath(ctx, name)), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600));
          break;
        } catch (err) {
          if (errnoCode(err) !== "EEXIST" || tries > 1000) throw err;
        }
      }
      await ctx.stdout.write(bytesOf(name + "\n"));
      return 0;
    } catch (err) {
      if (opts.q) return 1;
      await warnBytes(ctx, `(null): ${errText(err)}`);
      return 1;
    }
  },
});
