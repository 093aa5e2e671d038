// stat/df/du/dd/find/xargs: a tree of 10,000 files (100 directories of 50
// files, each with a subdirectory of 50 more), walked by find and du, plus a
// block copy and an xargs batch.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchCase } from "./cases.ts";

const TREE = "fsinfo-tree";

function makeTree(dir: string): void {
  const root = path.join(dir, TREE);
  if (fs.existsSync(path.join(root, "done"))) return;
  fs.rmSync(root, { recursive: true, force: true });
  for (let d = 1; d <= 100; d++) {
    fs.mkdirSync(path.join(root, `d${d}`, "sub"), { recursive: true });
    for (let f = 1; f <= 50; f++) {
      fs.writeFileSync(path.join(root, `d${d}`, `f${f}.txt`), "x".repeat(f * 10));
      fs.writeFileSync(path.join(root, `d${d}`, "sub", `g${f}.dat`), "y".repeat(f));
    }
  }
  fs.writeFileSync(path.join(root, "done"), "");
}

function makeWords(dir: string): void {
  const file = path.join(dir, "fsinfo-words.txt");
  if (!fs.existsSync(file)) fs.writeFileSync(file, Array.from({ length: 100000 }, (_, i) => `w${i}`).join("\n") + "\n");
}

/** One directory of 10,000 entries, for ls -l. */
function makeFlat(dir: string): void {
  const root = path.join(dir, "fsinfo-flat");
  if (fs.existsSync(path.join(root, "done"))) return;
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root);
  for (let i = 0; i < 9999; i++) fs.writeFileSync(path.join(root, `file${i}`), "z".repeat(i % 100));
  fs.writeFileSync(path.join(root, "done"), "");
}

export const cases: BenchCase[] = [
  { name: "ls -l (10,000 entries)", setup: makeFlat, args: ["ls", "-l", "fsinfo-flat"], target: 1.0 },
  { name: "tar c (10,000 small files)", setup: makeTree, args: ["tar", "cf", "-", TREE], target: 1.0 },
  { name: "find (10,000 files)", setup: makeTree, args: ["find", TREE], target: 1.0 },
  { name: "find -name (10,000 files)", setup: makeTree, args: ["find", TREE, "-name", "f1*"], target: 1.0 },
  { name: "find -type f -size +0 (10,000 files, stat each)", setup: makeTree, args: ["find", TREE, "-type", "f", "-size", "+0"], target: 1.0 },
  { name: "du -s (10,000 files)", setup: makeTree, args: ["du", "-s", TREE], target: 1.0 },
  { name: "du -a (10,000 files)", setup: makeTree, args: ["du", "-a", TREE], target: 1.0 },
  { name: "dd 256 MiB in 64 KiB blocks", args: ["dd", "if=/dev/zero", "of=/dev/null", "bs=64k", "count=4096"], target: 1.0 },
  { name: "xargs (100,000 words, default echo)", setup: makeWords, args: ["xargs"], stdin: "fsinfo-words.txt", target: 1.0 },
  { name: "stat -c (200 files)", setup: makeTree, args: ["stat", "-c", "%n %s %a %U", ...Array.from({ length: 200 }, (_, i) => `${TREE}/d${(i % 100) + 1}/f${(i % 50) + 1}.txt`)], target: 1.0 },
];
