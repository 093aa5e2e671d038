// Checksums the archive and checksum applets share: POSIX cksum's CRC-32
// (MSB first, polynomial 0x04C11DB7), bzip2's block CRC (the same CRC), and
// CRC-64/XZ (ECMA-182, reflected) for xz. CRC-32/IEEE for gzip and zip comes
// from zlib (see zlib.ts).

/** Table for the MSB-first CRC-32 with polynomial 0x04C11DB7 (cksum, bzip2). */
export const CRC32_MSB_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** Continue an MSB-first CRC-32 (no pre/post inversion) over bytes. */
export function crc32Msb(crc: number, data: Uint8Array): number {
  const t = CRC32_MSB_TABLE;
  let c = crc >>> 0;
  for (let i = 0; i < data.length; i++) c = (c << 8) ^ t[((c >>> 24) ^ data[i]) & 0xff];
  return c >>> 0;
}

/** POSIX cksum: the CRC of the data followed by its length, inverted. */
export class Cksum {
  private crc = 0;
  size = 0;
  update(data: Uint8Array): void {
    this.crc = crc32Msb(this.crc, data);
    this.size += data.length;
  }
  digest(): number {
    let c = this.crc;
    const t = CRC32_MSB_TABLE;
    for (let n = this.size; n > 0; n = Math.floor(n / 256)) c = ((c << 8) ^ t[((c >>> 24) ^ n) & 0xff]) >>> 0;
    return ~c >>> 0;
  }
}

// CRC-64/XZ: reflected polynomial 0xC96C5795D7870F42, kept as two 32-bit halves.
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
{
  const polyLo = 0xd7870f42, polyHi = 0xc96c5795;
  for (let i = 0; i < 256; i++) {
    let lo = i, hi = 0;
    for (let k = 0; k < 8; k++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    CRC64_LO[i] = lo;
    CRC64_HI[i] = hi;
  }
}

/** CRC-64 as xz computes it; state is [lo, hi] of the finished (inverted) value. */
export class Crc64 {
  private lo = 0xffffffff;
  private hi = 0xffffffff;
  update(data: Uint8Array): void {
    let lo = this.lo, hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
      const nhi = hi >>> 8;
      lo = (nlo ^ CRC64_LO[idx]) >>> 0;
      hi = (nhi ^ CRC64_HI[idx]) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }
  /** The 8 little-endian bytes xz stores. */
  digestBytes(): Uint8Array {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, ~this.lo >>> 0, true);
    dv.setUint32(4, ~this.hi >>> 0, true);
    return out;
  }
}
