// Byte-order (strcmp) sorting of many lines held in one buffer, without a
// string or a comparator call per line: each line gets a 64-bit word made of
// its next 4 or 5 bytes and its position, the words go through the engine's
// native BigUint64Array sort, and runs of equal digits are sorted again from
// further along the line (an MSD radix sort with 32/40-bit digits).
// Lines never contain the delimiter, so a zero byte only pads a line's end.
import { cmpBytes } from "./keys.ts";

const SMALL = 16;

/**
 * Sort `order` (indices of lines buf[se[2i]..se[2i+1])) in place by the
 * lines' bytes from offset `depth` on; all of them share their first `depth` bytes.
 */
export function byteSort(buf: Uint8Array, se: Int32Array, order: Int32Array, depth = 0): void {
  const n = order.length;
  if (n < 2) return;
  const words = new ArrayBuffer(n * 8);
  const u32 = new Uint32Array(words);
  const b64 = new BigUint64Array(words);
  const tmp = new Int32Array(n);
  sortRange(buf, se, order, u32, b64, tmp, 0, n, depth);
}

function sortRange(
  buf: Uint8Array, se: Int32Array, order: Int32Array,
  u32: Uint32Array, b64: BigUint64Array, tmp: Int32Array, lo: number, hi: number, depth: number,
): void {
  const m = hi - lo;
  if (m <= SMALL) {
    insertion(buf, se, order, lo, hi, depth);
    return;
  }
  const idxBits = 32 - Math.clz32(m - 1);
  const extra = (32 - idxBits) >> 3;
  for (let k = 0; k < m; k++) {
    const line = order[lo + k];
    const p = se[2 * line] + depth;
    const e = se[2 * line + 1];
    const avail = e - p;
    let w: number;
    if (avail >= 4) w = ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
    else {
      w = 0;
      for (let q = 0; q < 4; q++) w = w * 256 + (q < avail ? buf[p + q] : 0);
    }
    let low = 0;
    for (let q = 4; q < 4 + extra; q++) low = low * 256 + (q < avail ? buf[p + q] : 0);
    u32[2 * (lo + k) + 1] = w;
    u32[2 * (lo + k)] = extra ? ((low << idxBits) | k) >>> 0 : k;
    tmp[lo + k] = line;
  }
  b64.subarray(lo, hi).sort();
  const mask = idxBits === 32 ? 0xffffffff : (1 << idxBits) - 1;
  for (let k = lo; k < hi; k++) order[k] = tmp[lo + ((u32[2 * k] & mask) >>> 0)];
  const digit = 4 + extra;
  // Runs with the same digit: sort them further along, unless every line ended within it (then they are equal).
  let i = lo;
  while (i < hi) {
    const w = u32[2 * i + 1];
    const low = extra ? u32[2 * i] >>> idxBits : 0;
    let j = i + 1;
    while (j < hi && u32[2 * j + 1] === w && (extra ? u32[2 * j] >>> idxBits : 0) === low) j++;
    if (j - i > 1) {
      let longer = false;
      for (let k = i; k < j && !longer; k++) longer = se[2 * order[k] + 1] - se[2 * order[k]] > depth + digit;
      if (longer) sortRange(buf, se, order, u32, b64, tmp, i, j, depth + digit);
    }
    i = j;
  }
}

function insertion(buf: Uint8Array, se: Int32Array, order: Int32Array, lo: number, hi: number, depth: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = order[i];
    const xs = se[2 * x] + depth, xe = se[2 * x + 1];
    let j = i - 1;
    while (j >= lo) {
      const y = order[j];
      if (cmpBytes(buf, se[2 * y] + depth, se[2 * y + 1], buf, xs, xe) <= 0) break;
      order[j + 1] = y;
      j--;
    }
    order[j + 1] = x;
  }
}
