// The binary and comparison applets (od hexdump xxd strings cmp diff patch)
// against busybox-static: differential tables over one fixture of text and
// binary files, our own behaviour where we follow POSIX instead of BusyBox,
// and a round trip: for many generated pairs, diff -u a b | patch a gives b.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { havePika, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = ["od", "hexdump", "xxd", "strings", "cmp", "diff", "patch"];

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

const S1 = bytes("hello\0ab\0world!!\tx\x01long string here\n\xff\xfeabcd");
const P1 = Array.from({ length: 12 }, (_, i) => `${i + 1}\n`).join("");
const P2 = P1.replace(/^2$/m, "two").replace(/^11$/m, "eleven");
const P_DIFF = "--- p1\n+++ p2\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+eleven\n 12\n";

function fixture(d: string): void {
  const w = (p: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    fs.writeFileSync(path.join(d, p), typeof data === "string" ? Buffer.from(data, "latin1") : data);
  };
  w("s1", S1);
  w("hi", bytes("\x80\xffabc\n"));
  w("zz", Buffer.concat([S1, Buffer.alloc(100), S1]));
  w("z5", Buffer.alloc(5));
  w("dup", Buffer.concat([Buffer.alloc(16), Buffer.from("a".repeat(53))]));
  w("fl", bytes([0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0x80, 0x3f]));
  w("neg", bytes([0, 0, 0x80, 0xbf]));
  w("ld", bytes([0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0x88, 0x01, 0xc0, 0, 0, 0, 0, 0, 0]));
  w("bin", Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + (i >> 3)) & 0xff)));
  w("empty", "");
  w("a", "a\nb\nc\nd\ne\n");
  w("b", "a\nB\nc\nd\ne\nf\n");
  w("a3", "a\nb\nc\n");
  w("c", "x");
  w("bin1", "\0x");
  w("bin2", "\0y");
  w("ws1", "a  b\nc\t d\n\nE f\n\n\ng\n");
  w("ws2", "a b\nc d\nX\ne F\n  \ng\n");
  w("tabs", "\tx\ty\n1234567\tz\n");
  w("tabs2", "\tx\ty\n12345678\tz\n");
  w("p1", P1);
  w("p2", P2);
  w("p.diff", P_DIFF);
  w("t4", "0\n00\n" + P1);
  w("nn1", "a\nb");
  w("nn2", "a\nc");
  w("fmtfile", '"%06.6_ao "  12/1 "%3_u "\n"\\t" "\\n"\n# comment\n\n');
  w("hex.txt", "00000000: 6865 6c6c 6f0a  hello.\n0: 4 3 zz 4g3\n");
  w("plain.hex", "68656c6c6f0a\n41 4\n2\n");
  w("d1/sub/f", "1\n");
  w("d2/sub/f", "2\n");
  w("d1/x", "x\n");
  w("d2/y", "y\n");
  w("d1/same", "s\n");
  w("d2/same", "s\n");
  w("d1/bin", "\0a");
  w("d2/bin", "\0b");
  w("d1/kind", "file\n");
  fs.mkdirSync(path.join(d, "d2/kind/inner"), { recursive: true });
  w("create.diff", "--- /dev/null\n+++ nf\n@@ -0,0 +1,2 @@\n+new\n+file\n");
  w("del.diff", "--- nf2\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-new\n-file\n");
  w("nf2", "new\nfile\n");
  w("x/y/f", "1\n2\n3\n");
  w("pp.diff", "--- a/x/y/f\n+++ b/x/y/f\n@@ -1,3 +1,3 @@\n 1\n-2\n+2b\n 3\n");
}

const c = (applet: string, ...args: string[]): Case => ({ applet, args });
const withStdin = (stdin: string, applet: string, ...args: string[]): Case => ({ applet, args, stdin });

