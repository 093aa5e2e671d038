// npm run bench: pika against busybox-static, whole processes, in one run.
//   bun bench/run.ts [start] [boot] [pid1] [cases] [services] [images] [--runs=N]
//                    [--cases=TEXT] [--orphans=N] [--host-pika=FILE] [--image-pika=FILE]
// Sections (all by default): applet start-up times, PID 1 memory and start-up
// after booting the x86_64 image in QEMU, PID 1 reaping N (10,000) orphans in a
// pid namespace on the host (bench/pid1.ts), the applet groups' cases
// (bench/<group>.ts, see bench/cases.ts), the service manager (bench/services.ts:
// a runlevel of 30 services, supervise-daemon's memory), and the image
// builder's sizes and times (bench/images.ts). It reports and never asserts: the
// exit status is 1 only when something could not be measured.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { debianPackage } from "../build/debian.ts";
import { ROOT } from "../build/compile.ts";
import { bootTimed, lineTime, type Overlay, type TimedBoot } from "./boot.ts";
import { imageRows } from "./images.ts";
import type { BenchCase } from "./cases.ts";
import { checkRun, hyperfineVersion, measure, type Command } from "./measure.ts";
import { serviceRows } from "./services.ts";
import { orphanRun, type OrphanRun } from "./pid1.ts";

export interface Row {
  section: string;
  name: string;
  unit: "ms" | "MiB" | "count";
  pika?: number;
  busybox?: number;
  /** Goal on pika/busybox. */
  maxRatio?: number;
  /** Goal on pika's own value, in the row's unit. */
  maxPika?: number;
  note?: string;
  /** pika/busybox means nothing here (e.g. a counter that lags for tiny processes). */
  noRatio?: boolean;
  /** Why the row could not be measured. */
  error?: string;
}

interface Options {
  sections: Set<string>;
  runs: number;
  casesFilter?: string;
  orphans: number;
  hostPika: string;
  imagePika?: string;
  busybox: string;
}

const SECTIONS = ["start", "boot", "pid1", "cases", "services", "images"];
const MIB = 1024 * 1024;

