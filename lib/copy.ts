// BusyBox's copy_file() and remove_file() (libbb), shared by cp, mv and
// install: the same decisions, messages and exit statuses, with one deliberate
// difference: an existing file is never truncated in place. Its replacement is
// written to a temporary name in the same directory and renamed over it, so a
// copy that fails halfway leaves the old file as it was (BusyBox's O_TRUNC
// would have destroyed it). The replacement keeps the old file's mode and
// owner, as an in-place write would.
//
// Paths are byte strings (see lib/fileops.ts): `name` as the user gave it, for
// messages; the absolute path (absPath) for the system calls.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type { Context } from "./applet.ts";
import { errnoCode, UsageError } from "./errors.ts";
import {
  absPath, askYes, concatPath, errText, fsPath, warnBytes,
  S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK,
} from "./fileops.ts";
import { mknod, readDirFd } from "./syscalls.ts";
import { bytesOf } from "./text.ts";

export interface CopyFlags {
  /** -p: times, owner, mode. */
  preserve?: boolean;
  /** Follow symlinks (cp without -d/-P/-R, or -L). */
  deref?: boolean;
  /** Follow symlinks named on the command line only (-H). */
  derefL0?: boolean;
  recurse?: boolean;
  force?: boolean;
  interactive?: boolean;
  /** -n */
  noOverwrite?: boolean;
  /** -l */
  hardlink?: boolean;
  /** -s */
  softlink?: boolean;
  verbose?: boolean;
  /** -u: only when the source is newer. */
  update?: boolean;
  /** --remove-destination */
  rmdest?: boolean;
  /** --reflink(=always): clone the data or fail. */
  reflink?: boolean;
}

const O = fs.constants;

