import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage, SyscallError } from "../lib/errors.ts";
import { ioctl, setRealtimeClock } from "../lib/syscalls.ts";

// <linux/rtc.h>: struct rtc_time is nine ints, as struct tm.
const RTC_RD_TIME = 0x80247009, RTC_SET_TIME = 0x4024700a;

const reason = (err: unknown) => (err instanceof SyscallError ? describeErrno(err.code, err.errno) : errorMessage(err).replace(/^.*: /, ""));

function openRtc(dev: string | undefined, write: boolean): { fd: number; name: string } {
  for (const name of dev ? [dev] : ["/dev/rtc", "/dev/rtc0", "/dev/misc/rtc"]) {
    try {
      return { fd: fs.openSync(name, write ? "r+" : "r"), name };
    } catch (err) {
      if (dev || name === "/dev/misc/rtc") throw new AppletError(`can't open '${dev ?? "/dev/misc/rtc"}': ${reason(err)}`);
    }
  }
  throw new AppletError("can't open '/dev/misc/rtc'");
}

/** Whether the RTC keeps UTC: -u, -l, or the third line of /etc/adjtime (BusyBox's default is local). */
function rtcIsUtc(opts: Record<string, any>): boolean {
  if (opts.u) return true;
  if (opts.l) return false;
  try {
    return fs.readFileSync("/etc/adjtime", "utf8").split("\n")[2]?.trim() === "UTC";
  } catch {
    return false;
  }
}

function readRtc(fd: number, utc: boolean): Date {
  const b = new Int32Array(9);
  ioctl(fd, RTC_RD_TIME, new Uint8Array(b.buffer));
  const [sec, min, hour, mday, mon, year] = b;
  return utc ? new Date(Date.UTC(year + 1900, mon, mday, hour, min, sec)) : new Date(year + 1900, mon, mday, hour, min, sec);
}

function writeRtc(fd: number, when: Date, utc: boolean): void {
  const b = new Int32Array(9);
  const f = utc
    ? [when.getUTCSeconds(), when.getUTCMinutes(), when.getUTCHours(), when.getUTCDate(), when.getUTCMonth(), when.getUTCFullYear() - 1900, when.getUTCDay()]
    : [when.getSeconds(), when.getMinutes(), when.getHours(), when.getDate(), when.getMonth(), when.getFullYear() - 1900, when.getDay()];
  b.set(f);
  ioctl(fd, RTC_SET_TIME, new Uint8Array(b.buffer));
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

defineApplet({
  name: "hwclock",
  dir: "/sbin",
  usage: "[-swul] [--systz] [-f DEV]",
  summary: "Show or set hardware clock (RTC)",
  options: ["-r  Show hardware clock time", "-s  Set system time from RTC", "-w  Set RTC from system time", "--systz  Set in-kernel timezone, correct system time", "-f DEV  Use specified device (e.g. /dev/rtc2)", "-u  Assume RTC is kept in UTC", "-l  Assume RTC is kept in local time"],
  async run(ctx, opts) {
    const utc = rtcIsUtc(opts);
    if (opts.systz) return 0;
    const { fd } = openRtc(opts.f, !!opts.w);
    try {
      if (opts.w) {
        writeRtc(fd, new Date(), utc);
        return 0;
      }
      const t = readRtc(fd, utc);
      if (opts.s) {
        setRealtimeClock(Math.floor(t.getTime() / 1000));
        return 0;
      }
      const s = `${DAYS[t.getDay()]} ${MONTHS[t.getMonth()]} ${String(t.getDate()).padStart(2)} ${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())} ${t.getFullYear()}`;
      await ctx.stdout.write(`${s}  0.000000 seconds\n`);
      return 0;
    } catch (err) {
      if (err instanceof AppletError) throw err;
      throw new AppletError(`ioctl ${opts.w ? "RTC_SET_TIME" : "RTC_RD_TIME"}: ${reason(err)}`);
    } finally {
      fs.closeSync(fd);
    }
  },
});