const OD: Case[] = [
  c("od", "s1"), c("od", "-c", "hi"), c("od", "-a", "hi"), c("od", "-b", "s1"), c("od", "-d", "s1"), c("od", "-f", "neg"),
  c("od", "-h", "s1"), c("od", "-i", "s1"), c("od", "-l", "s1"), c("od", "-o", "s1"), c("od", "-x", "s1"), c("od", "-s", "neg"),
  c("od", "-x", "-c", "neg"), c("od", "-A", "n", "-t", "d1", "hi"), c("od", "-A", "d", "-t", "u4", "s1"), c("od", "-Ax", "-tx1", "-tc", "neg"),
  c("od", "-A", "n", "-t", "x1", "-t", "c", "neg"), c("od", "-t", "f4", "-t", "f8", "s1"), c("od", "-t", "fL", "ld"), c("od", "-t", "fL", "-t", "f4", "fl"),
  c("od", "-t", "d8", "-t", "x8", "hi"), c("od", "-t", "dL", "fl"), c("od", "-t", "dI", "-t", "o8", "fl"), c("od", "-t", "xCdS", "fl"),
  c("od", "-t", "o1", "-t", "c", "hi"), c("od", "-tu1", "-tu2", "-tu8", "-w16", "bin"), c("od", "-to4", "-tx4", "-td4", "bin"),
  c("od", "-w4", "-t", "x1", "hi"), c("od", "-w", "fl"), c("od", "-w3", "fl"), c("od", "-w0", "fl"), c("od", "-tx2", "-w5", "fl"),
  c("od", "zz"), c("od", "-v", "zz"), c("od", "-c", "zz"), c("od", "-w8", "--output-duplicates", "zz"),
  c("od", "-N", "3", "-j", "2", "-b", "s1"), c("od", "-j", "5", "-N", "3", "fl", "s1"), c("od", "-N", "0", "fl"), c("od", "-N", "7", "-tx2", "s1"),
  c("od", "-j", "0x3", "-N", "010", "s1"), c("od", "-N", "1k", "fl"), c("od", "-j", "50", "s1", "hi"), c("od", "-j", "42", "s1", "hi"),
  c("od", "--format=x1", "--skip-bytes=1", "--read-bytes=3", "s1"), c("od", "--width=4", "s1"),
  c("od", "-S", "3", "s1"), c("od", "--strings", "s1"), c("od", "-S", "2", "-N", "5", "s1"), c("od", "-A", "d", "-S", "4", "zz"), c("od", "-A", "n", "-S", "4", "zz"),
  c("od", "-A", "x", "-t", "a", "bin"), c("od", "-An", "-c", "fl"), c("od", "-t", "", "fl"),
  withStdin("hello world\n", "od", "-c"), withStdin("hello world\n", "od", "-j", "3", "-c", "-"),
  // errors
  c("od", "-t", "q", "s1"), c("od", "-t", "x3", "s1"), c("od", "-t", "d5", "fl"), c("od", "-t", "f2", "fl"), c("od", "-t", "x1z", "fl"),
  c("od", "-A", "q", "s1"), c("od", "-X", "fl"), c("od", "-j", "100", "fl"), c("od", "nope", "fl"), c("od", "-tx1", "-j2", ".", "fl"),
  c("od", "-N", "x", "s1"), c("od", "-S", "x", "s1"), c("od", "-j", "-1", "s1"), c("od", "-wx", "s1"), c("od", "nope"),
];

