// top: BusyBox's process monitor. Each frame shows the Mem:, CPU: and Load
// average: lines and the process table (PID PPID USER STAT VSZ %VSZ %CPU
// COMMAND), busiest first; %CPU and the CPU: line cover the time since the
// previous frame (the first frame waits a tenth of a second for one). -b is
// batch mode (every process, lines up to 446 columns, no escapes), -n N stops
// after N frames, -d SEC sets the delay, -H lists threads. On a terminal the
// keys q/^C quit, N/M/P/T sort by pid/memory/cpu/time, R reverses, H toggles
// threads; any other key redraws. Options may be given without their dash.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { parseNumber } from "../lib/numbers.ts";
import { parseOptions } from "../lib/options.ts";
import { displayCmdline, readHead, scanProcesses, smartUlltoa5 } from "../lib/procps.ts";
import { tcgetattr, tcsetattr, TCSANOW, type Termios } from "../lib/syscalls.ts";
import { terminalSize } from "../lib/term.ts";
import { userName } from "../lib/users.ts";
import { parseDuration } from "../lib/numbers.ts";

const LINE_BUF_SIZE = 512 - 64;

interface Row { pid: number; ppid: number; uid: number; state: string; comm: string; vsz: number; ticks: number; pcpu: number }
interface Jiffies { usr: number; nic: number; sys: number; idle: number; iowait: number; irq: number; softirq: number; total: number; busy: number }

type SortKey = "pid" | "mem" | "cpu" | "time";

const top = defineApplet({
  name: "top",
  usage: "[-bH] [-n COUNT] [-d SECONDS]",
  summary:
    "Show a view of process activity in real time.\nRead the status of all processes from /proc each SECONDS\nand show a screenful of them.\n" +
    "Keys:\n\tN/M/P/T: sort by pid/mem/cpu/time\n\tR: reverse sort\n\tH: toggle threads\n\tQ,^C: exit\nOptions:",
  options: ["-b  Batch mode", "-n N  Exit after N iterations", "-d SEC  Delay between updates", "-H  Show threads", "-m"],
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _o, rawArgs) {
    // Every argument is an option: "top b n1" is "top -b -n1".
    const args = rawArgs.map((a) => (a.startsWith("-") ? a : "-" + a));
    const { opts } = parseOptions(top.spec, args);
    const strip = (s: string) => (s.startsWith("-") ? s.slice(1) : s);
    let interval = 5;
    if (opts.d !== undefined) interval = Math.min(parseDuration(strip(opts.d)), Math.floor(2147483647 / 1000));
    let iterations = opts.n !== undefined ? parseNumber(strip(opts.n), 0n, 4294967295n) : 0;
    const batch = !!opts.b;
    const state = { sort: ["cpu", "mem", "time"] as SortKey[], inverted: false, threads: !!opts.H };

    let saved: Termios | undefined;
    const inFd = ctx.stdin.fd;
    if (!batch && inFd !== undefined) {
      try {
        saved = tcgetattr(inFd);
        // No echo, no line editing, no signals: keys arrive one by one.
        const raw = { ...saved, cc: [...saved.cc] };
        raw.lflag &= ~(0o2 | 0o10 | 0o1 | 0o100000);
        raw.iflag &= ~(0o400 | 0o2000);
        raw.cc[6] = 0; // VMIN
        raw.cc[5] = 0; // VTIME
        tcsetattr(inFd, TCSANOW, raw);
      } catch {
        saved = undefined;
      }
    }
    let prevTicks = new Map<number, number>();
    let prevJif: Jiffies | undefined;
    let curJif: Jiffies = readJiffies();
    let eof = batch || saved === undefined;
    try {
      for (;;) {
        let cols = LINE_BUF_SIZE - 2;
        let lines = Number.MAX_SAFE_INTEGER;
        if (!batch) {
          const size = terminalSize(ctx.stdout.fd, ctx.env);
          cols = Math.min(size.cols, LINE_BUF_SIZE - 2);
          lines = size.rows;
          if (lines < 5 || cols < 10) {
            await sleep(ctx, interval);
            continue;
          }
        }
        const procs = scanProcesses({ ids: true, tasks: state.threads });
        if (procs.length === 0) throw new AppletError("no process info in /proc");
        prevJif = curJif;
        curJif = readJiffies();
        const rows: Row[] = procs.map((p) => ({
          pid: p.pid, ppid: p.ppid, uid: p.uid, state: p.state, comm: p.comm, vsz: p.vsz, ticks: p.utime + p.stime, pcpu: 0,
        }));
        let totalPcpu = 0;
        const first = prevTicks.size === 0;
        for (const r of rows) {
          const before = prevTicks.get(r.pid);
          if (before !== undefined) {
            r.pcpu = (r.ticks - before) >>> 0;
            totalPcpu += r.pcpu;
          }
        }
        prevTicks = new Map(rows.map((r) => [r.pid, r.ticks]));
        if (first) {
          // Some CPU data is needed before the first frame.
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        sortRows(rows, state.sort, state.inverted);
        await ctx.stdout.write(Buffer.from(frame(rows, prevJif, curJif, totalPcpu, cols, lines, batch), "latin1"));
        await ctx.stdout.flush();
        if (iterations > 0 && --iterations === 0) break;
        if (eof) await sleep(ctx, interval);
        else {
          const key = await waitForKey(ctx, inFd!, interval, saved!);
          if (key === "quit" || ctx.signal?.aborted) break;
          if (key === "threads") prevTicks = new Map();
          applyKey(key, state);
        }
        if (ctx.signal?.aborted) break;
      }
      await ctx.stdout.write("\n");
    } finally {
      if (saved && inFd !== undefined) tcsetattr(inFd, TCSANOW, saved);
    }
    return 0;
  },
});

