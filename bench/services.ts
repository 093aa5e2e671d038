// The service manager's bench (`bun bench/run.ts services`): bringing up a
// runlevel of 30 trivial services (each a backgrounded daemon with a pidfile,
// through start-stop-daemon) with `openrc`, in series and with rc_parallel,
// against the same runlevel brought up by Debian's openrc 0.45.2 (fetched by
// build/debian.ts, overlaid in the namespace: test/helpers/debian-openrc.ts),
// and against the same services started by plain busybox sh scripts with
// busybox's start-stop-daemon. And the memory of the one shared
// supervise-daemon for 10 supervised services, against 10 busybox sh respawn
// loops doing the same job.
//
// Everything runs in a private pid + mount namespace (as the integration
// tests do): /etc is a fixture, /run a tmpfs, and every daemon dies with it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { debianOpenrc } from "../test/helpers/debian-openrc.ts";

/** A row of the report (the shape bench/run.ts prints). */
export interface ServiceRow {
  section: string;
  name: string;
  unit: "ms" | "MiB";
  pika?: number;
  busybox?: number;
  maxRatio?: number;
  note?: string;
  noRatio?: boolean;
  error?: string;
}

const SERVICES = 30;
const SUPERVISED = 10;
const TOOLS = ["openrc", "openrc-run", "rc-service", "rc-status", "start-stop-daemon", "supervise-daemon"];
const name = (i: number) => `svc${String(i).padStart(2, "0")}`;

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (unshare --mount)";
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "/bin/true"]);
  return r.status === 0 ? undefined : "unshare --pid --mount is unavailable";
}

/** /etc with the 30 init scripts in runlevel "bench", the supervised ones in "supervised"; a bin/ of pika's tools; the busybox scripts. */
function fixture(pika: string, busybox: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pika-bench-services-"));
  const etc = path.join(root, "etc");
  // rc.conf.d, insserv.conf(.d) and the standard runlevels: what Debian's openrc reads.
  for (const d of ["init.d", "conf.d", "rc.conf.d", "insserv.conf.d", "runlevels/bench", "runlevels/supervised", "runlevels/sysinit", "runlevels/boot", "runlevels/default", "runlevels/shutdown"]) fs.mkdirSync(path.join(etc, d), { recursive: true });
  for (const f of ["passwd", "group"]) fs.copyFileSync(`/etc/${f}`, path.join(etc, f));
  fs.writeFileSync(path.join(etc, "rc.conf"), "");
  fs.writeFileSync(path.join(etc, "insserv.conf"), "");
  fs.mkdirSync(path.join(root, "bin"));
  for (const t of TOOLS) fs.symlinkSync(pika, path.join(root, "bin", t));
  fs.mkdirSync(path.join(root, "bb"));
  for (let i = 1; i <= SERVICES; i++) {
    const n = name(i);
    fs.writeFileSync(path.join(etc, "init.d", n), `#!/sbin/openrc-run
command=/bin/sleep
command_args=1000
command_background=yes
pidfile=/run/${n}.pid
`, { mode: 0o755 });
    fs.symlinkSync(`/etc/init.d/${n}`, path.join(etc, "runlevels/bench", n));
    // The same service as a plain script: what an init script boils down to.
    fs.writeFileSync(path.join(root, "bb", n), `${busybox} start-stop-daemon -S -b -m -p /run/${n}.pid -x /bin/sleep -- 1000\n`);
  }
  for (let i = 1; i <= SUPERVISED; i++) {
    const n = `sup${String(i).padStart(2, "0")}`;
    fs.writeFileSync(path.join(etc, "init.d", n), `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sleep
command_args=1000
`, { mode: 0o755 });
    fs.symlinkSync(`/etc/init.d/${n}`, path.join(etc, "runlevels/supervised", n));
  }
  return root;
}