function parseArgs(argv: string[]): Options {
  const o: Options = {
    sections: new Set(),
    runs: 300,
    orphans: 10_000,
    hostPika: path.join(ROOT, "out", "host", "pika"),
    busybox: process.env.BUSYBOX ?? "/bin/busybox",
  };
  for (const a of argv) {
    const [key, value] = a.split(/=(.*)/s);
    if (SECTIONS.includes(a)) o.sections.add(a);
    else if (key === "--runs") o.runs = Number(value);
    else if (key === "--cases") o.casesFilter = value;
    else if (key === "--orphans") o.orphans = Number(value);
    else if (key === "--host-pika") o.hostPika = path.resolve(value);
    else if (key === "--image-pika") o.imagePika = path.resolve(value);
    else throw new Error(`unknown argument ${a} (sections: ${SECTIONS.join(", ")})`);
  }
  if (o.sections.size === 0) SECTIONS.forEach((s) => o.sections.add(s));
  if (!(o.runs >= 1)) throw new Error("--runs needs a positive number");
  if (!(o.orphans >= 1)) throw new Error("--orphans needs a positive number");
  return o;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

// ------------------------------------------------------------------ start-up

interface Comparison {
  section: string;
  name: string;
  args: string[];
  busyboxArgs?: string[];
  stdin?: string;
  cwd?: string;
  maxRatio?: number;
  warmup: number;
  runs?: number;
}

/** Time one command line run by pika and by busybox, stdout to /dev/null. */
function compareCommand(o: Options, c: Comparison): Row {
  const row: Row = { section: c.section, name: c.name, unit: "ms", maxRatio: c.maxRatio };
  const pika: Command = { argv: [o.hostPika, ...c.args], stdin: c.stdin };
  const bb: Command = { argv: [o.busybox, ...(c.busyboxArgs ?? c.args)], stdin: c.stdin };
  // One run each first: a pika that fails would be fast for the wrong reason.
  const [cp, cb] = [checkRun(pika, c.cwd), checkRun(bb, c.cwd)];
  if (cp.status !== cb.status) {
    const why = cp.stderr.trim().split("\n")[0] || "(no message)";
    return { ...row, error: `pika exits ${cp.status}, busybox ${cb.status}: ${why}` };
  }
  if (cp.stdoutSha !== cb.stdoutSha) row.note = "output differs from busybox";
  try {
    const [tp, tb] = measure([pika, bb], { cwd: c.cwd, warmup: c.warmup, runs: c.runs, ignoreFailure: cp.status !== 0 });
    row.pika = tp.meanMs;
    row.busybox = tb.meanMs;
    const spread = `${tp.runs}/${tb.runs} runs, median ${fmtMs(tp.medianMs)}/${fmtMs(tb.medianMs)}, σ ${fmtMs(tp.stddevMs)}/${fmtMs(tb.stddevMs)}`;
    row.note = [row.note, spread].filter(Boolean).join("; ");
  } catch (err) {
    row.error = (err as Error).message;
  }
  return row;
}

function startRows(o: Options): Row[] {
  const rows: Row[] = [];
  const cases: [string, string[], number | undefined][] = [
    ["start: `true`", ["true"], 3],
    ["start: `echo hi`", ["echo", "hi"], undefined],
    ["start: `ls /`", ["ls", "/"], undefined],
  ];
  for (const [name, args, maxRatio] of cases) {
    progress(`${name} (${o.runs} runs each)`);
    rows.push(compareCommand(o, { section: "start", name, args, maxRatio, warmup: 5, runs: o.runs }));
  }
  return rows;
}

// ---------------------------------------------------------------- QEMU boot

// The same inittab for both inits: settle, report PID 1's memory, power off.
const BENCH_INITTAB = `
::sysinit:/bench/busybox echo BENCH-SYSINIT
::wait:/bench/busybox sleep 2
::wait:/bench/busybox sh /bench/rss.sh
::once:/sbin/poweroff
`;

// BusyBox init mounts nothing, so /proc may still be missing. smaps_rollup
// walks the page tables; status's Vm* counters are cached per thread and can
// lag by up to 64 pages per kind (BusyBox init shows 12 kB there).
const RSS_SH = `
B=/bench/busybox
[ -r /proc/1/status ] || $B mount -t proc proc /proc
$B grep -E '^(VmRSS|VmHWM|Threads):' /proc/1/status | $B sed 's/^/BENCH-PID1 /'
$B grep -E '^(Rss|Pss|Anonymous|Pss_File|Pss_Shmem):' /proc/1/smaps_rollup | $B sed 's/^/BENCH-PID1 /'
`;

interface InitStats {
  boot: TimedBoot;
  /** /proc/1/status and smaps_rollup fields (kB, or a count for Threads). */
  status: Record<string, number>;
  /** ms from QEMU start to: the kernel running /init, init's first inittab output. */
  runInitMs?: number;
  sysinitMs?: number;
  bannerMs?: number;
}

async function bootOnce(name: string, overlay: Overlay, banner: RegExp): Promise<InitStats> {
  progress(`booting x86_64 in QEMU with ${name} as PID 1 ...`);
  const boot = await bootTimed("x86_64", overlay, 300_000);
  const status: Record<string, number> = {};
  for (const l of boot.lines) {
    const m = /^BENCH-PID1 (\w+):\s+(\d+)/.exec(l.text);
    if (m) status[m[1]] = Number(m[2]);
  }
  if (status.Pss_File !== undefined && status.Pss_Shmem !== undefined) status["Pss_File+Pss_Shmem"] = status.Pss_File + status.Pss_Shmem;
  progress(`${name}: QEMU exited ${boot.exitCode}${boot.timedOut ? " (timed out)" : ""} after ${fmtMs(boot.totalMs)}`);
  return {
    boot,
    status,
    runInitMs: lineTime(boot, /Run \/init as init process/),
    sysinitMs: lineTime(boot, /^BENCH-SYSINIT/),
    bannerMs: lineTime(boot, banner),
  };
}

/** Why a boot gave no numbers: the console's last lines. */
function bootFailure(name: string, s: InitStats): string {
  const tail = s.boot.lines.slice(-3).map((l) => l.text.trim()).join(" | ");
  return `${name} boot: ${s.boot.timedOut ? "timed out" : `QEMU exit ${s.boot.exitCode}`}, no /proc/1/status lines; console ends: ${tail}`;
}

async function bootRows(o: Options): Promise<Row[]> {
  const busyboxRoot = await debianPackage("busybox-static", "amd64");
  const busybox = { data: fs.readFileSync(path.join(busyboxRoot, "bin", "busybox")), mode: 0o755 };
  const common: Overlay = { "/etc/inittab": BENCH_INITTAB, "/bench/rss.sh": RSS_SH, "/bench/busybox": busybox };
  // In both boots, so that both initrds take as long to unpack.
  if (o.imagePika) common["/bin/pika"] = { data: fs.readFileSync(o.imagePika), mode: 0o755 };
  const pika = await bootOnce("pika", common, /init \(PID 1\)/);
  // /sbin/init is pika's link; the pre-init execs it, and BusyBox becomes init by that name.
  const bb = await bootOnce("busybox", { ...common, "/sbin/init": busybox }, /init started: BusyBox/);

  const rows: Row[] = [];
  const mib = (kb: number | undefined) => (kb === undefined ? undefined : kb / 1024);
  const failure = (s: InitStats, n: string) => (s.status.Rss === undefined ? bootFailure(n, s) : undefined);
  const error = failure(pika, "pika") ?? failure(bb, "busybox");
  const mem = (name: string, field: string, extra: Partial<Row> = {}) =>
    rows.push({ section: "boot", name, unit: "MiB", ...extra, error, pika: mib(pika.status[field]), busybox: mib(bb.status[field]) });
  mem("PID 1 RSS, 2 s after boot (smaps_rollup)", "Rss", { maxPika: 32, note: `threads ${pika.status.Threads ?? "?"}/${bb.status.Threads ?? "?"}` });
  mem("PID 1 VmRSS (/proc/1/status)", "VmRSS", { noRatio: true, note: "lags: cached per-thread counters" });
  mem("PID 1 VmHWM, peak (/proc/1/status)", "VmHWM", { noRatio: true });
  mem("PID 1 anonymous (heap, stacks)", "Anonymous");
  mem("PID 1 mapped files (its binary, in initramfs RAM)", "Pss_File+Pss_Shmem", { note: "pages of the executable; initramfs files are RAM-backed shmem" });
  const time = (name: string, a: number | undefined, b: number | undefined, note?: string) =>
    rows.push({ section: "boot", name, unit: "ms", pika: a, busybox: b, note, error: a === undefined || b === undefined ? error ?? "console line not seen" : undefined });
  time("QEMU start → first inittab output", pika.sysinitMs, bb.sysinitMs,
    pika.bannerMs !== undefined ? `pika banner at ${fmtMs(pika.bannerMs)}` : undefined);
  const sinceInit = (s: InitStats) => (s.sysinitMs !== undefined && s.runInitMs !== undefined ? s.sysinitMs - s.runInitMs : undefined);
  time("kernel runs /init → first inittab output", sinceInit(pika), sinceInit(bb), "pre-init, init start-up, first spawn (TCG)");
  time("QEMU start → QEMU exit (poweroff)", pika.boot.totalMs, bb.boot.totalMs);
  rows.push(await loginPromptRow(common, busybox));
  return rows;
}

// Both inits run this same inittab: a getty on the serial console. BusyBox
// init mounts nothing, so the script gives /dev its device nodes (devtmpfs)
// when init has not (pika's has); a script because a command with shell
// characters would run under /bin/sh, which is pika's.
const LOGIN_INITTAB = "::sysinit:/bench/devfs.sh\nttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100\n";
const DEVFS_SH = "#!/bench/busybox sh\n[ -c /dev/ttyS0 ] || /bench/busybox mount -t devtmpfs devtmpfs /dev\n";
const LOGIN_PROMPT = /login: $/;

/** Boots per init for the login prompt row, alternating, the best kept: TCG on a shared machine is noisy. */
const LOGIN_BOOTS = 2;

/** Kernel hand-off (the kernel running /init) to getty's prompt: pika's init and getty, and BusyBox's. */
async function loginPromptRow(common: Overlay, busybox: Overlay[string]): Promise<Row> {
  const overlay: Overlay = { ...common, "/etc/inittab": LOGIN_INITTAB, "/bench/devfs.sh": { data: Buffer.from(DEVFS_SH), mode: 0o755 } };
  // /sbin/getty is pika's link too: BusyBox's takes its place, as for /sbin/init.
  const inits: [string, Overlay][] = [["pika", overlay], ["busybox", { ...overlay, "/sbin/init": busybox, "/sbin/getty": busybox }]];
  const times: Record<string, number[]> = { pika: [], busybox: [] };
  let error: string | undefined;
  for (let run = 1; run <= LOGIN_BOOTS; run++) {
    for (const [name, o] of inits) {
      progress(`booting x86_64 in QEMU with ${name}'s init and getty, until the login prompt (${run}/${LOGIN_BOOTS}) ...`);
      const b = await bootTimed("x86_64", o, 300_000, LOGIN_PROMPT);
      const runInit = lineTime(b, /Run \/init as init process/);
      if (b.stopMs !== undefined && runInit !== undefined) times[name].push(b.stopMs - runInit);
      else error ??= `${name}: no login prompt (${b.timedOut ? "timed out" : `QEMU exit ${b.exitCode}`})`;
    }
  }
  const best = (ms: number[]) => (ms.length ? Math.min(...ms) : undefined);
  const all = (ms: number[]) => ms.map(fmtMs).join(", ");
  return {
    section: "boot", name: "kernel runs /init → getty's login prompt (same inittab)", unit: "ms", maxRatio: 1.5,
    pika: best(times.pika), busybox: best(times.busybox), error,
    note: `best of ${LOGIN_BOOTS} (pika ${all(times.pika)}; busybox ${all(times.busybox)}); devtmpfs, then ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100; pre-init included`,
  };
}

// ------------------------------------------------- PID 1 through an orphan storm

function pid1Rows(o: Options): Row[] {
  const runs: Record<"pika" | "busybox", OrphanRun> = { pika: {}, busybox: {} };
  for (const init of ["pika", "busybox"] as const) {
    progress(`${init} init as PID 1 in a pid namespace: ${o.orphans} orphans ...`);
    runs[init] = orphanRun(init, { pika: o.hostPika, busybox: o.busybox }, o.orphans);
  }
  const { pika, busybox } = runs;
  const error = [pika.error, busybox.error].filter(Boolean).join("; ") || undefined;
  const n = o.orphans.toLocaleString("en");
  const mib = (kb: number | undefined) => (kb === undefined ? undefined : kb / 1024);
  const diff = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : b - a);
  const anon = (r: OrphanRun) => `${fmt(mib(r.anonBefore), "MiB")} → ${fmt(mib(r.anonAfter), "MiB")}`;
  const row = (name: string, unit: Row["unit"], p: number | undefined, b: number | undefined, extra: Partial<Row> = {}): Row =>
    ({ section: "pid1", name, unit, pika: p, busybox: b, error, ...extra });
  return [
    row(`PID 1: zombies left after ${n} orphans`, "count", pika.zombies, busybox.zombies, { maxPika: 0, noRatio: true }),
    row("PID 1 VmRSS before the orphans (host binary)", "MiB", mib(pika.vmRssBefore), mib(busybox.vmRssBefore), { maxPika: 32 }),
    row(`PID 1 VmRSS after ${n} orphans`, "MiB", mib(pika.vmRssAfter), mib(busybox.vmRssAfter), {
      maxPika: 32, note: `of which anonymous (RssAnon) ${anon(pika)} / ${anon(busybox)}; the rest is the executable's pages`,
    }),
    // Flat is judged on private memory: VmRSS also counts pages of the (shared, reclaimable) executable as they are first touched.
    row(`PID 1 anonymous memory growth over ${n} orphans`, "MiB", mib(diff(pika.anonBefore, pika.anonAfter)), mib(diff(busybox.anonBefore, busybox.anonAfter)), {
      maxPika: 2, noRatio: true, note: "RssAnon after - before: flat",
    }),
    row(`PID 1 VmRSS growth over ${n} orphans`, "MiB", mib(diff(pika.vmRssBefore, pika.vmRssAfter)), mib(diff(busybox.vmRssBefore, busybox.vmRssAfter)), {
      noRatio: true, note: "includes the executable's file pages as they are touched",
    }),
    row(`PID 1 CPU time reaping ${n} orphans`, "ms", pika.cpuMs, busybox.cpuMs, { note: "utime + stime of PID 1, 10 ms ticks" }),
    row(`${n} orphans: the sh loop making them`, "ms", pika.loopMs, busybox.loopMs, { noRatio: true, note: "busybox sh forks; PID 1 competes for the CPU" }),
  ];
}

