import { defineApplet } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";

const UNIT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** "1.5", "2m", "1h": seconds, as BusyBox's sleep accepts them. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) throw new AppletError(`invalid number '${s}'`);
  return parseFloat(m[1]) * UNIT[m[2]];
}

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
