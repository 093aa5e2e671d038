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
} as const;

type Ffi = typeof import("bun:ffi");
/** The C functions, loosely typed: each wrapper below gives its own precise signature. */
type Libc = Record<keyof typeof SYMBOLS, (...args: any[]) => any>;
let ffi: Ffi | undefined;
let libc: Libc | undefined;

function lib(): Libc {
  if (!libc) {
    ffi = require("bun:ffi") as Ffi;
    libc = ffi.dlopen("libc.so.6", SYMBOLS as any).symbols as unknown as Libc;
  }
  return libc!;
}

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, num]) => [num as number, name]),
);

export function errno(): number {
  const p = lib().__errno_location() as Pointer;
  return ffi!.read.i32(p, 0);
}

export function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `E${n}`;
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
export const WEXITED = 4;
export const WNOWAIT = 0x01000000;

/** siginfo_t fields we use (same offsets on x86_64 and aarch64). */
export interface ChildInfo { pid: number; code: number; status: number }

/** waitid(); returns undefined when WNOHANG finds nothing to report. */
export function waitid(idtype: number, id: number, options: number): ChildInfo | undefined {
  const info = new Int32Array(32); // siginfo_t is 128 bytes
  check(lib().waitid(idtype, id, info, options), "waitid");
  const pid = info[4];
  if (pid === 0) return undefined;
  return { pid, code: info[2], status: info[6] };
}

/** waitpid(); returns [pid, raw status]; pid 0 with WNOHANG when nothing exited. */
export function waitpid(pid: number, options = 0): [number, number] {
  const status = new Int32Array(1);
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
