// Writing archive members to disk for tar, cpio and unzip, safely:
//  - names lose unsafe prefixes ("/", "../", anything up to a "/../") the way
//    BusyBox's strip_unsafe_prefix() does, and a name still holding ".." is refused;
//  - no member is written through a symlink that leads outside the target
//    directory (checked component by component, whoever made the link);
//  - symlinks with an absolute or ".." target, and all hard links, are made
//    only after everything else (as BusyBox does), so later members cannot
//    be written through them; hard links may not point outside either;
//  - files are written to a temporary name and renamed into place;
//  - modes, owners and mtimes are restored (directory times at the end).
import * as fs from "node:fs";
import { type Context } from "../applet.ts";
import { AppletError } from "../errors.ts";
import { errText, fsPath, warnBytes } from "../fileops.ts";
import { groupByName, userByName } from "../users.ts";
import { makedev, mknod } from "../syscalls.ts";

const S_IFMT = 0o170000, S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000;

/** BusyBox's strip_unsafe_prefix(): the name without leading "/", "../" and anything up to a "/../". */
export function stripUnsafePrefix(name: string): string {
  let p = 0;
  for (;;) {
    if (name[p] === "/") {
      p++;
      continue;
    }
    if (name.startsWith("../", p)) {
      p += 3;
      continue;
    }
    const i = name.indexOf("/../", p);
    if (i < 0) break;
    p = i + 4;
  }
  return name.slice(p);
}

/** Strips and warns once per run, as BusyBox does ("removing leading '/' from member names"). */
/** The warning given the first time stripUnsafePrefix() takes something off. */
export function prefixWarning(name: string, stripped: string): string {
  return `removing leading '${name.slice(0, name.length - stripped.length)}' from member names`;
}

export class PrefixStripper {
  private warned = false;
  constructor(private ctx: Context) {}
  async strip(name: string): Promise<string> {
    const s = stripUnsafePrefix(name);
    if (s !== name && !this.warned) {
      this.warned = true;
      await warnBytes(this.ctx, prefixWarning(name, s));
    }
    return s;
  }
}

export interface Member {
  /** Relative name, already stripped. */
  name: string;
  /** Type and permission bits. */
  mode: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  mtime?: number;
  /** Symlink target, or hard link target when `hardlink`. */
  linkname?: string;
  hardlink?: boolean;
  major?: number;
  minor?: number;
}

export interface ExtractFlags {
  /** Create missing parent directories. */
  leadingDirs: boolean;
  /** What to do with a file already there: replace it, fail ("File exists"), or keep it unless older (cpio). */
  existing: "replace" | "keep" | "newer";
  restoreDate: boolean;
  owner: boolean;
  perms: boolean;
  numericOwner?: boolean;
}

/** A member refused for safety: reported, skipped, and the run fails. */
export class UnsafeMember extends AppletError {}

const hasDotDot = (p: string) => p === ".." || p.startsWith("../") || p.endsWith("/..") || p.includes("/../");

export class Extractor {
  /** Non-fatal failures happened. */
  failed = false;
  private rootReal: string;
  private safeDirs = new Set<string>();
  private deferred: { name: string; target: string; hard: boolean }[] = [];
  private dirTimes: { path: string; mtime: number }[] = [];

  constructor(private ctx: Context, private root: string, private flags: ExtractFlags) {
    this.rootReal = fs.realpathSync(fsPath(root), { encoding: "latin1" } as any) as unknown as string;
  }

  private abs(rel: string): string {
    return this.root.endsWith("/") ? this.root + rel : this.root + "/" + rel;
  }

  private inside(real: string): boolean {
    const r = this.rootReal;
    return real === r || real.startsWith(r.endsWith("/") ? r : r + "/");
  }

