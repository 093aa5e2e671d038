// File helpers shared by applets: opening inputs ("-" is stdin), streaming a
// file's bytes, and writing a file atomically (temp file + rename), so that
// nothing is lost when a command fails halfway.
import * as fs from "node:fs";
import * as path from "node:path";
import { resolvePath, type Context } from "./applet.ts";
import { FdReader, type Reader } from "./io.ts";

/** A Reader for an operand: "-" is the context's stdin, anything else a file. */
export function openInput(ctx: Context, name: string): Reader {
  if (name === "-") return ctx.stdin;
  const fd = fs.openSync(resolvePath(ctx, name), "r");
  return new ClosingReader(fd);
}

class ClosingReader extends FdReader {
  async *chunks() {
    try {
      yield* super.chunks();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

/** Write `data` to `file` through a temporary name in the same directory. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: mode ?? existingMode(file) ?? 0o644, flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function existingMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Read a small text file, or undefined if it is not there. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
