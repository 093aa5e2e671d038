// chmod: MODE is octal or [ugoa]*[-+=][rwxXst]* clauses (lib/mode.ts). As
// BusyBox: a mode that looks like an option ("-w") is taken as the mode, the
// mode is parsed per file (so a missing file is reported before a bad mode),
// links named on the command line are followed and links met by -R skipped.
import * as fs from "node:fs";
import { defineApplet, usageText, findApplet } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { errText, fsPath, recursiveAction, warnBytes, type WalkEntry } from "../lib/fileops.ts";
import { modeString, tryParseMode } from "../lib/mode.ts";
import { parseOptions } from "../lib/options.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";

const OPT_LETTERS = "Rvcf";

defineApplet({
  name: "chmod",
  usage: "[-Rcvf] MODE[,MODE]... FILE...",
  summary: "MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]",
  options: ["-R  Recurse", "-c  List changed files", "-v  Verbose", "-f  Hide errors"],
  // "-w" is a mode, not an option: the arguments are looked at before parsing.
  rawArgs: true,
  async run(ctx, _none, rawArgs) {
    if (rawArgs[0] === "--help") {
      await ctx.stdout.write(usageText(findApplet("chmod")!));
      return 0;
    }
    const args = [...rawArgs];
    let modeAt = -1;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a[0] !== "-") break;
      if (a.length > 1 && !("-" + OPT_LETTERS).includes(a[1])) {
        modeAt = i;
        args[i] = "a" + a.slice(1);
        break;
      }
    }
    const { opts, operands } = parseOptions(findApplet("chmod")!.spec, args);
    if (modeAt >= 0) {
      const j = operands.indexOf(args[modeAt]);
      if (j >= 0) operands[j] = rawArgs[modeAt];
    }
    if (operands.length < 2) throw new UsageError();
    const spec = operands[0];
    const action = async (e: WalkEntry): Promise<true | { err: unknown }> => {
      let st = e.st;
      try {
        if (e.depth === 0) st = fs.statSync(fsPath(e.path));
        else if (st.isSymbolicLink()) return true;
      } catch (err) {
        if (!opts.f) await warnBytes(ctx, `${e.name}: ${errText(err)}`);
        return { err };
      }
      const mode = tryParseMode(spec, st.mode);
      if (mode === undefined) throw new AppletError(`invalid mode '${spec}'`);
      try {
        fs.chmodSync(fsPath(e.path), mode);
      } catch (err) {
        if (!opts.f) await warnBytes(ctx, `${e.name}: ${errText(err)}`);
        return { err };
      }
      if (opts.v || (opts.c && (st.mode & 0o7777) !== mode)) {
        const m = mode.toString(8).padStart(4, "0");
        await ctx.stdout.write(bytesOf(`mode of '${e.name}' changed to ${m} (${modeString(mode).slice(1)})\n`));
      }
      return true;
    };
    let status = 0;
    for (const f of operands.slice(1)) {
      if (!(await recursiveAction(ctx, binaryOf(f), { recurse: opts.R > 0 }, action, action))) status = 1;
    }
    return status;
  },
});
