// od: BusyBox's full ("bloaty") od: -t TYPE specs (a c d o u x f, with
// sizes C S I L or 1 2 4 8, f F D L), -A address radix, -j skip, -N limit,
// -w width, -S strings, -v. Blocks equal to the one before fold into "*";
// the last partial block is zero-padded to whole values; the offset after
// the data ends the output. The old letters (-b -c -d ...) are applied in a
// fixed order before -t, as BusyBox does.
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { ByteReader } from "../lib/bytereader.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { BKM_SUFFIXES, parseSuffixedAnyBase } from "../lib/numbers.ts";
import { formatFloat, parseCSpec } from "../lib/cformat.ts";
import { TextOut } from "../lib/textio.ts";

type Kind = "d" | "o" | "u" | "x" | "f" | "a" | "c";

interface Spec {
  kind: Kind;
  size: number;
  width: number;
  print(block: Uint8Array, n: number): string;
}

// Field widths in digits for 0..8-byte integers, as BusyBox's tables give them.
const OCT_DIGITS = [0, 3, 6, 8, 11, 14, 16, 19, 22];
const SIGNED_DIGITS = [1, 4, 6, 8, 11, 13, 16, 18, 20];
const UNSIGNED_DIGITS = [0, 3, 5, 8, 10, 13, 15, 17, 20];
const HEX_DIGITS = [0, 2, 4, 6, 8, 10, 12, 14, 16];

const CHAR_NAMES = [
  "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", " bs", " ht", " nl", " vt", " ff", " cr", " so", " si",
  "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", " em", "sub", "esc", " fs", " gs", " rs", " us", " sp",
];
const C_ESCAPES: Record<number, string> = { 0: "\\0", 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

function integerSpec(kind: "d" | "o" | "u" | "x", size: number): Spec {
  const width = (kind === "d" ? SIGNED_DIGITS : kind === "o" ? OCT_DIGITS : kind === "u" ? UNSIGNED_DIGITS : HEX_DIGITS)[size];
  const radix = kind === "o" ? 8 : kind === "x" ? 16 : 10;
  const zero = kind === "o" || kind === "x";
  const pad = (s: string) => " " + (zero ? s.padStart(width, "0") : s.padStart(width, " "));
  return {
    kind, size, width,
    print(b, n) {
      const dv = new DataView(b.buffer, b.byteOffset, n);
      let s = "";
      for (let i = 0; i + size <= n; i += size) {
        let v: number | bigint;
        if (size === 1) v = kind === "d" ? dv.getInt8(i) : dv.getUint8(i);
        else if (size === 2) v = kind === "d" ? dv.getInt16(i, true) : dv.getUint16(i, true);
        else if (size === 4) v = kind === "d" ? dv.getInt32(i, true) : dv.getUint32(i, true);
        else v = kind === "d" ? dv.getBigInt64(i, true) : dv.getBigUint64(i, true);
        s += pad(v.toString(radix));
      }
      return s;
    },
  };
}

function floatSpec(size: number): Spec {
  // " %15.7e" for float, " %23.15e" for double and long double, as BusyBox prints them.
  const spec = size === 4 ? parseCSpec("15.7", "e") : parseCSpec("23.15", "e");
  return {
    kind: "f", size, width: spec.width!,
    print(b, n) {
      const dv = new DataView(b.buffer, b.byteOffset, n);
      let s = "";
      for (let i = 0; i + size <= n; i += size) {
        if (size === 4) s += " " + formatFloat(spec, dv.getFloat32(i, true));
        else if (size === 8) s += " " + formatFloat(spec, dv.getFloat64(i, true));
        else s += " " + longDouble(b.subarray(i, i + 10)).padStart(23);
      }
      return s;
    },
  };
}

/** An x87 80-bit long double as %.15Le, exactly (its range is far beyond a double's). */
function longDouble(b: Uint8Array): string {
  let mant = 0n;
  for (let i = 7; i >= 0; i--) mant = (mant << 8n) | BigInt(b[i]);
  const se = b[8] | (b[9] << 8);
  const sign = se & 0x8000 ? "-" : "";
  const exp = se & 0x7fff;
  // Without its explicit integer bit a non-zero exponent is an "unnormal": printf calls it nan.
  if (exp === 0x7fff || (exp !== 0 && !(mant >> 63n))) return mant === 1n << 63n ? sign + "inf" : sign + "nan";
  // A zero exponent is a denormal: the integer bit does not count.
  if (exp === 0) mant &= (1n << 63n) - 1n;
  if (mant === 0n) return sign + "0.000000000000000e+00";
  const e2 = (exp === 0 ? 1 : exp) - 16383 - 63;
  // 16 significant digits: D = value * 10^(15-E), computed as an exact fraction and rounded half to even.
  let e10 = Math.floor(Math.log10(Number(mant)) + e2 * Math.log10(2));
  const LOW = 10n ** 15n;
  const HIGH = 10n ** 16n;
  for (;;) {
    const q = 15 - e10;
    let num = mant;
    let den = 1n;
    const p2 = e2 + q;
    if (p2 >= 0) num <<= BigInt(p2);
    else den <<= BigInt(-p2);
    if (q >= 0) num *= 5n ** BigInt(q);
    else den *= 5n ** BigInt(-q);
    let d = num / den;
    if (d >= HIGH) {
      e10++;
      continue;
    }
    if (d < LOW) {
      e10--;
      continue;
    }
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && d % 2n === 1n)) d++;
    if (d === HIGH) {
      d = LOW;
      e10++;
    }
    const digits = d.toString();
    return `${sign}${digits[0]}.${digits.slice(1)}e${e10 < 0 ? "-" : "+"}${String(Math.abs(e10)).padStart(2, "0")}`;
  }
}

