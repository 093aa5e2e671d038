// usleep: pause for N microseconds.
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { parseNumber } from "../lib/numbers.ts";

defineApplet({
  name: "usleep",
  usage: "N",
  summary: "Pause for N microseconds",
  rawArgs: true, // "-1" is a bad number, not an option
  async run(ctx, _opts, args) {
    if (args.length === 0) throw new UsageError();
    const us = parseNumber(args[0], 0n, 4294967295n);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, us / 1000);
      ctx.signal?.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
    });
    return 0;
  },
});
