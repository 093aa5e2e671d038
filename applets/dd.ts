// dd: copy blocks, as BusyBox does it (its Debian build: no third "bytes
// copied" status line). Operands are KEY=VALUE; numbers take BusyBox's
// suffixes (c w b kB k KB K MB M GB G).
import * as fs from "node:fs";
import { defineApplet, operandPath, type Context } from "../lib/applet.ts";
import { AppletError, UsageError, describeErrno, errnoCode, errorMessage } from "../lib/errors.ts";
import { lseek, SEEK_CUR } from "../lib/syscalls.ts";
import { CWBKMG_SUFFIXES, parseSuffixed, U64_MAX } from "../lib/numbers.ts";

const CONV = ["notrunc", "sync", "noerror", "fsync", "swab"];
const IFLAG = ["skip_bytes", "count_bytes", "fullblock", "direct"];
const OFLAG = ["seek_bytes", "append", "direct"];
const KEYS = ["bs", "count", "seek", "skip", "if", "of", "status", "ibs", "obs", "conv", "iflag", "oflag"];
const SIZE_MAX_HALF = 9223372036854775807n;

class Die extends AppletError {}

defineApplet({
  name: "dd",
  usage:
    "[if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]\n" +
    "\t[conv=notrunc|noerror|sync|fsync]\n" +
    "\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]",
  summary:
    "Copy a file with converting and formatting\n\n" +
    "\tif=FILE\t\tRead from FILE instead of stdin\n" +
    "\tof=FILE\t\tWrite to FILE instead of stdout\n" +
    "\tbs=N\t\tRead and write N bytes at a time\n" +
    "\tibs=N\t\tRead N bytes at a time\n" +
    "\tobs=N\t\tWrite N bytes at a time\n" +
    "\tcount=N\t\tCopy only N input blocks\n" +
    "\tskip=N\t\tSkip N input blocks\n" +
    "\tseek=N\t\tSkip N output blocks\n" +
    "\tconv=notrunc\tDon't truncate output file\n" +
    "\tconv=noerror\tContinue after read errors\n" +
    "\tconv=sync\tPad blocks with zeros\n" +
    "\tconv=fsync\tPhysically write data out before finishing\n" +
    "\tconv=swab\tSwap every pair of bytes\n" +
    "\tiflag=skip_bytes\tskip=N is in bytes\n" +
    "\tiflag=count_bytes\tcount=N is in bytes\n" +
    "\toflag=seek_bytes\tseek=N is in bytes\n" +
    "\tiflag=direct\tO_DIRECT input\n" +
    "\toflag=direct\tO_DIRECT output\n" +
    "\tiflag=fullblock\tRead full blocks\n" +
    "\toflag=append\tOpen output in append mode\n" +
    "\tstatus=noxfer\tSuppress rate output\n" +
    "\tstatus=none\tSuppress all output\n\n" +
    "N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G",
  rawArgs: true,
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      const { usageText, findApplet } = await import("../lib/applet.ts");
      await ctx.stdout.write(usageText(findApplet("dd")!));
      return 0;
    }
    return dd(ctx, args);
  },
});

function flagsOf(val: string, words: string[], what: string): Set<string> {
  const set = new Set<string>();
  for (const w of val.split(",")) {
    if (!words.includes(w)) throw new AppletError(`invalid argument '${w}' to '${what}'`);
    set.add(w);
  }
  return set;
}

