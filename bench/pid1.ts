// PID 1 reliability on the host: an init (pika's, or busybox-static's for
// comparison) runs as PID 1 of a fresh pid + mount namespace, as in
// test/helpers/pid1.ts, and its sysinit entry makes thousands of orphans (a
// subshell starts `sleep 0 &` and exits at once, so the sleep is re-parented to
// PID 1 and must be reaped by it). Reported: the zombies left once they have
// all ended, PID 1's memory before and after, its CPU time, the loop's time.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface OrphanRun {
  /** Zombie children of PID 1 left once every orphan had ended (or after 30 s). */
  zombies?: number;
  /** /proc/1/status VmRSS, and its anonymous part (heap, stacks: what PID 1's own work can grow), in kB. */
  vmRssBefore?: number;
  vmRssAfter?: number;
  anonBefore?: number;
  anonAfter?: number;
  /** PID 1's user + system CPU time while the orphans came and went, ms. */
  cpuMs?: number;
  /** Time of the loop that makes the orphans, ms. */
  loopMs?: number;
  error?: string;
}

/** Run by the sysinit entry; its BENCH-* lines are the measurements. */
function script(bb: string, orphans: number): string {
  return `B=${bb}
# Whatever happens, init is asked to power off in the end.
trap '$B kill -USR2 1' EXIT
mem() {
  $B sed -n "s/^VmRSS:[[:space:]]*\\([0-9]*\\).*/BENCH-VMRSS-$1 \\1/p" /proc/1/status
  $B sed -n "s/^RssAnon:[[:space:]]*\\([0-9]*\\).*/BENCH-ANON-$1 \\1/p" /proc/1/status
}
cpu() { $B awk '{ print $14 + $15 }' /proc/1/stat; }
# busybox date has no %N: /proc/uptime counts hundredths of a second.
centis() { $B sed 's/^\\([0-9]*\\)\\.\\([0-9]*\\) .*/\\1\\2/' /proc/uptime; }
zombies() { $B ps -o ppid,stat | $B awk '$1 == 1 && $2 ~ /^Z/' | $B wc -l; }
orphans_alive() { $B ps -o ppid,comm | $B awk '$1 == 1 && $2 == "sleep"' | $B wc -l; }
$B sleep 1
mem BEFORE
c0=$(cpu)
t0=$(centis)
i=0
while [ $i -lt ${orphans} ]; do ( $B sleep 0 & ); i=$((i + 1)); done
t1=$(centis)
n=0
while [ $n -lt 300 ]; do
  [ "$(orphans_alive)" = 0 ] && [ "$(zombies)" = 0 ] && break
  n=$((n + 1)); $B sleep 0.1
done
echo "BENCH-ZOMBIES $(zombies)"
echo "BENCH-CPU-TICKS $(($(cpu) - c0))"
echo "BENCH-LOOP-MS $(( (t1 - t0) * 10 ))"
mem AFTER
`;
}

/** One init as PID 1 through the orphan storm; `init` is "pika" (its host binary) or "busybox". */
export function orphanRun(init: "pika" | "busybox", files: { pika: string; busybox: string }, orphans: number): OrphanRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pika-bench-pid1-"));
  try {
    const sh = path.join(dir, "orphans.sh");
    fs.writeFileSync(sh, script(files.busybox, orphans));
    const tab = path.join(dir, "inittab");
    fs.writeFileSync(tab, `::sysinit:${files.busybox} sh ${sh}\n`);
    const log = path.join(dir, "console.log");
    const out = fs.openSync(log, "w");
    // BusyBox reads only /etc/inittab: a tmpfs over /etc, in the namespace only, holds a copy.
    const argv = init === "pika"
      ? [files.pika, "init"]
      : [files.busybox, "sh", "-ec", `${files.busybox} mount -t tmpfs tmpfs /etc; ${files.busybox} cp ${tab} /etc/inittab; exec ${files.busybox} init`];
    let r;
    try {
      r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--uts", "--kill-child", ...argv], {
        stdio: ["ignore", out, out],
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C", PIKA_INIT_SANDBOX: "1", PIKA_INITTAB: tab },
        // Generous: a loaded machine forks slowly (about 25 ms an orphan at a load of 12 on 2 cores).
        timeout: 120_000 + orphans * 100,
        killSignal: "SIGKILL",
      });
    } finally {
      fs.closeSync(out);
    }
    const text = fs.readFileSync(log, "utf8");
    const value = (key: string) => {
      const m = new RegExp(`^BENCH-${key} (-?\\d+)$`, "m").exec(text);
      return m ? Number(m[1]) : undefined;
    };
    const ticks = value("CPU-TICKS");
    const run: OrphanRun = {
      zombies: value("ZOMBIES"),
      vmRssBefore: value("VMRSS-BEFORE"),
      vmRssAfter: value("VMRSS-AFTER"),
      anonBefore: value("ANON-BEFORE"),
      anonAfter: value("ANON-AFTER"),
      // USER_HZ is 100 on Linux.
      cpuMs: ticks === undefined ? undefined : ticks * 10,
      loopMs: value("LOOP-MS"),
    };
    if (r.error || run.zombies === undefined || run.vmRssAfter === undefined) {
      const tail = text.trim().split("\n").slice(-3).join(" | ");
      run.error = `${init} as PID 1: ${r.error?.message ?? `exit ${r.status ?? r.signal}`}; console ends: ${tail}`;
    }
    return run;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