/** A thrown-away error carrying an errno code, for messages. */
function errnoError(code: string): NodeJS.ErrnoException {
  const e = new Error(code) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

interface Stat { dev: number; ino: number; mode: number; uid: number; gid: number; rdev: number; mtime: number; size: number }

function toStat(st: fs.Stats): Stat {
  return {
    dev: st.dev, ino: st.ino, mode: st.mode, uid: st.uid, gid: st.gid, rdev: st.rdev,
    mtime: Math.floor(st.mtimeMs / 1000), size: st.size,
  };
}

function tempNameFor(path: string): string {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  return `${dir}.${base.slice(0, 200)}.${crypto.randomBytes(4).toString("hex")}.pika-tmp`;
}

/** One cp (or mv, install) run: keeps the (dev, inode) table that copy_file() uses. */
export class Copier {
  /** "dev:ino" of directories made and of files copied (to keep hard links as links). */
  private seen = new Map<string, string>();
  private umask = process.umask();

  constructor(private ctx: Context, private flags: CopyFlags) {}

  private async err(msg: string): Promise<-1> {
    await warnBytes(this.ctx, msg);
    return -1;
  }

  private abs(p: string): Buffer {
    return fsPath(absPath(this.ctx, p));
  }

  /**
   * ask_and_unlink(): the destination could not be created. Without -f or -i
   * that is an error; with -i ask first; then remove it. 1: go on, 0: skipped, -1: error.
   */
  private async askAndUnlink(dest: string, cause: unknown, unlink = true): Promise<number> {
    const f = this.flags;
    if (!(f.force || f.interactive)) return this.err(`can't create '${dest}': ${errText(cause)}`);
    if (f.interactive) {
      if (!(await askYes(this.ctx, `${this.appletName()}: overwrite '${dest}'? `))) return 0;
    }
    // The caller replaces the file by renaming over it: nothing is removed before the copy is made.
    if (!unlink) return 1;
    try {
      fs.unlinkSync(this.abs(dest));
    } catch (err) {
      if (errnoCode(err) === "ENOENT" && errnoCode(cause) === "ENOENT") {
        return this.err(`can't create '${dest}': Path does not exist`);
      }
      return this.err(`can't create '${dest}': ${errText(cause)}`);
    }
    return 1;
  }

  private appletName(): string {
    const a = this.ctx.argv[0] ?? "cp";
    return a.slice(a.lastIndexOf("/") + 1);
  }

  /** copy_file(): -1 on error (reported), 0 when done or skipped. */
  async copy(source: string, dest: string, flags: CopyFlags = this.flags, topLevel = true): Promise<number> {
    const f = flags;
    const deref = f.deref || (topLevel && f.derefL0);
    let src: Stat;
    try {
      src = toStat(deref ? fs.statSync(this.abs(source)) : fs.lstatSync(this.abs(source)));
    } catch (err) {
      // Links to a dangling symlink can still be made.
      if (f.softlink || f.hardlink) return this.makeLink(source, dest);
      return this.err(`can't stat '${source}': ${errText(err)}`);
    }
    let dst: Stat | undefined;
    try {
      dst = toStat(fs.lstatSync(this.abs(dest)));
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") return this.err(`can't stat '${dest}': ${errText(err)}`);
    }
    if (dst) {
      if (src.dev === dst.dev && src.ino === dst.ino) return this.err(`'${source}' and '${dest}' are the same file`);
      if (f.noOverwrite) return 0;
    }
    const type = src.mode & S_IFMT;

    if (type === S_IFDIR) return this.copyDir(source, dest, src, dst, f);

    if (dst) {
      if (f.update && src.mtime <= dst.mtime) return 0;
      if (f.rmdest) {
        const r = await this.askAndUnlink(dest, errnoError("EEXIST"));
        if (r <= 0) return r;
        dst = undefined;
      }
    }

    if (f.softlink || f.hardlink) return this.makeLink(source, dest);

    if (!f.recurse || type === S_IFREG) {
      if (!deref && type === S_IFLNK) return this.copySpecial(source, dest, src, dst, f);
      // Hard links within what is copied stay hard links (when not following links).
      if (!deref && type === S_IFREG) {
        const key = `${src.dev}:${src.ino}`;
        const first = this.seen.get(key);
        if (first !== undefined) {
          try {
            fs.linkSync(this.abs(first), this.abs(dest));
          } catch (err) {
            const r = await this.askAndUnlink(dest, err);
            if (r <= 0) return r;
            try {
              fs.linkSync(this.abs(first), this.abs(dest));
            } catch (err2) {
              return this.err(`can't create link '${dest}': ${errText(err2)}`);
            }
          }
          return 0;
        }
        this.seen.set(key, dest);
      }
      const r = await this.copyContents(source, dest, src, dst, f);
      if (r < 0 || r === 1) return r < 0 ? -1 : 0;
      if (type !== S_IFREG) return 0;
      await this.preserve(dest, src, f);
      return this.verbose(source, dest, f, 0);
    }
    return this.copySpecial(source, dest, src, dst, f);
  }

  private async verbose(source: string, dest: string, f: CopyFlags, r: number): Promise<number> {
    if (f.verbose) await this.ctx.stdout.write(bytesOf(`'${source}' -> '${dest}'\n`));
    return r;
  }

  private async makeLink(source: string, dest: string): Promise<number> {
    const f = this.flags;
    const make = () => (f.softlink ? fs.symlinkSync(fsPath(source), this.abs(dest)) : fs.linkSync(this.abs(source), this.abs(dest)));
    try {
      make();
    } catch (err) {
      const r = await this.askAndUnlink(dest, err);
      if (r <= 0) return r;
      try {
        make();
      } catch (err2) {
        return this.err(`can't create link '${dest}': ${errText(err2)}`);
      }
    }
    return 0;
  }

  private async copyDir(source: string, dest: string, src: Stat, dst: Stat | undefined, f: CopyFlags): Promise<number> {
    if (!f.recurse) return this.err(`omitting directory '${source}'`);
    if (this.seen.has(`${src.dev}:${src.ino}`)) return this.err(`recursion detected, omitting directory '${source}'`);
    let madeDir = dst;
    if (dst) {
      if ((dst.mode & S_IFMT) !== S_IFDIR) return this.err(`target '${dest}' is not a directory`);
    } else {
      let mode = f.preserve ? src.mode & 0o7777 : src.mode & 0o7777 & ~this.umask;
      mode |= 0o700;
      const old = process.umask(0);
      try {
        fs.mkdirSync(this.abs(dest), mode);
      } catch (err) {
        process.umask(old);
        return this.err(`can't create directory '${dest}': ${errText(err)}`);
      }
      process.umask(old);
      try {
        madeDir = toStat(fs.lstatSync(this.abs(dest)));
      } catch (err) {
        return this.err(`can't stat '${dest}': ${errText(err)}`);
      }
    }
    this.seen.set(`${madeDir!.dev}:${madeDir!.ino}`, "");
    let status = 0;
    let names: string[] | undefined;
    try {
      const fd = fs.openSync(this.abs(source), O.O_RDONLY | O.O_DIRECTORY);
      try {
        names = readDirFd(fd).map((e) => e.name);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      status = -1;
    }
    if (names) {
      const sub: CopyFlags = f.derefL0 ? { ...f, derefL0: false } : f;
      for (const n of names) {
        if ((await this.copy(concatPath(source, n), concatPath(dest, n), sub, false)) < 0) status = -1;
      }
      if (!dst) {
        try {
          fs.chmodSync(this.abs(dest), src.mode & 0o7777 & ~this.umask);
        } catch (err) {
          await warnBytes(this.ctx, `can't preserve permissions of '${dest}': ${errText(err)}`);
        }
      }
    }
    await this.preserve(dest, src, f);
    return this.verbose(source, dest, f, status);
  }

  /**
   * The "cat" path: a regular file (or, without -R, anything readable) copied
   * byte for byte. Returns 0 when copied, 1 when skipped on request, -1 on error.
   */
  private async copyContents(source: string, dest: string, src: Stat, dst: Stat | undefined, f: CopyFlags): Promise<number> {
    const regular = (src.mode & S_IFMT) === S_IFREG;
    const newMode = regular ? src.mode & 0o7777 : 0o666;
    if (!dst) {
      // A new file, made in place (removed again if the copy fails).
      let r = this.writeCopy(source, dest, this.abs(dest), regular, newMode);
      if (r !== true && r.stage === "create") {
        // BusyBox's open failed: ask_and_unlink() decides (-f, -i), then one more try.
        const a = await this.askAndUnlink(dest, r.err);
        if (a <= 0) return a === 0 ? 1 : -1;
        r = this.writeCopy(source, dest, this.abs(dest), regular, newMode);
      }
      if (r !== true) {
        if (r.stage !== "source") this.tryUnlink(this.abs(dest));
        return this.err(r.msg);
      }
      return 0;
    }
    // BusyBox opens an existing file with O_TRUNC (through a symlink, if it is
    // one). Where that open would fail, it is ask_and_unlink()'s case.
    let writeTo = this.abs(dest);
    let keep: fs.Stats | undefined;
    let blocked: unknown;
    try {
      if (f.interactive) blocked = errnoError("EEXIST");
      else {
        const st = fs.statSync(writeTo);
        if (st.isDirectory()) blocked = errnoError("EISDIR");
        else {
          fs.accessSync(writeTo, O.W_OK);
          writeTo = fs.realpathSync(writeTo, { encoding: "buffer" });
          keep = st;
        }
      }
    } catch (err) {
      if (errnoCode(err) === "ENOENT" && (dst.mode & S_IFMT) === S_IFLNK) {
        // A dangling link: O_CREAT would make its target.
        const t = this.danglingTarget(dest);
        if (t === undefined) blocked = err;
        else writeTo = t;
      } else blocked = err;
    }
    for (let attempt = 0; ; attempt++) {
      if (blocked) {
        const a = await this.askAndUnlink(dest, blocked, false);
        if (a <= 0) return a === 0 ? 1 : -1;
        keep = undefined;
        writeTo = this.abs(dest);
      }
      const target = writeTo.toString("latin1");
      const temp = fsPath(tempNameFor(target.startsWith("/") ? target : absPath(this.ctx, target)));
      const r = this.writeCopy(source, dest, temp, regular, newMode);
      if (r !== true) {
        if (r.stage !== "source") this.tryUnlink(temp);
        if (r.stage === "create" && !blocked && attempt === 0) {
          blocked = r.err;
          continue;
        }
        return this.err(r.msg);
      }
      try {
        if (keep && keep.nlink > 1) {
          // Other names share this file: write it in place (as BusyBox does),
          // from a complete copy, so a source that fails to read changes nothing.
          fs.copyFileSync(temp, writeTo);
          this.tryUnlink(temp);
          return 0;
        }
        if (keep) {
          fs.chmodSync(temp, keep.mode & 0o7777);
          if (process.getuid?.() === 0) fs.chownSync(temp, keep.uid, keep.gid);
        }
        fs.renameSync(temp, writeTo);
      } catch (err) {
        this.tryUnlink(temp);
        return this.err(`can't create '${dest}': ${errText(err)}`);
      }
      return 0;
    }
  }

  private tryUnlink(p: Buffer): void {
    try {
      fs.unlinkSync(p);
    } catch {}
  }

  /** Where an O_CREAT open through a dangling symlink would create its file. */
  private danglingTarget(dest: string): Buffer | undefined {
    try {
      const abs = absPath(this.ctx, dest);
      const link = fs.readlinkSync(fsPath(abs), { encoding: "buffer" }).toString("latin1");
      const dir = abs.slice(0, abs.lastIndexOf("/") + 1);
      return fsPath(link.startsWith("/") ? link : dir + link);
    } catch {
      return undefined;
    }
  }

  /**
   * Create `to` (which must not exist: the destination or a temporary name
   * for it) with the bytes of `source`: true, or where it failed ("source":
   * nothing was created; "create": `to` could not be made; "io": it was) and
   * BusyBox's message.
   */
  private writeCopy(source: string, dest: string, to: Buffer, regular: boolean, mode: number): true | { stage: "source" | "create" | "io"; err: unknown; msg: string } {
    const from = this.abs(source);
    if (regular) {
      try {
        fs.copyFileSync(from, to, O.COPYFILE_EXCL | (this.flags.reflink ? O.COPYFILE_FICLONE_FORCE : 0));
      } catch (err) {
        // Which side failed? Ask the source, then the destination.
        try {
          fs.closeSync(fs.openSync(from, O.O_RDONLY));
        } catch (e2) {
          return { stage: "source", err: e2, msg: `can't open '${source}': ${errText(e2)}` };
        }
        if (!fs.existsSync(to)) return { stage: "create", err, msg: `can't create '${dest}': ${errText(err)}` };
        const code = errnoCode(err);
        if (this.flags.reflink) {
          const why = code === "ENOTSUP" || code === "EOPNOTSUPP" ? "Operation not supported" : errText(err);
          return { stage: "io", err, msg: `failed to clone '${dest}' from '${source}': ${why}` };
        }
        const writing = code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG" || code === "EPIPE";
        return { stage: "io", err, msg: `${writing ? "write" : "read"} error: ${errText(err)}` };
      }
      // copyFileSync gives the source's mode; a new file gets it less the umask.
      if (mode & this.umask) {
        try {
          fs.chmodSync(to, mode & ~this.umask);
        } catch {}
      }
      return true;
    }
    let inFd: number;
    try {
      inFd = fs.openSync(from, O.O_RDONLY);
    } catch (err) {
      return { stage: "source", err, msg: `can't open '${source}': ${errText(err)}` };
    }
    let outFd: number;
    try {
      outFd = fs.openSync(to, O.O_WRONLY | O.O_CREAT | O.O_EXCL, mode);
    } catch (err) {
      fs.closeSync(inFd);
      return { stage: "create", err, msg: `can't create '${dest}': ${errText(err)}` };
    }
    try {
      const buf = Buffer.allocUnsafe(64 * 1024);
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(inFd, buf, 0, buf.length, null);
        } catch (err) {
          if (errnoCode(err) === "EAGAIN") continue;
          return { stage: "io", err, msg: `read error: ${errText(err)}` };
        }
        if (n === 0) break;
        let off = 0;
        while (off < n) {
          try {
            off += fs.writeSync(outFd, buf, off, n - off);
          } catch (err) {
            return { stage: "io", err, msg: `write error: ${errText(err)}` };
          }
        }
      }
      return true;
    } finally {
      fs.closeSync(inFd);
      fs.closeSync(outFd);
    }
  }

  /** Symlinks and special files (the "dont_cat" path). */
  private async copySpecial(source: string, dest: string, src: Stat, dst: Stat | undefined, f: CopyFlags): Promise<number> {
    if (dst) {
      const r = await this.askAndUnlink(dest, errnoError("EEXIST"));
      if (r <= 0) return r;
    }
    const type = src.mode & S_IFMT;
    if (type === S_IFLNK) {
      let target: string;
      try {
        target = fs.readlinkSync(this.abs(source), { encoding: "buffer" }).toString("latin1");
      } catch (err) {
        await warnBytes(this.ctx, `${source}: cannot read link: ${errnoCode(err) === "EINVAL" ? "not a symlink" : errText(err)}`);
        return this.verbose(source, dest, f, 0);
      }
      try {
        fs.symlinkSync(fsPath(target), this.abs(dest));
      } catch (err) {
        return this.err(`can't create symlink '${dest}' to '${target}': ${errText(err)}`);
      }
      if (f.preserve) {
        try {
          fs.lchownSync(this.abs(dest), src.uid, src.gid);
        } catch (err) {
          await warnBytes(this.ctx, `can't preserve ownership of '${dest}': ${errText(err)}`);
        }
      }
      return this.verbose(source, dest, f, 0);
    }
    if (type === S_IFBLK || type === S_IFCHR || type === S_IFSOCK || type === S_IFIFO) {
      try {
        mknod(absPath(this.ctx, dest), src.mode, BigInt(src.rdev));
      } catch (err) {
        return this.err(`can't create '${dest}': ${errText(err)}`);
      }
    } else {
      return this.err(`unrecognized file '${source}' with mode ${src.mode.toString(16)}`);
    }
    await this.preserve(dest, src, f);
    return this.verbose(source, dest, f, 0);
  }

  /** -p: times (whole seconds, both set to the mtime), owner, then mode. Failures are reported, not fatal. */
  private async preserve(dest: string, src: Stat, f: CopyFlags): Promise<void> {
    if (!f.preserve) return;
    const p = this.abs(dest);
    let mode = src.mode & 0o7777;
    try {
      fs.utimesSync(p, src.mtime, src.mtime);
    } catch (err) {
      await warnBytes(this.ctx, `can't preserve times of '${dest}': ${errText(err)}`);
    }
    try {
      fs.chownSync(p, src.uid, src.gid);
    } catch (err) {
      mode &= ~0o6000;
      await warnBytes(this.ctx, `can't preserve ownership of '${dest}': ${errText(err)}`);
    }
    try {
      fs.chmodSync(p, mode);
    } catch (err) {
      await warnBytes(this.ctx, `can't preserve permissions of '${dest}': ${errText(err)}`);
    }
  }
}

