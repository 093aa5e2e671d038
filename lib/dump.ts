// The format-string dump engine behind BusyBox's hexdump and xxd: format
// strings such as '"%07.7_ax " 8/2 "%04x " "\n"' are broken into format
// units (an iteration count, a byte count, a printf format) and print units
// (one conversion each), then every block of input is printed through them.
// Lines equal to the previous one fold into "*" unless vflag is "all"; the
// last, partial block pads the conversions it has no data for with blanks.
import { warn, type Context } from "./applet.ts";
import { ByteReader } from "./bytereader.ts";
import { AppletError, errorMessage } from "./errors.ts";
import { processEscapes } from "./escapes.ts";
import { formatC, formatFloat, parseCSpec } from "./cformat.ts";
import { TextOut } from "./textio.ts";

const enum F {
  ADDRESS = 0x001, BPAD = 0x002, C = 0x004, CHAR = 0x008, DBL = 0x010, INT = 0x020,
  P = 0x040, STR = 0x080, U = 0x100, UINT = 0x200, TEXT = 0x400,
}
const F_IGNORE = 1; // format unit flags
const F_SETREP = 2;

interface PR {
  /** printf format: leading text, one conversion, trailing text. */
  fmt: string;
  flags: number;
  bcnt: number;
  /** Index of the conversion character in fmt. */
  cchar: number;
  /** Index of a trailing blank dropped on a unit's last iteration, or -1. */
  nospace: number;
}

interface FU {
  reps: number;
  bcnt: number;
  flags: number;
  fmt: string;
  prs: PR[];
}

interface FS {
  fus: FU[];
  bcnt: number;
}

/** -v shows every block; otherwise repeated blocks fold into "*". */
export type VFlag = "all" | "dup" | "first" | "wait";

const DOT_FLAGS = ".#-+ 0123456789";
const INT_CONVS = "diouxX";

export class Dumper {
  private fss: FS[] = [];
  vflag: VFlag = "first";
  skip = 0;
  /** Bytes to show, -1 for all. */
  length = -1;
  /** Added to printed addresses (xxd -o). */
  displayOffset = 0;
  /** xxd -p/-i: printed where the data ends, instead of padding the last line. */
  eofString?: string;
  exitval = 0;

  private endfu?: FU;
  private blocksize = 0;
  private address = 0;
  private savaddress = 0;
  private eaddress = 0;
  private curp!: Uint8Array;
  private savp!: Uint8Array;
  private started = false;
  private ateof = true;
  private done = false;
  private files: string[] = [];
  private input?: ByteReader;
  private current = "";

  constructor(private ctx: Context) {}

  /** bb_dump_add: one format string, a list of format units. */
  add(fmt: string): void {
    const bad = () => new AppletError(`bad format {${fmt}}`);
    const fs: FS = { fus: [], bcnt: 0 };
    this.fss.push(fs);
    let p = 0;
    const isDigit = (i: number) => i < fmt.length && fmt[i] >= "0" && fmt[i] <= "9";
    const isSpace = (i: number) => i < fmt.length && " \t\n\v\f\r".includes(fmt[i]);
    const skipWs = (i: number) => {
      while (isSpace(i)) i++;
      return i;
    };
    for (;;) {
      p = skipWs(p);
      if (p >= fmt.length) break;
      const fu: FU = { reps: 1, bcnt: 0, flags: 0, fmt: "", prs: [] };
      fs.fus.push(fu);
      if (isDigit(p)) {
        const s = p;
        while (isDigit(p)) p++;
        if (!isSpace(p) && fmt[p] !== "/") throw bad();
        fu.reps = parseInt(fmt.slice(s, p), 10);
        fu.flags = F_SETREP;
        p = skipWs(p + 1);
      }
      if (fmt[p] === "/") p = skipWs(p + 1);
      if (isDigit(p)) {
        const s = p;
        while (isDigit(++p));
        if (!isSpace(p)) throw bad();
        fu.bcnt = parseInt(fmt.slice(s, p), 10);
        p = skipWs(p + 1);
      }
      if (fmt[p] !== '"') throw bad();
      const s = ++p;
      while (fmt[p] !== '"') if (p++ >= fmt.length) throw bad();
      fu.fmt = processEscapes(fmt.slice(s, p));
      p++;
    }
  }

