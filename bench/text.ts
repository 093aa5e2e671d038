// Benchmarks of the text applets against busybox-static on generated text:
// 100 MB of lines of words and numbers, the same bytes on every run (a fixed
// linear congruential generator), written once into the bench directory.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchCase } from "./cases.ts";

const WORDS = (
  "the of and to in is was for on that with as by at from his her an were are which this be or had not but " +
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec " +
  "romeo sierra tango uniform victor whiskey xray yankee zulu Linux kernel pika busybox sort uniq wc cut tr " +
  "Zebra Apple banana Cherry date Elder fig Grape 0x1f 42 -7 3.14 1e3 2024-01-05 v1.2.10 v1.10.2 ÄÖÜ naïve"
).split(" ");

/** Deterministic text of at least `bytes` bytes: lines of 1 to 16 words, some with numeric fields. */
export function generateText(bytes: number, seed = 12345): Buffer {
  let x = seed >>> 0;
  const rnd = (n: number) => {
    // Numerical Recipes LCG; the high bits are the good ones.
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return Math.floor((x / 0x100000000) * n);
  };
  const parts: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 4096; i++) {
      const n = 1 + rnd(16);
      const w: string[] = [];
      if (rnd(4) === 0) w.push(String(rnd(1000000)));
      for (let j = 0; j < n; j++) w.push(WORDS[rnd(WORDS.length)]);
      lines.push(w.join(rnd(8) === 0 ? "\t" : " "));
    }
    const b = Buffer.from(lines.join("\n") + "\n", "utf8");
    parts.push(b);
    size += b.length;
  }
  return Buffer.concat(parts);
}

/** Write the generated text once; later runs reuse it. */
export function ensureText(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name);
  try {
    if (fs.statSync(file).size === bytes) return file;
  } catch {}
  const data = generateText(bytes);
  // End on a whole line so every tool sees the same last line.
  const end = data.lastIndexOf(10) + 1;
  const out = Buffer.alloc(bytes, 0x78);
  data.copy(out, 0, 0, end);
  out[bytes - 1] = 10;
  fs.writeFileSync(file + ".tmp", out);
  fs.renameSync(file + ".tmp", file);
  return file;
}

const MB100 = 100 * 1000 * 1000;
const MB10 = 10 * 1000 * 1000;
const setup100 = (dir: string) => void ensureText(dir, "text-100M.txt", MB100);
const setup10 = (dir: string) => void ensureText(dir, "text-10M.txt", MB10);

export const cases: BenchCase[] = [
  { name: "sort (100 MB text)", setup: setup100, args: ["sort", "-o", "/dev/null", "text-100M.txt"], target: 1.0, runs: 3 },
  { name: "grep -c kernel (100 MB text)", setup: setup100, args: ["grep", "-c", "kernel", "text-100M.txt"], target: 1.0, runs: 3 },
  { name: "sed s/a/b/g (100 MB text)", setup: setup100, args: ["sed", "s/a/b/g", "text-100M.txt"], target: 1.0, runs: 3 },
  { name: "sha256sum (100 MB text)", setup: setup100, args: ["sha256sum", "text-100M.txt"], target: 1.0, runs: 3 },
  { name: "gzip -c (100 MB text)", setup: setup100, args: ["gzip", "-c", "text-100M.txt"], target: 1.0, runs: 3 },
  { name: "wc -l (100 MB text)", setup: setup100, args: ["wc", "-l", "text-100M.txt"], target: 1.0, runs: 5 },
  { name: "wc (100 MB text)", setup: setup100, args: ["wc", "text-100M.txt"], target: 1.5, runs: 3 },
  { name: "cut -d' ' -f2,4 (100 MB text)", setup: setup100, args: ["cut", "-d", " ", "-f2,4", "text-100M.txt"], target: 1.5, runs: 3 },
  { name: "tr a-z A-Z (100 MB text)", setup: setup100, args: ["tr", "a-z", "A-Z"], stdin: "text-100M.txt", target: 1.5, runs: 3 },
  { name: "uniq (100 MB text)", setup: setup100, args: ["uniq", "text-100M.txt"], target: 1.5, runs: 3 },
  { name: "sort -n -k2 (10 MB text)", setup: setup10, args: ["sort", "-n", "-k2", "text-10M.txt"], target: 1.5, runs: 3 },
  { name: "head -n 1000000 (100 MB text)", setup: setup100, args: ["head", "-n", "1000000", "text-100M.txt"], target: 1.5, runs: 3 },
  { name: "tail -n 10 (100 MB text)", setup: setup100, args: ["tail", "-n", "10", "text-100M.txt"], target: 1.5, runs: 5 },
];
