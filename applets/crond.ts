// crond: run the jobs in DIR's crontabs (one file per user, see lib/cron.ts)
// as their users, through /bin/sh -c, with HOME, SHELL, USER, LOGNAME and
// PATH set (and any VAR=value lines of the crontab). Wakes every minute;
// re-reads a crontab when crontab(1) names it in DIR/cron.update or the file
// changes. @reboot jobs run once per boot (/var/run/crond.reboot marks it).
// Output is discarded (there is no sendmail). Logs go to syslog (facility
// cron) or to -L FILE; -l sets the level (lower is more verbose).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, PIKA_VERSION, resolvePath, type Context } from "../lib/applet.ts";
import { cronDue, parseCronLine, type CronJob } from "../lib/cron.ts";
import { respawnInBackground } from "../lib/daemon.ts";
import { syslogStamp, LOG_CRON, LOG_INFO, LOG_NOTICE, LOG_ERR, syslog } from "../lib/syslog.ts";
import { account, type Account } from "../lib/session.ts";
import { loadZone, localtime } from "../lib/tz.ts";

const REBOOT_MARK = "/var/run/crond.reboot";

interface Table { mtime: number; jobs: { job: CronJob; env: Record<string, string> }[] }

class Cron {
  tables = new Map<string, Table>();
  constructor(private ctx: Context, private dir: string, private log: (level: number, msg: string) => void) {}

  /** Re-read every crontab that changed, was named in cron.update, or is new; forget removed ones. */
  reload(force = false): void {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {}
    const update = path.join(this.dir, "cron.update");
    let touched = new Set<string>();
    try {
      touched = new Set(fs.readFileSync(update, "utf8").split("\n").filter(Boolean));
      fs.unlinkSync(update);
    } catch {}
    for (const name of [...this.tables.keys()]) if (!names.includes(name)) this.tables.delete(name);
    for (const name of names) {
      if (name === "cron.update" || name.endsWith(".new")) continue;
      const file = path.join(this.dir, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        continue;
      }
      const old = this.tables.get(name);
      if (!force && old && old.mtime === st.mtimeMs && !touched.has(name)) continue;
      const acct = account(name);
      if (!acct) continue;
      this.tables.set(name, { mtime: st.mtimeMs, jobs: this.parse(acct, fs.readFileSync(file, "latin1")) });
    }
  }

  private parse(acct: Account, text: string): Table["jobs"] {
    const env: Record<string, string> = { HOME: acct.home, SHELL: "/bin/sh", USER: acct.name, LOGNAME: acct.name, PATH: "/usr/bin:/bin" };
    const jobs: Table["jobs"] = [];
    for (const line of text.split("\n")) {
      try {
        const r = parseCronLine(line);
        if (!r) continue;
        if ("name" in r) env[r.name] = r.value;
        else jobs.push({ job: r, env: { ...env } });
      } catch {
        this.log(LOG_ERR, `user ${acct.name}: parse error at ${line.trim()}`);
      }
    }
    return jobs;
  }

  run(user: string, job: CronJob, env: Record<string, string>): void {
    const acct = account(user);
    if (!acct) return;
    try {
      const child = spawn(env.SHELL || "/bin/sh", ["-c", job.command], {
        cwd: fs.existsSync(acct.home) ? acct.home : "/",
        env,
        uid: acct.uid,
        gid: acct.gid,
        stdio: "ignore",
      });
      child.on("error", (e) => this.log(LOG_ERR, `can't run job for ${user}: ${e.message}`));
      this.log(LOG_INFO, `USER ${user} pid ${child.pid ?? "?"} cmd ${job.command}`);
    } catch (e) {
      this.log(LOG_ERR, `can't run job for ${user}: ${(e as Error).message}`);
    }
  }

  each(fn: (user: string, job: CronJob, env: Record<string, string>) => void): void {
    for (const [user, t] of this.tables) for (const { job, env } of t.jobs) fn(user, job, env);
  }
}

defineApplet({
  name: "crond",
  usage: "[-fbS] [-l N] [-L LOGFILE] [-c DIR]",
  summary: "Run commands at the times crontabs say",
  options: [
    "-f  Foreground",
    "-b  Background (default)",
    "-S  Log to syslog (default)",
    "-l N  Set log level. Most verbose 0, default 8",
    "-L FILE  Log to FILE",
    "-c DIR  Cron dir. Default:/var/spool/cron/crontabs",
    "-d N  Set log level, log to stderr",
  ],
  dir: "/usr/sbin",
  async run(ctx, opts) {
    if (!opts.f && opts.d === undefined) {
      respawnInBackground(ctx, "-f");
      return 0;
    }
    const level = Number(opts.d ?? opts.l ?? 8);
    const logFile = opts.L === undefined ? undefined : resolvePath(ctx, opts.L);
    const log = (pri: number, msg: string) => {
      // BusyBox's verbosity: start-up and job messages are level 8, errors 9; -l N keeps levels >= N.
      if ((pri === LOG_ERR ? 9 : 8) < level) return;
      if (opts.d !== undefined) void ctx.stderr.write(`crond: ${msg}\n`).then(() => ctx.stderr.flush());
      else if (logFile) fs.appendFileSync(logFile, `${syslogStamp(Math.floor(Date.now() / 1000), ctx.env.TZ)} crond: ${msg}\n`);
      else syslog(LOG_CRON | pri, `crond[${process.pid}]`, msg, ctx.env);
    };
    const dir = resolvePath(ctx, opts.c ?? "/var/spool/cron/crontabs");
    const cron = new Cron(ctx, dir, log);
    log(LOG_NOTICE, `crond (Pika v${PIKA_VERSION}) started, log level ${level}`);
    cron.reload(true);
    if (!fs.existsSync(REBOOT_MARK)) {
      try {
        fs.writeFileSync(REBOOT_MARK, "");
      } catch {}
      cron.each((user, job, env) => job.reboot && cron.run(user, job, env));
    }
    let stop = false;
    const onSignal = () => (stop = true);
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, onSignal);
    ctx.signal?.addEventListener("abort", onSignal);
    const zone = loadZone(ctx.env.TZ);
    let lastMinute = Math.floor(Date.now() / 60000);
    try {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 1000));
        cron.reload();
        const minute = Math.floor(Date.now() / 60000);
        // Every minute since the last look (a clock jump forward of more than an hour is not caught up).
        for (let m = lastMinute + 1; m <= minute && minute - lastMinute <= 60; m++) {
          const tm = localtime(zone, m * 60);
          cron.each((user, job, env) => cronDue(job, { min: tm.min, hour: tm.hour, mday: tm.mday, mon: tm.mon, wday: tm.wday }) && cron.run(user, job, env));
        }
        lastMinute = minute;
      }
    } finally {
      for (const sig of ["SIGTERM", "SIGINT"] as const) process.off(sig, onSignal);
    }
    return 0;
  },
});
