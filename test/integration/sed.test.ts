// sed against busybox-static: every POSIX command, BusyBox's and GNU's
// extensions, addresses, -n -s -E -i -e -f, error messages; in-place editing
// (contents, backups, mode); and a fuzz run of generated scripts that must end
// with output or an "sed: ..." message, never a crash or a hang.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { fuzzRuns, mutate, pick, rng } from "../helpers/fuzz.ts";
import { PIKA, run, tempDir } from "../helpers/run.ts";

const FIXTURE = {
  "in": "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n",
  "a": "hello world\nfoo bar foo\nHello again\n",
  "b": "second file\nlast\n",
  "noeol": "x\ny",
  "empty": "",
  "script.sed": "s/o/0/g\n# a comment\n/t/d\n",
  "labels.sed": ":top\ns/o/O/\nt top\n",
  "r.txt": "READ ME\n",
  "ro/file": "in a dir\n",
  "para": "a\nb\n\nc\nd\n\n\ne\n",
};

const c = (...args: string[]): Case => ({ applet: "sed", args });
const s = (stdin: string, ...args: string[]): Case => ({ applet: "sed", args, stdin });
const f = (files: string[], ...args: string[]): Case => ({ applet: "sed", args, files });

/** BusyBox 1.35's l prints nothing at all; POSIX says what it shows: checked in OURS below. */
const bbl = (k: Case): Case => ({ ...k, differs: "BusyBox's l prints nothing; POSIX l shows the escaped line" });

