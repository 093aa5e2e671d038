// dos2unix and unix2dos: drop every carriage return, and for unix2dos put
// one before each newline (-u and -d choose either way whatever the name).
// Each FILE is converted in place through a temporary file renamed over it
// (keeping its mode); with no FILE, stdin goes to stdout.
import * as fs from "node:fs";
import { appletName, defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openAtomicOutput } from "../lib/fsutil.ts";
import type { Reader } from "../lib/io.ts";
import { FdReader } from "../lib/io.ts";

function convert(chunk: Uint8Array, toDos: boolean): Uint8Array {
  let crs = 0, nls = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 13) crs++;
    else if (chunk[i] === 10) nls++;
  }
  if (crs === 0 && (!toDos || nls === 0)) return chunk;
  const out = new Uint8Array(chunk.length - crs + (toDos ? nls : 0));
  let o = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === 13) continue;
    if (c === 10 && toDos) out[o++] = 13;
    out[o++] = c;
  }
  return out;
}

async function run(ctx: Context, opts: Record<string, any>, files: string[]): Promise<number> {
  // The last of -u/-d wins; without either, the name decides.
  let toDos = appletName(ctx) === "unix2dos";
  if (opts.u) toDos = false;
  if (opts.d) toDos = true;
  if (opts.u && opts.d) throw new UsageError();
  if (files.length === 0) {
    for await (const chunk of ctx.stdin.chunks()) await ctx.stdout.write(convert(chunk, toDos));
    return 0;
  }
  for (const file of files) {
    const full = resolvePath(ctx, file);
    let input: Reader;
    let fd: number;
    try {
      fd = fs.openSync(full, "r");
      input = new FdReader(fd);
    } catch (err) {
      throw new AppletError(`can't open '${file}': ${errorMessage(err)}`);
    }
    try {
      const out = openAtomicOutput(full);
      try {
        for await (const chunk of input.chunks()) {
          const b = convert(chunk, toDos);
          for (let off = 0; off < b.length; ) off += fs.writeSync(out.fd, b, off, b.length - off);
        }
        out.commit();
      } finally {
        out.abort();
      }
    } catch (err) {
      await warn(ctx, `${file}: ${errorMessage(err)}`);
      return 1;
    } finally {
      fs.closeSync(fd);
    }
  }
  return 0;
}

const options = ["-u  dos2unix", "-d  unix2dos"];
defineApplet({
  name: "dos2unix",
  usage: "[-ud] [FILE]",
  summary: "Convert FILE in-place from DOS to Unix format.\nWhen no file is given, use stdin/stdout.",
  options,
  dir: "/usr/bin",
  run,
});
defineApplet({
  name: "unix2dos",
  usage: "[-ud] [FILE]",
  summary: "Convert FILE in-place from Unix to DOS format.\nWhen no file is given, use stdin/stdout.",
  options,
  dir: "/usr/bin",
  run,
});
