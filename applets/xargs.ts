// xargs: run PROG with arguments read from stdin, BusyBox's way: quotes and
// backslashes in input, -0, -I (one line per run, implies -r), -n, -s (the
// argument buffer BusyBox sizes from ARG_MAX: 32 KiB - 2048 less PROG ARGS),
// -E/-e end-of-input word, -t, -p (asks on /dev/tty), -P parallel runs, -a FILE.
import * as fs from "node:fs";
import { defineApplet, operandPath, warn, type Context } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage } from "../lib/errors.ts";
import { runCommand, type ExecResult } from "../lib/exec.ts";
import { FdReader, type Reader } from "../lib/io.ts";
import { parseNumber, INT_MAX } from "../lib/numbers.ts";
import { signalName } from "../lib/signals.ts";
import { bytesOf } from "../lib/text.ts";

defineApplet({
  name: "xargs",
  usage: "[OPTIONS] [PROG ARGS]",
  summary: "Run PROG on every item given by stdin",
  options: [
    "-0  NUL terminated input",
    "-a FILE  Read from FILE instead of stdin",
    "-r, --no-run-if-empty  Don't run command if input is empty",
    "-t  Print the command on stderr before execution",
    "-p  Ask user whether to run each command",
    "-E STR  STR stops input processing",
    "-e[=STR]  Same as -E STR (attached only)",
    "-I STR  Replace STR within PROG ARGS with input line",
    "-i[=STR]  Same as -I STR (default {}, attached only)",
    "-n N  Pass no more than N args to PROG",
    "-s N  Pass command line of no more than N bytes",
    "-P N  Run up to N PROGs in parallel",
    "-x  Exit if size is exceeded",
  ],
  stopAtOperand: true,
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    return xargs(ctx, opts, operands);
  },
});

/** Bytes of input, one at a time, across chunk boundaries. */
class ByteSource {
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private it: AsyncIterator<Uint8Array>;
  private done = false;
  constructor(input: Reader) {
    this.it = input.chunks()[Symbol.asyncIterator]();
  }
  /** The next byte, or -1 at end (a refill is awaited only when a chunk runs out). */
  next(): number | Promise<number> {
    if (this.pos < this.chunk.length) return this.chunk[this.pos++];
    return this.refill();
  }
  private async refill(): Promise<number> {
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.length) {
        this.chunk = r.value;
        this.pos = 1;
        return r.value[0];
      }
    }
    return -1;
  }
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

