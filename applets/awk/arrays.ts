// awk's associative arrays. Lookups go through a Map; "for (k in a)" visits
// the keys in the order BusyBox's hash table holds them, so that programs
// print the same lines in the same order: 61 buckets growing to 251, 1021,
// 4093, 16381, 65521 once there are more than 8 entries per bucket, each
// bucket a list with the newest entry first, rebuilt bucket by bucket.
import type { Value } from "./values.ts";

const FIRST_SIZE = 61;
const SIZES = [251, 1021, 4093, 16381, 65521];

/** BusyBox's hashidx(): idx = c + idx * 63 over the (signed) chars, mod 2^32. */
export function hashIndex(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i) & 0xff;
    if (c >= 128) c -= 256;
    h = (Math.imul(h, 63) + c) >>> 0;
  }
  return h;
}

export class AwkArray {
  readonly map = new Map<string, Value>();
  /** Table size index when the last epoch began (-1: FIRST_SIZE). */
  private baseSize = -1;
  /** Current size index. */
  private sizeIndex = -1;
  /** Insertions so far, and the insertion numbers at which the table grew. */
  private inserted = 0;
  private growths: number[] = [];
  /** Insertion number of keys added since the first growth (others are older). */
  private seq: Map<string, number> | undefined;

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): Value {
    return this.map.get(key);
  }

  /** The element, created (uninitialized) when missing, as awk's a[k] does. */
  ref(key: string): Value {
    const v = this.map.get(key);
    if (v === undefined && !this.map.has(key)) this.add(key, undefined);
    return v;
  }

  set(key: string, v: Value): void {
    if (this.map.has(key)) this.map.set(key, v);
    else this.add(key, v);
  }

  private add(key: string, v: Value): void {
    const cur = this.sizeIndex < 0 ? FIRST_SIZE : SIZES[this.sizeIndex];
    this.inserted++;
    if (this.map.size + 1 > cur * 8 && this.sizeIndex < SIZES.length - 1) {
      this.sizeIndex++;
      this.growths.push(this.inserted);
      this.seq ??= new Map();
    }
    if (this.seq) this.seq.set(key, this.inserted);
    this.map.set(key, v);
  }

  delete(key: string): void {
    if (this.map.delete(key)) this.seq?.delete(key);
  }

  clear(): void {
    this.map.clear();
    // The table keeps its size; the history starts over.
    this.baseSize = this.sizeIndex;
    this.inserted = 0;
    this.growths = [];
    this.seq = undefined;
  }

  /** Keys in BusyBox's walk order. */
  keys(): string[] {
    let size = this.baseSize < 0 ? FIRST_SIZE : SIZES[this.baseSize];
    let sizeIdx = this.baseSize;
    let buckets: string[][] = new Array(size);
    let g = 0;
    for (const key of this.map.keys()) {
      const n = this.seq?.get(key) ?? 0;
      while (g < this.growths.length && this.growths[g] <= n) {
        sizeIdx++;
        size = SIZES[sizeIdx];
        buckets = rebuild(buckets, size);
        g++;
      }
      const b = hashIndex(key) % size;
      (buckets[b] ??= []).push(key); // kept oldest first; walked newest first
    }
    while (g < this.growths.length) {
      sizeIdx++;
      buckets = rebuild(buckets, SIZES[sizeIdx]);
      g++;
    }
    const out: string[] = [];
    for (const list of buckets) {
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) out.push(list[i]);
    }
    return out;
  }
}

function rebuild(old: string[][], size: number): string[][] {
  const next: string[][] = new Array(size);
  for (const list of old) {
    if (!list) continue;
    // Walk each old chain newest first, pushing each entry to the front of its new chain.
    for (let i = list.length - 1; i >= 0; i--) {
      const key = list[i];
      (next[hashIndex(key) % size] ??= []).push(key);
    }
  }
  return next;
}
