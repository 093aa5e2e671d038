// The system calls Node's API lacks, through bun:ffi against the C library
// (musl in images, glibc on a developer's host: both answer to "libc.so.6",
// musl by treating every "libc.*" name as itself). Failures throw SyscallError
// carrying the errno name.
//
// bun:ffi is loaded on first use, not at import: start-up stays cheap for
// applets that never make a system call, and the module can be imported (for
// its constants and types) where bun:ffi does not exist, as in unit tests.
import type { Pointer } from "bun:ffi";
import { constants } from "node:os";
import { SyscallError } from "./errors.ts";

const i32 = "i32", u32 = "u32", u64 = "u64", i64 = "i64", P = "ptr", V = "void";

const SYMBOLS = {
  mount: { args: [P, P, P, u64, P], returns: i32 },
  umount2: { args: [P, i32], returns: i32 },
  reboot: { args: [i32], returns: i32 },
  sync: { args: [], returns: V },
  waitid: { args: [i32, u32, P, i32], returns: i32 },
  waitpid: { args: [i32, P, i32], returns: i32 },
  sethostname: { args: [P, u64], returns: i32 },
  setsid: { args: [], returns: i32 },
  ioctl: { args: [i32, u64, P], returns: i32 },
  kill: { args: [i32, i32], returns: i32 },
  getrandom: { args: [P, u64, u32], returns: i64 },
  getpid: { args: [], returns: i32 },
  getppid: { args: [], returns: i32 },
  uname: { args: [P], returns: i32 },
  __errno_location: { args: [], returns: P },
  statfs: { args: [P, P], returns: i32 },
  syncfs: { args: [i32], returns: i32 },
  fstatat: { args: [i32, P, P, i32], returns: i32 },
  syscall: { args: [i64, i64, P, u64], returns: i64 },
  lseek: { args: [i32, i64, i32], returns: i64 },
  mknod: { args: [P, u32, u64], returns: i32 },
  utimensat: { args: [i32, P, P, i32], returns: i32 },
  clock_settime: { args: [i32, P], returns: i32 },
  tcgetattr: { args: [i32, P], returns: i32 },
  tcsetattr: { args: [i32, i32, P], returns: i32 },
  sysinfo: { args: [P], returns: i32 },
  getsid: { args: [i32], returns: i32 },
  _exit: { args: [i32], returns: V },
  setuid: { args: [u32], returns: i32 },
  setgid: { args: [u32], returns: i32 },
  setgroups: { args: [u64, P], returns: i32 },
  execve: { args: [P, P, P], returns: i32 },
  dup: { args: [i32], returns: i32 },
  dup2: { args: [i32, i32], returns: i32 },
  init_module: { args: [P, u64, P], returns: i32 },
  delete_module: { args: [P, u32], returns: i32 },
  chroot: { args: [P], returns: i32 },
  swapon: { args: [P, i32], returns: i32 },
  swapoff: { args: [P], returns: i32 },
  poll: { args: [P, u64, i32], returns: i32 },
  fcntl: { args: [i32, i32, i64], returns: i32 },
  socket: { args: [i32, i32, i32], returns: i32 },
  bind: { args: [i32, P, u32], returns: i32 },
  connect: { args: [i32, P, u32], returns: i32 },
  recvfrom: { args: [i32, P, u64, i32, P, P], returns: i64 },
  send: { args: [i32, P, u64, i32], returns: i64 },
  klogctl: { args: [i32, P, i32], returns: i32 },
  openat: { args: [i32, P, i32, u32], returns: i32 },
  read: { args: [i32, P, u64], returns: "i64_fast" },
  close: { args: [i32], returns: i32 },
  flock: { args: [i32, i32], returns: i32 },
  pipe2: { args: [P, i32], returns: i32 },
  signal: { args: [i32, P], returns: P },
  setpgid: { args: [i32, i32], returns: i32 },
  getpgrp: { args: [], returns: i32 },
  pthread_sigmask: { args: [i32, P, P], returns: i32 },
  getrlimit: { args: [i32, P], returns: i32 },
  setrlimit: { args: [i32, P], returns: i32 },
} as const;

type Ffi = typeof import("bun:ffi");
type SymbolName = keyof typeof SYMBOLS;
/** The C functions, loosely typed: each wrapper below gives its own precise signature. */
type Libc = Record<SymbolName, (...args: any[]) => any>;
let ffi: Ffi | undefined;

function ffiModule(): Ffi {
  return (ffi ??= require("bun:ffi") as Ffi);
}

const bound: Partial<Libc> = {};
/** The libraries dlopen returned, kept referenced while their symbols are used. */
const libraries: object[] = [];
/**
 * Each C function is bound on its first use: binding compiles a trampoline
 * per symbol, and the whole table would cost every applet that makes one call.
 */
const libc = new Proxy(bound, { get: (_, name: SymbolName) => bound[name] ?? bindSymbol(name) }) as Libc;

function lib(): Libc {
  return libc;
}

function bindSymbol(name: SymbolName): (...args: any[]) => any {
  // Binding runs C code that may set errno, so errno() must never be the one
  // to bind: __errno_location comes with the first symbol bound.
  const names: SymbolName[] = bound.__errno_location ? [name] : [name, "__errno_location"];
  const library = ffiModule().dlopen("libc.so.6", Object.fromEntries(names.map((n) => [n, SYMBOLS[n]])) as any);
  libraries.push(library);
  Object.assign(bound, library.symbols);
  return bound[name]!;
}

let errnoNames: Map<number, string> | undefined;

export function errno(): number {
  const p = lib().__errno_location() as Pointer;
  return ffiModule().read.i32(p, 0);
}

export function errnoName(n: number): string {
  errnoNames ??= new Map(Object.entries(constants.errno).map(([name, num]) => [num as number, name]));
  return errnoNames.get(n) ?? `E${n}`;
}

