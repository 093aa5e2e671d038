// Errors an applet can raise. The dispatcher prints them BusyBox-style as
// "applet: message" on stderr and turns them into the exit status.

/** A failure with a message for the user and the exit status to return. */
export class AppletError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
    this.name = "AppletError";
  }
}

/** Bad command line: printed with the applet's usage, like BusyBox's bb_show_usage(). */
export class UsageError extends AppletError {
  constructor(message = "", status = 1) {
    super(message, status);
    this.name = "UsageError";
  }
}

/** A failed system call, carrying the errno name (ENOENT, EPERM, ...). */
export class SyscallError extends Error {
  constructor(readonly call: string, readonly errno: number, readonly code: string, readonly detail?: string) {
    super(`${call}${detail ? ` ${detail}` : ""}: ${describeErrno(code, errno)}`);
    this.name = "SyscallError";
  }
}

// The C library's wording for the errno values users meet most, as BusyBox prints them.
const ERRNO_TEXT: Record<string, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "I/O error",
  ENXIO: "No such device or address",
  E2BIG: "Argument list too long",
  ENOEXEC: "Exec format error",
  EBADF: "Bad file descriptor",
  ECHILD: "No child process",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Out of memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  ENOTBLK: "Block device required",
  EBUSY: "Resource busy",
  EEXIST: "File exists",
  EXDEV: "Cross-device link",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "No file descriptors available",
  ENOTTY: "Inappropriate ioctl for device",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  ESPIPE: "Invalid seek",
  EROFS: "Read-only file system",
  EMLINK: "Too many links",
  EPIPE: "Broken pipe",
  ERANGE: "Result not representable",
  ENAMETOOLONG: "Filename too long",
  ENOSYS: "Function not implemented",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Symbolic link loop",
  ENOTSUP: "Not supported",
  EOPNOTSUPP: "Not supported",
  ETIMEDOUT: "Operation timed out",
  ECONNREFUSED: "Connection refused",
};

export function describeErrno(code: string | undefined, errno?: number): string {
  if (code && ERRNO_TEXT[code]) return ERRNO_TEXT[code];
  return code ?? `error ${errno ?? "?"}`;
}

/** The message part of any thrown value, with Node/Bun fs errors in libc wording. */
export function errorMessage(err: unknown): string {
  if (err instanceof AppletError || err instanceof SyscallError) return err.message;
  if (err && typeof err === "object" && "code" in err && typeof (err as any).code === "string") {
    const text = describeErrno((err as any).code);
    if (text !== (err as any).code) return text;
  }
  return err instanceof Error ? err.message : String(err);
}

/** errno name of a thrown fs/syscall error, if any. */
export function errnoCode(err: unknown): string | undefined {
  if (err instanceof SyscallError) return err.code;
  if (err && typeof err === "object" && "code" in err) return String((err as any).code);
  return undefined;
}
