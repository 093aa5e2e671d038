// /etc/issue as getty shows it: "\x" or "%x" escapes replaced by facts about
// the system (BusyBox's set: s n r m v l D o h d t; any other letter stands
// for itself), each newline followed by a carriage return, since the
// terminal is in raw mode while the login name is read.
import { strftime } from "./strftime.ts";
import { loadZone, localtime } from "./tz.ts";
import { uname } from "./syscalls.ts";

/** The local time formatted by strftime(3) in the zone TZ names. */
export function formatLocalTime(fmt: string, t: number, tz: string | undefined): string {
  return strftime(fmt, { ...localtime(loadZone(tz), t), t });
}

/** The issue file's bytes (latin1) with its escapes expanded. */
export function expandIssue(text: string, tty: string, tz: string | undefined, now = Math.floor(Date.now() / 1000)): string {
  const u = uname();
  const value = (c: string): string => {
    switch (c) {
      case "s": return u.sysname;
      case "n": case "h": return u.nodename;
      case "r": return u.release;
      case "m": return u.machine;
      case "v": return u.version;
      case "l": return tty;
      case "D": case "o": return u.domainname;
      case "d": return formatLocalTime("%A, %d %B %Y", now, tz);
      case "t": return formatLocalTime("%H:%M:%S", now, tz);
      default: return c;
    }
  };
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "\\" || c === "%") && i + 1 < text.length) out += value(text[++i]);
    else if (c === "\n") out += "\n\r";
    else if (c !== "\\" && c !== "%") out += c;
  }
  return out;
}