const HEXDUMP: Case[] = [
  c("hexdump", "s1"), c("hexdump", "-C", "s1"), c("hexdump", "-c", "s1"), c("hexdump", "-b", "-x", "hi"), c("hexdump", "-d", "-o", "hi"),
  c("hexdump", "-bcdox", "hi"), c("hexdump", "-C", "-C", "hi"), c("hexdump", "z5"), c("hexdump", "-C", "z5"),
  c("hexdump", "zz"), c("hexdump", "-C", "zz"), c("hexdump", "-v", "zz"), c("hexdump", "-C", "-v", "zz"), c("hexdump", "dup"), c("hexdump", "-C", "dup"),
  c("hexdump", "s1", "hi", "dup"), c("hexdump", "-C", "bin"), c("hexdump", "-n", "5", "-s", "2", "-C", "s1"), c("hexdump", "-s", "40", "s1", "hi"),
  c("hexdump", "-s", "42", "s1", "hi"), c("hexdump", "-s", "0x2c", "s1", "hi"), c("hexdump", "-s", "1k", "s1"), c("hexdump", "-n", "3", "s1", "hi"),
  c("hexdump", "-e", '"%x\\n"', "hi"), c("hexdump", "-e", '8/1 "%_u " "\\n"', "hi"), c("hexdump", "-e", '"%_Ad\\n"', "-e", '2/1 "%3_c" "\\n"', "hi"),
  c("hexdump", "-e", '"%07.7_Ax\\n"', "-e", '"%07.7_ax " 4/4 "%08x " "\\n"', "s1"), c("hexdump", "-e", '4/4 "%d " "\\n"', "s1"),
  c("hexdump", "-e", '2/8 "%e " "\\n"', "s1"), c("hexdump", "-e", '4/4 "%f " "\\n"', "fl"), c("hexdump", "-e", '"%5.4s|" "\\n"', "s1"),
  c("hexdump", "-e", '16/1 "%c" "\\n"', "s1"), c("hexdump", "-e", '/2 "%X "', "-e", '"\\n"', "s1"), c("hexdump", "-e", '"%_ad: " 3/1 "%02X" "\\n"', "s1"),
  c("hexdump", "-e", '4/1 "%3_c" "\\n"', "-v", "dup"), c("hexdump", "-e", '/1 "%_c"', "hi"), c("hexdump", "-e", '2/2 "%5ld|" "\\n"', "s1"),
  c("hexdump", "-e", '16/1 "%02x"', "s1"), c("hexdump", "-e", '"%08_ao" 8/1 " %3_p" "\\n"', "bin"), c("hexdump", "-f", "fmtfile", "s1"),
  withStdin("hello\n", "hexdump", "-C"),
  // errors
  c("hexdump", "-e", '"%q"', "s1"), c("hexdump", "-e", '1/3 "%d"', "s1"), c("hexdump", "-e", "x", "s1"), c("hexdump", "-e", '3/1 "%d %d"', "s1"),
  c("hexdump", "-e", '"%s"', "s1"), c("hexdump", "-e", '"%_x"', "s1"), c("hexdump", "-e", '"%_ay"', "s1"), c("hexdump", "-f", "nope", "s1"),
  c("hexdump", "nope", "s1"), c("hexdump", "."), c("hexdump", "-n", "x", "s1"), c("hexdump", "-n", "-1", "s1"), c("hexdump", "-s", "x", "s1"),
  withStdin("hello\n", "hexdump", "-s", "2"), c("hexdump", "-z"),
];

const XXD: Case[] = [
  c("xxd", "s1"), c("xxd", "zz"), c("xxd", "bin"), c("xxd", "-g", "1", "-c", "8", "s1"), c("xxd", "-g", "3", "s1"), c("xxd", "-c", "5", "-g", "2", "s1"),
  c("xxd", "-g", "0", "s1"), c("xxd", "-g", "20", "s1"), c("xxd", "-c", "0", "s1"), c("xxd", "-c", "300", "s1"), c("xxd", "-c", "7", "-g", "3", "zz"),
  c("xxd", "-c", "1", "hi"), c("xxd", "-p", "bin"), c("xxd", "-p", "-c", "4", "s1"), c("xxd", "-ps", "s1"), c("xxd", "-p", "-i", "s1"),
  c("xxd", "-i", "s1"), c("xxd", "-i", "-c", "4", "s1"), c("xxd", "-i", "-c", "1", "hi"), c("xxd", "-i", "-l", "0", "s1"), c("xxd", "-i", "empty"),
  c("xxd", "-a", "zz"), c("xxd", "-l", "10", "-s", "3", "-o", "100", "s1"), c("xxd", "-l", "0", "s1"), c("xxd", "-s", "100", "s1"),
  c("xxd", "-l", "0x4", "s1"), c("xxd", "-o", "0x10", "-l", "4", "s1"), c("xxd", "-s", "0x10", "-l", "010", "s1"), c("xxd", "-o", "-5", "s1"),
  c("xxd", "-c", "7", "-g", "3", "-o", "0x7ffffff0", "zz"), c("xxd", "empty"),
  withStdin("hello\n", "xxd"), withStdin("hello\n", "xxd", "-i"), withStdin("hello\n", "xxd", "-i", "-"),
  c("xxd", "-r", "hex.txt"), c("xxd", "-r", "-p", "plain.hex"), c("xxd", "-r", "plain.hex"), c("xxd", "-r", "-p", "hex.txt"),
  withStdin("0: 4142 43\n", "xxd", "-r"), withStdin("41 42\n4 3 44g45\n", "xxd", "-r", "-p"),
  // errors
  c("xxd", "nope"), c("xxd", "a", "b"), c("xxd", "-n", "4", "s1"), c("xxd", "-c", "x", "s1"), c("xxd", "-l", "x", "s1"), c("xxd", "-u", "s1"),
  c("xxd", "-r", "nope"), c("xxd", "-o", "x", "s1"), withStdin("hello\n", "xxd", "-s", "1"),
];

