import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { parseDuration } from "../lib/numbers.ts";

defineApplet({
  name: "sleep",
  usage: "[N]...",
  summary: "Pause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays",
  async run(_ctx, _opts, args) {
    if (args.length === 0) throw new UsageError();
    const seconds = args.map(parseDuration).reduce((a, b) => a + b, 0);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return 0;
  },
});