function fail(call: string, detail?: string): never {
  const n = errno();
  throw new SyscallError(call, n, errnoName(n), detail);
}

function check(ret: number | bigint, call: string, detail?: string): number {
  if (Number(ret) < 0) fail(call, detail);
  return Number(ret);
}

/** NUL-terminated copy of a string for passing to C. */
function cstr(s: string): Buffer {
  return Buffer.from(s + "\0");
}

// mount(2) flags.
export const MS = {
  RDONLY: 1, NOSUID: 2, NODEV: 4, NOEXEC: 8, SYNCHRONOUS: 16, REMOUNT: 32,
  MANDLOCK: 64, DIRSYNC: 128, NOATIME: 1024, NODIRATIME: 2048, BIND: 4096,
  MOVE: 8192, REC: 16384, SILENT: 32768, PRIVATE: 1 << 18, SLAVE: 1 << 19,
  SHARED: 1 << 20, RELATIME: 1 << 21, STRICTATIME: 1 << 24, LAZYTIME: 1 << 25,
} as const;

export function mount(source: string, target: string, fstype: string | null, flags = 0, data: string | null = null): void {
  const ret = lib().mount(cstr(source), cstr(target), fstype ? cstr(fstype) : null, BigInt(flags), data ? cstr(data) : null);
  check(ret, "mount", `'${source}' on '${target}'`);
}

export const MNT_FORCE = 1;
export const MNT_DETACH = 2;

export function umount2(target: string, flags = 0): void {
  check(lib().umount2(cstr(target), flags), "umount", `'${target}'`);
}

// reboot(2) commands (the libc wrapper adds the magic numbers).
export const RB = {
  AUTOBOOT: 0x01234567,
  HALT_SYSTEM: 0xcdef0123 | 0,
  POWER_OFF: 0x4321fedc,
  ENABLE_CAD: 0x89abcdef | 0,
  DISABLE_CAD: 0,
} as const;

export function reboot(cmd: number): void {
  check(lib().reboot(cmd), "reboot");
}

export function sync(): void {
  lib().sync();
}

// waitid(2)
export const P_ALL = 0;
export const P_PID = 1;
export const WNOHANG = 1;
export const WSTOPPED = 2;
export const WEXITED = 4;
export const WCONTINUED = 8;
/** siginfo si_code values of a waitid() report. */
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
export const WNOWAIT = 0x01000000;

/** siginfo_t fields we use (same offsets on x86_64 and aarch64). */
export interface ChildInfo { pid: number; code: number; status: number }

// Reused by every call: PID 1 reaps thousands of children, and a fresh buffer
// for each would pile up as garbage between collections.
const siginfo = new Int32Array(32); // siginfo_t is 128 bytes
const waitStatus = new Int32Array(1);

/** waitid(); returns undefined when WNOHANG finds nothing to report. */
export function waitid(idtype: number, id: number, options: number): ChildInfo | undefined {
  const info = siginfo.fill(0);
  check(lib().waitid(idtype, id, info, options), "waitid");
  const pid = info[4];
  if (pid === 0) return undefined;
  return { pid, code: info[2], status: info[6] };
}

/** waitpid(); returns [pid, raw status]; pid 0 with WNOHANG when nothing exited. */
export function waitpid(pid: number, options = 0): [number, number] {
  const status = waitStatus.fill(0);
  const ret = check(lib().waitpid(pid, status, options), "waitpid");
  return [ret, status[0]];
}

export function sethostname(name: string): void {
  const b = Buffer.from(name);
  check(lib().sethostname(b, BigInt(b.length)), "sethostname");
}

export function setsid(): number {
  return check(lib().setsid(), "setsid");
}

/** ioctl with a pointer (or no) argument; returns the call's result. */
export function ioctl(fd: number, request: number, arg: Uint8Array | null = null): number {
  return check(lib().ioctl(fd, BigInt(request), arg), "ioctl");
}

export function kill(pid: number, signal: number): void {
  check(lib().kill(pid, signal), "kill", String(pid));
}

// ---- Process groups and the terminal's foreground group (job control) ----

/** setpgid(2): put process `pid` (0: this one) in group `pgid` (0: a new group led by it). */
export function setpgid(pid: number, pgid: number): void {
  check(lib().setpgid(pid, pgid), "setpgid");
}

export function getpgrp(): number {
  return lib().getpgrp();
}

const TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410;

/** tcgetpgrp(3): the foreground process group of the terminal on fd. */
export function tcgetpgrp(fd: number): number {
  const pgrp = new Int32Array(1);
  check(lib().ioctl(fd, BigInt(TIOCGPGRP), pgrp), "tcgetpgrp");
  return pgrp[0];
}

const SIG_BLOCK = 0, SIG_SETMASK = 2, SIGTTOU = 22;

/**
 * tcsetpgrp(3): make `pgrp` the terminal's foreground group. A caller in a
 * background group would get SIGTTOU for it (and stop, or loop in a handler),
 * so SIGTTOU is blocked for the call, as the kernel then allows it; blocking
 * rather than ignoring it leaves nothing for the programs we start to inherit.
 */
export function tcsetpgrp(fd: number, pgrp: number): void {
  const set = new BigUint64Array(16), old = new BigUint64Array(16);
  set[0] = 1n << BigInt(SIGTTOU - 1);
  lib().pthread_sigmask(SIG_BLOCK, set, old);
  try {
    check(lib().ioctl(fd, BigInt(TIOCSPGRP), new Int32Array([pgrp])), "tcsetpgrp");
  } finally {
    lib().pthread_sigmask(SIG_SETMASK, old, null);
  }
}

// ---- Resource limits (ulimit) ----

export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7,
  MEMLOCK: 8, AS: 9, LOCKS: 10, SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
} as const;
/** RLIM_INFINITY: no limit. */
export const RLIM_INFINITY = 0xffffffffffffffffn;

