// rc-service [-e|-l|-r] SERVICE COMMAND..., and Alpine's `service` alias.
import { byLongName } from "../services/opts.ts";
import * as fs from "node:fs";
import { defineApplet, warn } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { allServices } from "../services/deps.ts";
import { scriptOf, serviceCommand } from "../services/service.ts";
import { serviceState } from "../services/state.ts";

const OPTS = [      "-e, --exists SERVICE  Exit 0 if SERVICE exists",
      "-l, --list  List the services",
      "-r, --resolve SERVICE  Print SERVICE's script",
      "-i, --ifexists  Do nothing (exit 0) if SERVICE does not exist",
      "-s, --ifstarted  Only if SERVICE is started",
      "-S, --ifstopped  Only if SERVICE is stopped",
];

for (const name of ["rc-service", "service"]) {
  defineApplet({
    name,
    usage: "[-e SERVICE] [-l] [-r SERVICE] [-i] [-s] SERVICE COMMAND...",
    summary: "Run COMMANDs of SERVICE's init script",
    options: OPTS,
    stopAtOperand: true,
    dir: "/sbin",
    async run(ctx, parsed, args) {
    const opts = byLongName(OPTS, parsed);
      if (opts.exists !== undefined) return fs.existsSync(scriptOf(opts.exists)) ? 0 : 1;
      if (opts.list) {
        for (const s of allServices()) await ctx.stdout.write(s + "\n");
        return 0;
      }
      if (opts.resolve !== undefined) {
        if (!fs.existsSync(scriptOf(opts.resolve))) return 1;
        await ctx.stdout.write(scriptOf(opts.resolve) + "\n");
        return 0;
      }
      if (args.length < 2) throw new UsageError();
      const [svc, ...cmds] = args;
      const script = scriptOf(svc);
      if (!fs.existsSync(script)) {
        if (opts.ifexists) return 0;
        await warn(ctx, `service \`${svc}' does not exist`);
        return 1;
      }
      if (opts.ifstarted && serviceState(svc) !== "started") return 0;
      if (opts.ifstopped && serviceState(svc) !== "stopped") return 0;
      let status = 0;
      for (const c of cmds) {
        status = await serviceCommand(ctx, script, c);
        if (status !== 0) break;
      }
      return status;
    },
  });
}
