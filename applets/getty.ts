// getty: open a terminal line, set its speed and modes, show /etc/issue,
// read a login name and hand over to login. As BusyBox's getty, the name is
// read in raw mode with its own echo and editing (erase with BS or DEL, ^U
// kills the line, ^C/^D give up), a BREAK (NUL) moves to the next speed,
// and the line gets its cooked modes back (with the erase character used)
// before `LOGIN -- NAME` is executed. Failures go nowhere but the exit
// status, as BusyBox's do (its messages go to syslog).
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { baudCode, CBAUD } from "../lib/baud.ts";
import { AppletError, describeErrno, errorMessage, UsageError } from "../lib/errors.ts";
import { processEscapes } from "../lib/escapes.ts";
import { resolveCommand } from "../lib/exec.ts";
import { expandIssue } from "../lib/issue.ts";
import { LOG_AUTH, LOG_ERR, syslog } from "../lib/syslog.ts";
import {
  dup2, execve, exitNow, pollFd, POLLIN, setControllingTty, setNonBlocking, setsid, tcgetattr, tcsetattr, TCSANOW, uname, type Termios,
} from "../lib/syscalls.ts";
import { keepTerminalModes } from "../lib/term.ts";

// termios bits (Linux, x86_64 and aarch64).
const C = { CSTOPB: 0o100, PARENB: 0o400, PARODD: 0o1000, CMSPAR: 0o10000000000, CIBAUD: 0o2003600000, CS8: 0o60, CREAD: 0o200, HUPCL: 0o2000, CLOCAL: 0o4000, CRTSCTS: 0o20000000000 };
const I = { ICRNL: 0o400, IXON: 0o2000, IXOFF: 0o10000 };
const O = { OPOST: 0o1, ONLCR: 0o4 };
const L = { ISIG: 0o1, ICANON: 0o2, ECHO: 0o10, ECHOE: 0o20, ECHOK: 0o40, ECHOCTL: 0o1000, ECHOKE: 0o4000 };
const V = { INTR: 0, QUIT: 1, ERASE: 2, KILL: 3, EOF: 4, TIME: 5, MIN: 6, SWTC: 7, EOL: 11 };
const BS = 8, DEL = 127, CTRL_C = 3, CTRL_D = 4, CTRL_U = 21;

interface Line { fd: number; tty: string; attrs: Termios; deadline?: number }

/**
 * A failure after the line was named: wait 10 s first, as BusyBox's getty
 * does, so that init does not respawn a broken line at full speed.
 */
function die(msg: string): never {
  syslog(LOG_AUTH | LOG_ERR, "getty", msg);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  exitNow(1);
}

/** Leave at once, quietly: the terminal keeps the modes we gave it (Bun would restore its own). */
function quit(status: number): never {
  exitNow(status);
}

/** One byte from the line, or undefined at end of input; -t's deadline ends getty quietly. */
function readByte(line: Line): number | undefined {
  const buf = new Uint8Array(1);
  for (;;) {
    const wait = line.deadline === undefined ? -1 : line.deadline - Date.now();
    if (line.deadline !== undefined && wait <= 0) timedOut();
    if (!pollFd(0, POLLIN, wait)) continue;
    try {
      return fs.readSync(0, buf, 0, 1, null) === 1 ? buf[0] : undefined;
    } catch (err: any) {
      if (err?.code !== "EAGAIN" && err?.code !== "EINTR") return undefined;
    }
  }
}

function timedOut(): never {
  write("\n");
  quit(0);
}

function write(s: string): void {
  fs.writeSync(1, Buffer.from(s, "latin1"));
}

function parseSpeeds(arg: string): number[] {
  return arg.split(",").map((s) => {
    const code = /^\d+$/.test(s) ? baudCode(Number(s)) : undefined;
    if (code === undefined) throw new UsageError(`bad speed: ${s}`);
    return code;
  });
}

