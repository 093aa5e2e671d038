import { defineApplet } from "../lib/applet.ts";

defineApplet({ name: "true", usage: "", summary: "Return an exit code of TRUE (0)", rawArgs: true, run: () => 0 });
