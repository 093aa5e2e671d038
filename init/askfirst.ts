// askfirst: before each start, BusyBox prints a prompt on the entry's
// terminal and reads up to a newline (or end of file, or an error: a hung-up
// terminal), so that nothing big runs on a console nobody uses.
//
// BusyBox waits in the forked child; Bun cannot fork, so init waits itself,
// without blocking: Bun gives no readiness callback for a terminal, so the
// descriptor is polled (poll(2) with no timeout) a few times a second. Bytes
// are read one at a time, as BusyBox does, so what follows the Enter stays in
// the terminal for the command.
import * as fs from "node:fs";
import { pollFd, POLLIN } from "../lib/syscalls.ts";

export const PRESS_ENTER = "\nPlease press Enter to activate this console. ";

const POLL_MS = 100;

/** Read bytes that are ready; true once a newline, end of file or an error has been seen. */
function readToNewline(fd: number): boolean {
  const byte = Buffer.alloc(1);
  while (pollFd(fd, POLLIN, 0)) {
    let n: number;
    try {
      n = fs.readSync(fd, byte, 0, 1, null);
    } catch (err: any) {
      if (err?.code === "EAGAIN" || err?.code === "EINTR") return false;
      return true;
    }
    if (n === 0 || byte[0] === 0x0a) return true;
  }
  return false;
}

/**
 * Print the prompt on `out` and wait for Enter on `input`. Resolves true when
 * the command should start, false when `cancelled()` became true first.
 */
export function askFirst(input: number, out: number, cancelled: () => boolean): Promise<boolean> {
  try {
    fs.writeSync(out, PRESS_ENTER);
  } catch {
    // A terminal that cannot be written to can still be read from.
  }
  return new Promise((resolve) => {
    const check = () => {
      if (cancelled()) return finish(false);
      if (readToNewline(input)) finish(true);
    };
    const timer = setInterval(check, POLL_MS);
    const finish = (go: boolean) => {
      clearInterval(timer);
      resolve(go);
    };
    check();
  });
}
