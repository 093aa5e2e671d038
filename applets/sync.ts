import { defineApplet } from "../lib/applet.ts";
import { sync } from "../lib/syscalls.ts";

defineApplet({
  name: "sync",
  usage: "",
  summary: "Write all buffered blocks to disk",
  run() {
    sync();
    return 0;
  },
});
