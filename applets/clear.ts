// clear and reset, with BusyBox's escape sequences: clear homes the cursor and
// erases the screen; reset, only when stdin is a terminal, resets it (ESC c),
// selects US ASCII, clears attributes and the screen, shows the cursor, and
// then does "stty sane".
import { defineApplet, type Context } from "../lib/applet.ts";
import { loadApplet, runApplet } from "../lib/applet.ts";

defineApplet({
  name: "clear",
  usage: "",
  summary: "Clear screen",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx) {
    await ctx.stdout.write("\x1b[H\x1b[J");
    return 0;
  },
});

defineApplet({
  name: "reset",
  usage: "",
  summary: "Reset the screen",
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx) {
    if (!ctx.stdin.isTTY) return 0;
    await ctx.stdout.write("\x1b" + "c\x1b(B\x1b[m\x1b[J\x1b[?25h");
    await ctx.stdout.flush();
    return sttySane(ctx);
  },
});

async function sttySane(ctx: Context): Promise<number> {
  const stty = await loadApplet("stty");
  if (!stty) return 0;
  return runApplet(stty, { ...ctx, argv: ["stty", "sane"] });
}
