// cmp: compare two files byte by byte. Prints where they first differ
// ("char N, line M"), or every difference with -l, or nothing with -s;
// "EOF on NAME" when one is a prefix of the other. Exit 0 same, 1 differ,
// 2 trouble.
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { ByteReader } from "../lib/bytereader.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { parsePositiveInt, parseSuffixed } from "../lib/numbers.ts";
import { OutBuf } from "../lib/bufio.ts";

defineApplet({
  name: "cmp",
  usage: "[-ls] [-n NUM] FILE1 [FILE2 [SKIP1 [SKIP2]]]",
  summary: "Compare FILE1 with FILE2 (or stdin)",
  options: [
    "-l  Write the byte numbers (decimal) and values (octal) for all differing bytes",
    "-s  Quiet",
    "-n NUM  Compare at most NUM bytes",
  ],
  minOperands: 1,
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    if (operands.length > 4) throw new UsageError();
    // -l and -s exclude each other.
    if (opts.l && opts.s) throw new UsageError();
    const list = !!opts.l;
    const silent = !!opts.s;
    let max = opts.n !== undefined ? parsePositiveInt(opts.n) : -1;
    const name1 = operands[0];
    const name2 = operands[1] ?? "-";
    const skip1 = operands[2] !== undefined ? Number(parseSuffixed(operands[2])) : 0;
    const skip2 = operands[3] !== undefined ? Number(parseSuffixed(operands[3])) : 0;
    const f1 = await open(ctx, name1, silent);
    if (!f1) return 2;
    const f2 = await open(ctx, name2, silent);
    if (!f2) return 2;
    if (name1 === "-" && name2 === "-") return 0;
    const out = new OutBuf(ctx.stdout);
    let status = 0;
    try {
      await skip(f1, skip1, name1);
      await skip(f2, skip2, name2);
      let pos = 0;
      let line = 1;
      let b1: Uint8Array = new Uint8Array(0), i1 = 0;
      let b2: Uint8Array = new Uint8Array(0), i2 = 0;
      for (;;) {
        if (max >= 0 && --max < 0) break;
        if (i1 >= b1.length) [b1, i1] = [(await chunk(f1, name1)) ?? new Uint8Array(0), 0];
        if (i2 >= b2.length) [b2, i2] = [(await chunk(f2, name2)) ?? new Uint8Array(0), 0];
        const c1 = i1 < b1.length ? b1[i1++] : -1;
        const c2 = i2 < b2.length ? b2[i2++] : -1;
        pos++;
        if (c1 !== c2) {
          status = 1;
          if (c1 < 0 || c2 < 0) {
            if (!silent) {
              await out.flush();
              await ctx.stderr.write(`cmp: EOF on ${c1 < 0 ? name1 : name2}\n`);
            }
            break;
          }
          if (list) out.push(`${pos} ${c1.toString(8).padStart(3)} ${c2.toString(8).padStart(3)}\n`);
          else {
            if (!silent) out.push(`${name1} ${name2} differ: char ${pos}, line ${line}\n`);
            break;
          }
          await out.maybeFlush();
        }
        if (c1 < 0) break;
        if (c1 === 10) line++;
      }
    } finally {
      f1.close();
      f2.close();
      await out.flush();
    }
    return status;
  },
});

/** The operand, or undefined after saying why not (-s says nothing). */
async function open(ctx: Context, name: string, silent: boolean): Promise<ByteReader | undefined> {
  try {
    return ByteReader.open(ctx, name);
  } catch (err) {
    if (!silent) await warn(ctx, `${name}: ${errorMessage(err)}`);
    return undefined;
  }
}

/** A read error is fatal, with status 2, as die_if_ferror() makes it. */
async function chunk(r: ByteReader, name: string): Promise<Uint8Array | undefined> {
  try {
    return await r.chunk();
  } catch {
    throw new AppletError(`${name}: I/O error`, 2);
  }
}

async function skip(r: ByteReader, n: number, name: string): Promise<void> {
  try {
    await r.discard(n);
  } catch {
    throw new AppletError(`${name}: I/O error`, 2);
  }
}