/** `debian`: the mounts that put Debian's openrc at /sbin, with it first in PATH instead of pika's tools. */
function inNamespace(root: string, script: string, debian?: string): { out: string; err: string; status: number | null } {
  const text = `set -u
mount --make-rprivate / 2>/dev/null
mount --bind ${root}/etc /etc && mount -t tmpfs tmpfs /run || exit 99
${debian ? `${debian}export PATH=/usr/sbin:/usr/bin:/bin LANG=C` : `export PATH=${root}/bin:/usr/bin:/bin LANG=C`}
${script}`;
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "bash", "--norc", "--noprofile", "-c", text], {
    encoding: "utf8",
    timeout: 600_000,
    killSignal: "SIGKILL",
    env: { PATH: "/usr/bin:/bin" },
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

// One measured bring-up: everything stopped first (the daemons by their
// pidfiles; the state cleared but the deptree cache kept, as after a boot;
// the state directories and softlevel as \`openrc sysinit\` leaves them).
const RESET_SH = `
reset() {
	for f in /run/svc*.pid; do [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
	rm -rf /run/openrc/started /run/openrc/starting /run/openrc/daemons /run/openrc/options /run/openrc/failed
	while [ -n "$(ls /proc | while read p; do case $p in *[!0-9]*) ;; *) [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && echo $p ;; esac; done)" ]; do sleep 0.05; done
	(cd /run/openrc && mkdir -p started starting stopping inactive failed scheduled daemons options exclusive wasinactive hotplugged tmp && echo default > softlevel)
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
check() { n=$(ls /run/svc*.pid 2>/dev/null | wc -l); [ "$n" = ${SERVICES} ] || echo "ERROR $1: $n of ${SERVICES} services up"; }
mkdir -p /run/openrc; reset
`;

/** `openrc bench` in series and in parallel, `runs` times, tagged TAG-series and TAG-parallel. */
const OPENRC_SH = (tag: string, runs: number) => `
echo 'rc_parallel="NO"' > /etc/rc.conf; openrc bench >/dev/null; reset   # fills the deptree cache
for run in $(seq ${runs}); do
	echo 'rc_parallel="NO"' > /etc/rc.conf
	t=$(date +%s%N); openrc bench >/dev/null; echo "T ${tag}-series $(ms $t)"; check ${tag}-series; reset
	echo 'rc_parallel="YES"' > /etc/rc.conf
	t=$(date +%s%N); openrc bench >/dev/null; echo "T ${tag}-parallel $(ms $t)"; check ${tag}-parallel; reset
done
`;

const BUSYBOX_SH = (runs: number, busybox: string, root: string) => `
for run in $(seq ${runs}); do
	t=$(date +%s%N); for s in ${root}/bb/svc*; do ${busybox} sh "$s"; done; echo "T bb-series $(ms $t)"; check bb-series; reset
	t=$(date +%s%N); for s in ${root}/bb/svc*; do ${busybox} sh "$s" & done; wait; echo "T bb-parallel $(ms $t)"; check bb-parallel; reset
done
`;

// Supervisors' memory: pika's shared supervise-daemon for all the services
// (each pidfile holds its pid; "supervisors" counts the distinct ones), and one
// busybox sh respawn loop per service doing the same job, summed.
const MEMORY_SH = (busybox: string) => `
kb() { ${busybox} awk -v f="$2:" '$1 == f { print $2 }' /proc/$1/smaps_rollup; }
openrc supervised >/dev/null || echo "ERROR openrc supervised failed"
echo "M supervisors $(cat /run/supervise-sup*.pid | sort -u | wc -l)"
for s in $(cat /run/supervise-sup*.pid | sort -u); do
	echo "M pika-rss $(kb $s Rss)"; echo "M pika-pss $(kb $s Pss)"; echo "M pika-anon $(kb $s Anonymous)"
done
loops=""
for i in $(seq ${SUPERVISED}); do ${busybox} sh -c 'while :; do /bin/sleep 1000; done' & loops="$loops $!"; done
for loop in $loops; do
	for i in $(seq 50); do [ -n "$(ls /proc/$loop/task/*/children 2>/dev/null | xargs cat 2>/dev/null)" ] && break; sleep 0.1; done
	echo "M bb-rss $(kb $loop Rss)"; echo "M bb-pss $(kb $loop Pss)"; echo "M bb-anon $(kb $loop Anonymous)"
done
`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function values(out: string, tag: "T" | "M"): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const line of out.split("\n")) {
    const f = line.split(" ");
    if (f[0] !== tag || f.length !== 3 || !/^\d+$/.test(f[2])) continue;
    m.set(f[1], [...(m.get(f[1]) ?? []), Number(f[2])]);
  }
  return m;
}

