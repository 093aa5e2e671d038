// The line-oriented text tools (grep egrep fgrep cut tr head tail wc xargs)
// against busybox-static: differential tables over one fixture, plus tail -f
// and -F, which need a file that grows while they run.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = ["grep", "egrep", "fgrep", "cut", "tr", "head", "tail", "wc", "xargs"];

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i + 1) + "\n").join("");

const FIXTURE = {
  "a.txt": "alpha\nbeta\ngamma\ndelta\nAlpha beta\nepsilon\n",
  "b.txt": "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\ntwelve\n",
  "words.txt": "foo bar\nfoobar\nbar_foo foo\n(foo)\nfood\nbarfoo\n",
  "noeol.txt": "first\nlast without newline",
  "empty": "",
  "pats": "beta\nzeta\n",
  "emptypat": "\n",
  "csv": "a,b,c,d\n1,2,3,4\nno delimiter\n,,x,\nlast,line\n",
  "tabs": "f1\tf2\tf3\nx\ty\nsolo\n",
  "nums.txt": lines(30),
  "spaces": "  lead  and   trail  \n\tword\tword\n\n",
  "bin": "text\x00with nul\nmore\n",
  "dir/x.txt": "needle here\n",
  "dir/sub/y.txt": "no match\nneedle again\n",
  "args": "a b c\nd e\nf\n",
  "nul": "one\x00two words\x00three\x00",
  "xfile": "1 2 3 4 5 6 7\n",
};

/** The files above, plus symbolic links for grep -r (not followed) and -R (followed). */
function fixture(d: string): void {
  for (const [p, data] of Object.entries(FIXTURE)) {
    fs.mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    fs.writeFileSync(path.join(d, p), data);
  }
  fs.mkdirSync(path.join(d, "outside"));
  fs.writeFileSync(path.join(d, "outside", "z.txt"), "needle outside\n");
  fs.symlinkSync("../outside", path.join(d, "dir", "out"));
  fs.symlinkSync("sub/y.txt", path.join(d, "dir", "ylink"));
  fs.symlinkSync("dir", path.join(d, "dirlink"));
  fs.symlinkSync("nowhere", path.join(d, "dir", "sub", "dangling"));
}

const c = (applet: string, ...args: string[]): Case => ({ applet, args });
const s = (applet: string, stdin: string, ...args: string[]): Case => ({ applet, args, stdin });

