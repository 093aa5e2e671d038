// Lines with their keys cut out once, in columns (typed arrays where the key
// is a number or a byte range), so that comparing two lines costs no
// allocation. A table either holds one run of lines sharing a buffer, or
// one slot per merged run, each with its own buffer.
import {
  F_d, F_f, F_g, F_h, F_i, F_M, F_n, F_r, F_V,
  atofBytes, checkType, cmpBytes, effectiveFlags, generalNumber, keyRange, monthOf, transformKey, verscmp, wholeLine,
  type KeyDef,
} from "./keys.ts";

const enum Kind { Whole, Range, Str, Num, Gen, Ver }

interface CKey {
  def: KeyDef;
  flags: number;
  kind: Kind;
  rev: boolean;
}

export interface SortSpec {
  keys: KeyDef[];
  global: number;
  /** -s: equal keys keep their input order. */
  stable: boolean;
  /** -t: the field separator byte, or -1. */
  sep: number;
}

/** The keys as compared: with no -k, the whole line under the global flags. */
export function compileKeys(spec: SortSpec): CKey[] {
  const defs = spec.keys.length ? spec.keys : [{ range: [1, 0, 0, 0] as KeyDef["range"], flags: 0 }];
  return defs.map((def) => {
    const flags = effectiveFlags(def, spec.global);
    checkType(flags);
    let kind: Kind;
    if (flags & F_n) kind = Kind.Num;
    else if (flags & (F_g | F_h)) kind = Kind.Gen;
    else if (flags & F_M) kind = Kind.Num;
    else if (flags & F_V) kind = Kind.Ver;
    else if (flags & (F_d | F_f | F_i)) kind = Kind.Str;
    else kind = wholeLine(def, flags) ? Kind.Whole : Kind.Range;
    return { def, flags, kind, rev: !!(flags & F_r) };
  });
}

/** Whether plain byte order of whole lines decides everything (the fast path). */
export function isPlain(spec: SortSpec): boolean {
  const keys = compileKeys(spec);
  return keys.length === 1 && keys[0].kind === Kind.Whole;
}

export class Table {
  readonly keys: CKey[];
  /** Line i is bufs[i][st[i]..en[i]) (or buf's, when all share it). */
  buf: Uint8Array = new Uint8Array(0);
  bufs?: Uint8Array[];
  st: Int32Array;
  en: Int32Array;
  private ks: Int32Array[] = [];
  private ke: Int32Array[] = [];
  private num: Float64Array[] = [];
  private rank: Int8Array[] = [];
  private str: string[][] = [];
  private range = new Int32Array(2);
  private globalRev: boolean;

  constructor(readonly spec: SortSpec, size: number, perSlotBuffers = false) {
    this.keys = compileKeys(spec);
    this.globalRev = !!(spec.global & F_r);
    this.st = new Int32Array(size);
    this.en = new Int32Array(size);
    if (perSlotBuffers) this.bufs = new Array(size);
    this.keys.forEach((k, n) => {
      if (k.kind === Kind.Range || k.kind === Kind.Ver) {
        this.ks[n] = new Int32Array(size);
        this.ke[n] = new Int32Array(size);
      } else if (k.kind === Kind.Num || k.kind === Kind.Gen) {
        this.num[n] = new Float64Array(size);
        if (k.kind === Kind.Gen) this.rank[n] = new Int8Array(size);
      } else if (k.kind === Kind.Str) this.str[n] = new Array(size);
    });
  }