// -------------------------------------------------------- applet groups' cases

/** Every `export const cases` of bench/*.ts, by file. */
async function loadCases(): Promise<{ file: string; cases?: BenchCase[]; error?: string }[]> {
  const here = path.join(ROOT, "bench");
  const own = new Set(["run.ts", "cases.ts", "measure.ts", "boot.ts", "pid1.ts", "services.ts", "images.ts"]);
  const files = fs.readdirSync(here).filter((f) => f.endsWith(".ts") && !own.has(f)).sort();
  const out: { file: string; cases?: BenchCase[]; error?: string }[] = [];
  for (const file of files) {
    try {
      const mod = await import(path.join(here, file));
      if (Array.isArray(mod.cases)) out.push({ file, cases: mod.cases });
    } catch (err) {
      out.push({ file, error: `bench/${file} does not load: ${(err as Error).message}` });
    }
  }
  return out;
}

function scratchDir(): string {
  const dir = process.env.PIKA_BENCH_DIR ?? path.join(os.tmpdir(), "pika-bench");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function caseRows(o: Options): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = scratchDir();
  const setUp = new Set<BenchCase["setup"]>(); // shared set-ups run once
  for (const group of await loadCases()) {
    const section = group.file.replace(/\.ts$/, "");
    if (group.error) rows.push({ section, name: group.file, unit: "ms", error: group.error });
    for (const c of group.cases ?? []) {
      if (o.casesFilter && !c.name.includes(o.casesFilter)) continue;
      progress(`${section}: ${c.name}`);
      try {
        if (c.setup && !setUp.has(c.setup)) {
          await c.setup(dir);
          setUp.add(c.setup);
        }
      } catch (err) {
        rows.push({ section, name: c.name, unit: "ms", error: `setup: ${(err as Error).message}` });
        continue;
      }
      // The check run warms the page cache, so no further warm-up.
      rows.push(compareCommand(o, {
        section, name: c.name, args: c.args, busyboxArgs: c.busyboxArgs, stdin: c.stdin, cwd: dir, maxRatio: c.target, warmup: 0, runs: c.runs,
      }));
    }
  }
  return rows;
}

