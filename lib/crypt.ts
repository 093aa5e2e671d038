// crypt(3) for the hashes /etc/shadow holds: SHA-crypt ($5$ SHA-256, $6$
// SHA-512, after Ulrich Drepper's published specification) and MD5-crypt ($1$),
// written from the algorithms' descriptions. DES crypt is refused: it is broken
// and BusyBox's default is SHA-256 anyway.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type CryptMethod = "md5" | "sha256" | "sha512";

/** Encode 3 bytes (b2 most significant) as n characters, low 6 bits first. */
function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = "";
  for (let i = 0; i < n; i++) {
    s += ALPHABET[w & 0x3f];
    w >>>= 6;
  }
  return s;
}

/** The byte triples each algorithm encodes, in its own order, then the tail. */
function encodeDigest(d: Buffer, triples: number[][], tail: (d: Buffer) => string): string {
  return triples.map(([a, b, c]) => b64From24(d[a], d[b], d[c], 4)).join("") + tail(d);
}

// SHA-crypt's scattered orders: triple i takes bytes i, i+n/3 and i+2n/3,
// rotated by i mod 3 positions (to the left for SHA-512, to the right for SHA-256).
function shaTriples(len: number): number[][] {
  const third = Math.floor(len / 3);
  const out: number[][] = [];
  for (let i = 0; i < third; i++) {
    const t = [i, i + third, i + 2 * third];
    const r = len === 64 ? i % 3 : (3 - (i % 3)) % 3;
    out.push([t[r % 3], t[(r + 1) % 3], t[(r + 2) % 3]]);
  }
  return out;
}

const SHA = {
  sha256: { id: "5", algo: "sha256", len: 32 },
  sha512: { id: "6", algo: "sha512", len: 64 },
} as const;

const ROUNDS_DEFAULT = 5000;

/** Repeat `block` to exactly n bytes. */
function stretch(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let off = 0; off < n; off += block.length) block.copy(out, off, 0, Math.min(block.length, n - off));
  return out;
}

function shaCrypt(kind: "sha256" | "sha512", key: Buffer, setting: string): string {
  const { id, algo, len } = SHA[kind];
  const h = () => createHash(algo);
  let rest = setting.slice(3);
  let rounds = ROUNDS_DEFAULT;
  let roundsCustom = false;
  const rm = /^rounds=(\d+)\$/.exec(rest);
  if (rm) {
    rounds = Math.min(999_999_999, Math.max(1000, Number(rm[1])));
    roundsCustom = true;
    rest = rest.slice(rm[0].length);
  }
  const salt = Buffer.from(rest.split("$")[0].slice(0, 16), "latin1");

  const b = h().update(key).update(salt).update(key).digest();
  const a = h().update(key).update(salt);
  a.update(stretch(b, key.length));
  for (let n = key.length; n > 0; n >>= 1) a.update(n & 1 ? b : key);
  let digest = a.digest();

  const dp = h();
  for (let i = 0; i < key.length; i++) dp.update(key);
  const pSeq = stretch(dp.digest(), key.length);
  const ds = h();
  for (let i = 0; i < 16 + digest[0]; i++) ds.update(salt);
  const sSeq = stretch(ds.digest(), salt.length);

  for (let i = 0; i < rounds; i++) {
    const c = h();
    c.update(i & 1 ? pSeq : digest);
    if (i % 3) c.update(sSeq);
    if (i % 7) c.update(pSeq);
    c.update(i & 1 ? digest : pSeq);
    digest = c.digest();
  }

  const tail =
    len === 64 ? (d: Buffer) => b64From24(0, 0, d[63], 2) : (d: Buffer) => b64From24(0, d[31], d[30], 3);
  const encoded = encodeDigest(digest, shaTriples(len), tail);
  return `$${id}$${roundsCustom ? `rounds=${rounds}$` : ""}${salt.toString("latin1")}$${encoded}`;
}

function md5Crypt(key: Buffer, setting: string): string {
  const salt = Buffer.from(setting.slice(3).split("$")[0].slice(0, 8), "latin1");
  const magic = Buffer.from("$1$");
  const alt = createHash("md5").update(key).update(salt).update(key).digest();
  const ctx = createHash("md5").update(key).update(magic).update(salt);
  ctx.update(stretch(alt, key.length));
  // A quirk of the original: a zero byte for set bits, the key's first byte otherwise.
  for (let n = key.length; n > 0; n >>= 1) ctx.update(n & 1 ? Buffer.from([0]) : key.subarray(0, 1));
  let d = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = createHash("md5");
    c.update(i & 1 ? key : d);
    if (i % 3) c.update(salt);
    if (i % 7) c.update(key);
    c.update(i & 1 ? d : key);
    d = c.digest();
  }
  const triples = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]];
  return `$1$${salt.toString("latin1")}$${encodeDigest(d, triples, (x) => b64From24(0, 0, x[11], 2))}`;
}

/** crypt(key, setting): the setting is a full hash or just "$6$salt". */
export function crypt(key: string | Buffer, setting: string): string {
  const k = typeof key === "string" ? Buffer.from(key, "latin1") : key;
  if (setting.startsWith("$6$")) return shaCrypt("sha512", k, setting);
  if (setting.startsWith("$5$")) return shaCrypt("sha256", k, setting);
  if (setting.startsWith("$1$")) return md5Crypt(k, setting);
  throw new Error("unsupported hash method");
}

/** A fresh random salt string for a method. */
export function newSalt(method: CryptMethod): string {
  const n = method === "md5" ? 8 : 16;
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[bytes[i] & 0x3f];
  return s;
}

export function methodPrefix(method: CryptMethod): string {
  return method === "md5" ? "$1$" : method === "sha256" ? "$5$" : "$6$";
}

/** Parse BusyBox's -a/-m names (des is refused as unsafe). */
export function parseMethod(name: string | undefined, fallback: CryptMethod = "sha512"): CryptMethod | undefined {
  if (name === undefined) return fallback;
  const n = name.toLowerCase();
  if (n === "md5" || n === "sha256" || n === "sha512") return n;
  if (n === "sha-256") return "sha256";
  if (n === "sha-512") return "sha512";
  return undefined;
}

/** Hash a password with a fresh salt. */
export function hashPassword(password: string | Buffer, method: CryptMethod = "sha512"): string {
  return crypt(password, methodPrefix(method) + newSalt(method));
}

/**
 * Whether a password matches a stored hash. Locked ("!..." or "*") and
 * unknown formats never match; an empty hash matches only the empty password.
 */
export function verifyPassword(password: string | Buffer, stored: string): boolean {
  if (stored === "") return (typeof password === "string" ? password.length : password.length) === 0;
  if (!/^\$[156]\$/.test(stored)) return false;
  let computed: string;
  try {
    computed = crypt(password, stored);
  } catch {
    return false;
  }
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