function charSpec(named: boolean): Spec {
  return {
    kind: named ? "a" : "c", size: 1, width: 3,
    print(b, n) {
      let s = "";
      for (let i = 0; i < n; i++) {
        const c = b[i];
        if (named) {
          const m = c & 0x7f;
          s += m === 0x7f ? " del" : m > 0x20 ? "   " + String.fromCharCode(m) : " " + CHAR_NAMES[m];
        } else if (c >= 0x20 && c < 0x7f) s += "   " + String.fromCharCode(c);
        else if (C_ESCAPES[c] !== undefined) s += "  " + C_ESCAPES[c];
        else s += " " + c.toString(8).padStart(3, "0");
      }
      return s;
    },
  };
}

/** decode_format_string: one -t argument, possibly several types ("xCdS"). */
function decodeTypes(str: string, specs: Spec[]): void {
  let s = 0;
  const sizeNumber = (kindName: string): number | undefined => {
    const m = /^\d+/.exec(str.slice(s));
    if (!m) return undefined;
    s += m[0].length;
    // bb_strtou() refuses digits followed by a letter or digit: UINT_MAX.
    const n = /^[A-Za-z0-9]/.test(str.slice(s)) ? 4294967295 : Number(m[0]);
    const ok = kindName === "integral" ? [1, 2, 4, 8].includes(n) : [4, 8, 16].includes(n);
    if (!ok) throw new AppletError(`invalid type string '${str}'; ${n > 4294967295 ? 4294967295 : n}-byte ${kindName} type is not supported`);
    return n;
  };
  while (s < str.length) {
    const c = str[s++];
    if (c === "d" || c === "o" || c === "u" || c === "x") {
      const letter = "CSIL".indexOf(str[s] ?? "\0");
      let size = 4;
      if (letter >= 0 && s < str.length) {
        size = [1, 2, 4, 8][letter];
        s++;
      } else size = sizeNumber("integral") ?? 4;
      specs.push(integerSpec(c, size));
    } else if (c === "f") {
      const letter = "FDL".indexOf(str[s] ?? "\0");
      let size = 8;
      if (letter >= 0 && s < str.length) {
        size = [4, 8, 16][letter];
        s++;
      } else size = sizeNumber("floating point") ?? 8;
      specs.push(floatSpec(size));
    } else if (c === "a" || c === "c") specs.push(charSpec(c === "a"));
    else throw new AppletError(`invalid character '${c}' in type string '${str}'`);
  }
}

/** The operands read one after another, as od's open_next_file()/read_block(). */
class Inputs {
  private cur?: ByteReader;
  private curName = "";
  status = 0;
  constructor(private ctx: Context, private names: string[]) {}

  get open(): boolean {
    return this.cur !== undefined;
  }

