// Terminal echo control through the kernel's TCGETS/TCSETS ioctls (the same
// numbers on x86_64 and arm64), for password prompts.
import type { Reader } from "./io.ts";

const TCGETS = 0x5401;
const TCSETS = 0x5402;
/** struct termios as the kernel sees it: 4 flag words, c_line, c_cc[19]. */
const TERMIOS_SIZE = 36;
const LFLAG_OFFSET = 12;
const ECHO = 0o10, ECHONL = 0o100;

/** Run `fn` with echo off on the reader's terminal; restore it afterwards. */
export async function withEchoOff<T>(reader: Reader, fn: () => Promise<T>): Promise<T> {
  if (reader.fd === undefined || !reader.isTTY) return fn();
  const { ioctl } = await import("./syscalls.ts");
  const saved = new Uint8Array(TERMIOS_SIZE);
  try {
    ioctl(reader.fd, TCGETS, saved);
  } catch {
    return fn();
  }
  const quiet = saved.slice();
  const view = new DataView(quiet.buffer);
  view.setUint32(LFLAG_OFFSET, view.getUint32(LFLAG_OFFSET, true) & ~(ECHO | ECHONL), true);
  ioctl(reader.fd, TCSETS, quiet);
  try {
    return await fn();
  } finally {
    ioctl(reader.fd, TCSETS, saved);
  }
}