async function xargs(ctx: Context, opts: Record<string, any>, operands: string[]): Promise<number> {
  let maxProcs = 1;
  if (opts.P !== undefined) {
    maxProcs = parseNumber(opts.P, 0n, INT_MAX);
    if (maxProcs <= 0) maxProcs = 100;
  }
  let input: Reader = ctx.stdin;
  let ownFd: number | undefined;
  if (opts.a !== undefined) {
    try {
      ownFd = fs.openSync(operandPath(ctx, opts.a), "r");
    } catch (err) {
      throw new AppletError(`can't open '${opts.a}': ${errorMessage(err)}`);
    }
    input = new FdReader(ownFd);
  }
  // -E and -e set the same string; -E "" means none.
  let eofStr: string | undefined;
  for (const k of ["E", "e"]) if (opts[k] !== undefined) eofStr = opts[k];
  if (opts.E !== undefined && opts.e === undefined && opts.E === "") eofStr = undefined;
  let replStr: string | undefined;
  if (opts.I !== undefined) replStr = opts.I;
  if (opts.i !== undefined) replStr = opts.i === "" ? "{}" : opts.i;

  const argv = operands.length ? operands.map((a) => Buffer.from(a, "utf8").toString("latin1")) : ["echo"];
  let maxChars = 32 * 1024 - 2048;
  if (opts.s !== undefined) maxChars = parseNumber(opts.s, 1n, INT_MAX);
  for (const a of argv) maxChars -= a.length + 1;
  if (maxChars <= 0) throw new AppletError("can't fit single argument within argument list size limit");
  let maxArgs = maxChars;
  if (opts.n !== undefined) maxArgs = parseNumber(opts.n, 1n, INT_MAX);
  let noEmpty = !!opts.r || replStr !== undefined;
  const eol = opts["0"] ? 0 : 10;

  const src = new ByteSource(input);
  const get = async () => {
    const c = src.next();
    return typeof c === "number" ? c : await c;
  };
  let exitcode = 0;
  const running = new Set<Promise<void>>();

  // Reader state carried between command lines, as BusyBox keeps it.
  let carry = ""; // an unfinished word
  let quote = "";
  let backslash = false;

  /**
   * Words for one command line (BusyBox's process_stdin / process0_stdin): up
   * to maxArgs words whose bytes plus a NUL each fit in maxChars. A word cut
   * by the limit is returned as `rem` and carried to the next line.
   */
  const readWords = async (): Promise<{ words: string[]; rem: string }> => {
    const words: string[] = [];
    let word = carry;
    carry = "";
    let used = word.length;
    let nArgs = maxArgs;
    const zero = !!opts["0"];
    for (;;) {
      let c = src.next();
      if (typeof c !== "number") c = await c;
      if (c >= 0) {
        const ch = String.fromCharCode(c);
        let append = false;
        if (zero) {
          if (c !== 0) append = true;
        } else if (backslash) {
          backslash = false;
          append = true;
        } else if (quote) {
          if (ch !== quote) append = true;
          else quote = "";
          if (!append) continue;
        } else if (isSpace(c)) {
          if (word === "") continue;
        } else if (c === 92) {
          backslash = true;
          continue;
        } else if (c === 39 || c === 34) {
          quote = ch;
          continue;
        } else append = true;
        if (append) {
          word += ch;
          if (++used >= maxChars) break;
          continue;
        }
      } else if (word === "") break;
      // The word is complete (delimiter or end of input).
      used++;
      if (!zero) {
        if (quote) throw new AppletError(`unmatched ${quote === "'" ? "single" : "double"} quote`);
        if (eofStr !== undefined && word === eofStr) {
          while ((await get()) >= 0) {}
          word = "";
          break;
        }
      }
      words.push(word);
      word = "";
      if (--nArgs === 0 || used >= maxChars) break;
    }
    return { words, rem: word };
  };

  /** One line per command for -I (leading blanks and empty lines skipped). */
  const readLine = async (): Promise<{ words: string[]; rem: string }> => {
    let line = "";
    let started = false;
    for (;;) {
      let c = src.next();
      if (typeof c !== "number") c = await c;
      if (!started) {
        if (c < 0) return { words: [], rem: "" };
        if (c === eol) continue;
        if (isSpace(c)) continue;
        started = true;
      }
      if (c < 0 || c === eol) break;
      line += String.fromCharCode(c);
      if (line.length >= maxChars) return { words: [], rem: line };
    }
    return { words: argv.map((a) => a.split(replStr!).join(line)), rem: "" };
  };

  const show = async (args: string[], asking: boolean) => {
    await ctx.stderr.write(bytesOf(args.join(" ") + (asking ? "" : "\n")));
  };

  const report = async (args: string[], r: ExecResult): Promise<number> => {
    const name = Buffer.from(args[0], "latin1").toString("utf8");
    if (r.error) {
      await warn(ctx, `${name}: ${describeErrno(r.error)}`);
      return r.error === "ENOENT" ? 127 : 126;
    }
    if (r.signal !== null) {
      await warn(ctx, `'${name}' terminated by signal ${r.signal}`);
      void signalName;
      return 125;
    }
    if (r.exitCode === 255) {
      await warn(ctx, `${name}: exited with status 255; aborting`);
      return 124;
    }
    if (r.exitCode) exitcode = 123;
    return 0;
  };

  const run = async (args: string[]): Promise<number> => {
    const r = await runCommand(ctx, args.map((a) => Buffer.from(a, "latin1").toString("utf8")));
    return report(args, r);
  };

  let fatal = 0;
  try {
    for (;;) {
      const { words, rem } = replStr !== undefined ? await readLine() : await readWords();
      if (words.length === 0) {
        if (rem !== "") throw new AppletError("argument line too long");
        if (noEmpty) break;
      }
      noEmpty = true;
      const args = replStr !== undefined ? words : [...argv, ...words];
      if (opts.p || opts.t) await show(args, !!opts.p);
      if (opts.p && !(await confirm(ctx))) {
        carry = rem;
        continue;
      }
      if (maxProcs === 1) {
        const st = await run(args);
        if (st) {
          fatal = st;
          break;
        }
      } else {
        while (running.size >= maxProcs) await Promise.race(running);
        if (fatal) break;
        const p: Promise<void> = run(args).then((st) => {
          if (st && !fatal) fatal = st;
          running.delete(p);
        });
        running.add(p);
      }
      carry = rem;
    }
    await Promise.all(running);
  } finally {
    if (ownFd !== undefined) fs.closeSync(ownFd);
  }
  return fatal || exitcode;
}

/** The terminal, then " ?..." and a line from it: yes if it starts with y or Y. */
async function confirm(ctx: Context): Promise<boolean> {
  let fd: number;
  try {
    fd = fs.openSync("/dev/tty", "r");
  } catch (err) {
    throw new AppletError(`can't open '/dev/tty': ${errorMessage(err)}`);
  }
  try {
    await ctx.stderr.write(" ?...");
    await ctx.stderr.flush();
    const buf = Buffer.alloc(1);
    let line = "";
    while (fs.readSync(fd, buf, 0, 1, null) === 1 && buf[0] !== 10) line += String.fromCharCode(buf[0]);
    return /^[yY]/.test(line);
  } finally {
    fs.closeSync(fd);
  }
}