  async next(): Promise<void> {
    while (this.names.length) {
      const name = this.names.shift()!;
      try {
        this.cur = ByteReader.open(this.ctx, name);
        this.curName = name === "-" ? "standard input" : name;
        return;
      } catch (err) {
        await warn(this.ctx, `${name}: ${errorMessage(err)}`);
        this.status = 1;
      }
    }
  }

  async close(): Promise<void> {
    this.cur?.close();
    this.cur = undefined;
  }

  /** fread() from the current file; a read error ends it with "NAME: read error". */
  private async read(n: number): Promise<Uint8Array> {
    try {
      return await this.cur!.read(n);
    } catch {
      await warn(this.ctx, `${this.curName}: read error`);
      this.status = 1;
      return new Uint8Array(0);
    }
  }

  /** n bytes (fewer at the end of the last file), crossing file boundaries. */
  async block(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let got = 0;
    while (this.cur) {
      const r = await this.read(n - got);
      out.set(r, got);
      got += r.length;
      if (got === n) break;
      await this.close();
      await this.next();
    }
    return out.subarray(0, got);
  }

  async getc(): Promise<number> {
    while (this.cur) {
      let c: number;
      try {
        c = await this.cur.getc();
      } catch {
        await warn(this.ctx, `${this.curName}: read error`);
        this.status = 1;
        c = -1;
      }
      if (c >= 0) return c;
      await this.close();
      await this.next();
    }
    return -1;
  }

  /** -j: whole files are passed over by size, the rest by seeking or reading. */
  async skip(n: number): Promise<void> {
    if (n === 0) return;
    while (this.cur) {
      const cur = this.cur;
      if (cur.seekable && cur.size > 0) {
        if (cur.size < n) n -= cur.size;
        else {
          cur.seekTo(n);
          return;
        }
      } else {
        try {
          n -= await cur.discard(n);
        } catch {
          await warn(this.ctx, `${this.curName}: read error`);
          this.status = 1;
        }
      }
      if (n === 0) return;
      await this.close();
      await this.next();
    }
    if (n) throw new AppletError("can't skip past end of combined input");
  }
}

defineApplet({
  name: "od",
  usage: "[-abcdfhilovxs] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-S MINSTR] [-w WIDTH] [FILE]...",
  summary: "Print FILEs (or stdin) unambiguously, as octal bytes by default",
  options: [
    "-A RADIX, --address-radix=RADIX",
    "-N SIZE, --read-bytes=SIZE",
    "-a", "-b", "-c", "-d", "-f", "-h", "-i",
    "-j SKIP, --skip-bytes=SKIP",
    "-l", "-o",
    "-t TYPE..., --format=TYPE...",
    "-v, --output-duplicates",
    "-x", "-s",
    "-S MINSTR",
    "--strings[=MINSTR]",
    "-w[=WIDTH], --width[=WIDTH]",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    let addrRadix = "o";
    let addrWidth = 7;
    if (opts.A !== undefined) {
      const r = opts.A[0] ?? "";
      if (!r || !"doxn".includes(r)) throw new AppletError(`bad output address radix '${r}' (must be [doxn])`);
      addrRadix = r;
      // "n" has no width of its own: BusyBox reads past its table and pads with 69 blanks.
      addrWidth = r === "x" ? 6 : r === "n" ? 69 : 7;
    }
    let limit: number | undefined;
    if (opts.N !== undefined) limit = Number(parseSuffixedAnyBase(opts.N, BKM_SUFFIXES));
    const specs: Spec[] = [];
    const letters: [string, string][] = [["a", "a"], ["b", "oC"], ["c", "c"], ["d", "u2"], ["f", "fF"], ["h", "x2"], ["i", "d2"]];
    for (const [k, t] of letters) if (opts[k]) decodeTypes(t, specs);
    const skip = opts.j !== undefined ? Number(parseSuffixedAnyBase(opts.j, BKM_SUFFIXES)) : 0;
    if (opts.l) decodeTypes("d4", specs);
    if (opts.o) decodeTypes("o2", specs);
    for (const t of opts.t) decodeTypes(t, specs);
    if (opts.x) decodeTypes("x2", specs);
    if (opts.s) decodeTypes("d2", specs);
    let stringMin: number | undefined;
    if (opts.S !== undefined) stringMin = Number(parseSuffixedAnyBase(opts.S, BKM_SUFFIXES, 0n, 4294967295n));
    if (opts.strings !== undefined) stringMin = opts.strings === "" ? 3 : Number(parseSuffixedAnyBase(opts.strings, BKM_SUFFIXES, 0n, 4294967295n));
    if (specs.length === 0) decodeTypes("o2", specs);

    const address = (off: number | bigint) => {
      if (addrRadix === "n") return "";
      const v = BigInt.asUintN(64, BigInt(off));
      return v.toString(addrRadix === "o" ? 8 : addrRadix === "x" ? 16 : 10).padStart(addrWidth, "0");
    };

    const inputs = new Inputs(ctx, files.length ? [...files] : ["-"]);
    await inputs.next();
    await inputs.skip(skip);
    if (!inputs.open) return 1;

    const lcm = specs.reduce((l, s) => (l * s.size) / gcd(l, s.size), 1);
    let perLine: number;
    if (opts.w !== undefined) {
      perLine = opts.w === "" ? 32 : Number(parseSuffixedAnyBase(opts.w, [], 0n, 2147483647n));
      if (!perLine || perLine % lcm !== 0) {
        await warn(ctx, `warning: invalid width ${perLine}; using ${lcm} instead`);
        perLine = lcm;
      }
    } else perLine = lcm < 16 ? lcm * Math.trunc(16 / lcm) : lcm;

    const out = new TextOut(ctx.stdout);
    const end = limit !== undefined ? skip + limit : undefined;
    try {
      if (stringMin !== undefined) await dumpStrings(inputs, out, skip, end, stringMin, address);
      else await dump(inputs, out, specs, perLine, lcm, skip, end, !!opts.v, address, addrWidth);
    } finally {
      await inputs.close();
      await out.flush();
    }
    return inputs.status;
  },
});

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

