// Terminal mode changes that last for one read: echo off for password
// prompts and the shell's read -s, single keys for read -n.
import type { Reader } from "./io.ts";

const ECHO = 0o10, ECHOK = 0o40, ECHONL = 0o100, ICANON = 0o2, VTIME = 5, VMIN = 6;

/** Run `fn` with echo off on the reader's terminal; restore it afterwards. */
export async function withEchoOff<T>(reader: Reader, fn: () => Promise<T>): Promise<T> {
  if (reader.fd === undefined || !reader.isTTY) return fn();
  return withTerminalModes(reader.fd, { echo: false }, fn);
}

/**
 * Run `fn` with the terminal on fd changed: `echo` false turns echo off,
 * `canonical` false hands over each key as it is typed. The old modes come
 * back afterwards, also when fn throws. No terminal: fn runs as it is.
 */
export async function withTerminalModes<T>(fd: number, change: { echo?: boolean; canonical?: boolean }, fn: () => Promise<T>): Promise<T> {
  const { tcgetattr, tcsetattr, TCSANOW } = await import("./syscalls.ts");
  let saved;
  try {
    saved = tcgetattr(fd);
  } catch {
    return fn();
  }
  let lflag = saved.lflag;
  const cc = saved.cc.slice();
  if (change.echo === false) lflag &= ~(ECHO | ECHOK | ECHONL);
  if (change.canonical === false) {
    lflag &= ~ICANON;
    cc[VMIN] = 1;
    cc[VTIME] = 0;
  }
  tcsetattr(fd, TCSANOW, { ...saved, lflag, cc });
  try {
    return await fn();
  } finally {
    tcsetattr(fd, TCSANOW, saved);
  }
}
