// date: show the time (now, -d TIME, or -r FILE's) in the context's TZ, by
// default in "%a %b %e %H:%M:%S %Z %Y", with +FORMAT (strftime), -R (RFC 2822)
// or -I[SPEC] (ISO 8601); set the clock with -s TIME or a TIME operand.
// TIME is read as BusyBox's parse_datestr() reads it (lib/datestr.ts), or
// with the strptime format of -D.
import * as fs from "node:fs";
import { defineApplet, resolvePath, warn } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { InvalidDate, parseDatestr, strptime, type Tm } from "../lib/datestr.ts";
import { strftime } from "../lib/strftime.ts";
import { setRealtimeClock } from "../lib/syscalls.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { loadZone, localtime, mktime } from "../lib/tz.ts";

const ISO_SPECS = ["date", "hours", "minutes", "seconds", "ns"];

/** "MMDDhhmm[[CC]YY][.ss]", the date operand's own form, as the -s form [[CC]YY]MMDDhhmm[.ss]. */
function compatForm(s: string): string {
  const m = /^(\d*)(\.\d\d)?$/.exec(s);
  if (!m) return s;
  const extra = m[1].length - 8;
  if (extra < 0 || extra > 4 || extra % 2) throw new AppletError(`invalid date '${s}'`);
  return m[1].slice(8) + m[1].slice(0, 8) + (m[2] ?? "");
}

defineApplet({
  name: "date",
  usage: "[OPTIONS] [+FMT] [[-s] TIME]",
  summary: "Display time (using +FMT), or set time",
  options: [
    "-u, --utc  Work in UTC (don't convert to local time)",
    "-s, --set TIME  Set time to TIME",
    "-d, --date TIME  Display TIME, not 'now'",
    "-D FMT  FMT (strptime format) for -s/-d TIME conversion",
    "-r, --reference FILE  Display last modification time of FILE",
    "-R, --rfc-2822, --rfc-822  Output RFC-2822 date",
    "-I[=SPEC]  Output ISO-8601 date (SPEC=date (default), hours, minutes, seconds or ns)",
  ],
  async run(ctx, opts, args) {
    // -d and -s, -R and -I exclude each other.
    if ((opts.s !== undefined && opts.d !== undefined) || (opts.R && opts.I !== undefined)) throw new UsageError();
    let setting = opts.s !== undefined;
    let dateStr: string | undefined = setting ? opts.s : opts.d;
    const rfc = !!opts.R;
    let iso = -1;
    if (opts.I !== undefined) {
      iso = opts.I === "" ? 0 : ISO_SPECS.findIndex((s) => s.startsWith(opts.I));
      if (iso < 0) throw new UsageError();
    }
    let fmt: string | undefined;
    if (args[0]?.startsWith("+")) fmt = binaryOf(args.shift()!.slice(1));
    if (dateStr === undefined && opts.s === undefined && opts.d === undefined && args.length) {
      setting = true;
      dateStr = compatForm(args.shift()!);
    }
    if (args.length) throw new UsageError();

    const zone = loadZone(opts.u ? "UTC0" : ctx.env.TZ);
    let sec: number, nsec: number;
    if (opts.r !== undefined) {
      let st: fs.BigIntStats;
      try {
        st = fs.statSync(resolvePath(ctx, opts.r), { bigint: true });
      } catch (err) {
        throw new AppletError(`can't stat '${opts.r}': ${errorMessage(err)}`);
      }
      sec = Number(st.mtimeNs / 1000000000n);
      nsec = Number(st.mtimeNs % 1000000000n);
    } else {
      const ms = Date.now();
      sec = Math.floor(ms / 1000);
      nsec = (ms % 1000) * 1000000;
    }

    if (dateStr !== undefined) {
      // Fields the text does not give keep today's date, at midnight.
      const now = localtime(zone, sec);
      const tm: Tm = { year: now.year, mon: now.mon, mday: now.mday, hour: 0, min: 0, sec: 0 };
      const invalid = () => new AppletError(`invalid date '${dateStr}'`);
      if (opts.D !== undefined) {
        if (strptime(dateStr, opts.D, tm) < 0) throw invalid();
        sec = tm.epoch ?? mktime(zone, tm);
      } else {
        try {
          sec = parseDatestr(dateStr, tm, (t) => mktime(zone, t));
        } catch (err) {
          if (err instanceof InvalidDate) throw invalid();
          throw err;
        }
      }
      // mktime()'s error value: BusyBox rejects the one time it stands for.
      if (sec === -1) throw invalid();
      nsec = 0;
      if (setting) {
        try {
          setRealtimeClock(sec);
        } catch (err) {
          await warn(ctx, `can't set date: ${errorMessage(err).replace(/^clock_settime: /, "")}`);
        }
      }
    }

    if (fmt === undefined) {
      if (iso >= 0) {
        fmt = ["%Y-%m-%d", "%Y-%m-%dT%H", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S"][iso];
        if (iso === 4) fmt += "," + String(nsec).padStart(9, "0");
        if (iso > 0) fmt += "%z:";
      } else if (rfc) fmt = "%a, %d %b %Y %H:%M:%S %z";
      else fmt = "%a %b %e %H:%M:%S %Z %Y";
    }
    const tm = { ...localtime(zone, sec), t: sec };
    let text = strftime(fmt, tm);
    // ISO 8601 writes the offset as +hh:mm.
    if (iso > 0 && fmt.endsWith("%z:")) text = text.slice(0, -3) + ":" + text.slice(-3, -1);
    await ctx.stdout.write(bytesOf(text + "\n"));
    return 0;
  },
});
