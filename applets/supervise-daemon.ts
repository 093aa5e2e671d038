// supervise-daemon: services/supervise.ts.
import { defineApplet } from "../lib/applet.ts";
import { SUPERVISE_OPTIONS, superviseMain } from "../services/supervise.ts";

defineApplet({
  name: "supervise-daemon",
  usage: "NAME -S|-K|-s SIG [OPTIONS] [COMMAND [--] [ARGS]]",
  summary: "Start COMMAND under the shared supervisor that restarts it when it dies, signal it, or stop it",
  options: SUPERVISE_OPTIONS,
  stopAtOperand: false,
  dir: "/sbin",
  run: superviseMain,
});