export interface Rlimit { soft: bigint; hard: bigint }

/** getrlimit(2). */
export function getrlimit(resource: number): Rlimit {
  const r = new BigUint64Array(2);
  check(lib().getrlimit(resource, r), "getrlimit");
  return { soft: r[0], hard: r[1] };
}

/** setrlimit(2): for this process and, inherited, every program it starts. */
export function setrlimit(resource: number, limit: Rlimit): void {
  check(lib().setrlimit(resource, new BigUint64Array([limit.soft, limit.hard])), "setrlimit");
}

/** Several limits, as [resource, soft, hard] with the numbers as decimal text (what JSON carries). */
export function setrlimits(limits: [number, string, string][]): void {
  for (const [r, soft, hard] of limits) setrlimit(r, { soft: BigInt(soft), hard: BigInt(hard) });
}

/** Fill a buffer from the kernel's random pool (blocks until it is initialised). */
export function getrandom(buf: Uint8Array, flags = 0): number {
  return check(lib().getrandom(buf, BigInt(buf.length), flags), "getrandom");
}

export function getpid(): number {
  return lib().getpid();
}

export function getppid(): number {
  return lib().getppid();
}

export interface Utsname { sysname: string; nodename: string; release: string; version: string; machine: string; domainname: string }

/** uname(2): the kernel's own words (Bun's os.machine() says "arm64" for aarch64). */
export function uname(): Utsname {
  const FIELD = 65;
  const buf = new Uint8Array(FIELD * 6);
  check(lib().uname(buf), "uname");
  const field = (i: number) => {
    const f = buf.subarray(i * FIELD, (i + 1) * FIELD);
    const end = f.indexOf(0);
    return Buffer.from(f.subarray(0, end < 0 ? FIELD : end)).toString("utf8");
  };
  return { sysname: field(0), nodename: field(1), release: field(2), version: field(3), machine: field(4), domainname: field(5) };
}

// ---- File status without Node's Stats objects (find, du, stat) ----
//
// struct stat and struct statfs as the kernel (and glibc and musl, which use
// its layout on these 64-bit machines) lay them out. x86_64 has its own
// struct stat; aarch64 uses the generic one (mode before a 32-bit nlink,
// 32-bit blksize). struct statfs is the same on both (every field a long,
// fsid two ints), but is kept per architecture in case a 32-bit one is added.

/** The fields of struct stat, as plain numbers (times split into seconds and nanoseconds). */
export interface RawStat {
  dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number;
  rdev: number; size: number; blksize: number; blocks: number;
  atimeSec: number; atimeNsec: number; mtimeSec: number; mtimeNsec: number; ctimeSec: number; ctimeNsec: number;
}

interface StatLayout {
  size: number; dev: number; ino: number; mode: number; nlink: number; nlink64: boolean; uid: number; gid: number;
  rdev: number; st_size: number; blksize: number; blksize64: boolean; blocks: number; atime: number; mtime: number; ctime: number;
}

const STAT_LAYOUTS: Record<string, StatLayout> = {
  x64: { size: 144, dev: 0, ino: 8, nlink: 16, nlink64: true, mode: 24, uid: 28, gid: 32, rdev: 40, st_size: 48, blksize: 56, blksize64: true, blocks: 64, atime: 72, mtime: 88, ctime: 104 },
  arm64: { size: 128, dev: 0, ino: 8, mode: 16, nlink: 20, nlink64: false, uid: 24, gid: 28, rdev: 32, st_size: 48, blksize: 56, blksize64: false, blocks: 64, atime: 72, mtime: 88, ctime: 104 },
};

/** Offsets in struct statfs (all fields are longs but f_fsid, two ints). */
const STATFS_LAYOUTS: Record<string, { size: number; word: 8 }> = {
  x64: { size: 120, word: 8 },
  arm64: { size: 120, word: 8 },
};

function layoutFor<T>(table: Record<string, T>, what: string): T {
  const l = table[process.arch];
  if (!l) throw new Error(`${what}: no layout for architecture ${process.arch}`);
  return l;
}

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;

let statBuf: Uint8Array | undefined;
let statU32: Uint32Array | undefined;
let statI32: Int32Array | undefined;
let pathBuf = new Uint8Array(4096);

/** A path as C wants it: a "binary" (latin1) string is one byte per char. */
function cpathLatin1(p: string): Uint8Array {
  const n = p.length;
  if (n + 1 > pathBuf.length) pathBuf = new Uint8Array(n + 1024);
  for (let i = 0; i < n; i++) pathBuf[i] = p.charCodeAt(i);
  pathBuf[n] = 0;
  return pathBuf;
}

/**
 * fstatat(2) on a path given as a latin1 string (one char per byte), relative
 * to dirfd (AT_FDCWD for the cwd). follow=false is lstat. Throws SyscallError.
 */
export function statAt(dirfd: number, pathLatin1: string, follow = false): RawStat {
  const L = layoutFor(STAT_LAYOUTS, "stat");
  if (!statBuf) {
    statBuf = new Uint8Array(L.size);
    statU32 = new Uint32Array(statBuf.buffer);
    statI32 = new Int32Array(statBuf.buffer);
  }
  const ret = lib().fstatat(dirfd, cpathLatin1(pathLatin1), statBuf, follow ? 0 : AT_SYMLINK_NOFOLLOW);
  if (ret < 0) fail(follow ? "stat" : "lstat", pathLatin1);
  const u = statU32!, s = statI32!;
  // Little-endian 64-bit fields: low word + high word (unsigned, or signed for off_t and times).
  const U = (o: number) => u[o >> 2] + u[(o >> 2) + 1] * 4294967296;
  const S = (o: number) => u[o >> 2] + s[(o >> 2) + 1] * 4294967296;
  return {
    dev: U(L.dev), ino: U(L.ino), mode: u[L.mode >> 2],
    nlink: L.nlink64 ? U(L.nlink) : u[L.nlink >> 2],
    uid: u[L.uid >> 2], gid: u[L.gid >> 2], rdev: U(L.rdev),
    size: S(L.st_size), blksize: L.blksize64 ? S(L.blksize) : s[L.blksize >> 2], blocks: S(L.blocks),
    atimeSec: S(L.atime), atimeNsec: S(L.atime + 8), mtimeSec: S(L.mtime), mtimeNsec: S(L.mtime + 8),
    ctimeSec: S(L.ctime), ctimeNsec: S(L.ctime + 8),
  };
}