function readJiffies(): Jiffies {
  const text = readHead("/proc/stat", 512) ?? "";
  const f = /^cpu\s+(.*)$/m.exec(text)?.[1].split(/\s+/).map(Number) ?? [];
  if (f.length < 4) throw new AppletError("can't read '/proc/stat'");
  const [usr, nic, sys, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const total = usr + nic + sys + idle + iowait + irq + softirq + steal;
  return { usr, nic, sys, idle, iowait, irq, softirq, total, busy: total - idle - iowait };
}

function sortRows(rows: Row[], keys: SortKey[], inverted: boolean): void {
  const cmp: Record<SortKey, (p: Row, q: Row) => number> = {
    pid: (p, q) => q.pid - p.pid,
    mem: (p, q) => Math.sign(q.vsz - p.vsz),
    cpu: (p, q) => q.pcpu - p.pcpu,
    time: (p, q) => Math.sign(q.ticks - p.ticks),
  };
  rows.sort((p, q) => {
    let c = 0;
    for (const k of keys) if ((c = cmp[k](p, q)) !== 0) break;
    return inverted ? -c : c;
  });
}

/** One screen (or batch frame), exactly as BusyBox formats it. */
function frame(rows: Row[], prev: Jiffies, cur: Jiffies, totalPcpu: number, cols: number, lines: number, batch: boolean): string {
  const mem = meminfo();
  const width = Math.min(cols, 100);
  const cut = (s: string) => s.slice(0, width - 1);
  let out = batch ? "" : "\x1b[H\x1b[J";
  out += cut(`Mem: ${mem.total - mem.free}K used, ${mem.free}K free, ${mem.shared}K shrd, ${mem.buffers}K buff, ${mem.cached}K cached`) + "\n";
  const diff = (cur.total - prev.total) >>> 0 || 1;
  const pct = (k: keyof Jiffies) => String(Math.floor((100 * ((cur[k] - prev[k]) >>> 0)) / diff)).padStart(4) + "% ";
  out += cut(`CPU:${pct("usr")}usr${pct("sys")}sys${pct("nic")}nic${pct("idle")}idle${pct("iowait")}io${pct("irq")}irq${pct("softirq")}sirq`) + "\n";
  const load = (readHead("/proc/loadavg", 100 - 15) ?? "").split("\n")[0];
  out += cut("Load average: " + load) + "\n";
  let remaining = lines - 3;
  const header = "  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND".slice(0, cols);
  out += batch ? header : `\x1b[7m${header}\x1b[m`;
  remaining--;

  // BusyBox's fixed-point percentages, 32-bit arithmetic and all.
  let pmemShift = 21;
  let pmemScale = Math.floor((100 * 2 ** 21) / (mem.total || 1)) >>> 0;
  while (pmemScale >= 512) {
    pmemScale = Math.floor(pmemScale / 4);
    pmemShift -= 2;
  }
  const pmemHalf = Math.floor(2 ** pmemShift / 2);
  const busy = (cur.busy - prev.busy) >>> 0;
  if (totalPcpu < busy) totalPcpu = busy;
  let pcpuShift = 6;
  let pcpuScale = (100 * 64 * (busy & 0xffff)) >>> 0 || 1;
  while (pcpuScale < 2 ** 30) {
    pcpuScale = (pcpuScale * 4) >>> 0;
    pcpuShift += 2;
  }
  const tmp = Math.imul((cur.total - prev.total) & 0xffff, totalPcpu) >>> 0;
  if (tmp !== 0) pcpuScale = Math.floor(pcpuScale / tmp);
  while (pcpuScale >= 1024) {
    pcpuScale = Math.floor(pcpuScale / 4);
    pcpuShift -= 2;
  }
  const pcpuHalf = Math.floor(2 ** pcpuShift / 2);

  const lineWidth = cols + 2; // the leading newline and C's NUL
  const count = Math.min(remaining, rows.length);
  for (let i = 0; i < count; i++) {
    const s = rows[i];
    const pmem = Number((BigInt(s.vsz) * BigInt(pmemScale) + BigInt(pmemHalf)) >> BigInt(pmemShift)) >>> 0;
    const pcpu = Math.floor(((Math.imul(s.pcpu, pcpuScale) >>> 0) + pcpuHalf) / 2 ** pcpuShift) >>> 0;
    const user = (userName(s.uid) ?? String(s.uid)).slice(0, 8).padEnd(8);
    let line =
      "\n" + String(s.pid).padStart(5) + String(s.ppid).padStart(6) + " " + user + " " + s.state + "  " +
      smartUlltoa5(s.vsz).slice(0, 5) + String(pmem).padStart(4) + "%" + String(pcpu).padStart(4) + "% ";
    line = line.slice(0, lineWidth - 1);
    const col = line.length;
    if (lineWidth - col > 1) line += displayCmdline(s.pid, lineWidth - col, s.comm);
    out += line;
  }
  return out + (batch ? "\n" : "\r");
}

function meminfo() {
  const text = readHead("/proc/meminfo", 64 * 1024) ?? "";
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, "m").exec(text)?.[1] ?? 0);
  return {
    total: kb("MemTotal"), free: kb("MemFree"), shared: kb("MemShared") + kb("Shmem"), buffers: kb("Buffers"), cached: kb("Cached"),
  };
}