/** Open the line (or take stdin for "-") as our controlling terminal on fds 0, 1 and 2. */
function openLine(ttyArg: string): string {
  try {
    setsid();
  } catch {
    // Already a session leader (started by a terminal emulator): keep that session.
  }
  let tty = ttyArg;
  if (tty !== "-") {
    if (!tty.startsWith("/")) tty = "/dev/" + tty;
    let fd: number;
    try {
      fd = fs.openSync(tty, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    } catch (err) {
      die(`can't open '${tty}': ${errorMessage(err)}`);
    }
    for (const n of [0, 1, 2]) dup2(fd, n);
    if (fd > 2) fs.closeSync(fd);
    setNonBlocking(0, false);
  } else {
    try {
      tty = fs.readlinkSync("/proc/self/fd/0");
    } catch {}
  }
  try {
    tcgetattr(0);
  } catch {
    die(`${tty}: not a tty`);
  }
  try {
    setControllingTty(0);
  } catch {}
  if (ttyArg !== "-") {
    try {
      fs.fchownSync(0, 0, 0);
      fs.fchmodSync(0, 0o620);
    } catch {}
  }
  return tty;
}

/** Raw, 8-bit, the first speed: the state in which the name is read. */
function rawModes(t: Termios, speed: number, opts: Record<string, any>): Termios {
  let cflag = t.cflag & (C.CSTOPB | C.PARENB | C.PARODD | C.CMSPAR | CBAUD | C.CIBAUD);
  if (speed !== 0) cflag = (cflag & ~CBAUD) | speed;
  cflag |= C.CS8 | C.HUPCL | C.CREAD;
  if (opts.L) cflag |= C.CLOCAL;
  if (opts.h) cflag |= C.CRTSCTS;
  const cc = [...t.cc];
  cc[V.MIN] = 1;
  cc[V.TIME] = 0;
  return { iflag: 0, oflag: O.OPOST | O.ONLCR, cflag, lflag: 0, line: 0, cc };
}

/** The cooked modes login gets, with the erase character and line end the user typed. */
function finalModes(t: Termios, erase: number, eol: number): Termios {
  const cc = [...t.cc];
  Object.assign(cc, { [V.INTR]: 3, [V.QUIT]: 0x1c, [V.EOF]: 4, [V.EOL]: 10, [V.SWTC]: 0, [V.ERASE]: erase, [V.KILL]: CTRL_U });
  return {
    ...t,
    iflag: t.iflag | I.IXON | I.IXOFF | (eol === 13 ? I.ICRNL : 0),
    oflag: t.oflag | (eol === 13 ? O.ONLCR : 0),
    lflag: t.lflag | L.ECHO | L.ECHOE | L.ECHOK | L.ICANON | L.ISIG | L.ECHOCTL | L.ECHOKE,
    cc,
  };
}

interface Name { name: string; erase: number; eol: number }

/**
 * Show the issue and prompt, and read a name. undefined: a BREAK asked for
 * the next speed. ^C or ^D end getty.
 */
function readName(ctx: Context, line: Line, opts: Record<string, any>, hostname: string, speeds: number): Name | undefined {
  for (;;) {
    if (!opts.i) {
      write("\r\n");
      let text: string | undefined;
      try {
        text = fs.readFileSync(opts.f ?? "/etc/issue", "latin1");
      } catch {}
      if (text !== undefined) write(expandIssue(text, line.tty, ctx.env.TZ));
    }
    write(`${hostname} login: `);
    let name = "";
    let erase = DEL;
    for (;;) {
      const c = readByte(line);
      if (c === undefined || c === CTRL_C || c === CTRL_D) {
        tcsetattr(0, TCSANOW, finalModes(line.attrs, erase, 13));
        write("\n");
        quit(0);
      }
      if (c === 0 && speeds > 1) return undefined;
      if (c === 13 || c === 10) {
        if (name) return { name, erase, eol: c };
        break;
      }
      if (c === BS || c === DEL) {
        erase = c;
        if (name) {
          write("\b \b");
          name = name.slice(0, -1);
        }
      } else if (c === CTRL_U) {
        write("\b \b".repeat(name.length));
        name = "";
      } else if (c >= 32) {
        name += String.fromCharCode(c);
        write(String.fromCharCode(c));
      }
    }
  }
}

defineApplet({
  name: "getty",
  dir: "/sbin",
  usage: "[OPTIONS] BAUD_RATE[,BAUD_RATE]... TTY [TERMTYPE]",
  summary: "Open TTY, prompt for login name, then invoke /bin/login",
  options: [
    "-h  Enable hardware RTS/CTS flow control",
    "-L  Set CLOCAL (ignore Carrier Detect state)",
    "-m  Get baud rate from modem's CONNECT status message",
    "-n  Don't prompt for login name",
    "-w  Wait for CR or LF before sending /etc/issue",
    "-i  Don't display /etc/issue",
    "-f ISSUE_FILE  Display ISSUE_FILE instead of /etc/issue",
    "-l LOGIN  Invoke LOGIN instead of /bin/login",
    "-t SEC  Terminate after SEC if no login name is read",
    "-I INITSTR  Send INITSTR before anything else",
    "-H HOST  Log HOST into the utmp file as the hostname",
    "-a USER  Log USER in without asking (login -f USER)",
  ],
  minOperands: 2,
  async run(ctx, opts, operands) {
    let [speedArg, ttyArg, termType] = operands;
    // Either order: "getty 9600 ttyS0" or "getty ttyS0 9600".
    if (!/^\d/.test(speedArg)) [speedArg, ttyArg] = [ttyArg, speedArg];
    const speeds = parseSpeeds(speedArg);
    const timeout = opts.t === undefined ? 0 : Number(opts.t);
    if (!Number.isInteger(timeout) || timeout < 0) throw new AppletError(`invalid number '${opts.t}'`);
    keepTerminalModes();
    const tty = openLine(ttyArg);
    const line: Line = { fd: 0, tty, attrs: rawModes(tcgetattr(0), speeds[0], opts) };
    tcsetattr(0, TCSANOW, line.attrs);
    if (opts.I !== undefined) write(processEscapes(opts.I));
    if (timeout) line.deadline = Date.now() + timeout * 1000;

    const env = { ...ctx.env };
    if (termType) env.TERM = termType;
    let result: Name = { name: "", erase: DEL, eol: 13 };
    if (!opts.n && opts.a === undefined) {
      if (opts.w) for (let c; (c = readByte(line)) !== 13 && c !== 10; ) if (c === undefined) quit(0);
      const hostname = uname().nodename;
      for (let k = 0; ; k = (k + 1) % speeds.length) {
        if (k !== 0 || speeds.length > 1) {
          line.attrs = { ...line.attrs, cflag: (line.attrs.cflag & ~CBAUD) | speeds[k] };
          tcsetattr(0, TCSANOW, line.attrs);
        }
        const got = readName(ctx, line, opts, hostname, speeds.length);
        if (got) {
          result = got;
          break;
        }
      }
    }
    tcsetattr(0, TCSANOW, finalModes(line.attrs, result.erase, result.eol));
    write("\n");
    const login = opts.l ?? "/bin/login";
    const argv = opts.a !== undefined ? [login, "-f", opts.a] : result.name ? [login, "--", result.name] : [login, "--"];
    const where = resolveCommand(login, env, ctx.cwd);
    try {
      if ("error" in where) throw new Error(describeErrno(where.error));
      execve(where.file, argv, env);
    } catch (err) {
      die(`can't execute '${login}': ${errorMessage(err).replace(/^execve [^:]*: /, "")}`);
    }
  },
});