/** st_rdev (or st_dev) split as glibc's major()/minor() do. */
export function devMajor(dev: number): number {
  return Number(((BigInt(dev) >> 32n) & 0xfffff000n) | ((BigInt(dev) >> 8n) & 0xfffn));
}
export function devMinor(dev: number): number {
  return Number(((BigInt(dev) >> 12n) & 0xffffff00n) | (BigInt(dev) & 0xffn));
}

export interface Statfs {
  type: number; bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number;
  /** f_fsid as two unsigned ints, in memory order. */
  fsid: [number, number];
  namelen: number; frsize: number; flags: number;
}

/** statfs(2). Throws SyscallError. */
export function statfs(pathLatin1: string): Statfs {
  const L = layoutFor(STATFS_LAYOUTS, "statfs");
  const buf = new Uint8Array(L.size);
  if (lib().statfs(cpathLatin1(pathLatin1), buf) < 0) fail("statfs", pathLatin1);
  const v = new DataView(buf.buffer);
  const w = (i: number) => v.getUint32(i * 8, true) + v.getUint32(i * 8 + 4, true) * 4294967296;
  return {
    type: w(0), bsize: w(1), blocks: w(2), bfree: w(3), bavail: w(4), files: w(5), ffree: w(6),
    fsid: [v.getUint32(56, true), v.getUint32(60, true)],
    namelen: w(8), frsize: w(9), flags: w(10),
  };
}

/** syncfs(2): flush the filesystem holding fd. */
export function syncfs(fd: number): void {
  check(lib().syncfs(fd), "syncfs");
}

const SYS_GETDENTS64: Record<string, number> = { x64: 217, arm64: 61 };
export const DT = { UNKNOWN: 0, FIFO: 1, CHR: 2, DIR: 4, BLK: 6, REG: 8, LNK: 10, SOCK: 12 } as const;

export interface DirEntry {
  /** The name as a latin1 string (one char per byte). */
  name: string;
  /** d_type: one of DT, or DT.UNKNOWN where the filesystem does not say. */
  type: number;
}

let direntBuf: Buffer | undefined;

/**
 * The entries of an open directory (getdents64(2)) in the kernel's order,
 * without "." and "..": names pushed on `names` (bytes as latin1 strings), and
 * d_type on `types` when given. Each block of records is decoded to one string
 * and the names cut from it: no native call per entry.
 */
function readDirents(fd: number, names: string[], types?: number[], dotted = true): void {
  const nr = layoutFor(SYS_GETDENTS64, "getdents64");
  direntBuf ??= Buffer.allocUnsafe(64 * 1024);
  const buf = direntBuf;
  const getdents = lib().syscall;
  for (;;) {
    const n = Number(getdents(nr, fd, buf, 65536n));
    if (n < 0) fail("getdents64");
    if (n === 0) return;
    const text: string = (buf as any).latin1Slice(0, n);
    for (let off = 0; off < n; ) {
      const reclen = buf[off + 16] | (buf[off + 17] << 8);
      const start = off + 19;
      // NUL-terminated (the padding after the NUL is not cleared: never scan backwards).
      let end = start;
      while (end < n && buf[end] !== 0) end++;
      // Skip "." and ".." (and every name starting with a dot unless `dotted`).
      if (buf[start] !== 46 || (dotted && !(end === start + 1 || (end === start + 2 && buf[start + 1] === 46)))) {
        names.push(text.substring(start, end));
        types?.push(buf[off + 18]);
      }
      off += reclen;
    }
  }
}

/** Every entry of an open directory with its d_type (see readDirents). */
export function readDirFd(fd: number): DirEntry[] {
  const names: string[] = [];
  const types: number[] = [];
  readDirents(fd, names, types);
  return names.map((name, i) => ({ name, type: types[i] }));
}

/** The names in an open directory, "." and ".." left out, and all names starting with "." unless `dotted`. */
export function readDirNames(fd: number, dotted = true): string[] {
  const names: string[] = [];
  readDirents(fd, names, undefined, dotted);
  return names;
}

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/** lseek(2): the new offset. Throws SyscallError (ESPIPE on pipes). */
export function lseek(fd: number, offset: number | bigint, whence: number): number {
  return check(lib().lseek(fd, BigInt(offset), whence), "lseek");
}

// ---- Special files and timestamps (mknod, mkfifo, cp, touch) ----

/** makedev() as glibc and musl define it. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major), mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

/** mknod(2) of a latin1 path: mode carries the file type (S_IFIFO, S_IFCHR, S_IFBLK, S_IFREG, S_IFSOCK). */
export function mknod(pathLatin1: string, mode: number, dev: bigint = 0n): void {
  check(lib().mknod(cpathLatin1(pathLatin1), mode >>> 0, dev), "mknod", pathLatin1);
}

/** utimensat(2)'s special nanosecond values. */
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

export interface Timespec { sec: number; nsec: number }

/**
 * utimensat(AT_FDCWD, latin1 path, [atime, mtime], flags): a time of undefined
 * means "now" (UTIME_NOW); nsec may be UTIME_OMIT to leave that time alone.
 * follow=false acts on a symlink itself. Throws SyscallError.
 */
