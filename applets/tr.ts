// tr: BusyBox's set expansion (ranges, \ escapes, [:class:], [=c=]) and its
// translate/delete/squeeze loop over stdin, byte by byte through 256-entry
// tables. Beyond BusyBox, as POSIX asks: [:graph:] and [:print:], and in
// STRING2 the repeats [x*N] and [x*] (BusyBox takes those literally).
import { defineApplet, warn } from "../lib/applet.ts";
import { AppletError, UsageError, errnoCode, errorMessage } from "../lib/errors.ts";
import { escapeAt } from "../lib/escapes.ts";
import { binaryOf } from "../lib/text.ts";

const CLASSES = ["alpha", "alnum", "digit", "lower", "upper", "space", "blank", "punct", "cntrl", "xdigit", "graph", "print"];

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let i = from; i <= to; i++) r.push(i);
  return r;
}

function classBytes(name: string): number[] {
  const out: number[] = [];
  if (name === "alnum" || name === "digit" || name === "xdigit") out.push(...range(48, 57));
  if (name === "alpha" || name === "alnum" || name === "upper") out.push(...range(65, 90));
  if (name === "alpha" || name === "alnum" || name === "lower") out.push(...range(97, 122));
  if (name === "space") out.push(9, 10, 11, 12, 13, 32);
  if (name === "blank") out.push(9, 32);
  if (name === "punct") for (let i = 33; i < 127; i++) if (!/[0-9A-Za-z]/.test(String.fromCharCode(i))) out.push(i);
  if (name === "cntrl") out.push(...range(0, 31), 127);
  if (name === "xdigit") out.push(...range(65, 70), ...range(97, 102));
  if (name === "graph") out.push(...range(33, 126));
  if (name === "print") out.push(...range(32, 126));
  return out;
}

/**
 * A set operand as bytes, as BusyBox's expand() builds it. `repeats` allows
 * [x*N] and [x*] (STRING2); a [x*] is returned as a marker to fill later.
 */
export function expandSet(arg: string, repeats = false): { bytes: number[]; fillAt?: number; fillByte?: number } {
  // Work on a mutable copy: like BusyBox, an escape is replaced in place by its byte.
  const s = arg.split("");
  const out: number[] = [];
  let fillAt: number | undefined;
  let fillByte: number | undefined;
  let i = 0;
  const at = (k: number) => (k < s.length ? s[k] : "\0");
  while (i < s.length) {
    if (s[i] === "\\") {
      i++;
      const [ch, next] = escapeAt(s.join(""), i);
      i = next - 1;
      s[i] = ch;
    }
    if (at(i + 1) === "-") {
      const ac = at(i + 2);
      if (i + 2 >= s.length) {
        out.push(s[i].charCodeAt(0));
        i++;
        continue;
      }
      const from = s[i].charCodeAt(0);
      i += 3;
      let to = ac.charCodeAt(0);
      if (ac === "\\") {
        const [ch, next] = escapeAt(s.join(""), i);
        to = ch.charCodeAt(0);
        i = next;
      }
      for (let c = from; c <= to; c++) out.push(c);
      continue;
    }
    if (s[i] === "[") {
      const kind = at(i + 1);
      if (kind === ":") {
        const rest = s.slice(i + 2).join("");
        const name = CLASSES.find((c) => rest.startsWith(c + ":]"));
        if (name) {
          out.push(...classBytes(name));
          i += 2 + name.length + 2;
          continue;
        }
      } else if (kind === "=") {
        // [=c=]: the character itself.
        if (i + 2 >= s.length || at(i + 3) !== "=" || at(i + 4) !== "]") throw new UsageError();
        out.push(s[i + 2].charCodeAt(0));
        i += 5;
        continue;
      } else if (repeats && i + 2 < s.length && s[i + 2] === "*") {
        const m = /^\[([\s\S])\*(\d*)\]/.exec(s.slice(i).join(""));
        if (m) {
          const byte = m[1].charCodeAt(0);
          if (m[2] === "" || /^0+$/.test(m[2])) {
            fillAt = out.length;
            fillByte = byte;
          } else {
            const n = m[2].startsWith("0") ? parseInt(m[2], 8) : parseInt(m[2], 10);
            if (Number.isNaN(n)) throw new AppletError(`invalid repeat count '${m[2]}' in [c*n] construct`);
            for (let k = 0; k < n; k++) out.push(byte);
          }
          i += m[0].length;
          continue;
        }
      }
    }
    out.push(s[i].charCodeAt(0));
    i++;
  }
  return { bytes: out, fillAt, fillByte };
}