  /** Bytes one pass through a format string consumes (bb_dump_size). */
  private size(fs: FS): number {
    let cur = 0;
    for (const fu of fs.fus) {
      if (fu.bcnt) {
        cur += fu.bcnt * fu.reps;
        continue;
      }
      let bcnt = 0;
      let prec = 0;
      const f = fu.fmt;
      for (let i = 0; i < f.length; i++) {
        if (f[i] !== "%") continue;
        i++;
        while (i < f.length && DOT_FLAGS.slice(1).includes(f[i])) i++;
        // A "." is passed over even without digits after it, as in C.
        if (f[i] === ".") {
          i++;
          if (isDigitChar(f[i])) {
            const s = i;
            while (isDigitChar(f[i])) i++;
            prec = parseInt(f.slice(s, i), 10);
          }
        }
        const c = f[i];
        if (c === "c") bcnt += 1;
        else if (c !== undefined && INT_CONVS.includes(c)) bcnt += 4;
        else if (c !== undefined && "eEfgG".includes(c)) bcnt += 8;
        else if (c === "s") bcnt += prec;
        else if (c === "_") {
          i++;
          if (f[i] === "c" || f[i] === "p" || f[i] === "u") bcnt += 1;
        }
      }
      cur += bcnt * fu.reps;
    }
    return cur;
  }

  /** Break format units into print units and check them (rewrite). */
  private rewrite(fs: FS): void {
    for (const fu of fs.fus) {
      let nconv = 0;
      let f = fu.fmt;
      let fmtp = 0;
      while (fmtp < f.length) {
        const pr: PR = { fmt: "", flags: 0, bcnt: 0, cchar: -1, nospace: -1 };
        fu.prs.push(pr);
        let p1 = f.indexOf("%", fmtp);
        if (p1 < 0) {
          pr.fmt = f.slice(fmtp);
          pr.flags = F.TEXT;
          break;
        }
        let prec: number | undefined;
        if (fu.bcnt) {
          while (++p1 < f.length && DOT_FLAGS.includes(f[p1]));
        } else {
          while (++p1 < f.length && DOT_FLAGS.slice(1).includes(f[p1]));
          if (f[p1] === ".") {
            p1++;
            if (isDigitChar(f[p1])) {
              const s = p1;
              while (isDigitChar(f[p1])) p1++;
              prec = parseInt(f.slice(s, p1), 10);
            }
          }
        }
        let p2 = p1 + 1;
        const conv = f[p1] ?? "";
        const badConv = () => new AppletError(`bad conversion character %${f.slice(p1)}`);
        const byteCount = (counts: number[]) => {
          if (fu.bcnt && !counts.includes(fu.bcnt)) {
            throw new AppletError(`bad byte count for conversion character ${f.slice(p1)}`);
          }
          pr.bcnt = fu.bcnt || counts[0];
        };
        const intConv = (c: string) => {
          const e = INT_CONVS.indexOf(c);
          if (e < 0 || c === "") throw badConv();
          pr.flags = e > 1 ? F.UINT : F.INT;
          byteCount([4, 2, 1]);
        };
        if (conv === "c") {
          pr.flags = F.CHAR;
          byteCount([1]);
        } else if (conv === "l") {
          p1++;
          p2++;
          intConv(f[p1] ?? "");
        } else if (conv !== "" && INT_CONVS.includes(conv)) {
          intConv(conv);
        } else if (conv !== "" && "eEfgG".includes(conv)) {
          pr.flags = F.DBL;
          byteCount([8, 4]);
        } else if (conv === "s") {
          pr.flags = F.STR;
          pr.bcnt = fu.bcnt;
          if (fu.bcnt === 0) {
            if (prec === undefined) throw new AppletError("%s needs precision or byte count");
            pr.bcnt = prec;
          }
        } else if (conv === "_") {
          p2++;
          const sub = f[p1 + 1];
          if (sub === "A" || sub === "a") {
            if (sub === "A") {
              this.endfu = fu;
              fu.flags |= F_IGNORE;
            }
            pr.flags = F.ADDRESS;
            p2++;
            const radix = f[p1 + 2];
            if (radix !== "d" && radix !== "o" && radix !== "x") throw badConv();
            // "%_ax" becomes "%x"
            f = f.slice(0, p1) + radix + f.slice(p1 + 3);
            p2 = p1 + 1;
          } else if (sub === "c") {
            pr.flags = F.C;
            byteCount([1]);
          } else if (sub === "p") {
            pr.flags = F.P;
            f = f.slice(0, p1) + "c" + f.slice(p1 + 1);
            byteCount([1]);
          } else if (sub === "u") {
            pr.flags = F.U;
            byteCount([1]);
          } else throw badConv();
        } else throw badConv();

        // The conversion, with the text before it and after it (up to the next %).
        let p3 = p2;
        while (p3 < f.length && f[p3] !== "%") p3++;
        pr.fmt = f.slice(fmtp, p1 + 1) + f.slice(p2, p3);
        pr.cchar = p1 - fmtp;
        fmtp = p3;
        if (!(pr.flags & F.ADDRESS) && fu.bcnt && nconv++) {
          throw new AppletError("byte count with multiple conversion characters");
        }
      }
      if (fu.bcnt === 0) for (const pr of fu.prs) fu.bcnt += pr.bcnt;
    }
    // The last unit repeats to fill the block; repeated units drop one trailing blank at their end.
    for (let i = 0; i < fs.fus.length; i++) {
      const fu = fs.fus[i];
      const last = i === fs.fus.length - 1;
      if (last && fs.bcnt < this.blocksize && !(fu.flags & F_SETREP) && fu.bcnt) {
        fu.reps += Math.trunc((this.blocksize - fs.bcnt) / fu.bcnt);
      }
      if (fu.reps > 1 && fu.prs.length) {
        const pr = fu.prs[fu.prs.length - 1];
        const lastc = pr.fmt[pr.fmt.length - 1];
        if (lastc !== undefined && " \t\n\v\f\r".includes(lastc)) pr.nospace = pr.fmt.length - 1;
      }
    }
  }