const STRINGS: Case[] = [
  c("strings", "s1"), c("strings", "-o", "s1"), c("strings", "-t", "x", "s1"), c("strings", "-t", "d", "-f", "s1", "a"), c("strings", "-n", "2", "s1"),
  c("strings", "-a", "s1"), c("strings", "-n", "1", "-t", "x", "bin"), c("strings", "-f", "s1"), c("strings", "-t", "o", "-o", "s1"),
  c("strings", "-o", "-t", "x", "s1"), c("strings", "zz", "s1"), c("strings", "."), c("strings", "empty"),
  withStdin("abcdef\0gh\0ijklmn", "strings", "-f"), withStdin("abcdef", "strings", "-f", "-"),
  // errors
  c("strings", "-t", "q", "s1"), c("strings", "-n", "0", "s1"), c("strings", "nope", "s1"), c("strings", "-n", "3x", "s1"),
  c("strings", "-n", "2147483648", "s1"),
];

const CMP: Case[] = [
  c("cmp", "a", "b"), c("cmp", "-l", "a", "b"), c("cmp", "-s", "a", "b"), c("cmp", "a", "a"), c("cmp", "a", "a3"), c("cmp", "a3", "a"),
  c("cmp", "-l", "a3", "a"), c("cmp", "-s", "a3", "a"), c("cmp", "a", "b", "2", "2"), c("cmp", "-n", "2", "a", "b"), c("cmp", "-n", "3", "a", "b"),
  c("cmp", "-n", "0", "a", "b"), c("cmp", "-l", "p1", "p2"), c("cmp", "empty", "a"), c("cmp", "-l", "empty", "a"), c("cmp", "a", "b", "10", "10"),
  c("cmp", "a", "b", "100"), c("cmp", "s1", "zz"), c("cmp", "-l", "bin", "zz"), c("cmp", "empty", "empty"),
  withStdin("a\nb\nX\n", "cmp", "a"), withStdin("a\nb\nX\n", "cmp", "-", "a"), withStdin("a\nb\nX\n", "cmp", "a", "-"), withStdin("x", "cmp", "-", "-"),
  // errors
  c("cmp", "a", "nope"), c("cmp", "-s", "a", "nope"), c("cmp", "nope", "a"), c("cmp"), c("cmp", "a", "b", "1", "x"), c("cmp", "a", "b", "0x1", "0x1"),
  c("cmp", ".", "s1"), c("cmp", "s1", "."), c("cmp", "-ls", "a", "b"), c("cmp", "a", "b", "1", "2", "3"), c("cmp", "-n", "x", "a", "b"),
];

const DIFF: Case[] = [
  c("diff", "a", "b"), c("diff", "-u", "a", "b"), c("diff", "-L", "x", "-L", "y", "a", "b"), c("diff", "-L", "only", "a", "b"),
  c("diff", "--label=1", "--label", "2", "-L", "3", "a", "b"), c("diff", "a", "c"), c("diff", "c", "a"), c("diff", "nn1", "nn2"),
  c("diff", "bin1", "bin2"), c("diff", "-a", "bin1", "bin2"), c("diff", "-q", "a", "b"), c("diff", "-s", "a", "a"), c("diff", "-s", "a", "a3"),
  c("diff", "-s", "p1", "p1"), c("diff", "p1", "p2"), c("diff", "-U", "0", "p1", "p2"), c("diff", "-U", "1", "p1", "p2"), c("diff", "-U10", "p1", "p2"),
  c("diff", "--unified=2", "p1", "p2"), c("diff", "ws1", "ws2"), c("diff", "-b", "ws1", "ws2"), c("diff", "-w", "ws1", "ws2"),
  c("diff", "-i", "ws1", "ws2"), c("diff", "-B", "ws1", "ws2"), c("diff", "-bB", "ws1", "ws2"), c("diff", "-iwB", "ws1", "ws2"),
  c("diff", "-t", "tabs", "tabs2"), c("diff", "-T", "tabs", "tabs2"), c("diff", "-tT", "tabs", "tabs2"), c("diff", "-d", "p1", "t4"),
  c("diff", "empty", "a"), c("diff", "a", "empty"), c("diff", "/dev/null", "a"), c("diff", "zz", "s1"), c("diff", "-a", "zz", "s1"),
  c("diff", "-N", "a", "nope"), c("diff", "-N", "nope", "a"), c("diff", "d1", "d2"), c("diff", "-q", "d1", "d2"), c("diff", "-N", "d1", "d2"),
  c("diff", "-S", "sub", "d1", "d2"), c("diff", "-rN", "d1", "d2"), c("diff", "-s", "d1", "d2"), c("diff", "d1", "a"), c("diff", "a", "d1"),
  c("diff", "d1/x", "d2"), c("diff", "d2", "d1/x"),
  withStdin("a\nX\nc\n", "diff", "-", "a"), withStdin("a\nX\nc\n", "diff", "a", "-"), withStdin("a\n", "diff", "-s", "-", "-"),
  // errors
  c("diff", "a", "nope"), c("diff", "nope", "a"), c("diff", "a"), c("diff"), c("diff", "a", "b", "c"), c("diff", "-U", "x", "a", "b"),
  c("diff", "-z", "a", "b"), withStdin("a\n", "diff", "-", "d1"),
  // POSIX: a directory on one side only is reported with -r; BusyBox says nothing.
  { ...c("diff", "-r", "d1", "d2"), differs: "POSIX: 'Only in' for a directory found on one side only" },
];

