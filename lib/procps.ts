// The process table as BusyBox's procps applets see it (ps, top, pgrep, pkill,
// pidof, killall): one pass over /proc, reading only the files a caller asks
// for, with BusyBox's conventions: comm cut to 15 bytes, a 3-byte STAT
// ("S  ", "IW ", "SN<"...), VSZ/RSS in KiB, names matched as find_pid_by_name()
// does, and the "{comm} args" / "[comm]" command line of read_cmdline().
// Strings are latin1 (one char per byte).
import * as fs from "node:fs";

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** tty_nr split as BusyBox does; major 0 means no terminal. */
  ttyMajor: number;
  ttyMinor: number;
  /** Three bytes: state letter, then W (no memory) and </N (niceness), space-padded. */
  state: string;
  /** Up to 15 bytes, as in a 16-byte comm buffer. */
  comm: string;
  utime: number;
  stime: number;
  nice: number;
  /** Clock ticks after boot. */
  startTime: number;
  /** KiB. */
  vsz: number;
  rss: number;
  /** Effective ids: the owner of /proc/PID. */
  uid: number;
  gid: number;
  /** Real ids from /proc/PID/status (only with `real`). */
  ruid: number;
  rgid: number;
  /** The command line's first word (or all of it, NULs kept, with argv: "full"); undefined when empty. */
  argv0?: string;
  /** /proc/PID/exe's target (with `exe`), when readable. */
  exe?: string;
}

export interface ScanOptions {
  /** Read /proc/PID/stat (ppid, comm, state, times, sizes...). Default true. */
  stat?: boolean;
  /** stat() /proc/PID for the effective uid and gid. */
  ids?: boolean;
  /** Real uid and gid from /proc/PID/status. */
  real?: boolean;
  /** The command line: its first word, or all of it. */
  argv?: "first" | "full";
  exe?: boolean;
  /** Every thread (/proc/PID/task/TID) instead of every process. */
  tasks?: boolean;
}

/** BusyBox reads these files into a 1 KiB buffer. */
const PROCPS_BUFSIZE = 1024;
const PAGE_KB = 4; // every Linux Pika runs on (x86_64, aarch64 with 4K pages)

/** Up to `max` bytes of a file as latin1, or undefined when it cannot be read. */
export function readHead(file: string, max: number): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.allocUnsafe(max);
    let n = 0;
    // One read, as BusyBox does: /proc files hand out whole records.
    n = fs.readSync(fd, buf, 0, max, null);
    return buf.toString("latin1", 0, n);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Numeric entries of a directory, in the kernel's order. */
function numericEntries(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const n of names) if (/^\d+$/.test(n)) out.push(Number(n));
  return out;
}

/** Every process (or thread) with the fields asked for; vanished ones are skipped. */
export function scanProcesses(opts: ScanOptions = {}): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const pid of numericEntries("/proc")) {
    if (opts.tasks) {
      for (const tid of numericEntries(`/proc/${pid}/task`)) {
        const e = readEntry(tid, `/proc/${pid}/task/${tid}/`, opts);
        if (e) out.push(e);
      }
    } else {
      const e = readEntry(pid, `/proc/${pid}/`, opts);
      if (e) out.push(e);
    }
  }
  return out;
}

function blankEntry(pid: number): ProcEntry {
  return {
    pid, ppid: 0, pgid: 0, sid: 0, ttyMajor: 0, ttyMinor: 0, state: "", comm: "", utime: 0, stime: 0,
    nice: 0, startTime: 0, vsz: 0, rss: 0, uid: 0, gid: 0, ruid: 0, rgid: 0,
  };
}

/** One /proc entry; undefined when it went away (or its stat is bogus). */
export function readEntry(pid: number, dir: string, opts: ScanOptions = {}): ProcEntry | undefined {
  const e = blankEntry(pid);
  if (opts.ids) {
    try {
      const st = fs.statSync(dir);
      e.uid = st.uid;
      e.gid = st.gid;
    } catch {
      return undefined;
    }
  }
  if (opts.stat !== false && !parseStat(e, dir)) return undefined;
  if (opts.real) {
    const status = readHead(dir + "status", 4096) ?? "";
    const uid = /^Uid:\s*(\d+)/m.exec(status);
    const gid = /^Gid:\s*(\d+)/m.exec(status);
    if (uid) e.ruid = Number(uid[1]);
    if (gid) e.rgid = Number(gid[1]);
  }
  if (opts.exe) {
    try {
      e.exe = fs.readlinkSync(dir + "exe", "latin1");
    } catch {}
  }
  if (opts.argv) {
    const cmd = readHead(dir + "cmdline", PROCPS_BUFSIZE - 1);
    if (cmd) {
      if (opts.argv === "full") e.argv0 = cmd;
      else {
        const nul = cmd.indexOf("\0");
        e.argv0 = nul < 0 ? cmd : cmd.slice(0, nul);
      }
    }
  }
  return e;
}