const GREP: Case[] = [
  c("grep", "beta", "a.txt"),
  c("grep", "-i", "alpha", "a.txt"),
  c("grep", "-v", "a", "a.txt"),
  c("grep", "-c", "a", "a.txt"),
  c("grep", "-c", "zzz", "a.txt"),
  c("grep", "-n", "e", "a.txt"),
  c("grep", "-l", "beta", "a.txt", "b.txt", "words.txt"),
  c("grep", "-L", "beta", "a.txt", "b.txt", "words.txt"),
  c("grep", "-h", "e", "a.txt", "b.txt"),
  c("grep", "-H", "beta", "a.txt"),
  c("grep", "beta", "a.txt", "b.txt"),
  c("grep", "-c", "e", "a.txt", "b.txt"),
  c("grep", "-o", "fo*", "words.txt"),
  c("grep", "-on", "o", "words.txt"),
  c("grep", "-ob", "foo", "words.txt"),
  c("grep", "-q", "beta", "a.txt"),
  c("grep", "-q", "zzz", "a.txt"),
  c("grep", "-q", "beta", "nope", "a.txt"),
  c("grep", "-s", "beta", "nope", "a.txt"),
  c("grep", "beta", "nope", "a.txt"),
  c("grep", "-s", "beta", "nope"),
  c("grep", "-w", "foo", "words.txt"),
  c("grep", "-wo", "foo", "words.txt"),
  c("grep", "-x", "foobar", "words.txt"),
  c("grep", "-xv", "foobar", "words.txt"),
  c("grep", "-e", "one", "-e", "two", "b.txt"),
  c("grep", "-f", "pats", "a.txt"),
  c("grep", "-f", "emptypat", "a.txt"),
  c("grep", "-f", "nopats", "a.txt"),
  c("grep", "-e", "", "a.txt"),
  c("grep", "-E", "al|ep", "a.txt"),
  c("grep", "-E", "^(a|b)", "a.txt"),
  c("grep", "-E", "o{2}", "words.txt"),
  c("grep", "o\\{2\\}", "words.txt"),
  c("grep", "\\(foo\\)", "words.txt"),
  c("grep", "-F", "(foo)", "words.txt"),
  c("grep", "-F", "-e", "beta", "-e", "gamma", "a.txt"),
  c("grep", "-Fx", "foobar", "words.txt"),
  c("grep", "-Fw", "foo", "words.txt"),
  c("grep", "-Fi", "ALPHA", "a.txt"),
  c("grep", "-Fo", "o", "words.txt"),
  c("grep", "-m", "2", "e", "b.txt"),
  c("grep", "-m", "1", "-c", "e", "b.txt"),
  c("grep", "-A", "1", "four", "b.txt"),
  c("grep", "-B", "2", "four", "b.txt"),
  c("grep", "-C", "1", "-e", "two", "-e", "nine", "b.txt"),
  c("grep", "-A", "1", "-e", "one", "-e", "three", "b.txt"),
  c("grep", "-nA", "1", "-e", "four", "-e", "eight", "b.txt"),
  c("grep", "-B", "1", "-n", "e$", "b.txt"),
  c("grep", "-C", "2", "t", "b.txt", "a.txt"),
  c("grep", "-vC", "1", "e", "b.txt"),
  c("grep", "-A", "x", "one", "b.txt"),
  c("grep", "-m", "x", "one", "b.txt"),
  c("grep", "-r", "needle", "dir"),
  c("grep", "-rl", "needle", "dir"),
  c("grep", "-rh", "needle", "dir"),
  c("grep", "-rc", "needle", "dir/sub"),
  c("grep", "needle", "dir"), c("grep", "-R", "needle", "dir"), c("grep", "-r", "needle", "dirlink"), c("grep", "-rc", "needle", "dir/out"),
  c("grep", "-R", "-l", "needle", "dir"), c("grep", "-rL", "zzz", "dir"), c("grep", "-rn", "-C1", "needle", "dir/sub"),
  c("grep", "-r", "zzz", "dir/sub"), c("grep", "-rs", "zzz", "dir/sub"), c("grep", "-R", "-c", "needle", "dir/sub"),
  c("grep", "-n", "last", "noeol.txt"),
  c("grep", "-v", "zzz", "noeol.txt"),
  c("grep", "-c", "", "empty"),
  c("grep", "with", "bin"),
  c("grep", "-c", "o", "bin"),
  c("grep", "-z", "two", "nul"),
  c("grep", "["),
  c("grep", "-E", "a{1", "a.txt"),
  c("grep", "-E", "(", "a.txt"),
  c("grep", "\\(", "a.txt"),
  c("grep"),
  c("grep", "-Z", "x"),
  c("grep", "-E", "a+", "a.txt"),
  c("grep", "a\\+", "a.txt"),
  c("grep", "a\\|z", "a.txt"),
  c("grep", "^$", "spaces"),
  c("grep", "-c", "^", "spaces"),
  c("grep", "[[:space:]]word", "spaces"),
  c("grep", "-E", "[[:upper:]]", "a.txt"),
  c("grep", "-i", "[A-B]", "a.txt"),
  c("grep", "\\<foo\\>", "words.txt"),
  c("grep", "foo\\b", "words.txt"),
  c("grep", "-o", "\\w\\+", "words.txt"),
  c("grep", "-oi", "A", "a.txt"),
  c("grep", "-o", "", "a.txt"),
  c("grep", "-ow", "bar", "words.txt"),
  c("grep", "-lv", "foo", "words.txt", "a.txt"),
  c("grep", "-lc", "a", "a.txt"),
  c("grep", "-e", "a", "-v", "-e", "b", "a.txt"),
  c("grep", "-x", "-e", "one", "-e", "tw", "b.txt"),
  s("grep", "x\ny\nx\n", "x"),
  s("grep", "x\ny\nx\n", "-c", "x", "-"),
  s("grep", "x\ny\n", "-H", "x"),
  s("grep", "abcabc\n", "-o", "b*"),
  s("grep", "aaa\n", "-o", "a\\{2\\}"),
  s("grep", "hello world\n", "-o", "-E", "o|wor"),
  s("grep", "ab\nAB\n", "-i", "-F", "ab"),
  s("grep", "a.b\naxb\n", "-F", "a.b"),
  s("grep", "a\nb\nc\nd\ne\nf\ng\n", "-A1", "-e", "a", "-e", "e"),
  s("grep", "a\nb\nc\nd\ne\nf\ng\n", "-C1", "-e", "a", "-e", "c"),
  s("grep", "a\nb\nc\nd\ne\nf\ng\n", "-B1", "-m1", "c"),
  s("grep", "x1\nx2\n", "-e", "x", "-m", "1", "-A", "1"),
  c("grep", "x", ""), c("grep", "-r", "x", ""),
  c("egrep", "al|ep", "a.txt"),
  c("fgrep", "a|b", "a.txt"),
  c("egrep", "-c", "^(one|two)$", "b.txt"),
  c("fgrep", "-x", "beta", "a.txt"),
];