export function utimensat(pathLatin1: string, atime: Timespec | undefined, mtime: Timespec | undefined, follow = true): void {
  const ts = new BigInt64Array(4);
  const put = (i: number, t: Timespec | undefined) => {
    ts[i * 2] = BigInt(t ? t.sec : 0);
    ts[i * 2 + 1] = BigInt(t ? t.nsec : UTIME_NOW);
  };
  put(0, atime);
  put(1, mtime);
  check(lib().utimensat(AT_FDCWD, cpathLatin1(pathLatin1), ts, follow ? 0 : AT_SYMLINK_NOFOLLOW), "utimensat", pathLatin1);
}

// ---- Many stats without allocation (ls -l of large directories) ----

/** Where statFields() puts each field of struct stat (numbers; times as seconds and nanoseconds). */
export const SF = {
  dev: 0, ino: 1, mode: 2, nlink: 3, uid: 4, gid: 5, rdev: 6, size: 7, blksize: 8, blocks: 9,
  atime: 10, atimeNsec: 11, mtime: 12, mtimeNsec: 13, ctime: 14, ctimeNsec: 15,
} as const;
export const SF_COUNT = 16;

let sfBuf: Uint8Array | undefined;
let sfU32: Uint32Array | undefined;
let sfI32: Int32Array | undefined;
let sfLayout: StatLayout | undefined;

/**
 * fstatat(2) of a latin1 path relative to dirfd into `out` at `at` (SF_COUNT
 * numbers, see SF), allocating nothing. Returns 0, or the errno on failure.
 */
