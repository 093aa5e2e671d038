// supervise-daemon: services/supervise.ts.
import { defineApplet } from "../lib/applet.ts";
import { SUPERVISE_OPTIONS, superviseMain } from "../services/supervise.ts";

defineApplet({
  name: "supervise-daemon",
  usage: "NAME -S|-K [OPTIONS] [COMMAND [--] [ARGS]]",
  summary: "Start COMMAND under a supervisor that restarts it when it dies, or stop it",
  options: SUPERVISE_OPTIONS,
  stopAtOperand: false,
  dir: "/sbin",
  run: superviseMain,
});