function sleep(ctx: Context, seconds: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, seconds * 1000);
    ctx.signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}

type Key = "quit" | "pid" | "mem" | "cpu" | "time" | "reverse" | "threads" | "redraw" | "timeout";

/** Wait up to `seconds` for a key on the raw terminal (read with VMIN=0 polls). */
async function waitForKey(ctx: Context, fd: number, seconds: number, saved: Termios): Promise<Key> {
  const deadline = Date.now() + seconds * 1000;
  const buf = Buffer.alloc(16);
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch {}
    if (n > 0) {
      const c = buf[0];
      if (c === saved.cc[0] || c === saved.cc[4]) return "quit"; // VINTR, VEOF
      switch (String.fromCharCode(c | 0x20)) {
        case "q": return "quit";
        case "n": return "pid";
        case "m": return "mem";
        case "p": return "cpu";
        case "t": return "time";
        case "r": return "reverse";
        case "h": return "threads";
      }
      return "redraw";
    }
    if (Date.now() >= deadline || ctx.signal?.aborted) return "timeout";
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
}

function applyKey(key: Key, state: { sort: SortKey[]; inverted: boolean; threads: boolean }): void {
  if (key === "pid") state.sort = ["pid"];
  else if (key === "mem") state.sort = ["mem", "cpu", "time"];
  else if (key === "cpu") state.sort = ["cpu", "mem", "time"];
  else if (key === "time") state.sort = ["time", "mem", "cpu"];
  else if (key === "reverse") state.inverted = !state.inverted;
  else if (key === "threads") state.threads = !state.threads;
}
