// A QEMU guest's serial console on a real terminal (node-pty), for tests where
// getty and login own the line: wait for text, type, wait for QEMU to exit.
import { createRequire } from "node:module";
import { qemuCommand, type QemuOptions } from "../../build/qemu.ts";

const require = createRequire(import.meta.url);
const pty = require("node-pty") as typeof import("node-pty");

export class SerialConsole {
  /** Everything the guest printed so far, without carriage returns. */
  output = "";
  /** Where the next expect() starts looking. */
  private seen = 0;
  private readonly term: import("node-pty").IPty;
  private readonly listeners = new Set<() => void>();
  private exitCode: number | undefined;
  readonly exited: Promise<number>;

  constructor(o: QemuOptions) {
    const [cmd, ...args] = qemuCommand(o);
    this.term = pty.spawn(cmd, args, { name: "vt100", cols: 200, rows: 50, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    this.term.onData((d) => {
      this.output += d.replace(/\r/g, "");
      for (const l of this.listeners) l();
    });
    this.exited = new Promise((resolve) => this.term.onExit((e) => {
      this.exitCode = e.exitCode;
      for (const l of this.listeners) l();
      resolve(e.exitCode);
    }));
  }

  /** Waits until the output since the last match matches `re`; gives the match. */
  expect(re: RegExp, timeoutMs = 400_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(this.output.slice(this.seen));
        if (m) {
          this.seen += m.index + m[0].length;
          done();
          resolve(m);
        } else if (this.exitCode !== undefined) {
          done();
          reject(new Error(`QEMU exited (${this.exitCode}) before ${re}; console ends:\n${this.output.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${re} within ${timeoutMs} ms; console ends:\n${this.output.slice(-2000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  type(text: string): void {
    this.term.write(text);
  }

  /** QEMU's exit status, or null if it had to be killed after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([this.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)))]);
    clearTimeout(timer);
    if (code === null) this.kill();
    return code;
  }

  kill(): void {
    if (this.exitCode === undefined) this.term.kill("SIGKILL");
  }
}