const CUT: Case[] = [
  c("cut", "-d,", "-f2", "csv"),
  c("cut", "-d,", "-f1,3", "csv"),
  c("cut", "-d,", "-f2-", "csv"),
  c("cut", "-d,", "-f-2", "csv"),
  c("cut", "-d,", "-f3-1", "csv"),
  c("cut", "-d,", "-s", "-f2", "csv"),
  c("cut", "-d", ",", "-f", "1,1,2", "csv"),
  c("cut", "-f2", "tabs"),
  c("cut", "-f1,3", "-s", "tabs"),
  c("cut", "-c1-3", "a.txt"),
  c("cut", "-c2,4,6", "a.txt"),
  c("cut", "-c3-", "a.txt"),
  c("cut", "-c-2", "a.txt"),
  c("cut", "-b1", "a.txt"),
  c("cut", "-b", "1-2,4-", "a.txt"),
  c("cut", "-c", "5-3", "a.txt"),
  c("cut", "-c", "0", "a.txt"),
  c("cut", "-f", "0", "a.txt"),
  c("cut", "-c", "a", "a.txt"),
  c("cut", "-d,", "-f2", "-O", ":", "csv"),
  c("cut", "-d,", "-f1,3", "--output-delimiter=:", "csv"),
  c("cut", "-d,", "-f3,1", "-D", "csv"),
  c("cut", "-F", "2", "spaces"),
  c("cut", "-F", "1,2", "-d", "[ ,]+", "csv"),
  c("cut", "-d", "ab", "-f1", "csv"),
  c("cut", "a.txt"),
  c("cut", "-c1", "-f1", "a.txt"),
  c("cut", "-d,", "-c1", "a.txt"),
  c("cut", "-c1", "nope", "a.txt"),
  c("cut", "-c", "1-2", "noeol.txt"), c("cut", "-c1", ""), c("cut", "-c1", "-c2", "a.txt"), c("cut", "-f1", "-f2", "a.txt"),
  c("cut", "-d,", "-f2", "empty"),
  s("cut", "a:b:c\n", "-d:", "-f2"),
  s("cut", "a:b:c", "-d:", "-f3"),
  s("cut", "abcdef\n", "-c", "2-3,5"),
  s("cut", "abc\n", "-c", "1-", "-"),
  s("cut", "a b  c\n", "-d", " ", "-f", "1-3"),
  s("cut", "x\n", "-d:", "-f2"),
  s("cut", "x\n", "-d:", "-sf2"),
];

