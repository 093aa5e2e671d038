// start-stop-daemon: services/ssd.ts.
import { defineApplet } from "../lib/applet.ts";
import { SSD_OPTIONS, ssdMain } from "../services/ssd.ts";

defineApplet({
  name: "start-stop-daemon",
  usage: "-S|-K [OPTIONS] [-- ARGS]",
  summary: "Start or stop a daemon",
  options: SSD_OPTIONS,
  dir: "/sbin",
  run: ssdMain,
});
