// syslogd: read messages from /dev/log (a unix datagram socket) and write
// them as BusyBox does: "Mmm dd hh:mm:ss HOST FACILITY.LEVEL MSG" (-S:
// "Mmm dd hh:mm:ss MSG") to /var/log/messages, -O FILE or stdout ("-"),
// rotated past -s KB into FILE.0 ... FILE.N-1 (-b); or (-C) to the circular
// buffer logread reads (lib/logbuf.ts: a file in /dev/shm, not SysV shm);
// and (-R) to a remote syslogd over UDP. A datagram may hold several
// messages (split at newlines and NULs); control characters but tab show as ^X.
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import { defineApplet, PIKA_VERSION, resolvePath, type Context } from "../lib/applet.ts";
import { respawnInBackground } from "../lib/daemon.ts";
import { AppletError } from "../lib/errors.ts";
import { LOGBUF_PATH, LogRing, writeLogBuffer } from "../lib/logbuf.ts";
import { pollFd, POLLIN, recvDatagram, uname, unixDgramSocket } from "../lib/syscalls.ts";
import { LOG_INFO, LOG_NOTICE, LOG_PATH, LOG_PRIMASK, LOG_SYSLOG, LOG_USER, priorityName, syslogStamp } from "../lib/syslog.ts";

const STAMP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;

interface Settings {
  file?: string; // undefined: no local file (-C or -R alone)
  rotateBytes: number;
  keep: number;
  small: boolean;
  stripStamps: boolean;
  maxLevel: number; // log levels below this
  dropDups: boolean;
  ring?: LogRing;
  remote?: { host: string; port: number; sock: dgram.Socket };
}

class Sink {
  private fd?: number;
  private ino?: number;
  private last?: string;
  constructor(private ctx: Context, private s: Settings, private host: string) {}

  log(pri: number, raw: string, now: number): void {
    const s = this.s;
    if ((pri & LOG_PRIMASK) >= s.maxLevel) return;
    let stamp: string, msg: string;
    if (STAMP.test(raw) && !s.stripStamps) [stamp, msg] = [raw.slice(0, 15), raw.slice(16)];
    else [stamp, msg] = [syslogStamp(now, this.ctx.env.TZ), STAMP.test(raw) ? raw.slice(16) : raw];
    if (s.dropDups && msg === this.last) return;
    this.last = msg;
    const line = s.small ? `${stamp} ${msg}\n` : `${stamp} ${this.host} ${priorityName(pri)} ${msg}\n`;
    if (s.remote) s.remote.sock.send(Buffer.from(`<${pri}>${stamp} ${msg}\n`, "latin1"), s.remote.port, s.remote.host);
    if (s.ring) {
      s.ring.add(line);
      writeLogBuffer({ seq: s.ring.seq, lines: s.ring.lines });
    } else if (s.file !== undefined) this.toFile(line);
  }

  private toFile(line: string): void {
    const bytes = Buffer.from(line, "latin1");
    if (this.s.file === "-") {
      fs.writeSync(1, bytes);
      return;
    }
    const file = this.s.file!;
    // Reopen when the file was moved or removed (logrotate, rm).
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file);
    } catch {}
    if (this.fd !== undefined && (!st || st.ino !== this.ino)) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.fd === undefined) {
      try {
        this.fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_NOCTTY, 0o666);
        this.ino = fs.fstatSync(this.fd).ino;
      } catch {
        return; // nowhere to write: BusyBox drops the message too
      }
    }
    fs.writeSync(this.fd, bytes);
    if (this.s.rotateBytes && fs.fstatSync(this.fd).size > this.s.rotateBytes) this.rotate(file);
  }

  /** FILE -> FILE.0 -> FILE.1 ... (keep N); with -b 0 the file is only emptied. */
  private rotate(file: string): void {
    if (this.s.keep === 0) {
      fs.ftruncateSync(this.fd!, 0);
      return;
    }
    for (let i = this.s.keep - 1; i > 0; i--) {
      try {
        fs.renameSync(`${file}.${i - 1}`, `${file}.${i}`);
      } catch {}
    }
    fs.renameSync(file, `${file}.0`);
    fs.closeSync(this.fd!);
    this.fd = undefined;
  }
}

/** Messages in one datagram: "<PRI>text" pieces split at newlines and NULs. */
export function splitMessages(data: string): [number, string][] {
  const out: [number, string][] = [];
  for (const piece of data.split(/[\n\0]/)) {
    if (piece === "") continue;
    let pri = LOG_USER | LOG_NOTICE;
    let text = piece;
    const m = /^<(\d+)>/.exec(piece);
    if (m) {
      pri = Number(m[1]) & 0x3ff;
      text = piece.slice(m[0].length);
    }
    text = text.replace(/[\x00-\x08\x0a-\x1f]/g, (c) => "^" + String.fromCharCode(c.charCodeAt(0) + 64));
    if (text) out.push([pri, text]);
  }
  return out;
}