const CASES: Case[] = [
  // s and its flags
  c("s/o/0/", "in"), c("s/o/0/g", "a"), c("s/o/0/2", "a"), c("s/o/0/2g", "a"), c("-n", "s/o/0/p", "in"),
  c("s/HELLO/bye/I", "a"), c("s/hello/bye/i", "a"), c("s/\\(o\\)\\(.\\)/\\2\\1/g", "a"), c("-E", "s/(o)(.)/\\2\\1/g", "a"),
  c("-r", "s/o+/[&]/g", "a"), c("s/o*/<&>/g", "a"), c("s/x*/-/g", "in"), c("s/o/\\n/", "a"), c("s/ /\\\n/", "a"),
  c("s/o/a\\&b/g", "a"), c("s|o|/|g", "a"), c("s,o,\\,,g", "a"), c("s/\\//x/", "a"), c("s/$/ END/", "in"), c("s/^/> /", "in"),
  c("s/o/0/w out", "a"), c("-n", "s/o/0/gpw out", "a"), c("s/[aeiou]/\\U&/g", "a"), c("s/.*/\\U&/", "a"),
  c("s/\\(hello\\) \\(world\\)/\\u\\1 \\U\\2\\E!/", "a"), c("s/.*/\\L&/", "a"), c("s/e/E/3", "a"), c("s/o/0/gI", "a"),
  c("s/\\bfoo\\b/X/g", "a"), c("s/\\<f/F/g", "a"), c("s/o\\+/O/g", "a"), c("s/o\\?b/X/", "a"), c("s/l\\{2\\}/LL/", "a"),
  c("-E", "s/l{2}/LL/", "a"), c("-E", "s/(foo|bar)/<\\1>/g", "a"), c("s/foo\\|bar/X/g", "a"), c("s/[[:upper:]]/_/g", "a"),
  c("s/\\t/T/", "a"), c("s/a/\\t/", "a"), c("s/.\\{3\\}$//", "in"), c("s/\\./!/g", "a"), c("s/[.]/!/g", "a"),
  s("aaa\n", "s/a/b/3"), s("aaa\n", "s/a/b/4"), s("abc\n", "s/b*/x/2"), s("abc abc\n", "s/\\(b\\)\\(c\\)/\\2\\1/2"),
  s("x\n", "s/x/a\\\nb/"), s("path/to/x\n", "s#/#\\\\#g"), s("a.b\n", "s/a.b/&&/"), s("hello\n", "s/l/L/g;s/L/M/"),
  s("abc\n", "s/\\(a\\)\\|b/\\1x/g"), s("foo\n", "s/o/\\\\/"), s("foo\n", "s/f/\\x41/"), s("tab\n", "s/a/\\o101/"),
  // y
  c("y/abc/xyz/", "a"), c("y/olh/OLH/", "a"), s("a/b\n", "y,/,|,"), s("abc\n", "y/abc/\\n\\t\\\\/"), c("y/ab/x/", "a"),
  // a i c, both forms
  c("2a\\\nappended", "in"), c("2a appended", "in"), c("2i\\\ninserted", "in"), c("2i inserted", "in"), c("2c\\\nchanged", "in"),
  c("2,4c changed", "in"), c("$a the end", "in"), c("1i\\  lead", "in"), c("a\\", "in"), c("2a\\\none\\\ntwo", "in"),
  c("/t/a after t", "in"), c("2,3!c x", "in"), c("$!a -", "noeol"), c("a x", "noeol"), c("i x", "empty"),
  c("-e", "1a\\", "-e", "foo", "in"), c("2{a x\n}", "in"), c("2c\\", "in"), c("1a  spaced", "in"),
  // d D n N p P h H g G x
  c("3d", "in"), c("3,5d", "in"), c("/e/d", "in"), c("$d", "in"), c("-n", "p", "in"), c("p", "noeol"), c("-n", "2p", "in"),
  c("n;d", "in"), c("-n", "n;p", "in"), c("N;P;D", "in"), c("$!N;s/\\n/ /", "in"), c("N;N;s/\\n/+/g", "in"), c("N", "noeol"),
  c("-n", "$!N;P;D", "in"), c("1!G;h;$!d", "in"), c("-n", "H;${x;s/\\n/,/g;p}", "in"), c("G", "a"), c("x", "in"), c("g", "in"),
  c("h;n;G;x", "in"), c("D", "in"), c("N;D", "in"), c("-n", "/two/{n;p}", "in"), c("$!d", "in"), c("N;N;D", "in"),
  c("P;d", "a"), bbl(c("-n", "N;l", "in")), c("n", "noeol"), c("-n", "x;p;x;p", "in"),
  // b t T labels
  c(":a;s/o/O/;ta", "a"), c("-f", "labels.sed", "a"), c("s/foo/X/;T;s/$/ !/", "a"), c("s/foo/X/;t end;s/$/ ?/;:end", "a"),
  c("b end;s/o/0/;:end", "a"), c("/two/b skip;s/o/0/;:skip", "in"), c("b", "in"), c("-n", "/f/{p;b};p", "in"), c("bnowhere", "in"),
  c(":a;N;$!ba;s/\\n/,/g", "in"), c(": x;s/^o//;t x", "in"), c("t;s/o/0/", "a"), c("s/x/y/;tl;s/$/-/;:l", "a"),
  // = l q Q
  c("=", "a"), c("-n", "$=", "in"), c("-n", "/o/=", "in"), bbl(c("l", "a")), bbl(s("a\tb\x01\\\xe9\n", "-n", "l")),
  bbl(s("a".repeat(100) + "\n", "-n", "l")),
  c("3q", "in"), c("/four/q", "in"), c("q", "empty"), c("2q", "a", "b"),
  c("-n", "3{p;q}", "in"),
  // r w
  c("2r r.txt", "in"), c("r r.txt", "noeol"), c("2r nonexistent", "in"), c("$r r.txt", "a", "b"), c("/o/w out", "in"),
  f(["out"], "-n", "/o/w out", "in"), f(["out", "out2"], "-e", "/o/w out", "-e", "/e/w out2", "in"), f(["out"], "w out", "noeol"),
  // blocks, addresses
  c("2,4{s/o/0/;s/e/E/}", "in"), c("-n", "/two/,/five/p", "in"), c("-n", "/two/,+2p", "in"), c("1,/o/d", "in"),
  c("-n", "$p", "in"), c("-n", "$p", "a", "b"), c("1d", "a", "b"),
  c("-n", "/two/,3p", "in"), c("-n", "5,2p", "in"), c("-n", "/nine/,/nomatch/p", "in"), c("2,4!d", "in"), c("/o/!d", "in"),
  c("-n", "2{p;p}", "in"), c("-n", "/t/{/w/p}", "in"), c("2!{s/^/x/}", "in"), c("-n", "\\,o,p", "in"), c("-n", "\\%t%p", "in"),
  c("-n", "/O/Ip", "in"), c("-n", "/e$/,/^s/{=;p}", "in"), c("1,3{/two/d}", "in"), c("-n", "/t/,/t/p", "in"), c("-n", "2,2p", "in"),
  c("-n", "$!{$!p}", "noeol"), c("2,4{2d;s/^/>/}", "in"), c("-n", "2,1p", "in"),
  // -e -f scripts, comments, whitespace
  c("-e", "s/o/0/", "-e", "s/e/3/", "in"), c("-f", "script.sed", "in"), c("-f", "nofile.sed", "in"), c("#n\np", "in"),
  c("  2 d ; 3d", "in"), c("2d # comment", "in"), c("{p};p", "noeol"), c("-n", "-e", "2{", "-e", "p", "-e", "}", "in"),
  c("s/o/0/;;; ;s/e/3/", "in"), c("-E", "s/(t)(w)?/[\\1\\2]/", "in"), c("-e", "s/a/b/", "-f", "script.sed", "a"),
  // files, stdin, errors
  s("from stdin\n", "s/stdin/pipe/"), s("x\n", "p", "-"), c("p", "nope", "a"), c("p", "ro"), c("1d", "noeol"), c("$d", "noeol"),
  c(""), c(), c("k", "in"), c("s/a/b", "in"), c("s/a/b/q", "in"), c("s/\\(a/b/", "in"), c("s/a/\\1/", "in"), c("y/ab/c/", "in"),
  c("{p", "in"), c("p}", "in"), c("}", "in"), c("3,", "in"), c(":", "in"), c("b foo", "in"), c("-E", "s/(/x/", "in"),
  c("/a", "in"), c("1~2~3p", "in"), c("0p", "in"), c("0,5p", "in"), c("-x", "p"), c("s/a/b/gg", "in"), c("s/a/b/0", "in"),
  c("p", ""), c("a"), c("w", "in"), c("r", "in"), c("y/a/", "in"), c("=x", "in"), c("dp", "in"), c("2,3=", "in"), c("2,3q", "in"), c("1,2i x", "in"),
  c("-n", "/[/p", "in"), c("s/[[:foo:]]/x/", "in"), c("-n", "/x\\{2,1\\}/p", "in"), c("--posix", "p", "in"),
  s("a\x00b\nc\n", "s/b/B/"), s("a\x00b\x00", "s/^/>/"), s("", "p"), s("\n\n", "="), s("x", "$s/$/!/"),
  { ...s("abc\n", "-z", "s/b/\\n/"), name: "sed -z" },
];

