import * as fs from "node:fs";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage, SyscallError, UsageError } from "../lib/errors.ts";
import { attachLoop, freeLoopDevice, loopControl, loopStatus, showLoop } from "../lib/loop.ts";

const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err).replace(/^.*: /, ""));

defineApplet({
  name: "losetup",
  dir: "/sbin",
  usage: "[-rP] [-o OFS] {-f|LOOPDEV} FILE",
  summary: "Associate, show or detach loop devices",
  options: ["-a  Show status", "-c  Reread file size", "-d  Disassociate", "-f  Show/use next free loop device", "-o OFS  Start OFS bytes into FILE", "-P  Scan for partitions", "-r  Read-only"],
  async run(ctx, opts, args) {
    if (opts.a) {
      const devs = fs.readdirSync("/dev").filter((n) => /^loop\d+$/.test(n)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
      let out = "";
      for (const n of devs) {
        const s = loopStatus(`/dev/${n}`);
        if (s) out += showLoop(`/dev/${n}`, s);
      }
      await ctx.stdout.write(Buffer.from(out, "latin1"));
      return 0;
    }
    if (opts.d || opts.c) {
      if (args.length !== 1) throw new UsageError();
      try {
        loopControl(resolvePath(ctx, args[0]), opts.d ? "detach" : "capacity");
      } catch (err) {
        throw new AppletError(`${args[0]}: ${reason(err)}`);
      }
      return 0;
    }
    if (opts.f && args.length === 0) {
      await ctx.stdout.write(freeLoopDevice() + "\n");
      return 0;
    }
    if (!opts.f && args.length === 1) {
      try {
        fs.closeSync(fs.openSync(resolvePath(ctx, args[0]), "r"));
      } catch (err) {
        throw new AppletError(`${args[0]}: ${reason(err)}`);
      }
      const s = loopStatus(resolvePath(ctx, args[0]));
      if (!s) throw new AppletError(`${args[0]}: No such device or address`);
      await ctx.stdout.write(Buffer.from(showLoop(args[0], s), "latin1"));
      return 0;
    }
    const [dev, file] = opts.f ? [freeLoopDevice(), args[0]] : args;
    if (!file || args.length > (opts.f ? 1 : 2)) throw new UsageError();
    try {
      fs.accessSync(resolvePath(ctx, file), opts.r ? fs.constants.R_OK : fs.constants.R_OK | fs.constants.W_OK);
    } catch (err) {
      throw new AppletError(`can't open '${file}': ${reason(err)}`);
    }
    try {
      fs.closeSync(attachLoop(dev, resolvePath(ctx, file), { readOnly: !!opts.r, offset: Number(opts.o ?? 0), partscan: !!opts.P }));
    } catch (err) {
      throw new AppletError(`${dev}: ${reason(err)}`);
    }
    return 0;
  },
});

