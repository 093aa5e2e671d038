// syslogd -C's circular buffer, shared with logread. BusyBox keeps it in
// SysV shared memory; here it is a file on tmpfs (/dev/shm): a first line
// with the number of messages ever logged, then the newest lines that fit.
// syslogd replaces it through a rename, so a reader never sees half of it.
import * as fs from "node:fs";

export const LOGBUF_PATH = "/dev/shm/pika-syslogd.buf";

export interface LogBuffer { seq: number; lines: string[] }

export function writeLogBuffer(buf: LogBuffer, file = LOGBUF_PATH): void {
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, `${buf.seq}\n${buf.lines.join("")}`, { encoding: "latin1", mode: 0o644 });
  fs.renameSync(tmp, file);
}

/** The buffer; throws (ENOENT) when no syslogd -C runs. */
export function readLogBuffer(file = LOGBUF_PATH): LogBuffer {
  const text = fs.readFileSync(file, "latin1");
  const nl = text.indexOf("\n");
  const lines = text.slice(nl + 1).split(/(?<=\n)/).filter((l) => l !== "");
  return { seq: Number(text.slice(0, nl)) || 0, lines };
}

/** A ring of at most `limit` bytes of lines. */
export class LogRing {
  readonly lines: string[] = [];
  private size = 0;
  seq = 0;
  constructor(readonly limit: number) {}

  add(line: string): void {
    this.lines.push(line);
    this.size += line.length;
    this.seq++;
    while (this.size > this.limit && this.lines.length > 1) this.size -= this.lines.shift()!.length;
  }
}
