// Helpers for the file applets (ls, cp, mv, rm, ln, chmod, chown, install...):
// paths kept as latin1 "byte strings" (one char per byte, see binaryOf() in
// text.ts) so that any file name survives, resolved against the applet's cwd
// without normalising (so "link/.." means what the kernel says), BusyBox's
// path helpers, byte-exact warnings, and the y/n question of -i.
import * as fs from "node:fs";
import { appletName, type Context } from "./applet.ts";
import { describeErrno, errnoCode, errorMessage } from "./errors.ts";
import type { Reader } from "./io.ts";
import { binaryOf, bytesOf } from "./text.ts";
import { readDirFd } from "./syscalls.ts";

/** The applet's cwd as a byte string. */
export function cwdOf(ctx: Context): string {
  return binaryOf(ctx.cwd);
}

/** A byte-string path made absolute against the applet's cwd, as the kernel would see it. */
export function absPath(ctx: Context, p: string): string {
  if (p.startsWith("/")) return p;
  const cwd = cwdOf(ctx);
  if (p === "") return p; // "" stays invalid: ENOENT, as the kernel says
  return cwd.endsWith("/") ? cwd + p : cwd + "/" + p;
}

/** A byte-string path as Node's fs wants it ("" stays a string: the kernel's ENOENT, not a bad buffer). */
export function fsPath(p: string): Buffer {
  return (p === "" ? "" : Buffer.from(p, "latin1")) as Buffer;
}

/** "applet: message" on stderr, the message a byte string (file names as they are). */
export async function warnBytes(ctx: Context, message: string): Promise<void> {
  await ctx.stderr.write(bytesOf(`${appletName(ctx)}: ${message}\n`));
}

/** BusyBox's concat_path_file(): "dir" + "name" with exactly the one slash needed. */
export function concatPath(dir: string, name: string): string {
  let i = 0;
  while (name[i] === "/") i++;
  if (i) name = name.slice(i);
  return dir.endsWith("/") ? dir + name : dir + "/" + name;
}

/** bb_get_last_path_component_nostrip(): what follows the last slash ("/" stays "/"; "a/" gives ""). */
export function lastComponentNoStrip(p: string): string {
  const slash = p.lastIndexOf("/");
  if (slash < 0 || (slash === 0 && p.length === 1)) return p;
  return p.slice(slash + 1);
}

/** bb_get_last_path_component_strip(): trailing slashes dropped first ("a/b/" gives "b"). */
export function lastComponent(p: string): string {
  return lastComponentNoStrip(stripTrailingSlashes(p));
}

export function stripTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 1 && p[end - 1] === "/") end--;
  return p.slice(0, end);
}

/** dirname(3) as glibc's: "a/b" -> "a", "a" -> ".", "/a" -> "/", "//a" -> "//", "a/b//" -> "a". */
export function dirName(path: string): string {
  let last = path.lastIndexOf("/");
  if (last > 0 && last === path.length - 1) {
    // Trailing slashes: look before them.
    let runp = last;
    while (runp > 0 && path[runp - 1] === "/") runp--;
    if (runp > 0) last = path.lastIndexOf("/", runp - 1);
  }
  if (last < 0) return ".";
  let runp = last;
  while (runp > 0 && path[runp - 1] === "/") runp--;
  if (runp === 0) return last === 1 ? "//" : "/";
  return path.slice(0, runp);
}

// ---- -i: "overwrite 'x'?" answered from stdin ----

interface LineState { it: AsyncIterator<Uint8Array>; buf: string; eof: boolean }
const readers = new WeakMap<Reader, LineState>();

/** One line of a Reader (without "\n"), or undefined at end of input; keeps what follows for the next call. */
export async function readLine(reader: Reader): Promise<string | undefined> {
  let st = readers.get(reader);
  if (!st) {
    st = { it: reader.chunks()[Symbol.asyncIterator](), buf: "", eof: false };
    readers.set(reader, st);
  }
  for (;;) {
    const nl = st.buf.indexOf("\n");
    if (nl >= 0) {
      const line = st.buf.slice(0, nl);
      st.buf = st.buf.slice(nl + 1);
      return line;
    }
    if (st.eof) {
      if (!st.buf) return undefined;
      const line = st.buf;
      st.buf = "";
      return line;
    }
    const r = await st.it.next();
    if (r.done) st.eof = true;
    else st.buf += Buffer.from(r.value).toString("latin1");
  }
}

/**
 * Print `question` on stderr and read the answer from stdin, as BusyBox's
 * bb_ask_y_confirmation(): yes when the first non-blank character is y or Y.
 */
export async function askYes(ctx: Context, question: string): Promise<boolean> {
  await ctx.stderr.write(bytesOf(question));
  await ctx.stderr.flush();
  await ctx.stdout.flush();
  const line = await readLine(ctx.stdin);
  if (line === undefined) return false;
  const first = line.replace(/^[ \t]+/, "")[0];
  return first === "y" || first === "Y";
}

// ---- stat helpers ----

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFSOCK = 0o140000;

export const isDirMode = (m: number) => (m & S_IFMT) === S_IFDIR;
export const isLinkMode = (m: number) => (m & S_IFMT) === S_IFLNK;
export const isRegMode = (m: number) => (m & S_IFMT) === S_IFREG;

