// The file handling gzip, gunzip, bunzip2 and unxz share, after BusyBox's
// bbunpack(): each operand (or stdin) is transformed to stdout (-c, zcat)
// or to a new file named by adding or removing a suffix; the new file is
// written under a temporary name and renamed into place only when the
// whole input was good, and only then is the original removed (unless -k).
// A failure leaves the original untouched and the status 1.
import * as fs from "node:fs";
import { defineApplet, warn, type Context } from "../applet.ts";
import { AppletError } from "../errors.ts";
import { absPath, errText, fsPath, warnBytes } from "../fileops.ts";
import { fdChunks } from "../bufio.ts";
import { ByteSource } from "./bytesource.ts";
import { bunzip2, isBzip2Magic } from "./bzip2.ts";
import { gunzip, isGzipMagic } from "./gzip.ts";
import { isXzMagic, unxz } from "./xz.ts";

export type Transform = (src: ByteSource, info: { mtime: number }) => AsyncIterable<Uint8Array>;

export interface UnpackOptions {
  transform: Transform;
  /** The output name for an input name, or undefined: "unknown suffix". */
  newName(name: string): string | undefined;
  stdout: boolean;
  test: boolean;
  force: boolean;
  keep: boolean;
  verbose?: boolean;
  /** Compressing: refuse to write compressed data to a terminal. */
  compressing?: boolean;
}

/** gunzip's names: "x.gz" -> "x", "x.tgz" -> "x.tar". */
export function stripSuffix(...pairs: [string, string][]) {
  return (name: string): string | undefined => {
    for (const [suffix, repl] of pairs) {
      if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length) + repl;
    }
    return undefined;
  };
}

/** The chunks of an open file descriptor or of stdin. */
function inputChunks(ctx: Context, fd: number | undefined): AsyncIterable<Uint8Array> {
  if (fd !== undefined) return fdChunks(fd);
  if (ctx.stdin.fd !== undefined) return fdChunks(ctx.stdin.fd);
  return ctx.stdin.chunks();
}

