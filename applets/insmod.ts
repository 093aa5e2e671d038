import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage, SyscallError } from "../lib/errors.ts";
import { loadModuleFile, readProcModules } from "../lib/kmod.ts";
import { deleteModule, DELETE_FORCE, DELETE_NONBLOCK } from "../lib/syscalls.ts";

const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err));

defineApplet({
  name: "insmod",
  dir: "/sbin",
  usage: "FILE [SYMBOL=VALUE]...",
  summary: "Load kernel module",
  minOperands: 1,
  stopAtOperand: true,
  async run(ctx, _opts, [file, ...params]) {
    try {
      await loadModuleFile(resolvePath(ctx, file), params.join(" "));
    } catch (err) {
      // BusyBox exits with -errno.
      const errno = err instanceof SyscallError ? err.errno : Math.abs((err as { errno?: number }).errno ?? 1);
      throw new AppletError(`can't insert '${file}': ${reason(err)}`, (256 - errno) & 255);
    }
    return 0;
  },
});

defineApplet({
  name: "rmmod",
  dir: "/sbin",
  usage: "[-wf] MODULE...",
  summary: "Unload kernel modules",
  options: ["-w  Wait until the module is no longer used", "-f  Force unload"],
  minOperands: 1,
  async run(ctx, opts, names) {
    const flags = (opts.w ? 0 : DELETE_NONBLOCK) | (opts.f ? DELETE_FORCE : 0);
    let status = 0;
    for (const n of names) {
      const name = n.replace(/^.*\//, "").replace(/\.ko(\..*)?$/, "").replace(/-/g, "_");
      try {
        deleteModule(name, flags);
      } catch (err) {
        await warn(ctx, `can't unload module '${name}': ${reason(err)}`);
        status = 1;
      }
    }
    return status;
  },
});

defineApplet({
  name: "lsmod",
  dir: "/sbin",
  usage: "",
  summary: "List loaded kernel modules",
  async run(ctx) {
    let tainted = 0;
    try {
      tainted = Number(fs.readFileSync("/proc/sys/kernel/tainted", "utf8").trim());
    } catch {}
    await ctx.stdout.write(`Module                  Size  Used by    ${tainted ? `Tainted: ${tainted}` : "Not tainted"}\n`);
    let mods;
    try {
      mods = readProcModules();
    } catch (err) {
      // BusyBox says why and still succeeds.
      await warn(ctx, `/proc/modules: ${reason(err).replace(/^.*: /, "")}`);
      return 0;
    }
    let out = "";
    for (const m of mods) out += `${m.name.padEnd(19)} ${String(m.size).padStart(8)} ${String(m.refs).padStart(2)} ${m.users.join(",")}\n`;
    await ctx.stdout.write(out);
    return 0;
  },
});
