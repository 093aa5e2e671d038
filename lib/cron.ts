// Crontab lines as cron reads them: five time fields (minute, hour, day of
// month, month, day of week) of "*", numbers, names (jan..dec, sun..sat),
// ranges "a-b", steps "*/n" "a-b/n" and lists "a,b", or one of @reboot,
// @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly; then the
// command. When both day fields are restricted a day matching either runs.

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const SPECIAL: Record<string, string> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

export interface CronJob {
  minutes: Set<number>; hours: Set<number>; days: Set<number>; months: Set<number>; weekdays: Set<number>;
  /** Whether the day-of-month and day-of-week fields were "*" (a star matches any day). */
  anyDay: boolean; anyWeekday: boolean;
  reboot: boolean;
  command: string;
}

function value(s: string, names: string[] | undefined, base: number): number {
  if (/^\d+$/.test(s)) return Number(s);
  const i = names?.indexOf(s.toLowerCase()) ?? -1;
  if (i < 0) throw new Error(`bad value '${s}'`);
  return i + base;
}

/** One time field as the set of values it allows. */
export function parseField(field: string, lo: number, hi: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  const base = names === MONTHS ? 1 : 0;
  for (const part of field.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`bad field '${field}'`);
    const step = m[2] ? Number(m[2]) : 1;
    let from: number, to: number;
    if (m[1] === "*") [from, to] = [lo, hi];
    else if (m[1].includes("-")) {
      const [a, b] = m[1].split("-");
      [from, to] = [value(a, names, base), value(b, names, base)];
    } else {
      from = value(m[1], names, base);
      to = m[2] ? hi : from;
    }
    if (step < 1 || from < lo || to > hi || from > to) throw new Error(`bad field '${field}'`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** A crontab line: a job, "ENV" for an assignment, or undefined for comments and blanks. Throws on a bad line. */
export function parseCronLine(line: string): CronJob | { name: string; value: string } | undefined {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return undefined;
  const assign = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(text);
  if (assign) return { name: assign[1], value: assign[2].replace(/^(["'])(.*)\1$/, "$2") };
  let fields: string[];
  let command: string;
  let reboot = false;
  if (text.startsWith("@")) {
    const [word, ...rest] = text.split(/\s+/);
    command = text.slice(word.length).trim();
    if (word === "@reboot") {
      reboot = true;
      fields = ["0", "0", "1", "1", "0"];
    } else if (SPECIAL[word]) fields = SPECIAL[word].split(" ");
    else throw new Error(`bad line '${line}'`);
    void rest;
  } else {
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(text);
    if (!m) throw new Error(`bad line '${line}'`);
    fields = m.slice(1, 6);
    command = m[6];
  }
  const weekdays = parseField(fields[4], 0, 7, DAYS);
  if (weekdays.has(7)) weekdays.add(0);
  return {
    minutes: parseField(fields[0], 0, 59),
    hours: parseField(fields[1], 0, 23),
    days: parseField(fields[2], 1, 31),
    months: parseField(fields[3], 1, 12, MONTHS),
    weekdays,
    anyDay: fields[2].startsWith("*"),
    anyWeekday: fields[4].startsWith("*"),
    reboot,
    command,
  };
}

/** Whether a (non-@reboot) job is due in this minute of local time. */
export function cronDue(job: CronJob, t: { min: number; hour: number; mday: number; mon: number; wday: number }): boolean {
  if (job.reboot) return false;
  if (!job.minutes.has(t.min) || !job.hours.has(t.hour) || !job.months.has(t.mon + 1)) return false;
  const dom = job.days.has(t.mday), dow = job.weekdays.has(t.wday);
  if (job.anyDay && job.anyWeekday) return true;
  if (job.anyDay) return dow;
  if (job.anyWeekday) return dom;
  return dom || dow;
}