function kib(value: string): number {
  if (!/^\d+$/.test(value)) throw new AppletError(`invalid number '${value}'`);
  return Number(value) * 1024;
}

defineApplet({
  name: "syslogd",
  usage: "[OPTIONS]",
  summary: "System logging utility\n(this version of syslogd ignores /etc/syslog.conf)",
  options: [
    "-n  Run in foreground",
    "-R HOST[:PORT]  Log to HOST:PORT (default PORT:514)",
    "-L  Log locally and via network (default is network only if -R)",
    "-C[=SIZE_KB]  Log to shared mem buffer (use logread to read it)",
    "-O FILE  Log to FILE (default: /var/log/messages, stdout if -)",
    "-s SIZE  Max size (KB) before rotation (default 200KB, 0=off)",
    "-b N  N rotated logs to keep (default 1, max 99, 0=purge)",
    "-l N  Log only messages more urgent than prio N (1-8)",
    "-S  Smaller output",
    "-t  Strip client-generated timestamps",
    "-D  Drop duplicates",
  ],
  dir: "/sbin",
  async run(ctx, opts) {
    const settings: Settings = {
      file: opts.O === undefined ? "/var/log/messages" : opts.O === "-" ? "-" : resolvePath(ctx, opts.O),
      rotateBytes: opts.s === undefined ? 200 * 1024 : kib(opts.s),
      keep: opts.b === undefined ? 1 : Math.min(99, Number(opts.b)),
      small: !!opts.S,
      stripStamps: !!opts.t,
      maxLevel: opts.l === undefined ? 8 : Number(opts.l),
      dropDups: !!opts.D,
    };
    if (!Number.isInteger(settings.keep) || settings.keep < 0) throw new AppletError(`invalid number '${opts.b}'`);
    if (!(settings.maxLevel >= 1 && settings.maxLevel <= 8)) throw new AppletError(`invalid number '${opts.l}'`);
    if (opts.C !== undefined) settings.ring = new LogRing(opts.C === "" ? 16 * 1024 : kib(opts.C));
    if (opts.R !== undefined) {
      const [host, port] = opts.R.split(":");
      settings.remote = { host, port: port ? Number(port) : 514, sock: dgram.createSocket(host.includes(":") ? "udp6" : "udp4") };
      if (!opts.L) settings.file = undefined;
    }
    if (!opts.n) {
      respawnInBackground(ctx);
      return 0;
    }

    try {
      fs.unlinkSync(LOG_PATH);
    } catch {}
    const sock = unixDgramSocket(LOG_PATH, "bind");
    fs.chmodSync(LOG_PATH, 0o666);
    const host = uname().nodename.split(".")[0];
    const sink = new Sink(ctx, settings, host);
    const self = (msg: string) => sink.log(LOG_SYSLOG | LOG_INFO, `syslogd ${msg}`, Math.floor(Date.now() / 1000));
    self(`started: Pika v${PIKA_VERSION}`);

    let stop = false;
    let stoppedBy: NodeJS.Signals | undefined;
    const onSignal = (sig?: NodeJS.Signals) => {
      stop = true;
      if (typeof sig === "string") stoppedBy = sig;
    };
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"] as const) process.on(sig, onSignal);
    ctx.signal?.addEventListener("abort", () => onSignal());
    const buf = new Uint8Array(64 * 1024);
    try {
      while (!stop) {
        if (pollFd(sock, POLLIN, 250)) {
          for (let n; (n = recvDatagram(sock, buf)) >= 0; ) {
            const now = Math.floor(Date.now() / 1000);
            for (const [pri, text] of splitMessages(Buffer.from(buf.subarray(0, n)).toString("latin1"))) sink.log(pri, text, now);
          }
        }
        // Let signal handlers run.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      self("exiting");
      fs.closeSync(sock);
      try {
        fs.unlinkSync(LOG_PATH);
      } catch {}
      if (settings.ring) try { fs.unlinkSync(LOGBUF_PATH); } catch {}
      for (const sig of ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"] as const) process.off(sig, onSignal);
      settings.remote?.sock.close();
    }
    // As BusyBox: die of the signal that stopped us, so that a parent sees it.
    if (stoppedBy) process.kill(process.pid, stoppedBy);
    return 0;
  },
});
