// The LZMA decoder as LZMA2 drives it: a range decoder over one chunk of
// compressed bytes, the literal/match/rep state machine, and a circular
// dictionary that doubles as the output window. decode() stops at the end of
// the dictionary buffer or of the chunk so that the caller can hand the new
// bytes on before they are overwritten; a match cut short resumes next time.

export class LzmaError extends Error {}

const PROB_INIT = 1024;
const ALIGN_BITS = 4;
const END_POS_MODEL = 14;
const FULL_DISTANCES = 128;
const MATCH_MIN = 2;

class LenDecoder {
  choice = new Uint16Array(2);
  low = new Uint16Array(16 << 3);
  mid = new Uint16Array(16 << 3);
  high = new Uint16Array(256);
  reset(): void {
    this.choice.fill(PROB_INIT);
    this.low.fill(PROB_INIT);
    this.mid.fill(PROB_INIT);
    this.high.fill(PROB_INIT);
  }
}

export class LzmaDecoder {
  // Dictionary / output window.
  dict: Uint8Array;
  pos = 0; // write position in dict
  full = 0; // bytes of valid history (<= dict.length)
  /** Total bytes since the last dictionary reset (for position states). */
  total = 0;

  // Range decoder over the current chunk.
  private input: Uint8Array = new Uint8Array(0);
  private inPos = 0;
  private range = 0;
  private code = 0;

  // Properties.
  lc = 0;
  lp = 0;
  pb = 0;

  // State.
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  /** Bytes of a match not yet copied (and its distance is rep0). */
  private pending = 0;

  private isMatch = new Uint16Array(12 << 4);
  private isRep = new Uint16Array(12);
  private isRepG0 = new Uint16Array(12);
  private isRepG1 = new Uint16Array(12);
  private isRepG2 = new Uint16Array(12);
  private isRep0Long = new Uint16Array(12 << 4);
  private posSlot = new Uint16Array(4 << 6);
  private posSpecial = new Uint16Array(FULL_DISTANCES - END_POS_MODEL);
  private align = new Uint16Array(1 << ALIGN_BITS);
  private lenDec = new LenDecoder();
  private repLenDec = new LenDecoder();
  private literal = new Uint16Array(0x300);

  constructor(dictSize: number) {
    this.dict = new Uint8Array(Math.max(4096, dictSize));
  }

  resetDict(): void {
    this.pos = 0;
    this.full = 0;
    this.total = 0;
  }

  setProps(byte: number): void {
    if (byte > 224) throw new LzmaError("bad lzma properties");
    this.lc = byte % 9;
    byte = (byte / 9) | 0;
    this.lp = byte % 5;
    this.pb = (byte / 5) | 0;
    if (this.lc + this.lp > 4) throw new LzmaError("bad lzma properties"); // LZMA2's limit
    const n = 0x300 << (this.lc + this.lp);
    if (this.literal.length !== n) this.literal = new Uint16Array(n);
  }

  resetState(): void {
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.pending = 0;
    for (const a of [this.isMatch, this.isRep, this.isRepG0, this.isRepG1, this.isRepG2, this.isRep0Long, this.posSlot, this.posSpecial, this.align, this.literal]) a.fill(PROB_INIT);
    this.lenDec.reset();
    this.repLenDec.reset();
  }

  /** Start a new range-coded chunk. */
  startChunk(input: Uint8Array): void {
    if (input.length < 5 || input[0] !== 0) throw new LzmaError("bad range coder start");
    this.input = input;
    this.code = ((input[1] << 24) | (input[2] << 16) | (input[3] << 8) | input[4]) >>> 0;
    this.range = 0xffffffff;
    this.inPos = 5;
  }

