// The syslog protocol as syslogd, logger, klogd and getty use it: priority
// names (the C library's tables, first name wins when printing), parsing
// "-p FACILITY.LEVEL", and sending "<PRI>Mmm dd hh:mm:ss TAG: MSG" datagrams
// to /dev/log as glibc's syslog(3) does.
import { formatLocalTime } from "./issue.ts";
import { AppletError } from "./errors.ts";

export const LOG_PATH = "/dev/log";

// In the order of <syslog.h>'s prioritynames and facilitynames.
const LEVELS: [string, number][] = [
  ["alert", 1], ["crit", 2], ["debug", 7], ["emerg", 0], ["err", 3], ["error", 3], ["info", 6], ["none", 0x10],
  ["notice", 5], ["panic", 0], ["warn", 4], ["warning", 4],
];
const FACILITIES: [string, number][] = [
  ["auth", 4 << 3], ["authpriv", 10 << 3], ["cron", 9 << 3], ["daemon", 3 << 3], ["ftp", 11 << 3], ["kern", 0],
  ["lpr", 6 << 3], ["mail", 2 << 3], ["mark", 24 << 3], ["news", 7 << 3], ["security", 4 << 3], ["syslog", 5 << 3],
  ["user", 1 << 3], ["uucp", 8 << 3],
  ...Array.from({ length: 8 }, (_, i): [string, number] => [`local${i}`, (16 + i) << 3]),
];

export const LOG_KERN = 0, LOG_USER = 1 << 3, LOG_DAEMON = 3 << 3, LOG_SYSLOG = 5 << 3, LOG_AUTH = 4 << 3, LOG_CRON = 9 << 3;
export const LOG_ERR = 3, LOG_NOTICE = 5, LOG_INFO = 6;
export const LOG_PRIMASK = 7, LOG_FACMASK = 0x3f8;

function decode(name: string, table: [string, number][]): number {
  if (/^\d/.test(name)) return parseInt(name, 10);
  return table.find(([n]) => n === name.toLowerCase())?.[1] ?? -1;
}

/** "-p" of logger: a number, LEVEL, or FACILITY.LEVEL (names or numbers). */
export function parsePriority(spec: string): number {
  let fac = LOG_USER;
  let level = spec;
  const dot = spec.search(/[. ]/);
  if (dot >= 0) {
    const f = spec.slice(0, dot);
    fac = decode(f, FACILITIES);
    if (fac < 0) throw new AppletError(`unknown facility name: ${f}`);
    level = spec.slice(dot + 1);
  }
  const lev = decode(level, LEVELS);
  if (lev < 0) throw new AppletError(`unknown priority name: ${spec}`);
  return (lev & LOG_PRIMASK) | (fac & LOG_FACMASK);
}

/** "user.notice" for 13; unknown parts as numbers. */
export function priorityName(pri: number): string {
  const fac = pri & LOG_FACMASK, lev = pri & LOG_PRIMASK;
  const f = FACILITIES.find(([, c]) => c === fac)?.[0] ?? String(fac >> 3);
  const l = LEVELS.find(([, c]) => c === lev)?.[0] ?? String(lev);
  return `${f}.${l}`;
}

/** The "Mmm dd hh:mm:ss" stamp of syslog lines, in local time. */
export function syslogStamp(t: number, tz: string | undefined): string {
  return formatLocalTime("%b %e %H:%M:%S", t, tz);
}

/** The datagram glibc's syslog(3) sends: "<PRI>Mmm dd hh:mm:ss TAG: MSG". */
export function syslogDatagram(pri: number, tag: string, msg: string, tz: string | undefined, now = Math.floor(Date.now() / 1000)): string {
  return `<${pri}>${syslogStamp(now, tz)} ${tag}: ${msg}`;
}

let client: number | undefined;

/**
 * Send one message to the local syslogd. As syslog(3) without LOG_CONS, a
 * missing or unreachable syslogd loses the message silently: false.
 */
export function sendToSyslog(datagram: string, socketPath = LOG_PATH): boolean {
  const { unixDgramSocket, sendDatagram } = require("./syscalls.ts") as typeof import("./syscalls.ts");
  const bytes = Buffer.from(datagram, "latin1");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      client ??= unixDgramSocket(socketPath, "connect");
      sendDatagram(client, bytes);
      return true;
    } catch {
      // syslogd restarted (a new socket): connect again once.
      if (client !== undefined) require("node:fs").closeSync(client);
      client = undefined;
    }
  }
  return false;
}

/** Log from an applet (getty, klogd, crond): "<PRI>stamp TAG: MSG". */
export function syslog(pri: number, tag: string, msg: string, env: Record<string, string> = {}): boolean {
  return sendToSyslog(syslogDatagram(pri, tag, msg, env.TZ));
}
