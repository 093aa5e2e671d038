// uptime: " HH:MM:SS up [D days, ]H:MM|M min,  N users,  load average: ..."
// from sysinfo(2) (whole seconds, 16.16 load averages cut to two decimals,
// as BusyBox prints them); users are utmp's USER_PROCESS entries. -s prints
// the boot time instead.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { sysinfo } from "../lib/syscalls.ts";

const two = (n: number) => String(n).padStart(2, "0");

defineApplet({
  name: "uptime",
  usage: "",
  summary: "Display the time since the last boot",
  options: ["-s"],
  dir: "/usr/bin",
  async run(ctx, opts) {
    const info = sysinfo();
    const nowSec = Math.floor(Date.now() / 1000);
    if (opts.s) {
      const b = new Date((nowSec - info.uptime) * 1000);
      await ctx.stdout.write(
        `${b.getFullYear()}-${two(b.getMonth() + 1)}-${two(b.getDate())} ${two(b.getHours())}:${two(b.getMinutes())}:${two(b.getSeconds())}\n`,
      );
      return 0;
    }
    const now = new Date(nowSec * 1000);
    let out = ` ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())} up `;
    const days = Math.floor(info.uptime / 86400);
    if (days) out += `${days} day${days !== 1 ? "s" : ""}, `;
    const minutes = Math.floor(info.uptime / 60);
    const hours = Math.floor(minutes / 60) % 24;
    out += hours ? `${String(hours).padStart(2)}:${two(minutes % 60)}` : `${minutes % 60} min`;
    out += `,  ${countUsers()} users`;
    const load = (x: number) => `${Math.floor(x / 65536)}.${two(Math.floor(((x % 65536) * 100) / 65536))}`;
    out += `,  load average: ${info.loads.map(load).join(", ")}\n`;
    await ctx.stdout.write(out);
    return 0;
  },
});

/** Logged-in users: USER_PROCESS records of /var/run/utmp with a name (glibc's 384-byte layout). */
function countUsers(): number {
  let data: Buffer;
  try {
    data = fs.readFileSync("/var/run/utmp");
  } catch {
    return 0;
  }
  const REC = 384, USER_PROCESS = 7, UT_USER = 44;
  let users = 0;
  for (let off = 0; off + REC <= data.length; off += REC) {
    if (data.readInt16LE(off) === USER_PROCESS && data[off + UT_USER] !== 0) users++;
  }
  return users;
}
