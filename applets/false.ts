import { defineApplet } from "../lib/applet.ts";

defineApplet({ name: "false", usage: "", summary: "Return an exit code of FALSE (1)", rawArgs: true, run: () => 1 });
