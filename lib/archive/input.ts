// Reading operands fast: large reads into one reused buffer for consumers
// that process each block at once (hashes, CRCs), and per-block copies for
// those that keep them. Names are latin1 byte strings or plain strings.
import * as fs from "node:fs";
import type { Context } from "../applet.ts";
import { absPath, fsPath } from "../fileops.ts";
import type { Reader } from "../io.ts";

export const BIG_CHUNK = 256 * 1024;

/**
 * Open an operand for reading ("-" is stdin): a file descriptor, or the
 * context's stdin Reader. `name` is a latin1 byte string (see binaryOf()).
 */
export function openOperand(ctx: Context, name: string): number | Reader {
  if (name === "-") return ctx.stdin;
  // "" is no file (ENOENT), not the cwd.
  return fs.openSync(name === "" ? "" : fsPath(absPath(ctx, name)), "r");
}

/**
 * Call `each` on every block of the input. For a file descriptor the block is
 * a view of one reused buffer: use it before returning. Closes fds it was given.
 */
export async function forEachBlock(input: number | Reader, each: (block: Uint8Array) => void): Promise<void> {
  if (typeof input !== "number") {
    for await (const c of input.chunks()) each(c);
    return;
  }
  const buf = new Uint8Array(BIG_CHUNK);
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(input, buf, 0, BIG_CHUNK, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        throw err;
      }
      if (n === 0) return;
      each(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(input);
  }
}

/** Chunks of the input, each a fresh copy the consumer may keep. Closes fds it was given. */
export async function* blocksOf(input: number | Reader, size = BIG_CHUNK): AsyncGenerator<Uint8Array> {
  if (typeof input !== "number") {
    yield* input.chunks();
    return;
  }
  try {
    for (;;) {
      const buf = new Uint8Array(size);
      let n: number;
      try {
        n = fs.readSync(input, buf, 0, size, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        throw err;
      }
      if (n === 0) return;
      yield n === size ? buf : buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(input);
  }
}