const TR: Case[] = [
  s("tr", "hello world\n", "a-z", "A-Z"),
  s("tr", "hello world\n", "lo", "01"),
  s("tr", "hello world\n", "-d", "lo"),
  s("tr", "hello   world\n", "-s", " "),
  s("tr", "aabbccdd\n", "-s", "a-c"),
  s("tr", "hello world\n", "-c", "a-z", "_"),
  s("tr", "hello world\n", "-cd", "a-z"),
  s("tr", "hello world\n", "-ds", "l", "o"),
  s("tr", "aabbcc\n", "-s", "a-c", "x"),
  s("tr", "abc\n", "abc", "x"),
  s("tr", "abcdef\n", "a-f", "xy"),
  s("tr", "a1b2c3\n", "[:digit:]", "#"),
  s("tr", "a1b2c3\n", "-d", "[:alpha:]"),
  s("tr", "Hello World\n", "[:upper:]", "[:lower:]"),
  s("tr", "Hello World\n", "[:lower:]", "[:upper:]"),
  s("tr", "a\tb c\n", "[:space:]", "."),
  s("tr", "a\tb c\n", "[:blank:]", "_"),
  s("tr", "a.b,c!\n", "-d", "[:punct:]"),
  s("tr", "abc\n", "a", "\\n"),
  s("tr", "a\\b\n", "\\\\", "/"),
  s("tr", "abc\n", "\\141", "X"),
  { ...s("tr", "abc\n", "a-c", "[x*]"), differs: "POSIX [x*] repeats x to fill STRING2; BusyBox takes it literally" },
  { ...s("tr", "abcde\n", "a-e", "[x*2]yz"), differs: "POSIX [x*n] repeats x n times; BusyBox takes it literally" },
  s("tr", "aaa\n", "[=a=]", "b"),
  s("tr", "hello\n", "-c", "l", "\\n"),
  s("tr", "abc\n"),
  s("tr", "abc\n", "a"),
  s("tr", "abc\n", "-x", "a", "b"),
  s("tr", "x\n", "z-a", "b"),
  s("tr", "a-b\n", "a-", "xy"),
  s("tr", "abc\n", "-d", "a", "b"),
  s("tr", "\x01\x02abc\n", "-d", "[:cntrl:]"),
  s("tr", "abc xyz\n", "[:alnum:]", "*"),
  s("tr", "A1f G\n", "[:xdigit:]", "h"),
  s("tr", "abc\n", "[:foo:]", "x"), s("tr", "[=\n", "[=", "x"), s("tr", "aa\n", "-s"),
];

const HEAD: Case[] = [
  c("head", "nums.txt"),
  c("head", "-n", "3", "nums.txt"),
  c("head", "-3", "nums.txt"),
  c("head", "-n", "-25", "nums.txt"),
  c("head", "-n", "-100", "nums.txt"),
  c("head", "-n", "0", "nums.txt"),
  c("head", "-c", "10", "nums.txt"),
  c("head", "-c", "-170", "nums.txt"),
  c("head", "-c", "1k", "nums.txt"),
  c("head", "-n", "1b", "nums.txt"),
  c("head", "-c", "0", "nums.txt"),
  c("head", "-n", "2", "a.txt", "b.txt"),
  c("head", "-q", "-n", "2", "a.txt", "b.txt"),
  c("head", "-v", "-n", "1", "a.txt"),
  c("head", "-n", "1", "a.txt", "nope", "b.txt"),
  c("head", "-n", "x", "a.txt"),
  c("head", "-c", "5x", "a.txt"),
  c("head", "noeol.txt"),
  c("head", "-n", "-1", "noeol.txt"),
  c("head", "-c", "-3", "noeol.txt"),
  c("head", "empty"), c("head", ""),
  c("head", "-n", "2", "dir"),
  s("head", lines(15), "-n", "12"),
  s("head", lines(15), "-n", "-12"),
  s("head", lines(15), "-c", "-5"),
  s("head", lines(15), "-"),
  s("head", lines(3), "-n", "1", "-", "a.txt"),
];