export async function serviceRows(o: { hostPika: string; busybox: string; runs: number }): Promise<ServiceRow[]> {
  const section = "services";
  const series = `runlevel of ${SERVICES} services, in series`;
  const parallel = `runlevel of ${SERVICES} services, rc_parallel=YES`;
  const memory = `memory for ${SUPERVISED} supervised services (supervise-daemon RSS)`;
  const memoryPss = `memory for ${SUPERVISED} supervised services (supervise-daemon PSS)`;
  const memoryAnon = `memory for ${SUPERVISED} supervised services (supervise-daemon anonymous: heap, stacks)`;
  const skip = unavailable();
  if (skip) return [series, parallel, memory].map((n) => ({ section, name: n, unit: n === memory ? "MiB" : "ms", error: skip }));
  const root = fixture(o.hostPika, o.busybox);
  try {
    const runs = Math.max(3, Math.min(o.runs, 9));
    const t = inNamespace(root, RESET_SH + OPENRC_SH("pika", runs) + BUSYBOX_SH(runs, o.busybox, root));
    const debian = await debianOpenrc().catch((e: Error) => e);
    const d = debian instanceof Error ? undefined : inNamespace(root, RESET_SH + OPENRC_SH("openrc", runs), debian.mountText);
    const times = new Map([...values(t.out, "T"), ...values(d?.out ?? "", "T")]);
    const problem = (r: typeof t) => (r.status !== 0 ? `exit ${r.status}: ${r.err.trim().split("\n").slice(-1)[0]}` : [...r.out.matchAll(/^ERROR (.*)$/gm)].map((m) => m[1])[0]);
    const err = problem(t);
    const timed = (k: string) => times.get(k) && median(times.get(k)!);
    const rows: ServiceRow[] = [];
    // Against Debian's openrc: its time in the comparison column.
    for (const [n, k] of [[series, "series"], [parallel, "parallel"]]) {
      rows.push({
        section, name: `${n}, against Debian's openrc`, unit: "ms", error: debian instanceof Error ? `Debian's openrc: ${debian.message.split("\n")[0]}` : err ?? problem(d!),
        note: `median of ${runs} runs; second column: Debian's openrc 0.45.2 on the same init scripts (its start-stop-daemon is dpkg's); goal <= 1.0x`,
        pika: timed(`pika-${k}`), busybox: timed(`openrc-${k}`), maxRatio: 1.0,
      });
    }
    const note = `median of ${runs} runs; busybox: the same daemons started by busybox sh scripts with busybox start-stop-daemon`;
    rows.push({ section, name: series, unit: "ms", note, error: err, pika: timed("pika-series"), busybox: timed("bb-series") });
    rows.push({ section, name: parallel, unit: "ms", note, error: err, pika: timed("pika-parallel"), busybox: timed("bb-parallel") });

    const m = inNamespace(root, MEMORY_SH(o.busybox));
    const mem = values(m.out, "M");
    const mErr = m.status !== 0 ? `exit ${m.status}` : [...m.out.matchAll(/^ERROR (.*)$/gm)].map((x) => x[1])[0];
    // Sums: every supervisor pika runs for the services, every busybox loop.
    const mib = (k: string) => (mem.get(k)?.length ? mem.get(k)!.reduce((a, b) => a + b, 0) / 1024 : undefined);
    const supervisors = mem.get("supervisors")?.[0] ?? 0;
    const perService = (k: string) => (mib(k) ?? 0) / SUPERVISED;
    const memNote = `${supervisors} supervise-daemon process(es) for ${SUPERVISED} services (${perService("pika-rss").toFixed(1)} MiB each); busybox: ${SUPERVISED} busybox sh respawn loops`;
    rows.push({ section, name: memory, unit: "MiB", pika: mib("pika-rss"), busybox: mib("bb-rss"), note: memNote, error: mErr ?? (supervisors === 1 ? undefined : `${supervisors} supervisors, not one`) });
    rows.push({ section, name: memoryPss, unit: "MiB", pika: mib("pika-pss"), busybox: mib("bb-pss"), note: `proportional: the shared pages of pika's binary divided among its processes (${perService("pika-pss").toFixed(2)} MiB a service)`, error: mErr });
    rows.push({ section, name: memoryAnon, unit: "MiB", pika: mib("pika-anon"), busybox: mib("bb-anon"), note: `what supervising costs on its own (${perService("pika-anon").toFixed(2)} MiB a service); the rest is the executable's pages`, error: mErr });
    return rows;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
