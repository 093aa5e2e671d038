// Text as bytes. BusyBox works on bytes in the C locale, and so do Pika's text
// applets: input is decoded as latin1 (one char per byte, lossless), processed
// as JS strings, and written back as latin1, so any byte sequence (UTF-8 or
// not) comes out exactly as it went in.
import type { Reader } from "./io.ts";

/** Bytes of a latin1 ("binary") string. */
export function bytesOf(s: string): Buffer {
  return Buffer.from(s, "latin1");
}

/** A latin1 string of bytes: one char per byte. */
export function textOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

/**
 * Lines of a Reader as latin1 strings, without their "\n". The last line is
 * yielded even when it has no newline; `terminated` tells whether it had one.
 */
export async function* readLines(input: Reader, delimiter = "\n"): AsyncGenerator<string> {
  let carry = "";
  for await (const chunk of input.chunks()) {
    const text = carry + textOf(chunk);
    let start = 0;
    for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, start)) {
      yield text.slice(start, i);
      start = i + 1;
    }
    carry = text.slice(start);
  }
  if (carry) yield carry;
}

/** Like readLines, but tells for each line whether it ended with the delimiter. */
export async function* readLinesWithEnds(input: Reader, delimiter = "\n"): AsyncGenerator<[line: string, terminated: boolean]> {
  let carry = "";
  for await (const chunk of input.chunks()) {
    const text = carry + textOf(chunk);
    let start = 0;
    for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, start)) {
      yield [text.slice(start, i), true];
      start = i + 1;
    }
    carry = text.slice(start);
  }
  if (carry) yield [carry, false];
}

/** All of a Reader's bytes (for inputs that must be seen whole: tac, sort's in-memory runs). */
export async function readAll(input: Reader): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of input.chunks()) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * An argument or name as given (a JS string decoded from UTF-8) turned into a
 * latin1 "byte string" (one char per byte), the form byte-exact applets (find,
 * du, stat) keep paths in: hand it to C with one byte per char, write it back
 * with bytesOf().
 */
export function binaryOf(s: string): string {
  // Pure ASCII is the same either way: skip the copy.
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, "utf8").toString("latin1");
}

/** Whether the environment asks for a UTF-8 locale (LC_ALL, LC_CTYPE or LANG say ".utf"), as BusyBox's unicode support checks. */
export function utf8Locale(env: Record<string, string>): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  return locale !== undefined && /\.utf-?8/i.test(locale);
}
