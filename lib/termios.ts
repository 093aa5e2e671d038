// Terminal echo control for password prompts.
import type { Reader } from "./io.ts";

const ECHO = 0o10, ECHONL = 0o100;

/** Run `fn` with echo off on the reader's terminal; restore it afterwards. */
export async function withEchoOff<T>(reader: Reader, fn: () => Promise<T>): Promise<T> {
  if (reader.fd === undefined || !reader.isTTY) return fn();
  const { tcgetattr, tcsetattr, TCSANOW } = await import("./syscalls.ts");
  let saved;
  try {
    saved = tcgetattr(reader.fd);
  } catch {
    return fn();
  }
  tcsetattr(reader.fd, TCSANOW, { ...saved, lflag: saved.lflag & ~(ECHO | ECHONL) });
  try {
    return await fn();
  } finally {
    tcsetattr(reader.fd, TCSANOW, saved);
  }
}