  /**
   * Check (and with leadingDirs create) the directories leading to rel:
   * none may be a symlink to somewhere outside the target directory.
   */
  private parents(rel: string): void {
    const parts = rel.split("/");
    parts.pop();
    let cur = "";
    for (const part of parts) {
      if (part === "" || part === ".") continue;
      cur = cur ? cur + "/" + part : part;
      if (this.safeDirs.has(cur)) continue;
      const full = this.abs(cur);
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(fsPath(full));
      } catch {
        st = undefined;
      }
      if (!st) {
        if (!this.flags.leadingDirs) return; // the open will fail with ENOENT, as BusyBox's does
        try {
          fs.mkdirSync(fsPath(full), 0o777);
        } catch (err: any) {
          if (err?.code !== "EEXIST") throw new AppletError(`can't create directory '${cur}': ${errText(err)}`);
        }
      } else if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(fsPath(full), { encoding: "latin1" } as any) as unknown as string;
        } catch {
          real = "";
        }
        if (!real || !this.inside(real)) throw new UnsafeMember(`skipping '${rel}': symlink '${cur}' points outside the target directory`);
      }
      this.safeDirs.add(cur);
    }
  }

  /** Extract one member; `data` gives a regular file's bytes. */
  async extract(m: Member, data?: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      await this.extractOne(m, data);
    } catch (err) {
      if (!(err instanceof UnsafeMember)) throw err;
      await warnBytes(this.ctx, err.message);
      this.failed = true;
      if (data) for await (const _ of data); // skip its bytes
    }
  }

  private async extractOne(m: Member, data?: AsyncIterable<Uint8Array>): Promise<void> {
    const name = m.name.replace(/\/+$/, "") || m.name;
    if (name === "" || name === "." || name === "./") {
      if (data) for await (const _ of data);
      return;
    }
    if (hasDotDot(name)) throw new UnsafeMember(`skipping '${name}': name contains '..'`);
    this.parents(name);
    const full = this.abs(name);
    const type = m.mode & S_IFMT;

    if (m.hardlink) {
      const target = m.linkname ?? "";
      if (target.startsWith("/") || hasDotDot(target)) throw new UnsafeMember(`can't create hardlink '${name}' to '${target}'`);
      this.deferred.push({ name, target, hard: true });
      return;
    }

    // An existing entry of the same name.
    let old: fs.Stats | undefined;
    try {
      old = fs.lstatSync(fsPath(full));
    } catch {}
    if (old && type !== S_IFDIR) {
      if (this.flags.existing === "newer" && old.mtime.getTime() / 1000 >= (m.mtime ?? 0)) {
        await warnBytes(this.ctx, `${m.name} not created: newer or same age file exists`);
        if (data) for await (const _ of data);
        return;
      }
      if (this.flags.existing === "keep") throw new AppletError(`can't open '${m.name}': File exists`);
    }

    switch (type) {
      case S_IFREG:
        await this.writeFile(name, full, m, data ?? (async function* () {})(), !!old && !old.isDirectory());
        return;
      case S_IFDIR: {
        if (old && !old.isDirectory()) fs.rmSync(fsPath(full), { force: true });
        if (!old || !old.isDirectory()) {
          try {
            fs.mkdirSync(fsPath(full), m.mode & 0o7777);
          } catch (err: any) {
            if (err?.code !== "EEXIST") {
              await warnBytes(this.ctx, `can't make dir ${name}: ${errText(err)}`);
              this.failed = true;
              return;
            }
          }
        }
        this.safeDirs.add(name);
        this.attrs(full, m);
        if (this.flags.restoreDate && m.mtime !== undefined) this.dirTimes.push({ path: full, mtime: m.mtime });
        return;
      }
      case S_IFLNK: {
        const target = m.linkname ?? "";
        if (target.startsWith("/") || hasDotDot(target)) {
          this.deferred.push({ name, target, hard: false });
          return;
        }
        this.replace(full, old);
        try {
          fs.symlinkSync(fsPath(target), fsPath(full));
        } catch (err) {
          throw new AppletError(`can't create symlink '${name}' to '${target}': ${errText(err)}`);
        }
        this.safeDirs.clear(); // a directory name may now lead somewhere else
        if (this.flags.owner) this.chown(full, m, true);
        return;
      }
      default: {
        this.replace(full, old);
        try {
          mknod(full, m.mode, makedev(m.major ?? 0, m.minor ?? 0));
        } catch (err) {
          await warnBytes(this.ctx, `can't create node ${name}: ${errText(err)}`);
          this.failed = true;
          return;
        }
        this.attrs(full, m);
        if (this.flags.restoreDate && m.mtime !== undefined) this.utime(full, m.mtime);
      }
    }
  }

  private replace(full: string, old: fs.Stats | undefined): void {
    if (!old) return;
    try {
      if (old.isDirectory()) fs.rmdirSync(fsPath(full));
      else fs.unlinkSync(fsPath(full));
    } catch (err) {
      throw new AppletError(`can't remove old file ${full.slice(this.root.length + 1)}: ${errText(err)}`);
    }
  }

  private async writeFile(name: string, full: string, m: Member, data: AsyncIterable<Uint8Array>, exists: boolean): Promise<void> {
    const slash = full.lastIndexOf("/");
    const tmp = `${full.slice(0, slash + 1)}.${full.slice(slash + 1, slash + 40)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    let fd: number;
    try {
      fd = fs.openSync(fsPath(tmp), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    } catch (err) {
      throw new AppletError(`can't open '${m.name}': ${errText(err)}`);
    }
    let ok = false;
    try {
      for await (const chunk of data) {
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
      }
      if (this.flags.owner) this.chown(fd, m, false);
      fs.fchmodSync(fd, this.flags.perms ? m.mode & 0o7777 : (m.mode & 0o777) & ~process.umask());
      fs.closeSync(fd);
      fd = -1;
      if (this.flags.restoreDate && m.mtime !== undefined) this.utime(tmp, m.mtime);
      fs.renameSync(fsPath(tmp), fsPath(full));
      ok = true;
    } catch (err) {
      if (err instanceof AppletError) throw err;
      throw new AppletError(`can't create '${name}': ${errText(err)}`);
    } finally {
      if (fd >= 0) fs.closeSync(fd);
      if (!ok) fs.rmSync(fsPath(tmp), { force: true });
    }
    void exists;
  }

  private chown(target: string | number, m: Member, link: boolean): void {
    let uid = m.uid ?? -1, gid = m.gid ?? -1;
    if (!this.flags.numericOwner) {
      if (m.uname) uid = userByName(m.uname)?.uid ?? uid;
      if (m.gname) gid = groupByName(m.gname)?.gid ?? gid;
    }
    try {
      if (typeof target === "number") fs.fchownSync(target, uid, gid);
      else if (link) fs.lchownSync(fsPath(target), uid, gid);
      else fs.chownSync(fsPath(target), uid, gid);
    } catch {
      // Not permitted (not root): files stay ours, as with BusyBox.
    }
  }

  private attrs(full: string, m: Member): void {
    if (this.flags.owner) this.chown(full, m, false);
    if (this.flags.perms) {
      try {
        fs.chmodSync(fsPath(full), m.mode & 0o7777);
      } catch {}
    }
  }

  private utime(p: string, mtime: number): void {
    try {
      fs.utimesSync(fsPath(p), mtime, mtime);
    } catch {}
  }

  /** Make the deferred links, then directory times (deepest first). */
  async finish(): Promise<void> {
    for (const d of this.deferred) {
      const full = this.abs(d.name);
      try {
        this.parents(d.name);
        if (d.hard) this.parents(d.target);
      } catch (err) {
        if (!(err instanceof UnsafeMember)) throw err;
        await warnBytes(this.ctx, err.message);
        this.failed = true;
        continue;
      }
      try {
        if (d.hard) {
          try {
            fs.unlinkSync(fsPath(full));
          } catch {}
          fs.linkSync(fsPath(this.abs(d.target)), fsPath(full));
        } else fs.symlinkSync(fsPath(d.target), fsPath(full));
      } catch {
        throw new AppletError(`can't create ${d.hard ? "hard" : "sym"}link '${d.name}' to '${d.target}'`);
      }
    }
    this.deferred = [];
    for (const d of this.dirTimes.reverse()) this.utime(d.path, d.mtime);
    this.dirTimes = [];
  }
}