  /** The chunk's bytes were consumed exactly and the coder ended cleanly. */
  chunkDone(): boolean {
    return this.inPos === this.input.length && this.code === 0 && this.pending === 0;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      if (this.inPos >= this.input.length) throw new LzmaError("input overrun");
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) + this.input[this.inPos++]) >>> 0;
    }
  }

  private bit(probs: Uint16Array, i: number): number {
    const p = probs[i];
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >> 5);
      b = 0;
    } else {
      this.range = (this.range - bound) >>> 0;
      this.code = (this.code - bound) >>> 0;
      probs[i] = p - (p >> 5);
      b = 1;
    }
    if (this.range < 0x1000000) this.normalize();
    return b;
  }

  private tree(probs: Uint16Array, off: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, off + m);
    return m - (1 << bits);
  }

  private reverseTree(probs: Uint16Array, off: number, bits: number): number {
    let m = 1, sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, off + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }

  private direct(bits: number): number {
    let r = 0;
    for (let i = 0; i < bits; i++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code = (this.code - this.range) >>> 0;
        b = 1;
      }
      r = ((r << 1) | b) >>> 0;
      if (this.range < 0x1000000) this.normalize();
    }
    return r;
  }

  private length(d: LenDecoder, posState: number): number {
    if (!this.bit(d.choice, 0)) return this.tree(d.low, posState << 3, 3);
    if (!this.bit(d.choice, 1)) return 8 + this.tree(d.mid, posState << 3, 3);
    return 16 + this.tree(d.high, 0, 8);
  }

  private putByte(b: number): void {
    this.dict[this.pos++] = b;
    if (this.full < this.dict.length) this.full++;
    this.total++;
  }

  private copyMatch(limit: number): void {
    const dict = this.dict;
    const size = dict.length;
    let src = this.pos - this.rep0 - 1;
    if (src < 0) src += size;
    let n = Math.min(this.pending, limit - this.pos);
    this.pending -= n;
    this.total += n;
    this.full = Math.min(size, this.full + n);
    while (n-- > 0) {
      dict[this.pos++] = dict[src++];
      if (src === size) src = 0;
    }
  }

  /**
   * Decode until `left` more bytes have been produced or the dictionary
   * buffer's end is reached; returns the number produced.
   */
  decode(left: number): number {
    const start = this.pos;
    const limit = Math.min(this.dict.length, this.pos + left);
    const dict = this.dict;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    if (this.pending) this.copyMatch(limit);
    while (this.pos < limit) {
      const posState = this.total & pbMask;
      let state = this.state;
      if (!this.bit(this.isMatch, (state << 4) + posState)) {
        // Literal, in the context of the previous byte and the position.
        const prev = this.full ? dict[this.pos === 0 ? dict.length - 1 : this.pos - 1] : 0;
        const off = 0x300 * (((this.total & lpMask) << this.lc) + (prev >> (8 - this.lc)));
        const probs = this.literal;
        let sym = 1;
        if (state >= 7) {
          let mp = this.pos - this.rep0 - 1;
          if (mp < 0) mp += dict.length;
          let matchByte = dict[mp];
          // Matched literal: follow the byte at rep0 while the bits agree.
          while (sym < 0x100) {
            const mbit = (matchByte >> 7) & 1;
            matchByte <<= 1;
            const b = this.bit(probs, off + ((1 + mbit) << 8) + sym);
            sym = (sym << 1) | b;
            if (mbit !== b) break;
          }
        }
        while (sym < 0x100) sym = (sym << 1) | this.bit(probs, off + sym);
        this.putByte(sym & 0xff);
        this.state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (!this.bit(this.isRep, state)) {
        // A match with a new distance.
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.length(this.lenDec, posState);
        this.state = state < 7 ? 7 : 10;
        const lenState = len < 3 ? len : 3;
        const slot = this.tree(this.posSlot, lenState << 6, 6);
        let dist: number;
        if (slot < 4) dist = slot;
        else {
          const nbits = (slot >> 1) - 1;
          dist = (2 | (slot & 1)) << nbits;
          if (slot < END_POS_MODEL) dist += this.reverseTree(this.posSpecial, dist - slot - 1, nbits);
          else {
            dist = (dist + this.direct(nbits - ALIGN_BITS) * (1 << ALIGN_BITS)) >>> 0;
            dist = (dist + this.reverseTree(this.align, 0, ALIGN_BITS)) >>> 0;
          }
        }
        if (dist === 0xffffffff) throw new LzmaError("end marker inside LZMA2");
        this.rep0 = dist;
      } else {
        if (!this.bit(this.isRepG0, state)) {
          if (!this.bit(this.isRep0Long, (state << 4) + posState)) {
            // Short rep: one byte from rep0.
            if (this.full === 0) throw new LzmaError("bad distance");
            this.state = state < 7 ? 9 : 11;
            let mp = this.pos - this.rep0 - 1;
            if (mp < 0) mp += dict.length;
            this.putByte(dict[mp]);
            continue;
          }
        } else {
          let d: number;
          if (!this.bit(this.isRepG1, state)) d = this.rep1;
          else {
            if (!this.bit(this.isRepG2, state)) d = this.rep2;
            else {
              d = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = d;
        }
        len = this.length(this.repLenDec, posState);
        this.state = state < 7 ? 8 : 11;
      }
      if (this.rep0 >= this.full) throw new LzmaError("bad distance");
      this.pending = len + MATCH_MIN;
      this.copyMatch(limit);
    }
    return this.pos - start;
  }
}
