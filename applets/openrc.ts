// openrc [RUNLEVEL]: change to a runlevel (services/runlevel.ts).
import { defineApplet } from "../lib/applet.ts";
import { DEFAULT } from "../services/paths.ts";
import { softlevel } from "../services/state.ts";
import { switchRunlevel } from "../services/runlevel.ts";

defineApplet({
  name: "openrc",
  usage: "[RUNLEVEL]",
  summary: "Start and stop services to reach RUNLEVEL (default: the current one, else default)",
  dir: "/sbin",
  async run(ctx, _opts, args) {
    return switchRunlevel(ctx, args[0] ?? softlevel() ?? DEFAULT);
  },
});
