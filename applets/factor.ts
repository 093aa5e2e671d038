// factor: the prime factors of each NUMBER (0 to 2^64-1), from the operands or
// from the words of stdin. Trial division by small primes, then Miller-Rabin
// (deterministic for 64 bits) and Pollard-Brent rho for what is left.
import { defineApplet } from "../lib/applet.ts";
import { UsageError } from "../lib/errors.ts";
import { U64_MAX } from "../lib/numbers.ts";
import { readLines } from "../lib/text.ts";

const SMALL_PRIMES: number[] = [];
for (let p = 2; p < 1000; p++) if (SMALL_PRIMES.every((q) => p % q !== 0)) SMALL_PRIMES.push(p);

const mulmod = (a: bigint, b: bigint, m: bigint) => (a * b) % m;

function powmod(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  base %= m;
  while (exp > 0n) {
    if (exp & 1n) r = mulmod(r, base, m);
    base = mulmod(base, base, m);
    exp >>= 1n;
  }
  return r;
}

/** Miller-Rabin with the bases that decide every n < 2^64. */
function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) { d >>= 1n; s++; }
  outer: for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) {
    let x = powmod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = mulmod(x, x, n);
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A non-trivial divisor of the composite n (Brent's variant of Pollard's rho). */
function rho(n: bigint): bigint {
  for (let c = 1n; ; c++) {
    const f = (x: bigint) => (x * x + c) % n;
    let y = 2n, r = 1, q = 1n, g = 1n, x = y, ys = y;
    const m = 128;
    do {
      x = y;
      for (let i = 0; i < r; i++) y = f(y);
      for (let k = 0; k < r && g === 1n; k += m) {
        ys = y;
        for (let i = 0; i < Math.min(m, r - k); i++) {
          y = f(y);
          q = mulmod(q, x > y ? x - y : y - x, n);
        }
        g = gcd(q, n);
      }
      r *= 2;
    } while (g === 1n);
    if (g === n) {
      // The batch overshot: step one at a time from its start.
      do {
        ys = f(ys);
        g = gcd(x > ys ? x - ys : ys - x, n);
      } while (g === 1n);
    }
    if (g !== n) return g;
  }
}

export function primeFactors(n: bigint): bigint[] {
  const out: bigint[] = [];
  for (const p of SMALL_PRIMES) {
    const bp = BigInt(p);
    if (bp * bp > n) break;
    while (n % bp === 0n) { out.push(bp); n /= bp; }
  }
  const stack = n > 1n ? [n] : [];
  const big: bigint[] = [];
  while (stack.length) {
    const m = stack.pop()!;
    if (isPrime(m)) big.push(m);
    else {
      const d = rho(m);
      stack.push(d, m / d);
    }
  }
  return out.concat(big.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** strtoull() as factor reads a word: blanks, an optional "+", decimal digits only. */
function parse(word: string): bigint {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(word);
  if (!m) throw new UsageError();
  const n = BigInt(m[1]);
  if (n > U64_MAX) throw new UsageError();
  return n;
}

defineApplet({
  name: "factor",
  dir: "/usr/bin",
  usage: "[NUMBER]...",
  summary: "Print prime factors",
  rawArgs: true, // "-5" is a bad number, not an option
  async run(ctx, _opts, operands) {
    const show = async (word: string) => {
      const n = parse(word);
      await ctx.stdout.write(`${n}:${primeFactors(n).map((f) => " " + f).join("")}\n`);
    };
    if (operands.length) for (const w of operands) await show(w);
    else for await (const line of readLines(ctx.stdin)) for (const w of line.split(/[ \t\n\v\f\r]+/)) if (w) await show(w);
    return 0;
  },
});