/** lstat/stat that return undefined instead of throwing ENOENT (other errors are thrown). */
export function statOrNone(p: string, follow: boolean): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(fsPath(p)) : fs.lstatSync(fsPath(p));
  } catch (err: any) {
    if (err?.code === "ENOENT") return undefined;
    throw err;
  }
}

/** The libc text of an error (strerror), without the call and path a SyscallError carries. */
export function errText(err: unknown): string {
  const code = errnoCode(err);
  if (code && /^E[A-Z0-9]+$/.test(code)) return describeErrno(code);
  return errorMessage(err);
}

// ---- recursive_action(): chmod -R, chown -R ----

export interface WalkFlags {
  recurse?: boolean;
  /** Follow symlinks everywhere (-L). */
  followLinks?: boolean;
  /** Follow symlinks named on the command line (-H, -L). */
  followLinksL0?: boolean;
  /** Directories after their contents (chown). */
  depthFirst?: boolean;
  quiet?: boolean;
}

/** What an action sees: the name as reached (byte string), its absolute path, its stat, the depth. */
export interface WalkEntry { name: string; path: string; st: fs.Stats; depth: number }

/** An action returns true, or the error that made it fail (reported again by the walk, as BusyBox does). */
export type WalkAction = (e: WalkEntry) => Promise<true | { err: unknown }>;

/**
 * BusyBox's recursive_action(): stat (or lstat) NAME, run fileAction on
 * non-directories, dirAction on directories, recursing in readdir order when
 * asked. A failure prints "NAME: error" (unless quiet) and makes the result false.
 */
export async function recursiveAction(
  ctx: Context, name: string, flags: WalkFlags, fileAction: WalkAction, dirAction: WalkAction, depth = 0,
): Promise<boolean> {
  const nak = async (err: unknown) => {
    if (!flags.quiet) await warnBytes(ctx, `${name}: ${errText(err)}`);
    return false;
  };
  const path = absPath(ctx, name);
  const follow = depth === 0 ? flags.followLinks || flags.followLinksL0 : flags.followLinks;
  let st: fs.Stats;
  try {
    st = follow ? fs.statSync(fsPath(path)) : fs.lstatSync(fsPath(path));
  } catch (err) {
    return nak(err);
  }
  const entry: WalkEntry = { name, path, st, depth };
  if (!st.isDirectory()) return (await fileAction(entry)) === true;
  if (!flags.recurse) return (await dirAction(entry)) === true;
  if (!flags.depthFirst) {
    const r = await dirAction(entry);
    if (r !== true) return nak(r.err);
  }
  let names: string[];
  try {
    const fd = fs.openSync(fsPath(path), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    try {
      names = readDirFd(fd).map((e) => e.name);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return nak(err);
  }
  let status = true;
  for (const n of names) {
    if (!(await recursiveAction(ctx, concatPath(name, n), flags, fileAction, dirAction, depth + 1))) status = false;
  }
  if (flags.depthFirst) {
    const r = await dirAction(entry);
    if (r !== true) return nak(r.err);
  }
  return status;
}

// ---- bb_make_directory(): mkdir, mkdir -p, cp --parents, install -d ----

/** bb_make_directory(path, mode (-1: none), recursive, verbose): 0, or -1 after an error message. */
export async function makeDirectory(ctx: Context, path: string, mode: number, recursive: boolean, verbose: boolean): Promise<number> {
  if (path === "/" || path === ".") return 0;
  const orgMask = process.umask();
  let cut = 0;
  for (;;) {
    let last = true;
    let current = path;
    if (recursive) {
      // The prefix up to and including the next run of slashes.
      let s = cut;
      while (s < path.length && path[s] !== "/") s++;
      if (s < path.length) {
        while (s < path.length && path[s] === "/") s++;
        if (s < path.length) {
          last = false;
          current = path.slice(0, s);
          cut = s;
        }
      }
    }
    const full = fsPath(absPath(ctx, current));
    let made = false;
    try {
      if (last) fs.mkdirSync(full, 0o777);
      else {
        // Intermediate directories: must have u+wx, whatever the umask says.
        process.umask(orgMask & ~0o300);
        try {
          fs.mkdirSync(full, 0o777);
        } finally {
          process.umask(orgMask);
        }
      }
      made = true;
    } catch (err) {
      const code = errnoCode(err);
      let isDir = false;
      let why = err;
      if ((code === "EEXIST" || code === "EISDIR") && recursive) {
        try {
          isDir = fs.statSync(full).isDirectory();
        } catch (e2) {
          why = e2; // BusyBox reports the errno of its stat()
        }
      }
      if ((code !== "EEXIST" && code !== "EISDIR") || !recursive || !isDir) {
        await warnBytes(ctx, `can't create directory '${current}': ${errText(why)}`);
        return -1;
      }
      if (last) return 0;
    }
    if (made && verbose) await ctx.stdout.write(bytesOf(`created directory: '${current}'\n`));
    if (last) {
      if (mode !== -1) {
        try {
          fs.chmodSync(full, mode);
        } catch (err) {
          await warnBytes(ctx, `can't set permissions of directory '${current}': ${errText(err)}`);
          return -1;
        }
      }
      return 0;
    }
  }
}
