// logread: print syslogd -C's circular buffer (lib/logbuf.ts); -f waits for
// new messages and prints only those, -F prints the buffer first.
import { defineApplet } from "../lib/applet.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { readLogBuffer, type LogBuffer } from "../lib/logbuf.ts";

const POLL_MS = 200;

function current(): LogBuffer {
  try {
    return readLogBuffer();
  } catch (err) {
    throw new AppletError(`can't find syslogd buffer: ${errorMessage(err)}`);
  }
}

defineApplet({
  name: "logread",
  dir: "/sbin",
  usage: "[-fF]",
  summary: "Show messages in syslogd's circular buffer",
  options: ["-f  Output data as log grows", "-F  Same as -f, but dump buffer first"],
  async run(ctx, opts) {
    let buf = current();
    const follow = opts.f || opts.F;
    if (!follow || opts.F) for (const line of buf.lines) await ctx.stdout.write(Buffer.from(line, "latin1"));
    if (!follow) return 0;
    await ctx.stdout.flush();
    let seen = buf.seq;
    while (!ctx.signal?.aborted) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      try {
        buf = readLogBuffer();
      } catch {
        continue; // syslogd restarting
      }
      if (buf.seq < seen) seen = 0; // a new syslogd: everything is new
      const fresh = Math.min(buf.seq - seen, buf.lines.length);
      for (const line of buf.lines.slice(buf.lines.length - fresh)) await ctx.stdout.write(Buffer.from(line, "latin1"));
      await ctx.stdout.flush();
      seen = buf.seq;
    }
    return 0;
  },
});
