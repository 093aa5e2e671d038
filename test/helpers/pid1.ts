// Run the compiled binary as PID 1 of a fresh pid + mount + uts namespace on
// the host (`unshare --pid --fork --mount --mount-proc --uts pika init`), with
// a test inittab, and watch its console.
//
// Init's console (its stderr) and the stdout/stderr its inittab children
// inherit all go to one file opened for appending, so lines from init and
// from its children keep the order in which they were written. A poller reads
// that file every few milliseconds and stamps each line with the time it was
// first seen, for ordering and (generous) timing assertions.
//
// Clean-up: killing the namespace's PID 1 makes the kernel kill every other
// process in the namespace; unshare runs with --kill-child, so killing
// unshare kills PID 1 too. Every sandbox still running when the test process
// exits is killed that way.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUSYBOX, havePika, PIKA, tempDir } from "./run.ts";

export { BUSYBOX, PIKA };

/** The binary run as init (PIKA_INIT_BIN overrides it, e.g. to check that a broken build fails the tests). */
export const INIT_BIN = process.env.PIKA_INIT_BIN ?? PIKA;

export const UNSHARE = ["unshare", "--pid", "--fork", "--mount", "--mount-proc", "--uts", "--kill-child"];

/** Why PID 1 sandboxes cannot run here, or undefined when they can. */
export function pid1Unavailable(): string | undefined {
  if (process.platform !== "linux") return "not Linux";
  if (!process.env.PIKA_INIT_BIN && !havePika()) return "out/host/pika is not built (bun build/build.ts host)";
  if (!fs.existsSync(INIT_BIN)) return `${INIT_BIN} does not exist`;
  if (process.getuid?.() !== 0) return "needs root for unshare --pid --mount";
  if (!fs.existsSync(BUSYBOX)) return `${BUSYBOX} (busybox-static) is missing`;
  const r = spawnSync(UNSHARE[0], [...UNSHARE.slice(1), "/bin/true"], { encoding: "utf8", timeout: 10_000 });
  if (r.error) return `unshare is unavailable: ${r.error.message}`;
  if (r.status !== 0) return `unshare --pid --mount --mount-proc failed: ${(r.stderr || "").trim() || `status ${r.status}`}`;
  return undefined;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ConsoleLine {
  text: string;
  /** performance.now() when the poller first saw the line. */
  at: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const live = new Set<InitSandbox>();
process.once("exit", () => {
  for (const sb of live) sb.killNow();
});

export class InitSandbox {
  /** A private directory for the inittab, scripts and files the entries write. */
  readonly dir = tempDir("pika-init-");
  readonly consoleFile = path.join(this.dir, "console.log");
  readonly lines: ConsoleLine[] = [];
  proc?: ChildProcess;
  exitStatus?: ExitStatus;
  exited?: Promise<ExitStatus>;
  /** performance.now() when the unshare process exited. */
  exitedAt?: number;
  private offset = 0;
  private partial = "";
  private poller?: ReturnType<typeof setInterval>;
  private initPidCache?: number;

  /** Write a file into the sandbox directory; returns its path. */
  file(name: string, content: string, mode = 0o644): string {
    const p = path.join(this.dir, name);
    fs.writeFileSync(p, content, { mode });
    return p;
  }

  /**
   * Start `pika init` as PID 1 with this inittab (it may name files under
   * this.dir). `busybox: true` runs busybox-static's init instead, the oracle:
   * it reads only /etc/inittab, so a tmpfs over /etc (in the sandbox's own
   * mount namespace) holds a copy. `setup` is a busybox sh script run as PID 1
   * just before it becomes init (e.g. to hide a file with a bind mount).
   */
  start(inittab: string, opts: { busybox?: boolean; setup?: string; env?: Record<string, string> } = {}): this {
    const tab = this.file("inittab", inittab);
    const steps = [opts.setup, opts.busybox && `${BUSYBOX} mount -t tmpfs tmpfs /etc && ${BUSYBOX} cp ${tab} /etc/inittab`].filter(Boolean);
    const init = opts.busybox ? [BUSYBOX, "init"] : [INIT_BIN, "init"];
    const argv = steps.length ? [BUSYBOX, "sh", "-ec", `${steps.join("\n")}\nexec "$@"`, "sh", ...init] : init;
    const out = fs.openSync(this.consoleFile, "a");
    try {
      this.proc = spawn(UNSHARE[0], [...UNSHARE.slice(1), ...argv], {
        stdio: ["ignore", out, out],
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C", PIKA_INIT_SANDBOX: "1", PIKA_INITTAB: tab, ...opts.env },
      });
    } finally {
      fs.closeSync(out);
    }
    live.add(this);
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.proc!.once("exit", (code, signal) => {
        this.exitedAt = performance.now();
        this.exitStatus = { code, signal };
        this.poll();
        live.delete(this);
        resolve(this.exitStatus);
      });
      this.proc!.once("error", (err) => {
        this.exitStatus = { code: null, signal: null };
        this.lines.push({ text: `spawn error: ${err.message}`, at: performance.now() });
        resolve(this.exitStatus);
      });
    });
    this.poller = setInterval(() => this.poll(), 5);
    return this;
  }

  /** Read what was appended to the console since last time. */
  private poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.consoleFile, "r");
    } catch {
      return;
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.partial += buf.toString("utf8", 0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
    const now = performance.now();
    const parts = this.partial.split("\n");
    this.partial = parts.pop()!;
    // BusyBox starts its console messages with a carriage return.
    for (const text of parts) this.lines.push({ text: text.replace(/^\r/, ""), at: now });
  }

  /** The whole console so far. */
  output(): string {
    this.poll();
    return this.lines.map((l) => l.text).join("\n") + (this.partial ? "\n" + this.partial : "");
  }

  /** Index of the first console line matching, or -1. */
  indexOf(match: string | RegExp, from = 0): number {
    for (let i = from; i < this.lines.length; i++) if (matches(this.lines[i].text, match)) return i;
    return -1;
  }

  count(match: string | RegExp): number {
    return this.lines.filter((l) => matches(l.text, match)).length;
  }

  /** Wait for a console line matching; returns it. Fails early if init has exited. */
  async waitFor(match: string | RegExp, timeoutMs = 10_000): Promise<ConsoleLine> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      this.poll();
      const i = this.indexOf(match);
      if (i >= 0) return this.lines[i];
      if (this.exitStatus) throw new Error(`init exited (${JSON.stringify(this.exitStatus)}) before ${match} appeared; console:\n${this.output()}`);
      if (performance.now() > until) throw new Error(`no ${match} on the console within ${timeoutMs} ms; console:\n${this.output()}`);
      await sleep(10);
    }
  }

  /** Wait until test() holds (checked against the console as it grows). Fails early if init has exited. */
  async waitUntil(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      this.poll();
      if (test()) return;
      if (this.exitStatus) throw new Error(`init exited (${JSON.stringify(this.exitStatus)}) before ${what}; console:\n${this.output()}`);
      if (performance.now() > until) throw new Error(`no ${what} within ${timeoutMs} ms; console:\n${this.output()}`);
      await sleep(10);
    }
  }

  /** The host pid of the namespace's PID 1 (unshare's only child). */
  async initPid(timeoutMs = 5000): Promise<number> {
    if (this.initPidCache) return this.initPidCache;
    const until = performance.now() + timeoutMs;
    for (;;) {
      const kids = childrenOf(this.proc!.pid!);
      if (kids.length === 1) return (this.initPidCache = kids[0]);
      if (this.exitStatus || performance.now() > until) throw new Error(`can't find unshare's child; console:\n${this.output()}`);
      await sleep(10);
    }
  }

  /** Send a signal to init (PID 1 inside, seen from the host). */
  async signal(sig: NodeJS.Signals): Promise<void> {
    process.kill(await this.initPid(), sig);
  }

  /** Wait for unshare to exit; fails (and kills the sandbox) after the deadline. */
  async waitExit(timeoutMs = 10_000): Promise<ExitStatus> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`init did not exit within ${timeoutMs} ms; console:\n${this.output()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited!, timeout]);
    } finally {
      clearTimeout(timer);
      this.poll();
    }
  }

  /** Kill the whole namespace (PID 1 first, then unshare) synchronously. */
  killNow(): void {
    if (this.exitStatus || !this.proc?.pid) return;
    for (const pid of [this.initPidCache ?? childrenOf(this.proc.pid)[0], this.proc.pid]) {
      try {
        if (pid) process.kill(pid, "SIGKILL");
      } catch {}
    }
  }

  /** Kill whatever still runs, wait for it, and remove the directory. */
  async destroy(): Promise<void> {
    this.killNow();
    if (this.exited) await Promise.race([this.exited, sleep(5000)]);
    if (this.poller) clearInterval(this.poller);
    live.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function matches(text: string, match: string | RegExp): boolean {
  return typeof match === "string" ? text.includes(match) : match.test(text);
}

/** Host pids of the children of a host pid (all its threads'). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const w of fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(/\s+/)) if (w) out.push(Number(w));
    } catch {}
  }
  return out;
}

/** A process's argv, or undefined once it is gone (or a zombie). */
export function cmdline(pid: number): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return s ? s.replace(/\0$/, "").split("\0") : undefined;
  } catch {
    return undefined;
  }
}

/** Run fn with a fresh sandbox, always tearing it down afterwards. */
export async function withInit<T>(fn: (sb: InitSandbox) => Promise<T>): Promise<T> {
  const sb = new InitSandbox();
  try {
    return await fn(sb);
  } finally {
    await sb.destroy();
  }
}
