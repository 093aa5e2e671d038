// ps: the process table, BusyBox's "desktop" ps. Columns come from -o
// (NAME[=HEADER], comma-separated, repeatable; a header sets the column's width
// to its length, an empty one hides it), by default "pid,user,args". Fields are
// padded to their widths and truncated where BusyBox truncates them (names,
// comm, args); the line is cut at the terminal's width (2048 when stdout is no
// terminal). -T lists threads; -a -A -d -e -f -l -Z are accepted and ignored.
import { defineApplet } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { CLOCK_TICKS, displayCmdline, scanProcesses, smartUlltoa4, type ProcEntry, type ScanOptions } from "../lib/procps.ts";
import { sysinfo } from "../lib/syscalls.ts";
import { terminalSize } from "../lib/term.ts";
import { groupName, userName } from "../lib/users.ts";

const MAX_WIDTH = 2048;

interface Column {
  name: string;
  header: string;
  width: number;
  /** The field's text for a process, given the column's width. */
  value(p: ProcEntry, width: number): string;
  needs: ScanOptions;
  /** Not in Debian's build: left out of the error message, which matches it. */
  hidden?: boolean;
}

const user = (uid: number) => userName(uid) ?? String(uid);
const group = (gid: number) => groupName(gid) ?? String(gid);
const right = (n: number, w: number) => String(n).padStart(w);

/** mm:ss with minutes as wide as needed (at least 3), as BusyBox's etime and time. */
function minSec(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(3)}:${String(seconds % 60).padStart(2, "0")}`;
}

let uptime: number | undefined;

// In BusyBox's order, which its error message lists. etime and time are
// BusyBox's FEATURE_PS_TIME columns, which Debian's build leaves out.
const COLUMNS: Column[] = [
  { name: "user", header: "USER", width: 8, value: (p, w) => user(p.uid).slice(0, w), needs: { ids: true } },
  { name: "group", header: "GROUP", width: 8, value: (p, w) => group(p.gid).slice(0, w), needs: { ids: true } },
  { name: "comm", header: "COMMAND", width: 16, value: (p, w) => p.comm.slice(0, w), needs: {} },
  { name: "args", header: "COMMAND", width: MAX_WIDTH, value: (p, w) => displayCmdline(p.pid, w + 1, p.comm), needs: {} },
  { name: "pid", header: "PID", width: 5, value: (p, w) => right(p.pid, w), needs: {} },
  { name: "ppid", header: "PPID", width: 5, value: (p, w) => right(p.ppid, w), needs: {} },
  { name: "pgid", header: "PGID", width: 5, value: (p, w) => right(p.pgid, w), needs: {} },
  {
    name: "etime", header: "ELAPSED", width: 7, needs: {}, hidden: true,
    value: (p, w) => minSec(Math.max(0, (uptime ??= sysinfo().uptime) - Math.floor(p.startTime / CLOCK_TICKS))).slice(0, w),
  },
  { name: "nice", header: "NI", width: 5, value: (p, w) => right(p.nice, w), needs: {} },
  { name: "rgroup", header: "RGROUP", width: 8, value: (p, w) => group(p.rgid).slice(0, w), needs: { real: true } },
  { name: "ruser", header: "RUSER", width: 8, value: (p, w) => user(p.ruid).slice(0, w), needs: { real: true } },
  { name: "time", header: "TIME", width: 6, hidden: true, value: (p, w) => minSec(Math.floor((p.utime + p.stime) / CLOCK_TICKS)).slice(0, w), needs: {} },
  { name: "tty", header: "TT", width: 6, value: (p, w) => (p.ttyMajor ? `${p.ttyMajor},${p.ttyMinor}`.slice(0, w) : "?"), needs: {} },
  { name: "vsz", header: "VSZ", width: 4, value: (p, w) => smartUlltoa4(p.vsz).slice(0, w), needs: {} },
  { name: "sid", header: "SID", width: 5, value: (p, w) => right(p.sid, w), needs: {} },
  { name: "stat", header: "STAT", width: 4, value: (p, w) => p.state.slice(0, w), needs: {} },
  { name: "rss", header: "RSS", width: 4, value: (p, w) => smartUlltoa4(p.rss).slice(0, w), needs: {} },
];

/** A column by name: BusyBox compares only the first six characters. */
function findColumn(name: string): Column {
  const c = COLUMNS.find((c) => name.slice(0, 6) === c.name);
  if (!c) throw new AppletError(`bad -o argument '${name}', supported arguments: ${COLUMNS.filter((c) => !c.hidden).map((c) => c.name).join(",")}`);
  return { ...c };
}

/** One -o argument: NAME[=HEADER],... */
function parseO(spec: string, out: Column[]): void {
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    const col = findColumn(eq < 0 ? part : part.slice(0, eq));
    if (eq >= 0) {
      col.header = part.slice(eq + 1);
      if (col.header) col.width = col.header.length;
    }
    out.push(col);
  }
}

defineApplet({
  name: "ps",
  usage: "[-o COL1,COL2=HEADER] [-T]",
  summary: "Show list of processes",
  options: [
    "-o COLS...  Select columns for display (COL1,COL2=HEADER)",
    "-T  Show threads",
    "-Z", "-a", "-A", "-d", "-e", "-f", "-l",
  ],
  async run(ctx, opts) {
    let columns: Column[] = [];
    for (const o of opts.o as string[]) parseO(o, columns);
    if (columns.length === 0) parseO("pid,user,args", columns);

    let width = MAX_WIDTH;
    if (ctx.stdout.isTTY) {
      // BusyBox asks stdin for the size, as it always has.
      width = terminalSize(ctx.stdin.fd ?? 0, ctx.env).cols - 1;
      if (width > MAX_WIDTH) width = MAX_WIDTH;
    }
    // Columns that would start past the screen's edge are dropped.
    let used = 0;
    for (let i = 0; i < columns.length; i++) {
      used += columns[i].width + 1;
      if (used > width) {
        columns = columns.slice(0, i + 1);
        break;
      }
    }
    const needs: ScanOptions = { tasks: !!opts.T };
    for (const c of columns) Object.assign(needs, c.needs);

    const out: string[] = [];
    if (columns.some((c) => c.header)) {
      out.push(columns.map((c, i) => (i < columns.length - 1 ? c.header.padEnd(c.width) + " " : c.header)).join("").slice(0, width) + "\n");
    }
    for (const p of scanProcesses(needs)) {
      let line = "";
      columns.forEach((c, i) => {
        const v = c.value(p, c.width) || "-";
        line += v;
        // sprintf("%*s", pad, " "): a value wider than its column is followed
        // by as many spaces as it overflows by (a negative width pads on the left).
        const pad = c.width - v.length + 1;
        if (i < columns.length - 1) line += " ".repeat(pad > 0 ? pad : Math.max(1, -pad));
      });
      out.push(line.slice(0, width) + "\n");
      if (out.length >= 256) await flush(out);
    }
    await flush(out);
    return 0;

    async function flush(lines: string[]) {
      await ctx.stdout.write(Buffer.from(lines.join(""), "latin1"));
      lines.length = 0;
    }
  },
});