/**
 * Inputs past the line reader's chunks: lines cut across chunk ends, the fast
 * s/// path and the general one. Outputs stay under spawnSync's 1 MiB buffer.
 */
const BIG = Array.from({ length: 100_000 }, (_, i) => `line ${i} ${"y".repeat(i % 23)}\n`).join("");
const MID = BIG.slice(0, 900_000);
const LARGE: Case[] = [
  s(MID, "s/y/z/g"), s(MID, "s/line \\([0-9]*\\)/\\1:/"), s(BIG, "-n", "s/99\\(9*\\) /<\\1>/p"), s(BIG, "-n", "$p"), s(BIG, "-n", "/99999/,$p"),
  s(MID, "$!N;s/\\n/ /"), s(BIG, "-n", "$="), s(BIG, "/0$/!d"),
];

describe("sed against busybox", () => differential(["sed"], CASES, FIXTURE));
describe("sed on large inputs", () => differential(["sed"], LARGE, FIXTURE));

/**
 * Our own behaviour where BusyBox has none or gets it wrong: GNU extensions it
 * lacks (q/Q exit codes, R, W, first~step, addr,~N, 0,/re/, -s) and POSIX l.
 * Expected outputs are GNU sed's. Rows: args, stdin, stdout, status.
 */
const OURS: [string[], string, string, number][] = [
  [["l", "a"], "", "hello world$\nhello world\nfoo bar foo$\nfoo bar foo\nHello again$\nHello again\n", 0],
  [["-n", "N;l", "in"], "", "one\\ntwo$\nthree\\nfour$\nfive\\nsix$\nseven\\neight$\nnine\\nten$\n", 0],
  [["-n", "l"], "a\tb\x01\\\u00e9\n", "a\\tb\\001\\\\\\303\\251$\n", 0],
  [["-n", "l"], "a".repeat(100) + "\n", "a".repeat(69) + "\\\n" + "a".repeat(31) + "$\n", 0],
  [["-n", "l 20"], "a".repeat(50) + "\n", "a".repeat(19) + "\\\n" + "a".repeat(19) + "\\\n" + "a".repeat(12) + "$\n", 0],
  [["-n", "l 0"], "a".repeat(100) + "\n", "a".repeat(100) + "$\n", 0],
  [["3Q", "in"], "", "one\ntwo\n", 0],
  [["3q5", "in"], "", "one\ntwo\nthree\n", 5],
  [["3Q7", "in"], "", "one\ntwo\n", 7],
  [["1R r.txt", "in"], "", "one\nREAD ME\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n", 0],
  [["R r.txt", "b"], "", "second file\nREAD ME\nlast\n", 0],
  [["-n", "$!{N;W /dev/stdout\n}", "in"], "", "one\nthree\nfive\nseven\nnine\n", 0],
  [["-n", "3,~4p", "in"], "", "three\nfour\n", 0],
  [["-n", "2,~4p", "in"], "", "two\nthree\nfour\n", 0],
  [["-n", "0~3p", "in"], "", "three\nsix\nnine\n", 0],
  [["-n", "1~3p", "in"], "", "one\nfour\nseven\nten\n", 0],
  [["-n", "2~0p", "in"], "", "two\n", 0],
  [["-n", "1~0p", "in"], "", "one\n", 0],
  [["5~2d", "in"], "", "one\ntwo\nthree\nfour\nsix\neight\nten\n", 0],
  [["-n", "0~0p", "in"], "", "", 1],
  [["0,/o/d", "in"], "", "two\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n", 0],
  [["0,/t/s/^/x/", "in"], "", "xone\nxtwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n", 0],
  [["-s", "-n", "$p", "a", "b"], "", "Hello again\nlast\n", 0],
  [["-s", "1d", "a", "b"], "", "foo bar foo\nHello again\nlast\n", 0],
  [["-s", "$a end", "a", "b"], "", "hello world\nfoo bar foo\nHello again\nend\nsecond file\nlast\nend\n", 0],
  [["-n", "-s", "2~2=", "a", "b"], "", "2\n2\n", 0],
];

