// File helpers shared by applets: opening inputs ("-" is stdin), streaming a
// file's bytes, and writing a file atomically (temp file + rename), so that
// nothing is lost when a command fails halfway.
import * as fs from "node:fs";
import * as path from "node:path";
import { operandPath, type Context } from "./applet.ts";
import { FdReader, type Reader } from "./io.ts";

/** A Reader for an operand: "-" is the context's stdin, anything else a file. */
export function openInput(ctx: Context, name: string): Reader {
  if (name === "-") return ctx.stdin;
  const fd = fs.openSync(operandPath(ctx, name), "r");
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

/** An output file being written under a temporary name: commit() renames it into place. */
export interface AtomicOutput {
  fd: number;
  commit(): void;
  /** Close and remove the temporary file (after commit(): only close). Safe to call twice. */
  abort(): void;
}

/**
 * Open `file` for writing without losing what is there until the end: a
 * regular file (or a new one) is written as a temporary file in the same
 * directory, keeping the old mode, and renamed over it by commit(), so an
 * output that is also an input (sort -o, uniq IN OUT) or a failure halfway
 * leaves it whole. Anything else (/dev/null, a FIFO, a tty) is opened as is.
 * Throws the open error (ENOENT for a missing directory, EACCES...).
 */
export function openAtomicOutput(file: string, flags = "w"): AtomicOutput {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
    // Through a symlink: replace the file it points to, not the link.
    if (fs.lstatSync(file).isSymbolicLink()) file = fs.realpathSync(file);
  } catch {}
  if (st && !st.isFile()) {
    const fd = fs.openSync(file, flags);
    let closed = false;
    const close = () => {
      if (!closed) fs.closeSync(fd);
      closed = true;
    };
    return { fd, commit: close, abort: close };
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const mode = st ? st.mode & 0o7777 : 0o666;
  const fd = fs.openSync(tmp, "wx", mode);
  if (st) fs.fchmodSync(fd, mode);
  let state: "open" | "committed" | "closed" = "open";
  return {
    fd,
    commit() {
      if (state !== "open") return;
      fs.closeSync(fd);
      state = "closed";
      fs.renameSync(tmp, file);
      state = "committed";
    },
    abort() {
      if (state === "open") fs.closeSync(fd);
      if (state !== "committed") fs.rmSync(tmp, { force: true });
      state = "committed";
    },
  };
}