function parseStat(e: ProcEntry, dir: string): boolean {
  const text = readHead(dir + "stat", PROCPS_BUFSIZE - 1);
  if (text === undefined) return false;
  const close = text.lastIndexOf(")");
  const open = text.indexOf("(");
  if (close < 0 || open < 0) return false;
  e.comm = text.slice(open + 1, close).slice(0, 15);
  const f = text.slice(close + 2).split(" ");
  // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
  if (f.length < 22) return false;
  e.ppid = Number(f[1]);
  e.pgid = Number(f[2]);
  e.sid = Number(f[3]);
  const tty = Number(f[4]);
  e.ttyMajor = (tty >> 8) & 0xfff;
  e.ttyMinor = (tty & 0xff) | ((tty >> 12) & 0xfff00);
  e.utime = Number(f[11]);
  e.stime = Number(f[12]);
  e.nice = Number(f[16]);
  e.startTime = Number(f[19]);
  e.vsz = Math.floor(Number(f[20]) / 1024);
  e.rss = Number(f[21]) * PAGE_KB;
  let state = f[0][0] ?? " ";
  let extra = "";
  if (e.vsz === 0 && state !== "Z") extra += "W";
  if (e.nice < 0) extra += "<";
  else if (e.nice > 0) extra += "N";
  e.state = (state + extra + "  ").slice(0, 3);
  return true;
}

/**
 * A process's command line for display, as BusyBox's read_cmdline(buf, col):
 * at most col-1 bytes of it, NULs as spaces and control bytes as '?';
 * "{comm} " in front when the program's name is not comm (renamed threads);
 * "[comm]" when there is none (kernel threads, zombies).
 */
export function displayCmdline(pid: number, col: number, comm: string | undefined): string {
  if (col <= 1) return "";
  const raw = readHead(`/proc/${pid}/cmdline`, col - 1);
  if (raw === undefined) return "";
  if (raw.length === 0) return `[${comm ?? "?"}]`.slice(0, col - 1);
  const trimmed = raw.replace(/\0+$/, "");
  let program = trimmed.split("\0")[0].split(" ")[0];
  if (program.startsWith("-")) program = program.slice(1);
  const base = program.slice(program.lastIndexOf("/") + 1);
  let text = "";
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    text += c >= 32 ? trimmed[i] : c === 0 ? " " : "?";
  }
  if (comm === undefined || base.startsWith(comm)) return text;
  return `{${comm}} ${text}`.slice(0, col - 1);
}

/**
 * find_pid_by_name(): processes whose comm is NAME (a 15-byte comm that was
 * cut short matches through argv[1]'s basename, for long script names), or
 * whose argv[0] or /proc/PID/exe basename is NAME. In /proc order.
 */
export function findPidsByName(name: string, procs?: ProcEntry[]): number[] {
  procs ??= scanProcesses({ argv: "full", exe: true });
  const base = (s: string) => s.slice(s.lastIndexOf("/") + 1);
  const out: number[] = [];
  for (const p of procs) {
    const args = p.argv0 ? p.argv0.split("\0") : [];
    let hit = false;
    if (p.comm.length < 15) hit = p.comm === name;
    else if (name.slice(0, 15) === p.comm) hit = args.length > 1 && base(args[1]) === name;
    if (!hit && args.length && base(args[0]) === name) hit = true;
    if (!hit && p.exe !== undefined && base(p.exe) === name) hit = true;
    if (hit) out.push(p.pid);
  }
  return out;
}

/** BusyBox's smart_ulltoa4(): "1234", "9.7m", " 12m" (scale " mgtpezy" for KiB). */
export function smartUlltoa4(value: number, scale = " mgtpezy"): string {
  if (value <= 9999) return String(value).padStart(4);
  let t = BigInt(Math.floor(value)) * 10n;
  let idx = 0;
  do {
    t /= 1024n;
    idx++;
  } while (t >= 10000n);
  const u = Number(t / 10n), v = Number(t % 10n);
  return (u >= 10 ? String(u).padStart(3) : `${u}.${v}`) + scale[idx];
}

/** BusyBox's smart_ulltoa5(): "12345", "97.6m", " 195m", "1024m". */
export function smartUlltoa5(value: number, scale = " mgtpezy"): string {
  if (value <= 99999) return String(value).padStart(5);
  let t = BigInt(Math.floor(value)) * 10n;
  let idx = 0;
  do {
    t /= 1024n;
    idx++;
  } while (t >= 100000n);
  const u = Number(t / 10n), v = Number(t % 10n);
  return (u >= 100 ? String(u).padStart(4) : `${String(u).padStart(2)}.${v}`) + scale[idx];
}

/** Clock ticks per second (USER_HZ): 100 on every Linux that Pika runs on. */
export const CLOCK_TICKS = 100;
