// Reaping orphans without stealing Bun's own children.
//
// waitpid(-1) would also collect the children Bun.spawn is waiting for, and
// Bun then fails with ECHILD (fatal in PID 1). So we peek with
// waitid(P_ALL, WNOWAIT), reap only pids Bun did not spawn, and when the
// zombie in front is one of Bun's, find the others through /proc.
import { allPids, procStat } from "./procs.ts";
import { log } from "./console.ts";
import { P_ALL, WEXITED, WNOHANG, WNOWAIT, waitid, waitpid } from "../lib/syscalls.ts";

export class Reaper {
  /** Pids whose exit status Bun collects itself. */
  private readonly spawned = new Set<number>();
  reaped = 0;

  constructor(private readonly self: number) {}

  /** Register a child from Bun.spawn; forget it once Bun has collected it. */
  track(pid: number, exited: Promise<unknown>): void {
    this.spawned.add(pid);
    exited.finally(() => this.spawned.delete(pid));
  }

  /** Collect every zombie child that is not Bun's. Never throws. */
  reap(): void {
    try {
      for (;;) {
        let info;
        try {
          info = waitid(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT);
        } catch (err: any) {
          if (err?.code === "ECHILD") return;
          throw err;
        }
        if (!info) return;
        if (this.spawned.has(info.pid)) {
          this.reapFromProc();
          return;
        }
        this.collect(info.pid);
      }
    } catch (err) {
      log(`reaping failed: ${err}`);
    }
  }

  private collect(pid: number): void {
    try {
      const [got] = waitpid(pid, WNOHANG);
      if (got > 0) this.reaped++;
    } catch {
      // Already gone.
    }
  }

  private reapFromProc(): void {
    for (const pid of allPids()) {
      if (this.spawned.has(pid)) continue;
      const st = procStat(pid);
      if (st && st.state === "Z" && st.ppid === this.self) this.collect(pid);
    }
  }
}
