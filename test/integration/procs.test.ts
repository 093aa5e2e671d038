// The process and terminal applets (ps kill killall pgrep pkill pidof top free
// uptime stty clear reset watch) against busybox-static. Process listings are
// compared on a set of children started here (copies of sleep under a name of
// their own), so that whatever else runs on the machine does not matter; only
// those children, or PIDs that cannot exist, are ever signalled. stty runs
// under a pseudo-terminal from script(1).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { BUSYBOX, havePika, linkDir, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = ["ps", "kill", "killall", "pgrep", "pkill", "pidof", "top", "free", "uptime", "stty", "clear", "reset", "watch"];
const NOPID = "99999999"; // above any pid_max: kill() says ESRCH

describe.skipIf(!havePika())("procs: differential", () => {
  const cases: Case[] = [
    { applet: "kill", args: ["-l"] },
    { applet: "kill", args: ["-l", "15"] },
    { applet: "kill", args: ["-l", "TERM"] },
    { applet: "kill", args: ["-l", "sigterm"] },
    { applet: "kill", args: ["-l", "0"] },
    { applet: "kill", args: ["-l", "143"] },
    { applet: "kill", args: ["-l", "200"] },
    { applet: "kill", args: ["-l", "64"] },
    { applet: "kill", args: ["-l", "IOT", "IO", "POLL", "EXIT"] },
    { applet: "kill", args: ["-l", "15", "9", "HUP"] },
    { applet: "kill", args: ["-l", "foo"] },
    { applet: "kill", args: ["-l", "9", "--", "10"] },
    { applet: "kill", args: ["-l", "4294967297"] },
    { applet: "kill", args: [NOPID] },
    { applet: "kill", args: ["-9", NOPID] },
    { applet: "kill", args: ["-s", "HUP", NOPID] },
    { applet: "kill", args: ["-s", "kill", NOPID] },
    { applet: "kill", args: ["-SIGUSR1", NOPID] },
    { applet: "kill", args: ["-0", NOPID] },
    { applet: "kill", args: ["-64", NOPID] },
    { applet: "kill", args: ["-65", NOPID] },
    { applet: "kill", args: ["-s", "FOO", NOPID] },
    { applet: "kill", args: ["-FOO", NOPID] },
    { applet: "kill", args: ["-s"] },
    { applet: "kill", args: [] },
    { applet: "kill", args: ["-9"] },
    { applet: "kill", args: ["-s", "HUP"] },
    { applet: "kill", args: ["abc"] },
    { applet: "kill", args: ["+5"] },
    { applet: "kill", args: ["0x10"] },
    { applet: "kill", args: ["2147483648"] },
    { applet: "kill", args: ["-", NOPID] },
    { applet: "kill", args: ["--", NOPID] },
    { applet: "kill", args: ["-9", "--", NOPID] },
    { applet: "kill", args: ["--", "-" + NOPID] },
    { applet: "kill", args: [`${NOPID} `], fullStderr: true },
    { applet: "kill", args: [` ${NOPID} x`], fullStderr: true },
    { applet: "kill", args: ["99999998", "abc", NOPID], fullStderr: true },
    { applet: "killall", args: ["-l"] },
    { applet: "killall", args: ["-l", "9"] },
    { applet: "killall", args: [] },
    { applet: "killall", args: ["-q"] },
    { applet: "killall", args: ["pkzz-none-1"] },
    { applet: "killall", args: ["pkzz-none-1", "pkzz-none-2"], fullStderr: true },
    { applet: "killall", args: ["-q", "pkzz-none-1"] },
    { applet: "killall", args: ["-9", "pkzz-none-1"] },
    { applet: "killall", args: ["-s", "HUP", "pkzz-none-1"] },
    { applet: "killall", args: ["-q", "-s", "HUP", "pkzz-none-1"] },
    { applet: "killall", args: ["-FOO", "pkzz-none-1"] },
    { applet: "killall", args: ["-i", "pkzz-none-1"] },
    { applet: "killall", args: ["-q", "-l"] },
    { applet: "pidof", args: [] },
    { applet: "pidof", args: ["pkzz-none-1"] },
    { applet: "ps", args: ["-o", "foo"] },
    { applet: "ps", args: ["-o", "pid=a,b"] },
    { applet: "ps", args: ["-o", "pid,"] },
    { applet: "ps", args: ["-o", "pid comm"] },
    { applet: "ps", args: ["-o"] },
    { applet: "ps", args: ["-x"] },
    { applet: "free", args: ["-x"] },
    { applet: "free", args: ["-"] },
    { applet: "free", args: ["--"] },
    { applet: "uptime", args: ["-p"] },
    { applet: "clear", args: [] },
    { applet: "clear", args: ["extra"] },
    { applet: "reset", args: [] },
    { applet: "watch", args: [] },
    { applet: "watch", args: ["-n", "x", "true"] },
    { applet: "top", args: ["-b", "-n", "x"] },
    { applet: "top", args: ["-b", "-d", "x", "-n1"] },
    // stdin is a pipe here: no terminal to read.
    { applet: "stty", args: [] },
    { applet: "stty", args: ["-a"] },
    { applet: "stty", args: ["-F", "/dev/null"] },
    { applet: "stty", args: ["-F", "/nonexistent"] },
    { applet: "stty", args: ["-F"] },
    { applet: "stty", args: ["-F", "/dev/null", "-F", "/dev/null"] },
    { applet: "stty", args: ["-a", "-g"] },
    { applet: "stty", args: ["-a", "echo"] },
    { applet: "stty", args: ["foo"] },
    { applet: "stty", args: ["12345"] },
    { applet: "stty", args: ["-foo"] },
    { applet: "stty", args: ["-cs8"] },
    { applet: "stty", args: ["-sane"] },
    { applet: "stty", args: ["intr"] },
    { applet: "stty", args: ["rows"] },
    { applet: "stty", args: ["rows", "0"] },
    { applet: "stty", args: ["min", "foo"] },
    { applet: "stty", args: ["min", "300"] },
    { applet: "stty", args: ["line", "x"] },
    { applet: "stty", args: ["ispeed", "123"] },
    { applet: "stty", args: ["-echo"] },
  ];
  differential(APPLETS, cases);
});