defineApplet({
  name: "tr",
  usage: "[-cds] STRING1 [STRING2]",
  summary: "Translate, squeeze, or delete characters from stdin, writing to stdout",
  options: [
    "-c  Take complement of STRING1",
    "-C  (same as -c)",
    "-d  Delete input characters coded STRING1",
    "-s  Squeeze multiple output characters of STRING2 into one character",
  ],
  stopAtOperand: true,
  dir: "/usr/bin",
  async run(ctx, opts, args) {
    if (args.length < 1) throw new UsageError(); // like BusyBox, words after STRING2 are ignored
    let str1 = expandSet(binaryOf(args[0])).bytes;
    if (opts.c || opts.C) {
      const present = new Uint8Array(256);
      for (const b of str1) present[b] = 1;
      str1 = [];
      for (let c = 0; c < 256; c++) if (!present[c]) str1.push(c);
    }
    const vector = new Uint8Array(256);
    for (let i = 0; i < 256; i++) vector[i] = i;
    const invec = new Uint8Array(256);
    const outvec = new Uint8Array(256);
    let str2: number[] = [];
    if (args.length >= 2) {
      if (args[1] === "") throw new AppletError("STRING2 cannot be empty");
      const e = expandSet(binaryOf(args[1]), true);
      str2 = e.bytes;
      if (e.fillAt !== undefined) {
        const fill = Math.max(0, str1.length - str2.length);
        str2 = [...str2.slice(0, e.fillAt), ...new Array(fill).fill(e.fillByte), ...str2.slice(e.fillAt)];
      }
      let last = 48; // BusyBox starts from '0' when STRING2 expands to nothing
      for (let i = 0, j = 0; i < str1.length; i++) {
        if (str2.length <= j) vector[str1[i]] = last;
        else vector[str1[i]] = last = str2[j++];
      }
    }
    for (const b of str1) invec[b] = 1;
    for (const b of str2) outvec[b] = 1;
    const state: FilterState = { vector, invec, outvec, del: !!opts.d, squeeze: !!opts.s, last: 256 };
    try {
      for await (const chunk of ctx.stdin.chunks()) {
        if (!state.del && !state.squeeze) {
          const out = new Uint8Array(chunk.length);
          for (let i = 0; i < chunk.length; i++) out[i] = vector[chunk[i]];
          await ctx.stdout.write(out);
          continue;
        }
        const out = new Uint8Array(chunk.length);
        const n = filterChunk(chunk, out, state);
        await ctx.stdout.write(out.subarray(0, n));
      }
    } catch (err) {
      if (errnoCode(err) === "EPIPE") throw err;
      await warn(ctx, `read error: ${errorMessage(err)}`);
      return 1;
    }
    return 0;
  },
});

interface FilterState {
  vector: Uint8Array;
  invec: Uint8Array;
  outvec: Uint8Array;
  del: boolean;
  squeeze: boolean;
  /** The byte last written (256: none yet). */
  last: number;
}

/** Delete and squeeze one chunk into `out`; returns the bytes written (a plain loop the JIT compiles well). */
function filterChunk(chunk: Uint8Array, out: Uint8Array, st: FilterState): number {
  const { vector, invec, outvec, del, squeeze } = st;
  let last = st.last;
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (del && invec[c]) continue;
    const coded = vector[c];
    if (squeeze && last === coded && (invec[c] || outvec[coded])) continue;
    out[n++] = last = coded;
  }
  st.last = last;
  return n;
}