const TAIL: Case[] = [
  c("tail", "nums.txt"),
  c("tail", "-n", "3", "nums.txt"),
  c("tail", "-3", "nums.txt"),
  c("tail", "-n", "+25", "nums.txt"),
  c("tail", "+25", "nums.txt"),
  c("tail", "-n", "+0", "a.txt"),
  c("tail", "-n", "0", "a.txt"),
  c("tail", "-c", "10", "nums.txt"),
  c("tail", "-c", "+150", "nums.txt"),
  c("tail", "-c", "1b", "nums.txt"),
  c("tail", "-n", "2", "a.txt", "b.txt"),
  c("tail", "-q", "-n", "2", "a.txt", "b.txt"),
  c("tail", "-v", "-n", "1", "a.txt"),
  c("tail", "-n", "1", "a.txt", "nope", "b.txt"),
  c("tail", "-n", "x", "a.txt"),
  c("tail", "noeol.txt"),
  c("tail", "-n", "1", "noeol.txt"),
  c("tail", "-c", "3", "noeol.txt"),
  c("tail", "empty"), c("tail", ""),
  c("tail", "-n", "100", "a.txt"),
  c("tail", "dir"),
  s("tail", lines(15), "-n", "12"),
  s("tail", lines(15), "-n", "+12"),
  s("tail", lines(15), "-c", "5"),
  s("tail", lines(15), "-c", "+80"),
  s("tail", lines(3000), "-n", "2"),
  s("tail", lines(3000), "-c", "2000"),
  s("tail", "a\nb", "-n", "1"),
  s("tail", lines(3), "-n", "1", "-", "a.txt"),
];

const WC: Case[] = [
  c("wc", "a.txt"),
  c("wc", "-l", "a.txt"),
  c("wc", "-w", "a.txt"),
  c("wc", "-c", "a.txt"),
  c("wc", "-m", "a.txt"),
  c("wc", "-L", "a.txt"),
  c("wc", "-lw", "a.txt"),
  c("wc", "-cl", "a.txt"),
  c("wc", "a.txt", "b.txt"),
  c("wc", "-l", "a.txt", "b.txt", "nums.txt"),
  c("wc", "a.txt", "nope", "b.txt"),
  c("wc", "empty"), c("wc", ""),
  c("wc", "noeol.txt"),
  c("wc", "spaces"),
  c("wc", "-L", "spaces"),
  c("wc", "bin"),
  c("wc", "dir"),
  c("wc", "-x"),
  s("wc", "hello world\nfoo\n"),
  s("wc", "hello world\nfoo\n", "-l"),
  s("wc", "hello world\nfoo\n", "-"),
  s("wc", "caf\u00e9 \u4e2d\u6587\n", "-m"),
  s("wc", "caf\u00e9 \u4e2d\u6587\n", "-c"),
  s("wc", "caf\u00e9 \u4e2d\u6587\n", "-L"),
  { ...s("wc", "caf\u00e9 \u4e2d\u6587\n", "-m"), env: { LANG: "C.UTF-8" } },
  { ...s("wc", "caf\u00e9 \u4e2d\u6587\n", "-mLw"), env: { LC_ALL: "C.UTF-8" } },
  { ...s("wc", "caf\u00e9 \u4e2d\u6587\n", "-m"), env: { LC_ALL: "C", LANG: "C.UTF-8" } },
  s("wc", ""),
  s("wc", "a\tb\n", "-L"),
];