// ---- Children with a distinctive name, listed and signalled ----

const NAME = `pkzz${process.pid % 100000}s`;
let work = "";
let children: ChildProcess[] = [];
let pikaLinks = "";
let bbLinks = "";

function startChild(arg: string): ChildProcess {
  const c = spawn(path.join(work, NAME), [arg], { stdio: "ignore" });
  children.push(c);
  return c;
}

function exited(c: ChildProcess): Promise<string | null> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve(c.signalCode);
    else c.once("exit", (_code, sig) => resolve(sig));
  });
}

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
/** The process has started sleep (its comm is the copy's name, not node's). */
const ready = (c: ChildProcess) => {
  try {
    return fs.readFileSync(`/proc/${c.pid}/stat`, "latin1").includes(`(${NAME})`);
  } catch {
    return false;
  }
};

function both(applet: string, args: string[], opts: { env?: Record<string, string> } = {}) {
  return { ours: run(path.join(pikaLinks, applet), args, opts), theirs: run(path.join(bbLinks, applet), args, opts) };
}

/** Lines that mention our children's name. */
const mine = (text: string) => text.split("\n").filter((l) => l.includes(NAME)).join("\n");

describe.skipIf(!havePika())("procs: listing and signalling children", () => {
  beforeAll(async () => {
    work = tempDir("pika-procs-");
    fs.copyFileSync("/bin/sleep", path.join(work, NAME));
    fs.chmodSync(path.join(work, NAME), 0o755);
    pikaLinks = linkDir(PIKA, APPLETS);
    bbLinks = linkDir(BUSYBOX, APPLETS);
    for (const a of ["301", "302", "303"]) startChild(a);
    await waitFor(() => children.every(ready));
  });
  afterAll(() => {
    for (const c of children) if (alive(c)) c.kill("SIGKILL");
    for (const d of [work, pikaLinks, bbLinks]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("ps: the default columns", () => {
    const { ours, theirs } = both("ps", []);
    expect(ours.stdout.split("\n")[0]).toBe("PID   USER     COMMAND");
    expect(ours.stdout.split("\n")[0]).toBe(theirs.stdout.split("\n")[0]);
    expect(mine(ours.stdout)).toBe(mine(theirs.stdout));
    expect(mine(ours.stdout).split("\n")).toHaveLength(3);
  });

  for (const o of [
    "pid,ppid,pgid,user,group,comm,nice,rgroup,ruser,tty,vsz,sid,stat,rss,args",
    "pid=XYZ,comm=,args=",
    "pid=AB,comm",
    "comm=X,pid=YY,args",
    "args=CMD,pid",
    "user=LONGUSERHEADER,pid,args",
    "pid=,args=",
    "stat,vsz=V,rss=R,args",
    "ppid=P,pgid,args",
  ]) {
    it(`ps -o ${o}`, () => {
      const { ours, theirs } = both("ps", ["-o", o]);
      expect(ours.status).toBe(0);
      expect(ours.stdout.split("\n")[0]).toBe(theirs.stdout.split("\n")[0]);
      expect(mine(ours.stdout)).toBe(mine(theirs.stdout));
    });
  }

  it("ps -o given twice, and -T (threads)", () => {
    for (const args of [["-o", "pid", "-o", "comm=C", "-o", "args"], ["-T", "-o", "pid,comm,args"], ["-A", "-e", "-f"]]) {
      const { ours, theirs } = both("ps", args);
      expect(ours.stdout.split("\n")[0]).toBe(theirs.stdout.split("\n")[0]);
      expect(mine(ours.stdout)).toBe(mine(theirs.stdout));
    }
  });

  it("ps -o etime,time (FEATURE_PS_TIME columns, absent from Debian's build)", () => {
    const r = run(path.join(pikaLinks, "ps"), ["-o", "pid,etime,time,args"]);
    expect(r.stdout.split("\n")[0]).toBe("PID   ELAPSED TIME   COMMAND");
    const line = mine(r.stdout).split("\n")[0];
    expect(line).toMatch(/^\s*\d+\s+0:\d\d\s+0:00 .*pkzz/);
  });

  it("pidof: newest first, like busybox", () => {
    for (const args of [[NAME], [NAME, "pkzz-none-1", NAME]]) {
      const { ours, theirs } = both("pidof", args);
      expect(ours.status).toBe(0);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.stdout.trim().split(" ").map(Number)[0]).toBe(Math.max(...children.map((c) => c.pid!)));
    }
  });

  it("pidof -s and -o (BusyBox's optional PIDOF_SINGLE/OMIT, not in Debian's build)", () => {
    const pids = children.map((c) => c.pid!).sort((a, b) => b - a);
    expect(run(path.join(pikaLinks, "pidof"), ["-s", NAME]).stdout).toBe(`${pids[0]}\n`);
    expect(run(path.join(pikaLinks, "pidof"), ["-o", String(pids[0]), NAME]).stdout).toBe(`${pids[1]} ${pids[2]}\n`);
    expect(run(path.join(pikaLinks, "pidof"), ["-o", "%PPID", NAME]).stdout).toBe(`${pids.join(" ")}\n`);
  });

  it("killall -0 and kill -0 find exactly the children", () => {
    for (const args of [["-0", NAME], ["-q", "-0", "pkzz-none-1", NAME], ["-s", "0", NAME]]) {
      const { ours, theirs } = both("killall", args);
      expect(ours.status).toBe(theirs.status);
      expect(ours.stderr).toBe(theirs.stderr);
    }
    const pids = children.map((c) => String(c.pid));
    const { ours, theirs } = both("kill", ["-0", ...pids]);
    expect([ours.status, ours.stderr]).toEqual([theirs.status, theirs.stderr]);
    expect(ours.status).toBe(0);
    expect(children.every(alive)).toBe(true);
  });

  it("top -b: the header lines and the children's rows", () => {
    const { ours, theirs } = both("top", ["-b", "-n1"]);
    expect(ours.status).toBe(0);
    const shape = (s: string) => s.split("\n").slice(0, 4);
    const [mem, cpu, load, head] = shape(ours.stdout);
    expect(mem).toMatch(/^Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$/);
    expect(cpu).toMatch(/^CPU: {0,3}\d+% usr {0,3}\d+% sys {0,3}\d+% nic {0,3}\d+% idle {0,3}\d+% io {0,3}\d+% irq {0,3}\d+% sirq$/);
    expect(load).toMatch(/^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+$/);
    expect(head).toBe(shape(theirs.stdout)[3]);
    // Sorted by %CPU first: the idle children's order can differ, their rows cannot.
    const rows = (s: string) => mine(s).split("\n").sort();
    expect(rows(ours.stdout)).toEqual(rows(theirs.stdout));
    expect(ours.stdout.endsWith("\n\n")).toBe(true);
    expect(Math.max(...ours.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(446);
  });

  it("top -b -n 2 -d 0.2: two frames", () => {
    const r = run(path.join(pikaLinks, "top"), ["-b", "-n", "2", "-d", "0.2"]);
    expect(r.stdout.match(/^Mem: /gm)).toHaveLength(2);
    expect(run(path.join(pikaLinks, "top"), ["b", "n1"]).stdout).toMatch(/^Mem: /);
  });

  it("pgrep: name, -f, -l, -a, -x, -n, -o, -v with -P", () => {
    const pids = children.map((c) => c.pid!);
    const pg = (...args: string[]) => run(path.join(pikaLinks, "pgrep"), args);
    expect(pg(NAME).stdout).toBe(pids.map((p) => `${p}\n`).join(""));
    expect(pg("-f", `${NAME} 302`).stdout).toBe(`${pids[1]}\n`);
    // -l shows the program as matched: argv[0], or comm when only comm matched.
    expect(pg("-l", NAME).stdout).toBe(pids.map((p) => `${p} ${path.join(work, NAME)}\n`).join(""));
    expect(pg("-l", `^${NAME}$`).stdout).toBe(pids.map((p) => `${p} ${NAME}\n`).join(""));
    expect(pg("-a", NAME).stdout).toBe(pids.map((p, i) => `${p} ${path.join(work, NAME)} 30${i + 1}\n`).join(""));
    expect(pg("-x", NAME).stdout).toBe(pids.map((p) => `${p}\n`).join(""));
    expect(pg("-x", NAME.slice(0, -1)).status).toBe(1);
    expect(pg("-n", NAME).stdout).toBe(`${Math.max(...pids)}\n`);
    expect(pg("-o", NAME).stdout).toBe(`${Math.min(...pids)}\n`);
    expect(pg("-P", String(process.pid), NAME).stdout).toBe(pids.map((p) => `${p}\n`).join(""));
    expect(pg("-v", "-P", String(process.pid), ".").stdout.split("\n")).not.toContain(String(pids[0]));
    expect(pg("-u", "root", NAME).stdout).toBe(pids.map((p) => `${p}\n`).join(""));
    expect(pg("-U", "0", "-f", `${NAME} 303`).stdout).toBe(`${pids[2]}\n`);
    expect(pg("pkzz-none-1").status).toBe(1);
    // A pattern is needed unless -s or -P narrows the search.
    expect(pg().status).toBe(1);
    expect(pg().stderr).toMatch(/^Usage: pgrep|multi-call binary/);
    expect(pg("-s", "x", NAME).stderr).toBe("pgrep: invalid number 'x'\n");
  });

  it("pkill -SIGNAL -f signals only the matching child; kill and killall the rest", async () => {
    const [a, b, c] = children;
    const r = run(path.join(pikaLinks, "pkill"), ["-USR1", "-f", `${NAME} 301`]);
    expect(r.status).toBe(0);
    expect(await exited(a)).toBe("SIGUSR1");
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(b) && alive(c)).toBe(true);
    expect(run(path.join(pikaLinks, "pkill"), ["-f", "pkzz-none-1"]).status).toBe(1);
    expect(run(path.join(pikaLinks, "pkill"), ["-l"]).stdout).toBe(run(BUSYBOX, ["kill", "-l"]).stdout);
    const e = run(path.join(pikaLinks, "pkill"), ["-e", "-f", `${NAME} 302`]);
    expect(e.stdout).toBe(`${path.join(work, NAME)} 302 killed (pid ${b.pid})\n`);
    expect(await exited(b)).toBe("SIGTERM");
    // kill PID, then killall NAME once nothing is left: the same result as busybox's.
    const d = startChild("304");
    await waitFor(() => ready(d));
    expect(run(path.join(pikaLinks, "kill"), ["-HUP", String(c.pid)]).status).toBe(0);
    expect(await exited(c)).toBe("SIGHUP");
    expect(run(path.join(pikaLinks, "killall"), ["-INT", NAME]).status).toBe(0);
    expect(await exited(d)).toBe("SIGINT");
    await new Promise((res) => setTimeout(res, 50));
    const { ours, theirs } = both("killall", [NAME]);
    expect([ours.status, ours.stderr]).toEqual([theirs.status, theirs.stderr]);
    expect(ours.stderr).toBe(`killall: ${NAME}: no process killed\n`);
  });
});

// ---- free and uptime: layouts, and the arithmetic against /proc/meminfo ----

function meminfo(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of fs.readFileSync("/proc/meminfo", "utf8").split("\n")) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

describe.skipIf(!havePika())("procs: free and uptime", () => {
  let links = "";
  beforeAll(() => (links = linkDir(PIKA, ["free", "uptime"])));
  afterAll(() => fs.rmSync(links, { recursive: true, force: true }));

  const HEADER = "              total        used        free      shared  buff/cache   available";

  for (const [opt, unit] of [["", 1024], ["-k", 1024], ["-b", 1], ["-m", 1 << 20], ["-g", 1 << 30]] as const) {
    it(`free ${opt}: the table, and the numbers /proc/meminfo gives`, () => {
      const r = run(path.join(links, "free"), opt ? [opt] : []);
      const bb = run(BUSYBOX, ["free", ...(opt ? [opt] : [])]);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toBe(HEADER);
      expect(bb.stdout.split("\n")[0]).toBe(HEADER);
      expect(lines[1]).toMatch(/^Mem: {3}[ \d]{12}( [ \d]{11}){5}$/);
      expect(lines[2]).toMatch(/^Swap: {2}[ \d]{12}( [ \d]{11}){2}$/);
      expect(lines[1].length).toBe(bb.stdout.split("\n")[1].length);
      const [total, used, free, shared, cache, avail] = lines[1].slice(4).trim().split(/\s+/).map(Number);
      const m = meminfo();
      const scale = (kb: number) => Math.round((kb * 1024) / unit);
      expect(total).toBe(scale(m.MemTotal));
      expect(shared).toBe(scale(m.Shmem));
      // Values move between reads: allow a little drift, but the sum must hold.
      const slack = Math.max(2, scale(64 * 1024));
      expect(Math.abs(free - scale(m.MemFree))).toBeLessThanOrEqual(slack);
      expect(Math.abs(cache - scale(m.Buffers + m.Cached + m.SReclaimable))).toBeLessThanOrEqual(slack);
      expect(Math.abs(avail - scale(m.MemAvailable))).toBeLessThanOrEqual(slack);
      expect(Math.abs(total - used - free - cache)).toBeLessThanOrEqual(2);
      const [stotal, sused, sfree] = lines[2].slice(5).trim().split(/\s+/).map(Number);
      expect(stotal).toBe(scale(m.SwapTotal));
      expect(sused + sfree).toBe(stotal);
      expect(lines[3]).toBe("");
    });
  }

  it("free -h and the first letter rule (-mh is -m, -hm is -h)", () => {
    const h = run(path.join(links, "free"), ["-h"]).stdout.split("\n")[1];
    expect(h).toMatch(/^Mem: {3}[ \d.KMGT]{12}( [ \d.KMGT]{11}){5}$/);
    const m = meminfo();
    expect(h.slice(4).trim().split(/\s+/)[0]).toBe(run(BUSYBOX, ["free", "-h"]).stdout.split("\n")[1].slice(4).trim().split(/\s+/)[0]);
    expect(m.MemTotal).toBeGreaterThan(0);
    expect(run(path.join(links, "free"), ["-mh"]).stdout.split("\n")[1]).toMatch(/^Mem:\s+\d+\s/);
    expect(run(path.join(links, "free"), ["-hm"]).stdout.split("\n")[1]).toMatch(/^Mem:\s+[\d.]+[KMGT]\s/);
    expect(run(path.join(links, "free"), ["x", "-m"]).stdout.split("\n")[1].trim().split(/\s+/)[1]).toBe(String(m.MemTotal));
  });

  it("uptime: busybox's line, with the same uptime and load", () => {
    const ours = run(path.join(links, "uptime"), []).stdout;
    const theirs = run(BUSYBOX, ["uptime"]).stdout;
    const re = /^ \d\d:\d\d:\d\d up (\d+ days?, )?(( ?\d+:\d\d)|(\d+ min)),  \d+ users,  load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/;
    expect(ours).toMatch(re);
    expect(theirs).toMatch(re);
    const up = (s: string) => s.replace(/^ \S+ /, "").replace(/load average.*/, "");
    expect(up(ours)).toBe(up(theirs));
    const secs = Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    if (secs < 86400 && Math.floor(secs / 3600) === 0) expect(ours).toContain(` up ${Math.floor(secs / 60)} min,`);
    // The boot time: the same second, give or take the one ticking between the runs.
    const boot = (s: string) => Date.parse(s.trim().replace(" ", "T") + "Z");
    const diff = boot(run(path.join(links, "uptime"), ["-s"]).stdout) - boot(run(BUSYBOX, ["uptime", "-s"]).stdout);
    expect(Math.abs(diff)).toBeLessThanOrEqual(1000);
  });
});

// ---- stty under a pseudo-terminal ----

const haveScript = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!havePika() || !haveScript)("procs: stty on a terminal", () => {
  let dir = "";
  beforeAll(() => {
    dir = tempDir("pika-stty-");
    fs.symlinkSync(PIKA, path.join(dir, "stty"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Run a shell script in a fresh pty; $S is the stty to use. */
  function inPty(stty: string, script: string): string {
    const file = path.join(dir, "seq.sh");
    fs.writeFileSync(file, script);
    // script's stdin must never reach EOF: script would pass it on as ^D, and the
    // terminal's echo of that ^D lands in the output at a moment that varies.
    const fifo = path.join(dir, "stdin.fifo");
    if (!fs.existsSync(fifo)) spawnSync("mkfifo", [fifo]);
    const stdin = fs.openSync(fifo, "r+");
    const r = spawnSync("script", ["-qc", `S='${stty}' sh ${file}`, "/dev/null"], {
      stdio: [stdin, "pipe", "pipe"],
      encoding: "latin1",
      env: { PATH: "/usr/bin:/bin", LANG: "C", TERM: "dumb" },
      timeout: 20_000,
    });
    fs.closeSync(stdin);
    return r.stdout;
  }

  const sequences: Record<string, string> = {
    "-a, the default display, -g, size (no size known), speed":
      '$S -a; echo rc=$?; $S; $S -g; $S size; echo rc=$?; $S speed\n',
    "-echo; stty -a, then echo back": "$S -echo; $S -a; $S; $S echo; $S\n",
    "raw, sane, cooked, cbreak, nl, evenp, oddp, pass8, litout, crt, dec, tabs, lcase, ek":
      "$S raw; $S; $S sane; $S; $S -cooked; $S; $S cooked; $S cbreak; $S; $S -cbreak nl; $S; $S -nl evenp; $S; " +
      "$S oddp; $S; $S -oddp pass8; $S; $S -pass8 litout; $S; $S -litout crt dec; $S; $S tabs -tabs lcase; $S; $S -lcase ek; $S -g\n",
    "rows, cols, size and the wrapping width": "$S rows 30 cols 100; $S size; $S -a; $S columns 60; $S -a; $S cols 7; $S\n",
    "control characters and numbers": "$S intr ^A quit undef erase x kill 10 min 5 time 2 eof ^- susp ^?; $S; $S -g; $S sane; $S\n",
    // (Not across a speed change: glibc's busybox then compares c_ispeed fields that
    // recover_mode() never set, and reports "cannot perform all requested operations".)
    "-g back as a setting, line": 'G=$($S -g); $S raw -echo; $S; $S "$G"; $S -g; $S line 2; $S\n',
    "speeds, and -F": "$S 9600; $S; $S 1200 -F /dev/tty; $S -F /dev/tty speed\n",
    "flag settings": "$S cs7 -parenb parodd hupcl cstopb -cread clocal crtscts ixany -ixon igncr ofdel nl1 cr2 tab1 bs1 vt1 ff1 echoprt tostop; $S -a; $S\n",
    "errors on a terminal": "$S foo; echo rc=$?; $S -g -a; echo rc=$?; $S 1234; echo rc=$?; $S min; echo rc=$?\n",
  };
  for (const [name, seq] of Object.entries(sequences)) {
    it(name, () => {
      const ours = inPty(path.join(dir, "stty"), seq);
      const theirs = inPty(`${BUSYBOX} stty`, seq);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.replaceAll(path.join(dir, "stty"), "stty")).toBe(theirs);
    });
  }

  it("ospeed alone (differs: glibc's busybox reports \"cannot perform all requested operations\" on a pty)", () => {
    expect(inPty(path.join(dir, "stty"), "$S ospeed 2400; echo rc=$?; $S speed\n")).toBe("rc=0\r\n2400\r\n");
  });

  it("reset: the escape sequence, then stty sane", () => {
    fs.symlinkSync(PIKA, path.join(dir, "reset"));
    const ours = inPty(path.join(dir, "stty"), `$S -echo raw; ${path.join(dir, "reset")}; $S\n`);
    const theirs = inPty(`${BUSYBOX} stty`, `$S -echo raw; ${BUSYBOX} reset; $S\n`);
    expect(ours).toBe(theirs);
    expect(ours.startsWith("\x1bc\x1b(B\x1b[m\x1b[J\x1b[?25h")).toBe(true);
  });
});

// ---- watch ----

describe.skipIf(!havePika())("procs: watch", () => {
  let links = "";
  beforeAll(() => (links = linkDir(PIKA, ["watch"])));
  afterAll(() => fs.rmSync(links, { recursive: true, force: true }));

  function timed(bin: string, args: string[], seconds: number, env: Record<string, string> = {}): string {
    return spawnSync("timeout", [String(seconds), bin, ...args], { encoding: "latin1", env: { PATH: "/usr/bin:/bin", ...env } }).stdout;
  }

  it("the header: 'Every N.Ns: COMMAND', the time at the right edge, a blank line", () => {
    const out = timed(path.join(links, "watch"), ["-n", "0.4", "echo", "hi", "there"], 1);
    const frames = out.split("\x1b[H\x1b[J").slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    for (const f of frames) expect(f).toMatch(/^Every 0\.4s: echo hi there {35}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n\nhi there\n$/);
    const bb = timed(BUSYBOX, ["watch", "-n", "0.4", "echo", "hi", "there"], 1).split("\x1b[H\x1b[J").slice(1);
    expect(frames[0].replace(/\d/g, "0")).toBe(bb[0].replace(/\d/g, "0"));
  });

  it("the header is cut to $COLUMNS; -t leaves it out", () => {
    const first = (s: string) => s.split("\x1b[H\x1b[J")[1]?.replace(/\d/g, "0");
    const f = timed(path.join(links, "watch"), ["-n", "5", "echo", "a", "b"], 1.5, { COLUMNS: "40" });
    const g = timed(BUSYBOX, ["watch", "-n", "5", "echo", "a", "b"], 1.5, { COLUMNS: "40" });
    expect(first(f)).toBe("Every 0.0s: echo a b0000-00-00 00:00:00\n\na b\n");
    expect(first(f)).toBe(first(g));
    expect(timed(path.join(links, "watch"), ["-t", "-n", "0.3", "echo", "x"], 0.8)).toMatch(/^(\x1b\[H\x1b\[Jx\n){2,}$/);
  });
});


