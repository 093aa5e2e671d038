// head: the first N lines or bytes (-n N, -c N, with b/k/m suffixes), or all
// but the last N (-n -N, -c -N), streaming: only the last N lines or bytes
// are ever held. "head -NUM" works as the first argument, as in BusyBox.
import { defineApplet, usageText, warn, type Applet, type Context } from "../lib/applet.ts";
import type { Reader } from "../lib/io.ts";
import { BKM_SUFFIXES, parseSuffixed } from "../lib/numbers.ts";
import { parseOptions } from "../lib/options.ts";
import { openOrWarn } from "../lib/textio.ts";

const head: Applet = defineApplet({
  name: "head",
  usage: "[OPTIONS] [FILE]...",
  summary: "Print first 10 lines of FILEs (or stdin).\nWith more than one FILE, precede each with a filename header.",
  options: [
    "-n N[bkm]  Print first N lines",
    "-c [-]N[bkm]  Print first N bytes",
    "-q  Never print headers",
    "-v  Always print headers",
  ],
  rawArgs: true,
  dir: "/usr/bin",
  async run(ctx, _opts, args) {
    if (args[0] === "--help") {
      await ctx.stdout.write(usageText(head));
      return 0;
    }
    let count = 10;
    let bytes = false;
    let negative = false;
    // As in BusyBox, a "-" (all but the last N) and -c (bytes) stay once seen.
    const eat = (p: string) => {
      if (p[0] === "-") {
        negative = true;
        p = p.slice(1);
      }
      count = Number(parseSuffixed(p, BKM_SUFFIXES));
    };
    // Legacy "head -5": only as the very first argument.
    if (args.length && args[0][0] === "-" && /^[0-9]$/.test(args[0][1] ?? "")) {
      eat(args[0].slice(1));
      args = args.slice(1);
    }
    const { operands } = parseOptions(head.spec, args);
    let headerThreshold = 1;
    for (const [key, value] of optionSequence(args)) {
      if (key === "q") headerThreshold = Infinity;
      else if (key === "v") headerThreshold = -1;
      else if (key === "c" || key === "n") {
        if (key === "c") bytes = true;
        eat(value!);
      }
    }
    let files = operands;
    if (files.length === 0) files = ["-"];
    if (operands.length <= headerThreshold) headerThreshold = 0;
    else headerThreshold = 1;
    if (negative && count >= 2147483647 / 8) await warn(ctx, `count is too big: ${count}`);
    let status = 0;
    let first = true;
    for (const file of files) {
      const input = await openOrWarn(ctx, file);
      const name = file === "-" ? "standard input" : file;
      if (input) {
        if (headerThreshold) await ctx.stdout.write(Buffer.from(`${first ? "" : "\n"}==> ${name} <==\n`, "latin1"));
        try {
          if (!negative) await firstN(ctx, input, count, bytes);
          else if (bytes) await allButLastBytes(ctx, input, count);
          else await allButLastLines(ctx, input, count);
        } catch (err) {
          if ((err as any)?.code === "EPIPE") throw err;
          await warn(ctx, `${name}: Input/output error`);
          status = 1;
        }
      } else status = 1;
      first = false;
    }
    return status;
  },
});

/** The -c/-n/-q/-v options in command-line order, with their values (later ones win). */
function optionSequence(args: string[]): [string, string | undefined][] {
  const seq: [string, string | undefined][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    if (a.length < 2 || a[0] !== "-") continue;
    for (let j = 1; j < a.length; j++) {
      const k = a[j];
      if (k === "c" || k === "n") {
        seq.push([k, j + 1 < a.length ? a.slice(j + 1) : args[++i]]);
        break;
      }
      seq.push([k, undefined]);
    }
  }
  return seq;
}

async function firstN(ctx: Context, input: Reader, count: number, bytes: boolean): Promise<void> {
  if (count <= 0) return;
  const it = input.chunks()[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      if (bytes) {
        if (chunk.length >= count) {
          await ctx.stdout.write(chunk.subarray(0, count));
          return;
        }
        count -= chunk.length;
        await ctx.stdout.write(chunk);
        continue;
      }
      let i = -1;
      while (count > 0 && (i = chunk.indexOf(10, i + 1)) >= 0) count--;
      if (count === 0) {
        await ctx.stdout.write(chunk.subarray(0, i + 1));
        return;
      }
      await ctx.stdout.write(chunk);
    }
  } finally {
    await it.return?.();
  }
}

async function allButLastBytes(ctx: Context, input: Reader, count: number): Promise<void> {
  const held: Uint8Array[] = [];
  let heldSize = 0;
  for await (const chunk of input.chunks()) {
    held.push(chunk);
    heldSize += chunk.length;
    // Release whatever is certainly not among the last `count` bytes.
    while (held.length && heldSize - held[0].length >= count) {
      const c = held.shift()!;
      heldSize -= c.length;
      await ctx.stdout.write(c);
    }
    if (heldSize > count && held.length) {
      const extra = heldSize - count;
      await ctx.stdout.write(held[0].subarray(0, extra));
      held[0] = held[0].subarray(extra);
      heldSize = count;
    }
  }
}

/**
 * head -n -N: lines as xmalloc_fgets() reads them (a NUL ends one too, and
 * is not printed), holding only the last N.
 */
async function allButLastLines(ctx: Context, input: Reader, count: number): Promise<void> {
  const ring: string[] = [];
  let start = 0;
  let carry = "";
  let out = "";
  const add = (line: string) => {
    ring.push(line);
    if (ring.length - start > count) out += ring[start++];
    if (start > 4096 && start * 2 > ring.length) {
      ring.splice(0, start);
      start = 0;
    }
  };
  for await (const chunk of input.chunks()) {
    const text = carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        add(text.slice(from, i + 1));
        from = i + 1;
      } else if (c === 0) {
        add(text.slice(from, i));
        from = i + 1;
      }
    }
    carry = text.slice(from);
    if (out) {
      await ctx.stdout.write(Buffer.from(out, "latin1"));
      out = "";
    }
  }
  if (carry) add(carry);
  if (out) await ctx.stdout.write(Buffer.from(out, "latin1"));
}
