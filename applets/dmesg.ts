// dmesg: print the kernel's log buffer (syslog(2) through klogctl), without
// the "<N>" level at the start of each line unless -r; -c clears it after
// reading, -n sets the console log level, -s the size read (16 KiB to 16 MiB,
// the newest part of the buffer).
import { defineApplet } from "../lib/applet.ts";
import { parseNumber } from "../lib/numbers.ts";
import { klogctl, SYSLOG_ACTION } from "../lib/syscalls.ts";

/** The text with "<N>" removed from the start of every line, ending in a newline. */
export function stripLevels(text: string): string {
  const out = text.replace(/(^|\n)<[^>\n]*>/g, "$1");
  return out === "" || out.endsWith("\n") ? out : out + "\n";
}

defineApplet({
  name: "dmesg",
  usage: "[-cr] [-n LEVEL] [-s SIZE]",
  summary: "Print or control the kernel ring buffer",
  options: ["-c  Clear ring buffer after printing", "-n LEVEL  Set console logging level", "-s SIZE  Buffer size", "-r  Print raw message buffer"],
  async run(ctx, opts) {
    const num = (s: string) => parseNumber(s, -2147483648n, 2147483647n);
    if (opts.n !== undefined) {
      klogctl(SYSLOG_ACTION.CONSOLE_LEVEL, null, num(opts.n));
      return 0;
    }
    let size = opts.s === undefined ? klogctl(SYSLOG_ACTION.SIZE_BUFFER) : num(opts.s);
    size = Math.min(Math.max(size, 16 * 1024), 16 * 1024 * 1024);
    const buf = new Uint8Array(size);
    const n = klogctl(opts.c ? SYSLOG_ACTION.READ_CLEAR : SYSLOG_ACTION.READ_ALL, buf, size);
    const text = Buffer.from(buf.subarray(0, n)).toString("latin1");
    const out = opts.r ? (text === "" || text.endsWith("\n") ? text : text + "\n") : stripLevels(text);
    await ctx.stdout.write(Buffer.from(out, "latin1"));
    return 0;
  },
});