export async function bbunpack(ctx: Context, files: string[], o: UnpackOptions): Promise<number> {
  if (files.length === 0) files = ["-"];
  let status = 0;
  for (const file of files) {
    const isStdin = file === "-";
    let fd: number | undefined;
    let st: fs.Stats | undefined;
    if (!isStdin) {
      try {
        st = fs.statSync(fsPath(absPath(ctx, file)));
        fd = fs.openSync(fsPath(absPath(ctx, file)), "r");
      } catch (err) {
        await warnBytes(ctx, `${file}: ${errText(err)}`);
        status = 1;
        continue;
      }
    }
    try {
      status |= await unpackOne(ctx, file, isStdin, fd, st, o);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
  return status;
}

async function unpackOne(ctx: Context, file: string, isStdin: boolean, fd: number | undefined, st: fs.Stats | undefined, o: UnpackOptions): Promise<number> {
  const toFile = !isStdin && !o.stdout && !o.test;
  let newName: string | undefined;
  let target = "";
  if (toFile) {
    newName = o.newName(file);
    if (newName === undefined) {
      await warnBytes(ctx, `${file}: unknown suffix - ignored`);
      return 1;
    }
    target = absPath(ctx, newName);
    if (o.force) fs.rmSync(fsPath(target), { force: true });
    else if (exists(target)) {
      await warnBytes(ctx, `can't open '${newName}': File exists`);
      return 1;
    }
  }
  if (!o.force) {
    if (o.compressing && !toFile && !o.test && ctx.stdout.isTTY) {
      throw new AppletError("compressed data not written to a terminal. Use -f to force compression.");
    }
    if (!o.compressing && isStdin && ctx.stdin.isTTY) throw new AppletError("compressed data not read from terminal, use -f to force it");
  }

  const info = { mtime: 0 };
  const src = new ByteSource(inputChunks(ctx, fd));
  let outFd = -1;
  let tmp = "";
  let produced = 0;
  try {
    if (toFile) {
      const slash = target.lastIndexOf("/");
      tmp = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.${process.pid}.tmp`;
      outFd = fs.openSync(fsPath(tmp), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    }
    for await (const chunk of o.transform(src, info)) {
      produced += chunk.length;
      if (o.test) continue;
      if (outFd >= 0) {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(outFd, chunk, off, chunk.length - off);
      } else await ctx.stdout.write(chunk);
    }
    if (outFd >= 0) {
      fs.fchmodSync(outFd, (st!.mode & 0o7777) & ~process.umask());
      fs.closeSync(outFd);
      outFd = -1;
      if (info.mtime) fs.utimesSync(fsPath(tmp), info.mtime, info.mtime);
      fs.renameSync(fsPath(tmp), fsPath(target));
      tmp = "";
    }
  } catch (err) {
    if (err instanceof AppletError) await warn(ctx, err.message);
    else await warnBytes(ctx, `${toFile ? newName : file}: ${errText(err)}`);
    return 1;
  } finally {
    if (outFd >= 0) fs.closeSync(outFd);
    if (tmp) fs.rmSync(fsPath(tmp), { force: true });
  }
  if (toFile) {
    if (o.verbose) {
      const size = st!.size;
      const pct = produced ? Math.floor((size * 100) / produced) : 0;
      await ctx.stderr.write(Buffer.from(`${file}: ${(100 - pct) >>> 0}% - replaced with ${newName}\n`, "latin1"));
    }
    if (!o.keep) fs.rmSync(fsPath(absPath(ctx, file)), { force: true });
  }
  return 0;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(fsPath(p));
    return true;
  } catch {
    return false;
  }
}

/** zcat's "clever" mode: whichever of gzip, bzip2 or xz the data is. */
export const anyDecompressor: Transform = async function* (src, info) {
  const magic = await src.peek(6);
  if (isGzipMagic(magic)) yield* gunzip(src, info);
  else if (isBzip2Magic(magic)) yield* bunzip2(src);
  else if (isXzMagic(magic)) yield* unxz(src);
  else throw new AppletError("no gzip/bzip2/xz magic");
};

/** The decoder for a compression method name. */
export function decoder(method: "gzip" | "bzip2" | "xz"): (src: ByteSource) => AsyncIterable<Uint8Array> {
  return method === "gzip" ? (s) => gunzip(s) : method === "bzip2" ? bunzip2 : unxz;
}

/** Which compression the first bytes show, if any. */
export function detectCompression(magic: Uint8Array): "gzip" | "bzip2" | "xz" | undefined {
  if (isGzipMagic(magic)) return "gzip";
  if (isBzip2Magic(magic)) return "bzip2";
  if (isXzMagic(magic)) return "xz";
  return undefined;
}

/**
 * A decompressor's two applets, as BusyBox pairs them: NAME (bunzip2, unxz)
 * writes FILE without its suffix, CAT (bzcat, xzcat) writes to stdout.
 */
export function defineUnpackApplets(name: string, cat: string, transform: Transform, newName: (file: string) => string | undefined): void {
  defineApplet({
    name,
    usage: "[-cfk] [FILE]...",
    summary: "Decompress FILEs (or stdin)",
    options: ["-c  Write to stdout", "-f  Force", "-k  Keep input files", "-t  Test integrity", "-d", "-q", "-v"],
    run(ctx, opts, files) {
      return bbunpack(ctx, files, { stdout: !!opts.c, test: !!opts.t, force: !!opts.f, keep: !!opts.k, verbose: !!opts.v, transform, newName });
    },
  });
  defineApplet({
    name: cat,
    usage: "[FILE]...",
    summary: "Decompress to stdout",
    options: ["-c", "-f", "-k", "-t", "-d", "-q", "-v"],
    run(ctx, opts, files) {
      return bbunpack(ctx, files, { stdout: true, test: !!opts.t, force: !!opts.f, keep: true, transform, newName: () => undefined });
    },
  });
}