export function statFields(dirfd: number, pathLatin1: string, follow: boolean, out: Float64Array, at = 0): number {
  const L = (sfLayout ??= layoutFor(STAT_LAYOUTS, "stat"));
  if (!sfBuf) {
    sfBuf = new Uint8Array(L.size);
    sfU32 = new Uint32Array(sfBuf.buffer);
    sfI32 = new Int32Array(sfBuf.buffer);
  }
  if (lib().fstatat(dirfd, cpathLatin1(pathLatin1), sfBuf, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0) return errno();
  const u = sfU32!, s = sfI32!;
  out[at + SF.dev] = u[L.dev >> 2] + u[(L.dev >> 2) + 1] * 4294967296;
  out[at + SF.ino] = u[L.ino >> 2] + u[(L.ino >> 2) + 1] * 4294967296;
  out[at + SF.mode] = u[L.mode >> 2];
  out[at + SF.nlink] = L.nlink64 ? u[L.nlink >> 2] + u[(L.nlink >> 2) + 1] * 4294967296 : u[L.nlink >> 2];
  out[at + SF.uid] = u[L.uid >> 2];
  out[at + SF.gid] = u[L.gid >> 2];
  out[at + SF.rdev] = u[L.rdev >> 2] + u[(L.rdev >> 2) + 1] * 4294967296;
  out[at + SF.size] = u[L.st_size >> 2] + s[(L.st_size >> 2) + 1] * 4294967296;
  out[at + SF.blksize] = L.blksize64 ? u[L.blksize >> 2] + s[(L.blksize >> 2) + 1] * 4294967296 : s[L.blksize >> 2];
  out[at + SF.blocks] = u[L.blocks >> 2] + s[(L.blocks >> 2) + 1] * 4294967296;
  const a = L.atime >> 2, m = L.mtime >> 2, c = L.ctime >> 2;
  out[at + SF.atime] = u[a] + s[a + 1] * 4294967296;
  out[at + SF.atimeNsec] = u[a + 2] + s[a + 3] * 4294967296;
  out[at + SF.mtime] = u[m] + s[m + 1] * 4294967296;
  out[at + SF.mtimeNsec] = u[m + 2] + s[m + 3] * 4294967296;
  out[at + SF.ctime] = u[c] + s[c + 1] * 4294967296;
  out[at + SF.ctimeNsec] = u[c + 2] + s[c + 3] * 4294967296;
  return 0;
}

// ---- Reading many small files (tar c) ----
// Node's openSync/readSync/closeSync cost more than the system calls for
// files of a few hundred bytes. These allocate nothing and report failure
// as a negative errno instead of throwing.

/** O_CLOEXEC (the same on x86_64 and aarch64; Node's fs.constants lacks it). */
export const O_CLOEXEC = 0o2000000;

/** pipe2(2) with O_CLOEXEC (a spawned child gets an end only where it is dup'ed): [read, write]. */
export function pipe(): [number, number] {
  const fds = new Int32Array(2);
  check(lib().pipe2(fds, O_CLOEXEC), "pipe2");
  return [fds[0], fds[1]];
}

/** openat(2) of a latin1 path relative to dirfd (absolute paths ignore it): the fd, or -errno. */
export function openAt(dirfd: number, pathLatin1: string, flags: number, mode = 0): number {
  const fd = lib().openat(dirfd, cpathLatin1(pathLatin1), flags, mode);
  return fd < 0 ? -errno() : fd;
}

/** The address of a buffer's first byte, for readAt (the buffer must stay referenced while it is used). */
export function addressOf(buf: Uint8Array): number {
  return ffiModule().ptr(buf);
}

/** read(2) of up to len bytes to memory at `address` (see addressOf): the count, or -errno. */
export function readAt(fd: number, address: number, len: number): number {
  const n = lib().read(fd, address, len) as number;
  return n < 0 ? -errno() : n;
}

/** close(2); errors (only EINTR or EIO on a read-only file) are ignored. */
export function closeFd(fd: number): void {
  lib().close(fd);
}

const SYS_CLOSE_RANGE = 436; // the same on x86_64 and aarch64
let haveCloseRange = true;

/**
 * Closes descriptors in batches, one close_range(2) per run of consecutive
 * numbers among them: a run made only of descriptors we hold holds nobody
 * else's, so closing the whole range is safe.
 */
export class FdCloser {
  private held: Int32Array;
  private count = 0;
  constructor(max = 64) {
    this.held = new Int32Array(max);
  }
  close(fd: number): void {
    this.held[this.count++] = fd;
    if (this.count === this.held.length) this.flush();
  }
  /** Close everything still held. */
  flush(): void {
    const h = this.held;
    for (let i = 0; i < this.count; ) {
      let j = i;
      while (j + 1 < this.count && h[j + 1] === h[j] + 1) j++;
      if (j === i || !haveCloseRange || Number(lib().syscall(SYS_CLOSE_RANGE, h[i], h[j], 0)) < 0) {
        if (j > i) haveCloseRange = false; // ENOSYS before Linux 5.9
        for (let k = i; k <= j; k++) lib().close(h[k]);
      }
      i = j + 1;
    }
    this.count = 0;
  }
}

/** What a listing shows of struct stat; times in whole seconds. */
export interface StatEntry {
  ino: number; mode: number; nlink: number; uid: number; gid: number; rdev: number; size: number; blocks: number;
  atime: number; mtime: number; ctime: number;
}

let namesStat: Uint32Array | undefined;
/** The names statNames() is passing to C: referenced here so that no GC frees them meanwhile. */
let namesText: Buffer | undefined;

/**
 * lstat(2) (or stat(2), follow=true) of many names relative to one directory,
 * for listings of big directories (ls): one fstatat() per name straight from
 * one buffer of NUL-terminated names, into one reused struct stat. Each name
 * gives its fields, or the errno of its failure.
 */
export function statNames(dirfd: number, names: string[], follow: boolean): (StatEntry | number)[] {
  const L = layoutFor(STAT_LAYOUTS, "stat");
  const u = (namesStat ??= new Uint32Array(L.size >> 2));
  const s = new Int32Array(u.buffer);
  const out: (StatEntry | number)[] = [];
  if (!names.length) return out;
  const text = (namesText = Buffer.from(names.join("\0") + "\0", "latin1"));
  const fstatat = lib().fstatat;
  const flags = follow ? 0 : AT_SYMLINK_NOFOLLOW;
  const HI = 4294967296;
  const mode = L.mode >> 2, uid = L.uid >> 2, gid = L.gid >> 2, nl = L.nlink >> 2, rd = L.rdev >> 2, ino = L.ino >> 2;
  const sz = L.st_size >> 2, bl = L.blocks >> 2, at = L.atime >> 2, mt = L.mtime >> 2, ct = L.ctime >> 2;
  // The name's address, a plain number stepped through the buffer.
  let name = ffiModule().ptr(text) as number;
  for (let i = 0; i < names.length; i++) {
    if (fstatat(dirfd, name, u, flags) < 0) out.push(errno());
    else {
      out.push({
        ino: u[ino] + u[ino + 1] * HI, mode: u[mode], nlink: L.nlink64 ? u[nl] + u[nl + 1] * HI : u[nl],
        uid: u[uid], gid: u[gid], rdev: u[rd] + u[rd + 1] * HI, size: u[sz] + s[sz + 1] * HI, blocks: u[bl] + s[bl + 1] * HI,
        atime: u[at] + s[at + 1] * HI, mtime: u[mt] + s[mt + 1] * HI, ctime: u[ct] + s[ct + 1] * HI,
      });
    }
    name += names[i].length + 1;
  }
  namesText = undefined;
  return out;
}

// ---- Terminals (stty, ps, top, watch) and system load (uptime, free) ----

export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;

export interface WinSize { rows: number; cols: number; xpixel: number; ypixel: number }

/** TIOCGWINSZ: the terminal's size. Throws SyscallError (ENOTTY for no terminal). */
export function getWinSize(fd: number): WinSize {
  const w = new Uint16Array(4);
  check(lib().ioctl(fd, BigInt(TIOCGWINSZ), w), "ioctl");
  return { rows: w[0], cols: w[1], xpixel: w[2], ypixel: w[3] };
}

/** TIOCSWINSZ. Throws SyscallError. */
export function setWinSize(fd: number, ws: WinSize): void {
  const w = Uint16Array.of(ws.rows, ws.cols, ws.xpixel, ws.ypixel);
  check(lib().ioctl(fd, BigInt(TIOCSWINSZ), w), "ioctl");
}

/**
 * struct termios as glibc and musl lay it out on Linux: four flag words,
 * c_line, 32 control characters, then the two speeds (which both libcs
 * keep in step with the CBAUD bits of c_cflag).
 */
export interface Termios { iflag: number; oflag: number; cflag: number; lflag: number; line: number; cc: number[] }

export const TCSANOW = 0;
export const TCSADRAIN = 1;
export const TCSAFLUSH = 2;

/** tcgetattr(3). Throws SyscallError. */
export function tcgetattr(fd: number): Termios {
  const buf = new Uint8Array(64);
  check(lib().tcgetattr(fd, buf), "tcgetattr");
  const v = new DataView(buf.buffer);
  return {
    iflag: v.getUint32(0, true), oflag: v.getUint32(4, true), cflag: v.getUint32(8, true), lflag: v.getUint32(12, true),
    line: buf[16], cc: [...buf.subarray(17, 17 + 32)],
  };
}

/** tcsetattr(3); the speeds are taken from c_cflag's CBAUD bits. Throws SyscallError. */
export function tcsetattr(fd: number, action: number, t: Termios): void {
  const buf = new Uint8Array(64);
  const v = new DataView(buf.buffer);
  v.setUint32(0, t.iflag >>> 0, true);
  v.setUint32(4, t.oflag >>> 0, true);
  v.setUint32(8, t.cflag >>> 0, true);
  v.setUint32(12, t.lflag >>> 0, true);
  buf[16] = t.line;
  for (let i = 0; i < 32; i++) buf[17 + i] = t.cc[i] ?? 0;
  const speed = t.cflag & 0o10017;
  v.setUint32(52, speed, true);
  v.setUint32(56, speed, true);
  check(lib().tcsetattr(fd, action, buf), "tcsetattr");
}

export interface SysInfo {
  uptime: number;
  /** Load averages as 16.16 fixed point. */
  loads: [number, number, number];
  /** Memory sizes in units of memUnit bytes. */
  totalram: number; freeram: number; sharedram: number; bufferram: number; totalswap: number; freeswap: number;
  procs: number;
  memUnit: number;
}

/** sysinfo(2). */
export function sysinfo(): SysInfo {
  // struct sysinfo on 64-bit Linux: long uptime, unsigned long loads[3], totalram,
  // freeram, sharedram, bufferram, totalswap, freeswap, u16 procs, totalhigh, freehigh, u32 mem_unit.
  const buf = new BigUint64Array(16);
  check(lib().sysinfo(buf), "sysinfo");
  const w = (i: number) => Number(buf[i]);
  return {
    uptime: w(0), loads: [w(1), w(2), w(3)], totalram: w(4), freeram: w(5), sharedram: w(6), bufferram: w(7),
    totalswap: w(8), freeswap: w(9), procs: new Uint16Array(buf.buffer)[40], memUnit: new Uint32Array(buf.buffer)[26] || 1,
  };
}

/** getsid(2). Throws SyscallError. */
export function getsid(pid = 0): number {
  return check(lib().getsid(pid), "getsid");
}

// ---- Identity and exec (login, su, sulogin, the shell's exec) ----

/** Become uid/gid with these supplementary groups; the order matters: groups and gid first. */
export function dropPrivileges(uid: number, gid: number, groups: number[]): void {
  const list = Uint32Array.from(groups);
  check(lib().setgroups(BigInt(list.length), list.length ? list : null), "setgroups");
  check(lib().setgid(gid), "setgid");
  check(lib().setuid(uid), "setuid");
}

/**
 * execve(2): replace this process with `file`. Returns only on failure (as a
 * thrown SyscallError). Bun's own threads are gone with the old image.
 */
export function execve(file: string, argv: string[], env: Record<string, string>): never {
  const { ptr } = ffiModule();
  const keep: Buffer[] = [];
  const table = (items: string[]) => {
    const t = new BigUint64Array(items.length + 1);
    items.forEach((it, i) => {
      const b = cstr(it);
      keep.push(b);
      t[i] = BigInt(ptr(b));
    });
    return t;
  };
  const path = cstr(file);
  const argvTable = table(argv);
  const envTable = table(Object.entries(env).map(([k, v]) => `${k}=${v}`));
  lib().execve(path, argvTable, envTable);
  fail("execve", file);
}

/**
 * Every signal back to its default action (SIG_DFL), as before an execve(2)
 * that must not pass on what this process ignores (Bun ignores SIGPIPE).
 */
export function resetSignalDispositions(): void {
  for (let sig = 1; sig < 32; sig++) if (sig !== 9 && sig !== 19) lib().signal(sig, null);
}

/** dup(2): a new descriptor for the same open file (without close-on-exec). */
export function dup(fd: number): number {
  return check(lib().dup(fd), "dup");
}

/** dup2(2): make `to` refer to the open file of `from` (the shell's exec). */
export function dup2(from: number, to: number): void {
  check(lib().dup2(from, to), "dup2");
}

export const TIOCSCTTY = 0x540e;

/** TIOCSCTTY: make the terminal on fd this session's controlling terminal (steal = 1 takes it from another session). */
export function setControllingTty(fd: number, steal = 0): void {
  check(lib().ioctl(fd, BigInt(TIOCSCTTY), steal ? steal : null), "ioctl");
}

const F_GETFL = 3, F_SETFL = 4, NONBLOCK = 0o4000;

/** Set or clear O_NONBLOCK on an open file (fcntl F_SETFL). */
export function setNonBlocking(fd: number, on: boolean): void {
  const flags = check(lib().fcntl(fd, F_GETFL, 0n), "fcntl");
  check(lib().fcntl(fd, F_SETFL, BigInt(on ? flags | NONBLOCK : flags & ~NONBLOCK)), "fcntl");
}

export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

/** flock(2). With LOCK_NB: false when another open file holds a conflicting lock. */
export function flock(fd: number, op: number): boolean {
  if (lib().flock(fd, op) === 0) return true;
  if (errnoName(errno()) === "EWOULDBLOCK" || errnoName(errno()) === "EAGAIN") return false;
  fail("flock");
}

export const POLLIN = 1;

/**
 * poll(2) on one descriptor: the revents bits, 0 on timeout (ms; -1 waits
 * forever). EINTR counts as a timeout. Blocks the whole thread: callers keep
 * the timeout short where the event loop must run.
 */
export function pollFd(fd: number, events: number, timeoutMs: number): number {
  const pfd = new Int32Array(2);
  pfd[0] = fd;
  pfd[1] = events;
  const n = lib().poll(pfd, 1n, timeoutMs);
  if (n < 0) {
    if (errno() === constants.errno.EINTR) return 0;
    fail("poll");
  }
  return n === 0 ? 0 : pfd[1] >>> 16;
}

// ---- Unix datagram sockets (syslogd's /dev/log, logger) and the kernel log ----
// Node and Bun have no unix datagram sockets (node:dgram is UDP only).

const AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0o2000000, MSG_DONTWAIT = 0x40;

function sockaddrUn(file: string): Uint8Array {
  const name = Buffer.from(file);
  if (name.length > 107) throw new SyscallError("socket", 36, "ENAMETOOLONG", file);
  const sa = new Uint8Array(110);
  sa[0] = AF_UNIX; // sa_family, little-endian u16
  sa.set(name, 2);
  return sa;
}

/** A unix datagram socket, bound to `file` (syslogd) or connected to it (logger). */
export function unixDgramSocket(file: string, mode: "bind" | "connect"): number {
  const fd = check(lib().socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
  const sa = sockaddrUn(file);
  if (lib()[mode](fd, sa, sa.length) < 0) {
    const n = errno();
    require("node:fs").closeSync(fd);
    throw new SyscallError(mode, n, errnoName(n), file);
  }
  return fd;
}

/**
 * One datagram (at most buf.length bytes): its length, or -1 when none is
 * waiting. `from`, when given, receives the sender's address.
 */
export function recvDatagram(fd: number, buf: Uint8Array, from?: Uint8Array): number {
  const fromLen = from ? new Uint32Array([from.length]) : null;
  const n = Number(lib().recvfrom(fd, buf, BigInt(buf.length), MSG_DONTWAIT, from ?? null, fromLen));
  if (n < 0) {
    const e = errnoName(errno());
    if (e === "EAGAIN" || e === "EWOULDBLOCK" || e === "EINTR") return -1;
    fail("recv");
  }
  return n;
}

// ---- The kernel's uevents (mdev -d), on a netlink socket ----

const AF_NETLINK = 16, NETLINK_KOBJECT_UEVENT = 15;
/** The multicast group the kernel sends uevents to (udevd re-broadcasts on 2). */
const UEVENT_KERNEL_GROUP = 1;
/** sizeof(struct sockaddr_nl): family u16, pad u16, port id u32, groups u32. */
export const SOCKADDR_NL_SIZE = 12;

/** A netlink socket that receives the kernel's uevents. */
export function ueventSocket(): number {
  const fd = check(lib().socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT), "socket");
  const sa = new Uint8Array(SOCKADDR_NL_SIZE);
  const view = new DataView(sa.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(8, UEVENT_KERNEL_GROUP, true); // port id 0: the kernel picks one
  if (lib().bind(fd, sa, sa.length) < 0) {
    const n = errno();
    require("node:fs").closeSync(fd);
    throw new SyscallError("bind", n, errnoName(n), "netlink uevent");
  }
  return fd;
}

/** The sender's netlink port id in a sockaddr_nl from recvDatagram: 0 is the kernel. */
export function netlinkSenderPort(sa: Uint8Array): number {
  return new DataView(sa.buffer, sa.byteOffset, sa.byteLength).getUint32(4, true);
}

/** Send one datagram on a connected socket. */
export function sendDatagram(fd: number, data: Uint8Array): void {
  check(lib().send(fd, data, BigInt(data.length), 0), "send");
}

/** syslog(2)'s actions (klogctl). */
export const SYSLOG_ACTION = { READ: 2, READ_ALL: 3, READ_CLEAR: 4, CLEAR: 5, CONSOLE_LEVEL: 8, SIZE_BUFFER: 10 } as const;

/** klogctl(3): read into buf (READ blocks until there is something), or act; returns the count. */
export function klogctl(action: number, buf: Uint8Array | null = null, len = buf?.length ?? 0): number {
  return check(lib().klogctl(action, buf, len), "klogctl");
}

/** clock_settime(CLOCK_REALTIME): set the system clock (date -s); needs CAP_SYS_TIME. */
export function setRealtimeClock(sec: number, nsec = 0): void {
  const ts = new BigInt64Array([BigInt(sec), BigInt(nsec)]);
  check(lib().clock_settime(0, ts), "clock_settime");
}

/** _exit(2): end the process now, without exit handlers (see lib/term.ts). */
export function exitNow(status: number): never {
  lib()._exit(status & 0xff);
  throw new Error("_exit returned");
}

// ---- Kernel modules, swap, roots (modprobe, insmod, rmmod, swapon, chroot) ----

const SYS_FINIT_MODULE: Record<string, number> = { x64: 313, arm64: 273 };
const SYS_PIVOT_ROOT: Record<string, number> = { x64: 155, arm64: 41 };

/** finit_module(2): load the module in an open file. */
export function finitModule(fd: number, params: string, flags = 0): void {
  check(lib().syscall(layoutFor(SYS_FINIT_MODULE, "finit_module"), fd, cstr(params), BigInt(flags)), "finit_module");
}

/** init_module(2): load a module image from memory (a decompressed .ko.xz). */
export function initModule(image: Uint8Array, params: string): void {
  check(lib().init_module(image, BigInt(image.length), cstr(params)), "init_module");
}

/** delete_module(2) flags: O_NONBLOCK (don't wait) and O_TRUNC (force). */
export const DELETE_NONBLOCK = 0o4000;
export const DELETE_FORCE = 0o1000;

/** delete_module(2). */
export function deleteModule(name: string, flags = DELETE_NONBLOCK): void {
  check(lib().delete_module(cstr(name), flags), "delete_module", name);
}

export function chroot(dir: string): void {
  check(lib().chroot(cstr(dir)), "chroot", dir);
}

export function pivotRoot(newRoot: string, putOld: string): void {
  const { ptr } = ffiModule();
  const a = cstr(newRoot), b = cstr(putOld);
  check(lib().syscall(layoutFor(SYS_PIVOT_ROOT, "pivot_root"), BigInt(ptr(a)), b, 0n), "pivot_root");
}

export const SWAP_FLAG_PREFER = 0x8000;
export const SWAP_FLAG_DISCARD = 0x10000;

export function swapon(file: string, flags = 0): void {
  check(lib().swapon(cstr(file), flags), "swapon", file);
}

export function swapoff(file: string): void {
  check(lib().swapoff(cstr(file)), "swapoff", file);
}

/** ioctl whose third argument is a plain integer (LOOP_SET_FD, LOOP_CLR_FD, LOOP_CTL_GET_FREE). */
export function ioctlValue(fd: number, request: number, value: number): number {
  return check(lib().ioctl(fd, BigInt(request), value), "ioctl");
}