// ----------------------------------------------------------------- reporting

function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function fmt(v: number | undefined, unit: Row["unit"]): string {
  if (v === undefined) return "—";
  if (unit === "ms") return fmtMs(v);
  if (unit === "count") return String(v);
  return v < 1 ? `${Math.round(v * 1024)} KiB` : `${v.toFixed(1)} MiB`;
}

function verdict(r: Row): { target: string; result: string } {
  if (r.maxPika !== undefined) {
    const target = `pika <= ${r.maxPika} ${r.unit}`;
    return { target, result: r.pika === undefined ? "not measured" : r.pika <= r.maxPika ? "pass" : "**miss**" };
  }
  if (r.maxRatio !== undefined) {
    const target = `<= ${r.maxRatio}x`;
    if (r.pika === undefined || r.busybox === undefined) return { target, result: "not measured" };
    return { target, result: r.pika / r.busybox <= r.maxRatio ? "pass" : "**miss**" };
  }
  return { target: "(info)", result: r.error ? "not measured" : "" };
}

function table(rows: Row[]): string {
  const out = [
    "| measure | pika | busybox | pika/busybox | target | result | notes |",
    "| --- | ---: | ---: | ---: | --- | --- | --- |",
  ];
  for (const r of rows) {
    const ratio = !r.noRatio && r.pika !== undefined && r.busybox !== undefined && r.busybox > 0 ? `${(r.pika / r.busybox).toFixed(r.pika / r.busybox >= 10 ? 0 : 2)}x` : "—";
    const { target, result } = verdict(r);
    const notes = [r.note, r.error].filter(Boolean).join("; ").replace(/\|/g, "\\|");
    const name = ["start", "boot", "pid1"].includes(r.section) ? r.name : `${r.section}: ${r.name}`;
    out.push(`| ${name} | ${fmt(r.pika, r.unit)} | ${fmt(r.busybox, r.unit)} | ${ratio} | ${target} | ${result} | ${notes} |`);
  }
  return out.join("\n");
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return (r.stdout || r.stderr || "").trim().split("\n")[0] || "(unknown)";
}

