// logger: send MESSAGE (the operands joined by spaces), or each line of
// stdin, to syslogd through /dev/log, as BusyBox's logger does with syslog(3).
import { defineApplet } from "../lib/applet.ts";
import { readLinesWithEnds } from "../lib/text.ts";
import { LOG_NOTICE, LOG_USER, parsePriority, syslog } from "../lib/syslog.ts";
import { readRecords } from "../lib/userdb.ts";

/** The effective user's name (the default tag), or its number. */
function userName(): string {
  const uid = String(process.geteuid?.() ?? 0);
  return readRecords("/etc/passwd").find((r) => r[2] === uid)?.[0] ?? uid;
}

defineApplet({
  name: "logger",
  dir: "/usr/bin",
  usage: "[-s] [-t TAG] [-p PRIO] [MESSAGE]",
  summary: "Write MESSAGE (or stdin) to syslog",
  options: [
    "-s  Log to stderr as well as the system log",
    "-t TAG  Log using the specified tag (defaults to user name)",
    "-p PRIO  Priority (number or FACILITY.LEVEL pair)",
  ],
  async run(ctx, opts, words) {
    const pri = opts.p === undefined ? LOG_USER | LOG_NOTICE : parsePriority(opts.p);
    const tag = opts.t ?? userName();
    const log = async (msg: string) => {
      syslog(pri, tag, msg, ctx.env);
      if (opts.s) await ctx.stderr.write(Buffer.from(`${tag}: ${msg}${msg.endsWith("\n") ? "" : "\n"}`, "latin1"));
    };
    if (words.length) await log(words.join(" "));
    else for await (const [line, nl] of readLinesWithEnds(ctx.stdin)) await log(nl ? line + "\n" : line);
    return 0;
  },
});