  /** Put a line in a slot and cut its keys out. */
  set(slot: number, buf: Uint8Array, s: number, e: number): void {
    if (this.bufs) this.bufs[slot] = buf;
    this.st[slot] = s;
    this.en[slot] = e;
    const r = this.range;
    for (let n = 0; n < this.keys.length; n++) {
      const k = this.keys[n];
      if (k.kind === Kind.Whole) continue;
      keyRange(buf, s, e, k.def, k.flags, this.spec.sep, r);
      switch (k.kind) {
        case Kind.Range:
        case Kind.Ver:
          this.ks[n][slot] = r[0];
          this.ke[n][slot] = r[1];
          break;
        case Kind.Str:
          this.str[n][slot] = transformKey(buf, r[0], r[1], k.flags);
          break;
        case Kind.Num:
          if (k.flags & (F_d | F_f | F_i)) {
            const t = Buffer.from(transformKey(buf, r[0], r[1], k.flags), "latin1");
            this.num[n][slot] = k.flags & F_n ? atofBytes(t, 0, t.length) : monthOf(t, 0, t.length);
          } else this.num[n][slot] = k.flags & F_n ? atofBytes(buf, r[0], r[1]) : monthOf(buf, r[0], r[1]);
          break;
        case Kind.Gen: {
          let b = buf, a0 = r[0], a1 = r[1];
          if (k.flags & (F_d | F_f | F_i)) {
            b = Buffer.from(transformKey(buf, r[0], r[1], k.flags), "latin1");
            a0 = 0;
            a1 = b.length;
          }
          generalNumber(b, a0, a1, !!(k.flags & F_h) && !(k.flags & F_g), this.num[n], slot, this.rank[n]);
          break;
        }
      }
    }
  }

  /** Copy slot `from` of another table of the same spec into slot `to`. */
  copyFrom(t: Table, from: number, to: number, buf: Uint8Array, s: number): void {
    if (this.bufs) this.bufs[to] = buf;
    const shift = s - t.st[from];
    this.st[to] = s;
    this.en[to] = t.en[from] + shift;
    for (let n = 0; n < this.keys.length; n++) {
      if (this.ks[n]) {
        this.ks[n][to] = t.ks[n][from] + shift;
        this.ke[n][to] = t.ke[n][from] + shift;
      }
      if (this.num[n]) this.num[n][to] = t.num[n][from];
      if (this.rank[n]) this.rank[n][to] = t.rank[n][from];
      if (this.str[n]) this.str[n][to] = t.str[n][from];
    }
  }

  private bufOf(i: number): Uint8Array {
    return this.bufs ? this.bufs[i] : this.buf;
  }

  /** Keys only, each reversed by its own -r: 0 means equal for -u. */
  compareKeys(a: number, b: number): number {
    const keys = this.keys;
    for (let n = 0; n < keys.length; n++) {
      const k = keys[n];
      let c = 0;
      switch (k.kind) {
        case Kind.Whole:
          c = cmpBytes(this.bufOf(a), this.st[a], this.en[a], this.bufOf(b), this.st[b], this.en[b]);
          break;
        case Kind.Range:
          c = cmpBytes(this.bufOf(a), this.ks[n][a], this.ke[n][a], this.bufOf(b), this.ks[n][b], this.ke[n][b]);
          break;
        case Kind.Ver:
          c = verscmp(this.bufOf(a), this.ks[n][a], this.ke[n][a], this.bufOf(b), this.ks[n][b], this.ke[n][b]);
          break;
        case Kind.Str: {
          const x = this.str[n][a], y = this.str[n][b];
          c = x < y ? -1 : x > y ? 1 : 0;
          break;
        }
        case Kind.Num: {
          const x = this.num[n][a], y = this.num[n][b];
          c = x > y ? 1 : x < y ? -1 : 0;
          break;
        }
        case Kind.Gen: {
          const ra = this.rank[n][a], rb = this.rank[n][b];
          if (ra !== rb) c = ra - rb;
          else if (ra >= 2) {
            const x = this.num[n][a], y = this.num[n][b];
            c = x > y ? 1 : x < y ? -1 : 0;
          }
          break;
        }
      }
      if (c) return k.rev ? -c : c;
    }
    return 0;
  }

  /** The full order: keys, then the whole line (or with -s, input order), reversed by the global -r. */
  compare(a: number, b: number): number {
    const c = this.compareKeys(a, b);
    if (c) return c;
    // -s: slots are in input order; BusyBox 1.35 lets the last key's -r reverse even that.
    if (this.spec.stable) return this.keys[this.keys.length - 1].rev ? b - a : a - b;
    const t = cmpBytes(this.bufOf(a), this.st[a], this.en[a], this.bufOf(b), this.st[b], this.en[b]);
    return this.globalRev ? -t : t;
  }
}
