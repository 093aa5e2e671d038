// watch: run PROG ARGS (joined into one shell command, as BusyBox's system()
// call does) every SEC seconds, clearing the screen first and showing the
// header "Every N.Ns: COMMAND" with the time at the right edge (the width is
// stderr's terminal's, or $COLUMNS, or 80). Runs until killed.
import { defineApplet } from "../lib/applet.ts";
import { runCommand } from "../lib/exec.ts";
import { terminalSize } from "../lib/term.ts";
import { parseDuration } from "../lib/numbers.ts";

const two = (n: number) => String(n).padStart(2, "0");

defineApplet({
  name: "watch",
  usage: "[-n SEC] [-t] PROG ARGS",
  summary: "Run PROG periodically",
  options: ["-n SEC  Period (default 2)", "-t  Don't print header"],
  stopAtOperand: true,
  minOperands: 1,
  dir: "/usr/bin",
  async run(ctx, opts, args) {
    const period = opts.n !== undefined ? parseDuration(opts.n) : 2;
    const cmd = args.join(" ");
    while (!ctx.signal?.aborted) {
      let out = "\x1b[H\x1b[J";
      if (!opts.t) {
        const width = terminalSize(ctx.stderr.fd, ctx.env).cols;
        let header = `Every ${period.toFixed(1)}s: ${cmd.padEnd(width)}`;
        // The time overwrites the header's end, 19 characters before the edge.
        if (20 < width) header = header.slice(0, width - 20) + stamp();
        out += header + "\n\n";
      }
      await ctx.stdout.write(Buffer.from(out, "latin1"));
      await runCommand(ctx, ["/bin/sh", "-c", cmd]);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, period * 1000);
        ctx.signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
    }
    return 0;
  },
});

function stamp(): string {
  const d = new Date();
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
