import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { errorMessage } from "../lib/errors.ts";
import { devMajor, devMinor } from "../lib/syscalls.ts";

defineApplet({
  name: "mountpoint",
  usage: "[-q] { [-dn] DIR | -x DEVICE }",
  summary: "Check if the directory is a mountpoint",
  options: ["-q  Quiet", "-d  Print major:minor of the filesystem", "-n  Print device name of the filesystem", "-x  Print major:minor of DEVICE"],
  minOperands: 1,
  async run(ctx, opts, [arg]) {
    const p = resolvePath(ctx, arg);
    let st: fs.Stats;
    try {
      st = opts.x ? fs.statSync(p) : fs.lstatSync(p);
    } catch (err) {
      if (!opts.q) await warn(ctx, `${arg}: ${errorMessage(err).replace(/^.*: /, "")}`);
      return 1;
    }
    if (opts.x) {
      if (!st.isBlockDevice()) {
        if (!opts.q) await warn(ctx, `${arg}: not a block device`);
        return 1;
      }
      await ctx.stdout.write(`${devMajor(st.rdev)}:${devMinor(st.rdev)}\n`);
      return 0;
    }
    if (!st.isDirectory()) {
      if (!opts.q) await warn(ctx, `${arg}: not a directory`);
      return 1;
    }
    const parent = fs.statSync(path.join(p, ".."));
    const isMount = st.dev !== parent.dev || st.ino === parent.ino;
    if (opts.n) {
      const m = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((l) => l.split(" "))
        .filter((f) => f[4] === p || (f[4] === "/" && p === "/")).pop();
      const src = m ? m[m.indexOf("-") + 2] : "UNKNOWN";
      await ctx.stdout.write(`${src} ${arg}\n`);
      return isMount ? 0 : 1;
    }
    if (opts.d) {
      if (!isMount) {
        if (!opts.q) await ctx.stdout.write(`${arg} is not a mountpoint\n`);
        return 1;
      }
      await ctx.stdout.write(`${devMajor(st.dev)}:${devMinor(st.dev)}\n`);
      return 0;
    }
    if (!opts.q) await ctx.stdout.write(`${arg} is ${isMount ? "" : "not "}a mountpoint\n`);
    return isMount ? 0 : 1;
  },
});