const PATCH: Case[] = [
  { ...c("patch", "-i", "p.diff", "p1"), files: ["p1"] },
  { ...c("patch", "p1", "p.diff"), files: ["p1"] },
  { ...withStdin(P_DIFF, "patch", "p1"), files: ["p1"] },
  { ...withStdin(P_DIFF, "patch", "-R", "p2"), files: ["p2"] },
  { ...withStdin(P_DIFF, "patch", "t4"), files: ["t4"] },
  { ...withStdin(P_DIFF, "patch", "--dry-run", "p1"), files: ["p1"] },
  { ...c("patch", "-i", "create.diff"), files: ["nf"] },
  { ...c("patch", "-E", "-i", "del.diff"), files: ["nf2"] },
  { ...c("patch", "-i", "del.diff"), files: ["nf2"] },
  { ...c("patch", "-p1", "-i", "pp.diff"), files: ["x/y/f"] },
  { ...c("patch", "-p", "1", "--dry-run", "-i", "pp.diff"), files: ["x/y/f"] },
  // errors
  { ...c("patch", "-i", "pp.diff"), files: ["x/y/f"] },
  c("patch", "-i", "nope"), c("patch", "-x"), c("patch", "-p", "x", "-i", "p.diff"),
  { ...c("patch", "-i", "create.diff", "a"), files: ["a"] },
  withStdin(P_DIFF, "patch", "nope"),
  // Where BusyBox gives up on the whole file, we keep the hunks that apply and save the rest in FILE.rej.
  { ...withStdin(P_DIFF.replace("-2\n+two", "-X\n+two"), "patch", "p1"), files: ["p1"], differs: "POSIX: failed hunks go to FILE.rej, the others are applied" },
  { ...c("patch", "-i", "pp.diff", "nn1"), differs: "BusyBox cannot apply '\\ No newline at end of file'" },
];

describe.runIf(havePika())("binary and comparison applets against busybox-static", () => {
  describe("od", () => differential(APPLETS, OD, fixture));
  describe("hexdump", () => differential(APPLETS, HEXDUMP, fixture));
  describe("xxd", () => differential(APPLETS, XXD, fixture));
  describe("strings", () => differential(APPLETS, STRINGS, fixture));
  describe("cmp", () => differential(APPLETS, CMP, fixture));
  describe("diff", () => differential(APPLETS, DIFF, fixture));
  describe("patch", () => differential(APPLETS, PATCH, fixture));
});

/** Run pika's applet in a fresh fixture; returns the result and a reader of files there. */
function ours(applet: string, args: string[], stdin = "") {
  const d = tempDir("pika-bin-");
  fixture(d);
  const link = path.join(d, ".links");
  fs.mkdirSync(link);
  fs.symlinkSync(PIKA, path.join(link, applet));
  const r = run(path.join(link, applet), args, { cwd: d, input: stdin });
  const read = (p: string) => (fs.existsSync(path.join(d, p)) ? fs.readFileSync(path.join(d, p), "latin1") : null);
  return { r, read, done: () => fs.rmSync(d, { recursive: true, force: true }) };
}