function errText(err: unknown): string {
  const code = errnoCode(err);
  return code ? describeErrno(code) : errorMessage(err);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dd(ctx: Context, args: string[]): Promise<number> {
  let ibs = 512, obs = 512;
  let count: bigint | undefined;
  let seek = 0n, skip = 0n;
  let infile: string | undefined, outfile: string | undefined;
  const conv = new Set<string>(), iflag = new Set<string>(), oflag = new Set<string>();
  let statusNone = false;
  for (const arg of args) {
    if (arg === "--") continue;
    const eq = arg.indexOf("=");
    if (eq < 0) throw new UsageError();
    const key = arg.slice(0, eq);
    const val = arg.slice(eq + 1);
    if (!KEYS.includes(key)) throw new UsageError();
    const size = () => Number(parseSuffixed(val, CWBKMG_SUFFIXES, 1n, SIZE_MAX_HALF));
    const big = () => parseSuffixed(val, CWBKMG_SUFFIXES, 0n, U64_MAX);
    switch (key) {
      case "ibs": ibs = size(); break;
      case "obs": obs = size(); break;
      case "bs": ibs = obs = size(); break;
      case "conv": for (const f of flagsOf(val, CONV, "conv")) conv.add(f); break;
      case "iflag": for (const f of flagsOf(val, IFLAG, "iflag")) iflag.add(f); break;
      case "oflag": for (const f of flagsOf(val, OFLAG, "oflag")) oflag.add(f); break;
      case "count": count = big(); break;
      case "seek": seek = big(); break;
      case "skip": skip = big(); break;
      case "if": infile = val; break;
      case "of": outfile = val; break;
      case "status":
        if (val === "none") statusNone = true;
        else if (val !== "noxfer") throw new AppletError(`invalid argument '${val}' to 'status'`);
        break;
    }
  }

  const stats = { inFull: 0, inPart: 0, outFull: 0, outPart: 0 };
  const report = async () => {
    if (!statusNone)
      await ctx.stderr.write(`${stats.inFull}+${stats.inPart} records in\n${stats.outFull}+${stats.outPart} records out\n`);
  };

  // Input: a file of ours, the context's stdin fd, or its chunks (in-process pipes).
  let ifd: number | undefined;
  let ownIn = false;
  if (infile !== undefined) {
    try {
      ifd = fs.openSync(operandPath(ctx, infile), fs.constants.O_RDONLY | (iflag.has("direct") ? fs.constants.O_DIRECT : 0));
      ownIn = true;
    } catch (err) {
      throw new AppletError(`can't open '${infile}': ${errText(err)}`);
    }
  } else ifd = ctx.stdin.fd;
  const inName = infile ?? "standard input";
  let chunkIter: AsyncIterator<Uint8Array> | undefined;
  let pending: Uint8Array | undefined;
  if (ifd === undefined) chunkIter = ctx.stdin.chunks()[Symbol.asyncIterator]();

  /** One read(2) of up to n bytes (0 at end of input). */
  const readOnce = async (buf: Uint8Array, off: number, n: number): Promise<number> => {
    if (ifd !== undefined) {
      for (;;) {
        try {
          return fs.readSync(ifd, buf, off, n, null);
        } catch (err: any) {
          if (err?.code === "EAGAIN") { await pause(1); continue; }
          if (err?.code === "EOF") return 0;
          throw err;
        }
      }
    }
    if (!pending || pending.length === 0) {
      const r = await chunkIter!.next();
      if (r.done) return 0;
      pending = r.value;
    }
    const k = Math.min(n, pending.length);
    buf.set(pending.subarray(0, k), off);
    pending = pending.subarray(k);
    return k;
  };
  const ddRead = async (buf: Uint8Array, n: number): Promise<number> => {
    if (!iflag.has("fullblock")) return readOnce(buf, 0, n);
    let got = 0;
    while (got < n) {
      const k = await readOnce(buf, got, n - got);
      if (k === 0) break;
      got += k;
    }
    return got;
  };

  // Output.
  let ofd: number | undefined;
  let ownOut = false;
  const outName = outfile ?? "standard output";
  if (outfile !== undefined) {
    let flags = fs.constants.O_WRONLY | fs.constants.O_CREAT;
    if (!seek && !conv.has("notrunc")) flags |= fs.constants.O_TRUNC;
    if (oflag.has("append")) flags |= fs.constants.O_APPEND;
    if (oflag.has("direct")) flags |= fs.constants.O_DIRECT;
    try {
      ofd = fs.openSync(operandPath(ctx, outfile), flags, 0o666);
      ownOut = true;
    } catch (err) {
      throw new AppletError(`can't open '${outfile}': ${errText(err)}`);
    }
    if (seek && !conv.has("notrunc")) {
      const blocksz = oflag.has("seek_bytes") ? 1n : BigInt(obs);
      try {
        fs.ftruncateSync(ofd, Number(seek * blocksz));
      } catch (err) {
        const st = fs.fstatSync(ofd);
        if (st.isFile() || st.isDirectory()) throw new AppletError(`${outName}: ${errText(err)}`);
      }
    }
  } else {
    await ctx.stdout.flush();
    ofd = ctx.stdout.fd;
  }
  if (skip) {
    const blocksz = iflag.has("skip_bytes") ? 1 : ibs;
    let seeked = false;
    if (ifd !== undefined) {
      try {
        lseek(ifd, skip * BigInt(blocksz), SEEK_CUR);
        seeked = true;
      } catch {}
    }
    if (!seeked) {
      const buf = new Uint8Array(blocksz);
      for (let i = 0n; i < skip; i++) {
        let n: number;
        try {
          n = await ddRead(buf, blocksz);
        } catch (err) {
          throw new Die(`${inName}: ${errText(err)}`);
        }
        if (n === 0) break;
      }
    }
  }
  if (seek) {
    const blocksz = oflag.has("seek_bytes") ? 1n : BigInt(obs);
    try {
      if (ofd === undefined) throw Object.assign(new Error(), { code: "ESPIPE" });
      lseek(ofd, seek * blocksz, SEEK_CUR);
    } catch (err) {
      throw new Die(`${outName}: ${errText(err)}`);
    }
  }

  const writeAll = async (buf: Uint8Array, len: number): Promise<number> => {
    if (ofd === undefined) {
      await ctx.stdout.write(buf.slice(0, len));
      return len;
    }
    let off = 0;
    while (off < len) {
      try {
        off += fs.writeSync(ofd, buf, off, len - off, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN") { await pause(1); continue; }
        throw Object.assign(err, { written: off });
      }
    }
    return off;
  };
  const writeAndStats = async (buf: Uint8Array, len: number): Promise<boolean> => {
    try {
      const n = await writeAll(buf, len);
      if (n === obs) stats.outFull++;
      else stats.outPart++;
      return true;
    } catch (err) {
      const n = (err as any)?.written ?? 0;
      if (n === obs) stats.outFull++;
      else if (n === len) stats.outPart++;
      await ctx.stderr.write(`dd: error writing '${outName}': ${errText(err)}\n`);
      return false;
    }
  };

  const ibuf = new Uint8Array(ibs);
  const twoBufs = ibs !== obs;
  const obuf = twoBufs ? new Uint8Array(obs) : ibuf;
  let ocount = 0;
  let prevRead = 0;
  let countLeft = count;
  let exitcode = 1;
  /** A plain read(2) straight away where we can (no promise per block); the general path otherwise. */
  const readIn = (n: number): number | Promise<number> => {
    if (ifd !== undefined && !iflag.has("fullblock")) {
      try {
        return fs.readSync(ifd, ibuf, 0, n, null);
      } catch (err: any) {
        if (err?.code === "EOF") return 0;
        if (err?.code !== "EAGAIN") throw err;
      }
    }
    return ddRead(ibuf, n);
  };

  try {
    copy: for (;;) {
      let n = ibs;
      if (countLeft !== undefined) {
        if (countLeft <= 0n) break;
        if (iflag.has("count_bytes") && countLeft < BigInt(ibs)) n = Number(countLeft);
      }
      let bad = false;
      try {
        const got = readIn(n);
        n = typeof got === "number" ? got : await got;
      } catch (err) {
        if (!conv.has("noerror")) throw new Die(`${inName}: ${errText(err)}`);
        await ctx.stderr.write(`dd: ${inName}: ${errText(err)}\n`);
        // GNU dd with conv=noerror skips over bad blocks.
        try {
          if (ifd !== undefined) lseek(ifd, ibs, SEEK_CUR);
        } catch (e) {
          throw new Die(`${inName}: ${errText(e)}`);
        }
        n = 0;
        bad = true;
      }
      if (n === 0 && !bad) break;
      if (conv.has("swab")) {
        if (prevRead & 1) throw new Die(`can't swab ${prevRead} byte buffer`);
        prevRead = n;
        for (let i = 0; i + 1 < n; i += 2) {
          const t = ibuf[i];
          ibuf[i] = ibuf[i + 1];
          ibuf[i + 1] = t;
        }
      }
      if (countLeft !== undefined) countLeft -= iflag.has("count_bytes") ? BigInt(n) : 1n;
      if (n === ibs) stats.inFull++;
      else {
        stats.inPart++;
        if (conv.has("sync")) {
          ibuf.fill(0, n);
          n = ibs;
        }
      }
      const sent = emit(n);
      if (!(typeof sent === "boolean" ? sent : await sent)) break;
    }
    if (exitcode !== 2) {
      if (conv.has("fsync") && ofd !== undefined) {
        try {
          fs.fsyncSync(ofd);
        } catch (err) {
          throw new Die(`${outName}: ${errText(err)}`);
        }
      }
      if (ocount !== 0 && !(await writeAndStats(obuf, ocount))) {
        exitcode = 2;
      } else {
        if (ownIn) fs.closeSync(ifd!);
        if (ownOut) fs.closeSync(ofd!);
        ownIn = ownOut = false;
        exitcode = 0;
      }
    }
  } catch (err) {
    if (err instanceof Die) {
      // BusyBox dies here without the status lines.
      await ctx.stderr.write(`dd: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    if (ownIn) fs.closeSync(ifd!);
    if (ownOut) fs.closeSync(ofd!);
  }
  await report();
  return exitcode === 0 ? 0 : 1;

  function emit(n: number): boolean | Promise<boolean> {
    // The common case, synchronously: one buffer, a real output fd, a full write.
    if (!twoBufs && ofd !== undefined) {
      let off = 0;
      try {
        while (off < n) off += fs.writeSync(ofd, ibuf, off, n - off, null);
        if (n === obs) stats.outFull++;
        else stats.outPart++;
        return true;
      } catch (err: any) {
        if (err?.code !== "EAGAIN" || off !== 0) {
          // Report it the BusyBox way through the general path's accounting.
          return (async () => {
            if (off === obs) stats.outFull++;
            else if (off === n && n) stats.outPart++;
            await ctx.stderr.write(`dd: error writing '${outName}': ${errText(err)}\n`);
            exitcode = 2;
            return false;
          })();
        }
      }
    }
    return emitAsync(n);
  }

  async function emitAsync(n: number): Promise<boolean> {
    if (!twoBufs) {
      if (!(await writeAndStats(ibuf, n))) {
        exitcode = 2;
        return false;
      }
      return true;
    }
    let off = 0;
    while (n) {
      const d = Math.min(obs - ocount, n);
      obuf.set(ibuf.subarray(off, off + d), ocount);
      n -= d;
      off += d;
      ocount += d;
      if (ocount === obs) {
        if (!(await writeAndStats(obuf, obs))) {
          exitcode = 2;
          return false;
        }
        ocount = 0;
      }
    }
    return true;
  }
}