const loadAtStart = os.loadavg()[0];
const startedAt = new Date();

function header(o: Options): string {
  const bun = path.join(ROOT, "node_modules", ".bin", "bun");
  const size = (f: string) => (fs.existsSync(f) ? `${(fs.statSync(f).size / MIB).toFixed(1)} MiB` : "missing");
  const imagePika = o.imagePika ?? path.join(ROOT, "out", "x86_64", "pika");
  return [
    "## pika vs busybox-static",
    "",
    `- date: ${startedAt.toISOString()}`,
    `- host: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; kernel ${os.release()} (${os.version()})`,
    // Other work on the machine shows up as noise in the timings.
    `- load average (1 min): ${loadAtStart.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end`,
    `- bun: ${firstLine(bun, ["--version"])} (pika's runtime); hyperfine: ${hyperfineVersion() ?? "not installed, using a spawn loop"}`,
    `- busybox: ${firstLine(o.busybox, [])} at ${o.busybox}`,
    `- pika: ${o.hostPika} (${size(o.hostPika)}); in the image: ${imagePika} (${size(imagePika)})`,
    "",
  ].join("\n");
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  for (const f of [o.hostPika, o.busybox]) if (!fs.existsSync(f)) throw new Error(`${f} is missing (npm run build, build/setup-host)`);
  const rows: Row[] = [];
  if (o.sections.has("start")) rows.push(...startRows(o));
  if (o.sections.has("boot")) {
    try {
      rows.push(...(await bootRows(o)));
    } catch (err) {
      rows.push({ section: "boot", name: "PID 1 after boot", unit: "MiB", maxPika: 32, error: (err as Error).message });
    }
  }
  if (o.sections.has("pid1")) rows.push(...pid1Rows(o));
  if (o.sections.has("cases")) rows.push(...(await caseRows(o)));
  if (o.sections.has("services")) {
    progress("services: a runlevel of 30 services, supervise-daemon's memory");
    rows.push(...(await serviceRows(o)));
  }
  if (o.sections.has("images")) rows.push(...(await imageRows(progress)));
  process.stdout.write(`\n${header(o)}\n${table(rows)}\n`);
  const failed = rows.filter((r) => r.error);
  for (const r of failed) process.stdout.write(`\nnot measured: ${r.name}: ${r.error}`);
  process.stdout.write("\n");
  return failed.length ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (err) => {
    process.stderr.write(`bench: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