  /** Turn a conversion into blank padding of the same width (bpad). */
  private bpad(pr: PR): void {
    pr.flags = F.BPAD;
    let f = pr.fmt.slice(0, pr.cchar) + "s" + pr.fmt.slice(pr.cchar + 1);
    const pct = f.indexOf("%");
    let q = pct + 1;
    while (q < f.length && " -0+#".includes(f[q])) {
      q++;
      if (pr.nospace >= 0) pr.nospace--;
    }
    const removed = q - (pct + 1);
    f = f.slice(0, pct + 1) + f.slice(q);
    pr.cchar -= removed;
    pr.fmt = f;
  }

  /** Open the next operand (and skip), as BusyBox's next(). */
  private async next(): Promise<boolean> {
    for (;;) {
      let name: string;
      let statok: boolean;
      if (this.files.length) {
        this.done = true;
        statok = true;
        name = this.files[0];
        this.input?.close();
        this.input = undefined;
        this.current = name;
        try {
          this.input = ByteReader.open(this.ctx, name);
        } catch (err) {
          await warn(this.ctx, `${name}: ${errorMessage(err)}`);
          this.exitval = 1;
          this.files.shift();
          continue;
        }
      } else {
        if (this.done) return false;
        this.done = true;
        statok = false;
        name = "stdin";
        this.input = ByteReader.fromReader(this.ctx.stdin);
      }
      if (this.skip) await this.doSkip(name, statok);
      if (this.files.length) this.files.shift();
      if (!this.skip) return true;
    }
  }

  private async doSkip(name: string, statok: boolean): Promise<void> {
    const input = this.input!;
    if (statok && input.seekable && this.skip >= input.size) {
      this.skip -= input.size;
      this.address += input.size;
      return;
    }
    if (input.seekable) input.seekTo(this.skip);
    else if (!statok) {
      // fseeko() on a pipe fails; a terminal or regular file on stdin is read past instead.
      if (this.ctx.stdin.fd !== undefined && !isSeekableFd(this.ctx.stdin.fd)) {
        throw new AppletError(`${name}: Illegal seek`);
      }
      await input.discard(this.skip);
    } else await input.discard(this.skip);
    this.address += this.skip;
    this.savaddress = this.address;
    this.skip = 0;
  }

