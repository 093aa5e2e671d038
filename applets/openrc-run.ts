// openrc-run SCRIPT CMD...: the interpreter of "#!/sbin/openrc-run" scripts
// (services/service.ts does the work).
import * as path from "node:path";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { rcHelper } from "../services/helpers.ts";
import { serviceCommand } from "../services/service.ts";

defineApplet({
  name: "openrc-run",
  usage: "SCRIPT COMMAND...",
  summary: "Run the COMMANDs (start stop restart status zap describe, or the script's own) of an init SCRIPT",
  rawArgs: true,
  dir: "/sbin",
  async run(ctx, _opts, args) {
    if (args[0] === "--rc-helper") return rcHelper(ctx, args[1] ?? "", args.slice(2));
    if (args[0] === "--help" || args.length < 2) throw new UsageError();
    const script = resolvePath(ctx, args[0]);
    let status = 0;
    for (const cmd of args.slice(1)) {
      status = await serviceCommand(ctx, path.normalize(script), cmd);
      if (status !== 0) break;
    }
    return status;
  },
});