describe.runIf(havePika())("our behaviour where it differs from busybox", () => {
  it("diff -r reports a directory on one side only", () => {
    const { r, done } = ours("diff", ["-r", "d1", "d2"]);
    expect(r.stdout).toBe(
      "Files d1/bin and d2/bin differ\n" +
        "File d1/kind is a regular file while file d2/kind is a directory\n" +
        "--- d1/sub/f\n+++ d2/sub/f\n@@ -1 +1 @@\n-1\n+2\n" +
        "Only in d1: x\nOnly in d2: y\n",
    );
    expect(r.status).toBe(1);
    done();
  });

  it("patch applies the hunks that match and rejects the rest to FILE.rej", () => {
    const bad = P_DIFF.replace("-2\n+two", "-X\n+two");
    const { r, read, done } = ours("patch", ["p1"], bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("patching file p1\n1 out of 2 hunks FAILED -- saving rejects to file p1.rej\n");
    expect(r.stderr.split("\n")[0]).toBe("Hunk 1 FAILED 1/1.");
    expect(read("p1")).toBe(P1.replace(/^11$/m, "eleven"));
    expect(read("p1.rej")).toBe("--- p1\n+++ p2\n@@ -1,5 +1,5 @@\n 1\n-X\n+two\n 3\n 4\n 5\n");
    done();
  });

  it("patch handles '\\ No newline at end of file'", () => {
    const diff = "--- nn1\n+++ nn2\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n";
    const { r, read, done } = ours("patch", ["nn1"], diff);
    expect(r.status).toBe(0);
    expect(read("nn1")).toBe("a\nc");
    done();
  });

  it("patch -o writes the result elsewhere, -N skips what is already applied", () => {
    const { r, read, done } = ours("patch", ["-o", "out", "p1"], P_DIFF);
    expect(r.status).toBe(0);
    expect(read("out")).toBe(P2);
    expect(read("p1")).toBe(P1);
    done();
    const n = ours("patch", ["-N", "p2"], P_DIFF);
    expect(n.r.status).toBe(0);
    expect(n.read("p2")).toBe(P2);
    n.done();
  });

  it("patch finds a hunk moved by other edits (offset search)", () => {
    const moved = "x\ny\nz\n" + P1;
    const t = tempDir("pika-off-");
    fs.writeFileSync(path.join(t, "f"), moved);
    fs.symlinkSync(PIKA, path.join(t, "patch"));
    const r = run(path.join(t, "patch"), ["f"], { cwd: t, input: P_DIFF });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(t, "f"), "latin1")).toBe("x\ny\nz\n" + P2);
    fs.rmSync(t, { recursive: true, force: true });
  });
});

describe.runIf(havePika())("diff -u a b | patch a makes a equal to b", () => {
  // A small deterministic generator: line soup from a few values, so that many
  // alignments are possible, with and without final newlines.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const ALPHA = ["a", "b", "c", "", "d e", "x", "\tq", "zz", " a"];
  const gen = (n: number) => Array.from({ length: n }, () => ALPHA[rand(ALPHA.length)]);
  const text = (lines: string[]) => lines.join("\n") + (lines.length && rand(5) ? "\n" : "");

  it("for 40 generated pairs, at several context sizes, and back with -R", () => {
    const d = tempDir("pika-rt-");
    fs.symlinkSync(PIKA, path.join(d, "diff"));
    fs.symlinkSync(PIKA, path.join(d, "patch"));
    try {
      for (let t = 0; t < 40; t++) {
        const l0 = gen(rand(40));
        let l1 = [...l0];
        for (let e = rand(10); e > 0; e--) {
          const op = rand(3);
          if (op === 0 && l1.length) l1.splice(rand(l1.length), 1);
          else if (op === 1) l1.splice(rand(l1.length + 1), 0, ALPHA[rand(ALPHA.length)]);
          else if (l1.length) l1[rand(l1.length)] = ALPHA[rand(ALPHA.length)];
        }
        if (rand(6) === 0) l1 = gen(rand(20));
        const a = text(l0), b = text(l1);
        fs.writeFileSync(path.join(d, "a"), a);
        fs.writeFileSync(path.join(d, "b"), b);
        const U = ["3", "0", "1", "5"][rand(4)];
        const diff = run(path.join(d, "diff"), ["-U", U, "a", "b"], { cwd: d });
        expect(diff.status, `diff status for ${JSON.stringify([a, b])}`).toBe(a === b ? 0 : 1);
        const p = run(path.join(d, "patch"), ["a"], { cwd: d, input: diff.stdout });
        expect(p.status, p.stderr).toBe(0);
        expect(fs.readFileSync(path.join(d, "a"), "utf8"), `-U${U} ${JSON.stringify([a, b])}`).toBe(b);
        const back = run(path.join(d, "patch"), ["-R", "a"], { cwd: d, input: diff.stdout });
        expect(back.status, back.stderr).toBe(0);
        expect(fs.readFileSync(path.join(d, "a"), "utf8")).toBe(a);
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  }, 240_000);
});