const XARGS: Case[] = [
  s("xargs", "a b c\nd e\n"),
  s("xargs", "a b c\nd e\n", "echo", "X"),
  s("xargs", "a b c\nd e\n", "-n", "2", "echo"),
  s("xargs", "a b c\nd e\n", "-n1"),
  s("xargs", "one\ntwo\n", "-I", "{}", "echo", "[{}]"),
  s("xargs", "one\ntwo\n", "-I{}", "echo", "{}-{}", "x{}y"),
  s("xargs", "a  b\nc\n", "-I", "%", "echo", "<%>"),
  s("xargs", "a\x00b c\x00", "-0", "echo"),
  s("xargs", "a\x00b c\x00", "-0", "-n1", "echo"),
  s("xargs", "", "echo", "empty"),
  s("xargs", "", "-r", "echo", "empty"),
  s("xargs", "   \n\n", "-r", "echo", "x"),
  s("xargs", "a b\n", "-t", "echo"),
  s("xargs", "a b\nc\n", "-t", "-n", "1", "echo", "z"),
  s("xargs", "a b stop c d\n", "-E", "stop", "echo"),
  s("xargs", "a b stop c d\n", "-e", "echo"),
  s("xargs", "a b stop c d\n", "-estop", "echo"),
  s("xargs", "aaaa bbbb cccc dddd\n", "-s", "15", "echo"),
  s("xargs", "aaaa bbbb cccc dddd\n", "-s", "3", "echo"),
  s("xargs", "aaaa bbbb cccc dddd\n", "-x", "-s", "12", "echo"),
  s("xargs", "'a b' \"c d\" e\\ f\n", "-n1", "echo"),
  s("xargs", "'unterminated\n", "echo"),
  s("xargs", "\"unterminated\n", "echo"),
  s("xargs", "a\n", "nonexistent-command-xyz"),
  s("xargs", "a\n", "false"),
  s("xargs", "a\n", "sh", "-c", "exit 255"),
  s("xargs", "a\nb\n", "sh", "-c", "kill -9 $$"),
  s("xargs", "a\n", "-n", "0", "echo"),
  s("xargs", "a\n", "-n", "x", "echo"),
  c("xargs", "-a", "args", "echo"),
  c("xargs", "-a", "args", "-n2", "echo"),
  c("xargs", "-a", "nope", "echo"), c("xargs", "-a", "", "echo"), s("xargs", "a\n", "-p", "echo"),
  c("xargs", "-0", "-a", "nul", "-n", "1", "echo"),
  c("xargs", "-a", "xfile", "-n", "3", "-P", "1", "echo"),
  s("xargs", "x y\n", "-I", "Q", "-n", "1", "echo", "Q"),
  s("xargs", "a\tb\n", "echo"), s("xargs", "a\n", "/etc"), s("xargs", "a b\x00c\x00", "-0", "-I{}", "echo", "<{}>"),
  s("xargs", "a b c d\n", "-n", "3", "-I", "X", "echo", "X"), s("xargs", "a\nb\n", "-t", "-I", "X", "echo", "X", "X"),
];

/**
 * Inputs past the readers' 64 KiB and 1 MiB chunks, with lines cut across
 * chunk ends. Outputs stay under spawnSync's 1 MiB buffer (MID for the
 * commands that copy their input).
 */
const BIG = lines(120_000, (i) => `row ${i} ${"x".repeat(i % 17)}\tcol${i % 7}`);
const MID = BIG.slice(0, 700_000);
const LARGE: Case[] = [
  s("grep", BIG, "-c", "7$"), s("grep", BIG, "-n", "-m", "3", "99999"), s("grep", BIG, "-C", "1", "row 100000 "), s("grep", BIG, "-vc", "x"),
  s("cut", BIG, "-f", "2"), s("cut", BIG, "-c", "5-9"), s("tr", MID, "a-z", "A-Z"), s("tr", MID, "-d", "0-9"), s("tr", BIG, "-cd", "7\n"), s("wc", BIG), s("wc", BIG, "-L"),
  s("head", BIG, "-n", "-119990"), s("head", BIG, "-c", "-2000000"), s("tail", BIG, "-n", "3"), s("tail", BIG, "-c", "70000"), s("tail", BIG, "-n", "+119998"),
  s("xargs", BIG.slice(0, 300_000), "-n", "5000", "echo"),
];