export interface RemoveFlags { force?: boolean; interactive?: boolean; recurse?: boolean; verbose?: boolean }

/** remove_file(): 0 when removed (or skipped), -1 after an error message. */
export async function removeFile(ctx: Context, path: string, flags: RemoveFlags): Promise<number> {
  const name = ctx.argv[0]?.slice(ctx.argv[0].lastIndexOf("/") + 1) ?? "rm";
  const abs = fsPath(absPath(ctx, path));
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") {
      await warnBytes(ctx, `can't stat '${path}': ${errText(err)}`);
      return -1;
    }
    if (!flags.force) {
      await warnBytes(ctx, `can't remove '${path}': ${errText(err)}`);
      return -1;
    }
    return 0;
  }
  const notWritable = () => {
    try {
      fs.accessSync(abs, O.W_OK);
      return false;
    } catch {
      return true;
    }
  };
  if (st.isDirectory()) {
    if (!flags.recurse) {
      await warnBytes(ctx, `'${path}' is a directory`);
      return -1;
    }
    if ((!flags.force && ctx.stdin.isTTY && notWritable()) || flags.interactive) {
      if (!(await askYes(ctx, `${name}: descend into directory '${path}'? `))) return 0;
    }
    let names: string[];
    try {
      const fd = fs.openSync(abs, O.O_RDONLY | O.O_DIRECTORY);
      try {
        names = readDirFd(fd).map((e) => e.name);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return -1;
    }
    let status = 0;
    for (const n of names) {
      if ((await removeFile(ctx, concatPath(path, n), flags)) < 0) status = -1;
    }
    if (flags.interactive) {
      if (!(await askYes(ctx, `${name}: remove directory '${path}'? `))) return status;
    }
    if (status === 0) {
      try {
        fs.rmdirSync(abs);
      } catch (err) {
        await warnBytes(ctx, `can't remove '${path}': ${errText(err)}`);
        return -1;
      }
    }
    if (flags.verbose) await ctx.stdout.write(bytesOf(`removed directory: '${path}'\n`));
    return status;
  }
  if ((!flags.force && !st.isSymbolicLink() && ctx.stdin.isTTY && notWritable()) || flags.interactive) {
    if (!(await askYes(ctx, `${name}: remove '${path}'? `))) return 0;
  }
  try {
    fs.unlinkSync(abs);
  } catch (err) {
    await warnBytes(ctx, `can't remove '${path}': ${errText(err)}`);
    return -1;
  }
  if (flags.verbose) await ctx.stdout.write(bytesOf(`removed '${path}'\n`));
  return 0;
}

/** cp_mv_stat2(): 0 missing, 1 exists, 3 a directory, -1 after an error message. */
export async function cpMvStat(ctx: Context, name: string, follow: boolean): Promise<number> {
  try {
    const st = follow ? fs.statSync(fsPath(absPath(ctx, name))) : fs.lstatSync(fsPath(absPath(ctx, name)));
    return st.isDirectory() ? 3 : 1;
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return 0;
    if (errnoCode(err) === "ENOTDIR") {
      await warnBytes(ctx, `can't stat '${name}': Path does not exist`);
      return -1;
    }
    await warnBytes(ctx, `can't stat '${name}': ${errText(err)}`);
    return -1;
  }
}

/**
 * cp's and mv's operands: with -t DIR every operand is a source, otherwise
 * the last one is the destination. Too few prints usage.
 */
export function sourcesAndTarget(args: string[], targetDir: string | undefined): { sources: string[]; last: string } {
  if (targetDir !== undefined) {
    if (args.length < 1) throw new UsageError();
    return { sources: args, last: targetDir };
  }
  if (args.length < 2) throw new UsageError();
  return { sources: args.slice(0, -1), last: args[args.length - 1] };
}