  /** The next block to display, or undefined at the end (get). */
  private async get(out: TextOut): Promise<Uint8Array | undefined> {
    const bs = this.blocksize;
    if (!this.started) {
      this.started = true;
      this.address = 0;
      this.curp = new Uint8Array(bs);
      this.savp = new Uint8Array(bs);
    } else {
      [this.curp, this.savp] = [this.savp, this.curp];
      this.savaddress += bs;
      this.address = this.savaddress;
    }
    let need = bs;
    let nread = 0;
    for (;;) {
      if (!this.length || (this.ateof && !(await this.next()))) {
        if (need === bs) return undefined;
        this.curp.fill(0, nread);
        this.eaddress = this.address + nread;
        return this.curp;
      }
      const want = this.length === -1 ? need : Math.min(this.length, need);
      let got: Uint8Array;
      try {
        got = await this.input!.read(want);
      } catch (err) {
        // ferror(): said, and the file counts as ended (the status stays 0, as in BusyBox).
        await warn(this.ctx, `${this.current}: ${errorMessage(err)}`);
        got = new Uint8Array(0);
      }
      if (got.length === 0) {
        this.ateof = true;
        continue;
      }
      this.curp.set(got, nread);
      this.ateof = false;
      if (this.length !== -1) this.length -= got.length;
      need -= got.length;
      if (!need) {
        if (this.vflag === "all" || this.vflag === "first" || !equal(this.curp, this.savp, bs)) {
          if (this.vflag === "dup" || this.vflag === "first") this.vflag = "wait";
          return this.curp;
        }
        if (this.vflag === "wait") out.put("*\n");
        this.vflag = "dup";
        this.savaddress += bs;
        this.address = this.savaddress;
        need = bs;
        nread = 0;
      } else nread += got.length;
    }
  }

  /** bb_dump_dump: display every operand (or stdin) through the formats. */
  async dump(files: string[]): Promise<number> {
    this.blocksize = 0;
    for (const fs of this.fss) {
      fs.bcnt = this.size(fs);
      if (this.blocksize < fs.bcnt) this.blocksize = fs.bcnt;
    }
    for (const fs of this.fss) this.rewrite(fs);
    this.files = [...files];
    const out = new TextOut(this.ctx.stdout);
    try {
      await this.display(out);
    } finally {
      this.input?.close();
      await out.flush();
    }
    return this.exitval;
  }

  /** The address after the last byte shown (xxd -i prints it as the length). */
  get endAddress(): number {
    return this.eaddress || this.address;
  }

  private async display(out: TextOut): Promise<void> {
    let bp: Uint8Array | undefined;
    while ((bp = await this.get(out))) {
      const saveaddress = this.address;
      for (const fs of this.fss) {
        let off = 0;
        this.address = saveaddress;
        for (const fu of fs.fus) {
          if (fu.flags & F_IGNORE) break;
          for (let cnt = fu.reps; cnt; --cnt) {
            for (const pr of fu.prs) {
              if (this.eaddress && this.address >= this.eaddress) {
                if (this.eofString !== undefined) {
                  out.put(this.eofString);
                  return;
                }
                if (!(pr.flags & (F.TEXT | F.BPAD))) this.bpad(pr);
              }
              let fmt = pr.fmt;
              if (cnt === 1 && pr.nospace >= 0) fmt = fmt.slice(0, pr.nospace);
              out.put(this.print(pr, fmt, bp, off));
              this.address += pr.bcnt;
              off += pr.bcnt;
            }
          }
        }
        await out.drain();
      }
    }
    if (this.endfu) {
      if (!this.eaddress) {
        if (!this.address) return;
        this.eaddress = this.address;
      }
      for (const pr of this.endfu.prs) {
        if (pr.flags === F.ADDRESS) out.put(cprintf(pr.fmt, this.eaddress + this.displayOffset));
        else if (pr.flags === F.TEXT) out.put(pr.fmt);
      }
    }
  }