describe("text tools against busybox", () => {
  describe("large inputs", () => differential(APPLETS, LARGE, FIXTURE));
  describe("grep", () => differential(APPLETS, GREP, fixture));
  describe("cut", () => differential(APPLETS, CUT, FIXTURE));
  describe("tr", () => differential(APPLETS, TR, FIXTURE));
  describe("head", () => differential(APPLETS, HEAD, FIXTURE));
  describe("tail", () => differential(APPLETS, TAIL, FIXTURE));
  describe("wc", () => differential(APPLETS, WC, FIXTURE));
  describe("xargs", () => differential(APPLETS, XARGS, FIXTURE));
});

/** Start `tail args` in dir, grow the file, and collect what it printed. */
async function followTail(bin: string, args: string[], dir: string, grow: () => void): Promise<string> {
  const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 80 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    await waitFor("start");
    grow();
    await waitFor("added");
    return out;
  } finally {
    child.kill("SIGTERM");
  }
}

/** Where BusyBox and POSIX part: our own output, checked directly. */
function ours(rows: [applet: string, args: string[], stdin: string, stdout: string][]): void {
  for (const [applet, args, stdin, stdout] of rows) {
    it(`${applet} ${args.join(" ")} (ours)`, () => {
      const r = run(PIKA, [applet, ...args], { input: stdin });
      expect(r.stdout).toBe(stdout);
      expect(r.status).toBe(0);
    });
  }
}

describe("POSIX behaviour where busybox differs", () => {
  ours([
    ["tr", ["a-c", "[x*]"], "abcd\n", "xxxd\n"],
    ["tr", ["a-e", "[x*2]yz"], "abcde\n", "xxyzz\n"],
  ]);
});

describe.concurrent("tail -f and -F", () => {
  const link = (dir: string) => {
    const p = path.join(dir, "tail");
    fs.symlinkSync(PIKA, p);
    return p;
  };
  for (const [bin, name] of [[PIKA, "pika"], ["/bin/busybox", "busybox"]] as const) {
    it(`tail -f sees appended lines (${name})`, async () => {
      const dir = tempDir();
      try {
        const tail = bin === PIKA ? link(dir) : "/bin/busybox";
        const args = bin === PIKA ? ["-f", "-s", "1", "log"] : ["tail", "-f", "-s", "1", "log"];
        fs.writeFileSync(path.join(dir, "log"), "old\nstart\n");
        const out = await followTail(tail, args, dir, () => fs.appendFileSync(path.join(dir, "log"), "added 1\nadded 2\n"));
        expect(out).toMatch(/^old\nstart\nadded 1\n/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  it("tail -F follows a file that is replaced", async () => {
    const dir = tempDir();
    try {
      const tail = link(dir);
      const log = path.join(dir, "log");
      fs.writeFileSync(log, "start\n");
      const out = await followTail(tail, ["-F", "-s", "1", "log"], dir, () => {
        fs.writeFileSync(log + ".new", "added after rename\n");
        fs.renameSync(log + ".new", log);
      });
      expect(out).toContain("start\n");
      expect(out).toContain("added after rename\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("tail -F waits for a file that does not exist yet", async () => {
    const dir = tempDir();
    try {
      const tail = link(dir);
      const log = path.join(dir, "later");
      const child = spawn(tail, ["-F", "-s", "1", "later"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      await new Promise((r) => setTimeout(r, 300));
      fs.writeFileSync(log, "added late\n");
      for (let i = 0; i < 60 && !out.includes("added"); i++) await new Promise((r) => setTimeout(r, 50));
      child.kill("SIGTERM");
      expect(out).toContain("added late\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