async function dump(
  inputs: Inputs, out: TextOut, specs: Spec[], perLine: number, lcm: number, offset: number,
  end: number | undefined, all: boolean, address: (n: number) => string, addrWidth: number,
): Promise<void> {
  let prev: Uint8Array | undefined;
  let prevEqual = false;
  const pad = " ".repeat(addrWidth);
  const line = (off: number, block: Uint8Array, n: number) => {
    if (!all && prev && n === perLine && equal(prev, block)) {
      if (!prevEqual) out.put("*\n");
      prevEqual = true;
      return;
    }
    prevEqual = false;
    specs.forEach((s, i) => out.put((i === 0 ? address(off) : pad) + s.print(block, n) + "\n"));
  };
  let block: Uint8Array;
  for (;;) {
    const want = end !== undefined ? Math.min(end - offset, perLine) : perLine;
    block = want > 0 ? await inputs.block(want) : new Uint8Array(0);
    if (block.length < perLine) break;
    line(offset, block, block.length);
    prev = block;
    offset += block.length;
    await out.drain();
  }
  if (block.length > 0) {
    // Pad to whole values of the widest type.
    const n = lcm * Math.ceil(block.length / lcm);
    const padded = new Uint8Array(n);
    padded.set(block);
    line(offset, padded, n);
    offset += block.length;
  }
  const a = address(offset);
  if (a) out.put(a + "\n");
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const STRING_ESCAPES: Record<number, string> = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

/** -S N: NUL-terminated runs of at least N printable bytes, with their offsets. */
async function dumpStrings(
  inputs: Inputs, out: TextOut, addr: number, end: number | undefined, min: number, address: (n: number) => string,
): Promise<void> {
  for (;;) {
    if (end !== undefined && end - min <= addr) return;
    let s = "";
    let complete = true;
    for (;;) {
      if (end !== undefined && addr >= end) break;
      const c = await inputs.getc();
      if (c < 0) return;
      addr++;
      if (c === 0) break;
      if (c < 0x20 || c >= 0x7f) {
        complete = false;
        break;
      }
      s += String.fromCharCode(c);
    }
    if (!complete || s.length < min) continue;
    let text = "";
    for (const ch of s) text += STRING_ESCAPES[ch.charCodeAt(0)] ?? ch;
    const a = address(addr - s.length - 1);
    out.put(`${a}${a ? " " : ""}${text}\n`);
    await out.drain();
  }
}