describe("sed: GNU extensions and POSIX l (ours)", () => {
  for (const [args, stdin, stdout, status] of OURS) {
    it(`sed ${args.join(" ")}`, () => {
      const dir = tempDir();
      try {
        for (const [p, data] of Object.entries(FIXTURE)) {
          fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
          fs.writeFileSync(path.join(dir, p), data);
        }
        const r = run(PIKA, ["sed", ...args], { cwd: dir, input: stdin });
        expect(r.stdout).toBe(stdout);
        expect(r.status).toBe(status);
        // q and Q exit quietly with their code; other failures say why.
        if (status && !/^\d*[qQ]\d/.test(args[0])) expect(r.stderr).toMatch(/^sed: /);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  it("sed -i with W and -s edits each file apart", () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, "x"), "1\n2\n");
      fs.writeFileSync(path.join(dir, "y"), "3\n4\n");
      const r = run(PIKA, ["sed", "-s", "-i", "-e", "1W w.out", "-e", "$a end", "x", "y"], { cwd: dir });
      expect(r.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, "x"), "latin1")).toBe("1\n2\nend\n");
      expect(fs.readFileSync(path.join(dir, "y"), "latin1")).toBe("3\n4\nend\n");
      expect(fs.readFileSync(path.join(dir, "w.out"), "latin1")).toBe("1\n3\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("sed -i with q keeps what was printed and drops the rest (GNU; BusyBox leaks it to stdout)", () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, "x"), "1\n2\n3\n");
      const r = run(PIKA, ["sed", "-i", "2q", "x"], { cwd: dir });
      expect(r).toMatchObject({ status: 0, stdout: "" });
      expect(fs.readFileSync(path.join(dir, "x"), "latin1")).toBe("1\n2\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// -i: the files themselves, backups, and what happens with several.
const INPLACE: Case[] = [
  f(["in"], "-i", "s/o/0/", "in"), f(["a", "b"], "-i", "1d", "a", "b"), f(["a", "b"], "-i", "$d", "a", "b"),
  f(["in", "in.bak"], "-i.bak", "3,$d", "in"), f(["a", "a~"], "--in-place=~", "s/^/#/", "a"), f(["noeol"], "-i", "s/y/Y/", "noeol"),
  f(["a", "nope"], "-i", "p", "nope", "a"), f(["in"], "-n", "-i", "2p", "in"), f(["a", "w.out"], "-i", "w w.out", "a"),
  { ...f(["in"], "-i", "q", "in"), differs: "BusyBox writes the rest of the file to stdout after q" },
  f(["in"], "-i", "-e", "1i first", "-e", "$a last", "in"), c("-i", "p"), f(["empty"], "-i", "a x", "empty"),
  f(["a", "b"], "-i", "-n", "$p", "a", "b"), f(["in"], "-i", "2r r.txt", "in"),
  c("-i", "p", ""),
];

describe("sed -i against busybox", () => differential(["sed"], INPLACE, FIXTURE));

describe("sed -i details", () => {
  it("keeps the file's mode and replaces it by rename", () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, "x");
      fs.writeFileSync(file, "a\n");
      fs.chmodSync(file, 0o640);
      const before = fs.statSync(file).ino;
      const r = run(PIKA, ["sed", "-i", "s/a/b/", file]);
      expect(r.status).toBe(0);
      expect(fs.readFileSync(file, "latin1")).toBe("b\n");
      const st = fs.statSync(file);
      expect(st.mode & 0o7777).toBe(0o640);
      expect(st.ino).not.toBe(before);
      expect(fs.readdirSync(dir)).toEqual(["x"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("leaves the file and no temporary behind when the script fails", () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, "x");
      fs.writeFileSync(file, "a\n");
      for (const script of ["s/a/b/;w /nonexistent/dir/out", "s/a/b", "1r"]) {
        const r = run(PIKA, ["sed", "-i", script, "x"], { cwd: dir });
        expect(r.status, script).not.toBe(0);
        expect(r.stderr, script).toMatch(/^sed: /);
        expect(fs.readFileSync(file, "latin1")).toBe("a\n");
        expect(fs.readdirSync(dir)).toEqual(["x"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------
// Fuzz (PIKA_FUZZ_RUNS and PIKA_FUZZ_SEED make a longer or different run): generated and mutated scripts.

const FUZZ_RUNS = Number(process.env.PIKA_FUZZ_RUNS ?? 150);

const SED_PIECES = [
  "s/o/0/", "s/\\(.\\)\\(.\\)/\\2\\1/g", "s/x*/-/g", "y/abc/xyz/", "p", "P", "d", "D", "n", "N", "g", "G", "h", "H", "x", "=", "l",
  "q", "Q", "b", "t", "T", ":a", "ba", "ta", "{", "}", "!", "$", "1", "2,3", "/o/", "/t/,/e/", "0~2", "1~3", "a foo", "i bar",
  "c baz", "a\\", "r r.txt", "w wout", ";", "\n", "s/[a-z]*/&&/", "s/^/>/", "s/$/</", "/^$/d", "$!N", "s/\\n/ /", "0,/x/",
  "+1", "~2", "s/a/b/w", "y/a/", "s/[/x/", "\\,a,p", "s/e/E/2g", "#", "l 5", "q 3", "e", "z", "F", "v", "W wout", "R r.txt",
];
const SED_CHARS = "spdDnNgGhHxqQbtTaicy=l{}!;$,/\\[]()*.+?^&0123456789 \n:~#";

function sedScript(r: () => number): string {
  if (r() < 0.6) {
    let out = "";
    for (let n = 1 + Math.floor(r() * 6); n > 0; n--) out += pick(r, SED_PIECES) + (r() < 0.5 ? ";" : "");
    return out;
  }
  return mutate(r, pick(r, SED_PIECES) + pick(r, SED_PIECES), SED_CHARS, 1 + Math.floor(r() * 4));
}

describe("sed script fuzz", () => {
  it("ends every generated script with output or a message", async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, "r.txt"), "r\n");
      const r = rng(Number(process.env.PIKA_FUZZ_SEED ?? 20240611));
      const programs = Array.from({ length: FUZZ_RUNS }, () => ["-n", "-e", sedScript(r)]);
      // q N and Q N exit with N and no message.
      const bad = await fuzzRuns("sed", programs, "one\ntwo\n\nthree xyz\nabc\n", dir, (args) => /[qQ]/.test(args[2]));
      expect(bad).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, Math.max(120_000, FUZZ_RUNS * 500));
});
