// rc-update add|del|show: the links in /etc/runlevels/LEVEL.
import { byLongName } from "../services/opts.ts";
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, warn } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { allServices } from "../services/deps.ts";
import { einfo, eerror, ewarn } from "../services/einfo.ts";
import { nativeFile } from "../services/native.ts";
import { DEFAULT, RUNLEVELS } from "../services/paths.ts";
import { declaredInRunlevel, runlevels, servicesInRunlevel } from "../services/runlevel.ts";
import { scriptOf } from "../services/script.ts";
import { softlevel } from "../services/state.ts";

const OPTS = ["-v, --verbose  With show: every service, in a runlevel or not", "-a, --all  With del: from every runlevel"
];

defineApplet({
  name: "rc-update",
  usage: "[-v] add|del SERVICE [RUNLEVEL...] | show [RUNLEVEL...]",
  summary: "Add SERVICE to or delete it from RUNLEVELs (default: default), or show which services are in which runlevels",
  options: OPTS,
  dir: "/sbin",
  async run(ctx, parsed, args) {
    const opts = byLongName(OPTS, parsed);
    const [action = "show", ...rest] = args;
    if (action === "show") {
      const levels = rest.length ? rest : runlevels();
      const names = new Set(opts.verbose ? allServices() : []);
      for (const l of levels) for (const s of servicesInRunlevel(l)) names.add(s);
      for (const s of [...names].sort()) {
        const in_ = levels.filter((l) => servicesInRunlevel(l).includes(s));
        await ctx.stdout.write(`${s.padStart(20)} | ${in_.join(" ")}\n`);
      }
      return 0;
    }
    if (action !== "add" && action !== "del" && action !== "delete") throw new UsageError(`unknown action '${action}'`);
    const [svc, ...given] = rest;
    if (!svc) throw new UsageError();
    let status = 0;
    if (action === "add") {
      const script = scriptOf(svc);
      if (!fs.existsSync(script)) {
        await eerror(ctx, `rc-update: service \`${svc}' does not exist`);
        return 1;
      }
      for (const l of given.length ? given : [softlevel() && softlevel() !== "none" ? DEFAULT : DEFAULT]) {
        const dir = path.join(RUNLEVELS, l);
        if (!fs.existsSync(dir)) {
          await eerror(ctx, `rc-update: runlevel \`${l}' does not exist`);
          status = 1;
          continue;
        }
        const link = path.join(dir, svc);
        if (fs.existsSync(link) || servicesInRunlevel(l).includes(svc)) {
          await ewarn(ctx, `rc-update: ${svc} already installed in runlevel \`${l}'; skipping`);
          continue;
        }
        fs.symlinkSync(script, link);
        await einfo(ctx, `service ${svc} added to runlevel ${l}`);
      }
      return status;
    }
    const levels = opts.all ? runlevels() : given.length ? given : [DEFAULT];
    let removed = 0;
    for (const l of levels) {
      const link = path.join(RUNLEVELS, l, svc);
      try {
        fs.lstatSync(link);
      } catch {
        if (declaredInRunlevel(l).includes(svc)) {
          // Not a link to remove: the service file itself names the runlevel.
          await eerror(ctx, `rc-update: ${svc} is in runlevel \`${l}' by its runlevels in ${nativeFile(svc)}; remove it there`);
          status = 1;
        } else if (!opts.all) {
          await eerror(ctx, `rc-update: service \`${svc}' is not in the runlevel \`${l}'`);
          status = 1;
        }
        continue;
      }
      fs.rmSync(link);
      removed++;
      await einfo(ctx, `service ${svc} removed from runlevel ${l}`);
    }
    if (opts.all && !removed) {
      await warn(ctx, `service \`${svc}' is not in any runlevel`);
      return 1;
    }
    return status;
  },
});