  private print(pr: PR, fmt: string, bp: Uint8Array, off: number): string {
    const at = (n: number) => (off + n < bp.length ? bp[off + n] : 0);
    const withConv = (c: string) => fmt.slice(0, pr.cchar) + c + fmt.slice(pr.cchar + 1);
    switch (pr.flags) {
      case F.ADDRESS:
        return cprintf(fmt, this.address + this.displayOffset);
      case F.BPAD:
        // "%ls" (from a padded "%ld") is a wide string: glibc fails the whole printf.
        return fmt[pr.cchar - 1] === "l" ? "" : cprintf(fmt, "");
      case F.C:
        return convC(withConv, at(0));
      case F.CHAR:
        return cprintf(fmt, at(0));
      case F.DBL: {
        const dv = new DataView(bp.buffer, bp.byteOffset + off, pr.bcnt);
        return cprintf(fmt, pr.bcnt === 8 ? dv.getFloat64(0, true) : dv.getFloat32(0, true), true);
      }
      case F.INT:
      case F.UINT: {
        let v = 0;
        for (let i = pr.bcnt - 1; i >= 0; i--) v = v * 256 + at(i);
        // Two- and four-byte values are read as short/int: signed for %d and %i.
        if (pr.flags === F.INT && pr.bcnt > 1 && v >= 2 ** (8 * pr.bcnt - 1)) v -= 2 ** (8 * pr.bcnt);
        // An int given to %ld: the upper half of the long is zero.
        if (v < 0 && fmt[pr.cchar - 1] === "l") v += 2 ** 32;
        return cprintf(fmt, v);
      }
      case F.P: {
        const c = at(0);
        return cprintf(fmt, c >= 0x20 && c < 0x7f ? c : 0x2e);
      }
      case F.STR: {
        let end = off;
        while (end < bp.length && bp[end] !== 0) end++;
        return cprintf(fmt, Buffer.from(bp.subarray(off, end)).toString("latin1"));
      }
      case F.TEXT:
        return fmt;
      case F.U:
        return convU(withConv, at(0));
    }
    return "";
  }
}

const isDigitChar = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

function equal(a: Uint8Array, b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSeekableFd(fd: number): boolean {
  try {
    const st = require("node:fs").fstatSync(fd);
    return st.isFile() || st.isBlockDevice();
  } catch {
    return false;
  }
}

const CHAR_ESCAPES: Record<number, string> = { 0: "\\0", 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

/** %_c: C escapes, printable characters, octal for the rest. */
function convC(withConv: (c: string) => string, c: number): string {
  const esc = CHAR_ESCAPES[c];
  if (esc !== undefined) return cprintf(withConv("s"), esc);
  if (c >= 0x20 && c < 0x7f) return cprintf(withConv("c"), c);
  return cprintf(withConv("s"), c.toString(8).padStart(3, "0"));
}

const CONTROL_NAMES = [
  "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf", "vt", "ff", "cr", "so", "si",
  "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us",
];

/** %_u: names for control characters, hex above 0x7f. */
function convU(withConv: (c: string) => string, c: number): string {
  if (c <= 0x1f) return cprintf(withConv("s"), CONTROL_NAMES[c]);
  if (c === 0x7f) return cprintf(withConv("s"), "del");
  if (c < 0x7f) return cprintf(withConv("c"), c);
  return cprintf(withConv("x"), c);
}

/**
 * printf(3) of a format holding at most one conversion (and text around it),
 * with an "ll" or "l" length modifier allowed.
 */
export function cprintf(fmt: string, value: number | string, float = false): string {
  const pct = fmt.indexOf("%");
  if (pct < 0) return fmt;
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?(?:ll|l|L|h|hh)?([a-zA-Z])/.exec(fmt.slice(pct));
  if (!m) return fmt;
  const spec = parseCSpec(m[1] + m[2] + (m[3] !== undefined ? "." + m[3] : ""), m[4]);
  const rest = fmt.slice(pct + m[0].length);
  let body: string;
  if (float) body = formatFloat(spec, value as number);
  else if (spec.conv === "c") body = formatC(spec, typeof value === "number" ? String.fromCharCode(value) : value);
  else body = formatC(spec, typeof value === "number" && spec.conv !== "s" ? BigInt(value) : value);
  return fmt.slice(0, pct) + body + rest;
}
