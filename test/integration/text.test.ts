// The text applets (printf sort uniq tee paste nl fold expand unexpand rev
// tac seq shuf yes dos2unix unix2dos) against busybox-static, and comm,
// join, split (which Debian's busybox lacks) against GNU coreutils: same
// stdout, status and first stderr line. Where we follow POSIX rather than
// BusyBox, or where output is random (shuf), our behaviour is tested directly.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { BUSYBOX, linkDir, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = [
  "printf", "sort", "uniq", "tee", "paste", "nl", "fold", "expand", "unexpand", "rev", "tac", "seq", "shuf", "yes",
  "dos2unix", "unix2dos",
];

const SORT_INPUT =
  "xa bz\nxb ay\nxc bx\nB b\na A\n 10\n9\n-1\n1e1\n0x10\ninf\n-inf\nabc\nFeb\njan\n MAR\nxyz\nDecember\n" +
  "a1.10\na1.9\na1.1\nb:2:x\na:3:y\nc:1:z\n\n  lead\n\x01ctl\nzeta  2\nalpha 10\nbeta 3\nalpha 2\n";

const FIXTURE: Record<string, string> = {
  "a.txt": "alpha\nbeta\ngamma\n",
  "b.txt": "one\ntwo\n",
  "noeol.txt": "first\nlast",
  "empty": "",
  "mix.txt": SORT_INPUT,
  "nums.txt": "10\n2\n-3.5\n2\n007\n1e3\n0x1A\n +4\nabc\n\n",
  "human.txt": "1K\n2M\n512\n1G\n3k\n",
  "fields.txt": "root:x:0:0:root\nbin:x:1:1:bin\ndaemon:x:2:2:daemon\nuser:x:1000:1000:User\nadm:x:3:4:adm\n",
  "u.txt": "a\na\nb\nB\nb\n  x 1\n  y 1\nc\nc",
  "p1": "1\n2\n3\n",
  "p2": "a\nb\nc\n",
  "p3": "x\ny\n",
  "n1": "a\n\nb\n  \nc",
  "f1": "abcdefghij klmnop qrstuvwxyz\n\tab\tcd\nshort\n" + "word ".repeat(30) + "\n",
  "e1": "a\tb\tc\n\t  x\ty\n        eight\n  \t two\nab  cd    ef\n",
  "crlf.txt": "a\r\nb\rc\nd\n",
  "lf.txt": "one\ntwo\n",
  "j1": "a 1\nb 2\nb 3\nd 4\n",
  "j2": "a x\nb y\nc z\nd w\nd v\n",
  "jt1": "1:alice:admin\n2:bob:user\n4:dan:guest\n",
  "jt2": "1:London\n3:Paris\n4:Rome\n",
  "c1": "apple\nbanana\ncherry\ndate\n",
  "c2": "banana\ncherry\negg\nfig\n",
  "lines25": Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join("\n") + "\n",
  "dir/.keep": "",
};

const c = (applet: string, args: string[], extra: Partial<Case> = {}): Case => ({ applet, args, ...extra });

const PRINTF: Case[] = [
  c("printf", ["%s-%s\\n", "a", "b", "c", "d"]),
  c("printf", ["%d %i %o %u %x %X\\n", "42", "-7", "8", "3", "255", "255"]),
  c("printf", ["%-+5d|%+-5d|% d|%#x|%#o|%05d|%-05d|\\n", "3", "3", "3", "255", "8", "42", "42"]),
  c("printf", ["%5s|%.2s|%-4s|%*d|%.*f|\\n", "ab", "abc", "x", "5", "3", "2", "3.14159"]),
  c("printf", ["%f %e %g %G %E\\n", "3.14159", "1000", "0.0001", "1e20", "0"]),
  c("printf", ["%.0f %.0f %.0f %.1f %.2f\\n", "0.5", "1.5", "2.5", "0.25", "1.005"]),
  c("printf", ["%10.3e|%-10.2f|%+f|%08.2f\\n", "-12345.678", "3.14159", "1", "-3.14159"]),
  c("printf", ["%g %g %g %g %#g\\n", "100000", "1e6", "123456789", "1e-5", "1"]),
  c("printf", ["%d %d %d %d %d\\n", "'A", "010", "0x1F", "+5", " -3"]),
  c("printf", ["%u %x\\n", "-1", "-1"]),
  c("printf", ["%c|%c|\\n", "hello", "x"]),
  c("printf", ["%b|\\n", "a\\tb\\0101\\x41"]),
  c("printf", ["%b\\n", "stop\\chere", "never"]),
  c("printf", ["before\\cafter"]),
  c("printf", ["\\x41\\101\\0101\\q\\\\\\n"]),
  c("printf", ["%%|%s\\n", "x"]),
  c("printf", ["%ld %hhd %zu %Lf\\n", "1", "2", "3", "4"]),
  c("printf", ["no args\\n"]),
  c("printf", ["--", "-%s-\\n", "x"]),
  c("printf", ["%s=%s\\n", "k1", "v1", "k2", "v2"]),
  c("printf", ["%d\\n", "x"], { name: "printf: invalid number" }),
  c("printf", ["%d|%d\\n", "12abc", "5"]),
  c("printf", ["%d\\n", "99999999999999999999"]),
  c("printf", ["%f|%f\\n", "x", "1e400"]),
  c("printf", ["%i\\n", "0x"]),
  c("printf", ["%q\\n", "a"], { name: "printf: invalid format" }),
  c("printf", ["x%"]),
  c("printf", ["%5%|\\n"]),
  c("printf", ["%*d|\\n", "x", "5"]),
  c("printf", [], { name: "printf with no format" }),
  c("printf", ["%s\\n", "héllo wörld"]),
  c("printf", ["%c|%5c|%-3c|\\n", "", "é", "z"]),
  c("printf", ["%d %x\\n", "'é", "\"A"]),
  c("printf", ["%s|%10.4s|\\n", "abc\\n", "abcdefgh"]),
  c("printf", ["%#o %#X %+.3d % 05d\\n", "0", "255", "7", "42"]),
  c("printf", ["%.3e %.0e %e\\n", "9.9995", "5e-324", "-0"]),
];

const SORT: Case[] = [
  ...["", "-r", "-n", "-u", "-f", "-g", "-M", "-V", "-d", "-i", "-b", "-fu", "-nr", "-z", "-s", "-ru"].map((o) =>
    c("sort", o ? [o, "mix.txt"] : ["mix.txt"]),
  ),
  ...[["-k2"], ["-k2,2"], ["-k1.3"], ["-k1.2,1.2"], ["-t:", "-k2"], ["-t:", "-k2n"], ["-t:", "-k3,3nr"], ["-b", "-k2"], ["-k2b"],
    ["-k2,2b", "-t:"], ["-k1,1", "-k2n"], ["-rk2"], ["-s", "-k1,1"], ["-s", "-r", "-k1.1,1.1"], ["-k2n,2", "-k1,1r"], ["-k1,1f"],
    ["-k2V"], ["-kx"], ["-k0"], ["-k2.0"], ["-k2c"], ["-k2,3,4"]].map((o) => c("sort", [...o, "mix.txt"])),
  c("sort", ["-t:", "-k3,3n", "fields.txt"]),
  c("sort", ["-t:", "-k3n", "-k1", "fields.txt"]),
  c("sort", ["-t", "ab", "mix.txt"]),
  c("sort", ["-n", "nums.txt"]),
  c("sort", ["-g", "nums.txt"]),
  c("sort", ["-un", "nums.txt"]),
  c("sort", ["a.txt", "noeol.txt", "b.txt"]),
  c("sort", ["-"], { stdin: "pear\napple\nfig\n" }),
  c("sort", [], { stdin: "b\0a\nc\n", name: "sort: NUL ends a line" }),
  c("sort", ["-z"], { stdin: "b\nx\0a\0c" }),
  c("sort", ["-c", "a.txt"]),
  c("sort", ["-c", "mix.txt"]),
  c("sort", ["-cu", "nums.txt"]),
  c("sort", ["-c"], { stdin: "a\nb\nb\n" }),
  c("sort", ["-cu"], { stdin: "a\nb\nb\n" }),
  c("sort", ["-o", "out.txt", "mix.txt"], { files: ["out.txt", "mix.txt"] }),
  c("sort", ["-o", "mix.txt", "mix.txt"], { name: "sort -o onto its input", files: ["mix.txt"] }),
  c("sort", ["-r", "-o", "a.txt", "b.txt", "a.txt"], { files: ["a.txt"] }),
  c("sort", ["-o", "nodir/out", "a.txt"]),
  c("sort", ["-m", "-S", "1M", "-T", "/tmp", "a.txt", "b.txt"]),
  c("sort", ["nofile"]),
  c("sort", ["a.txt", "nofile"]),
  c("sort", ["dir"]),
  c("sort", ["-Q"]),
  c("sort", ["empty"]),
  c("sort", ["-su", "-k2,2"], { stdin: "b 1\na 1\n", differs: "POSIX: -u keeps one line per key; BusyBox 1.35 keeps all with -s" }),
];

const UNIQ: Case[] = [
  ...[[], ["-c"], ["-d"], ["-u"], ["-i"], ["-f1"], ["-s3"], ["-w1", "-c"], ["-z"], ["-cd"], ["-du"], ["-ic"], ["-f", "1", "-s", "1"]].map(
    (o) => c("uniq", [...o, "u.txt"]),
  ),
  c("uniq", [], { stdin: "x\nx\ny\n" }),
  c("uniq", ["-", "out.txt"], { stdin: "x\nx\ny\n", files: ["out.txt"] }),
  c("uniq", ["u.txt", "u.txt"], { name: "uniq onto its input", files: ["u.txt"], differs: "BusyBox truncates OUTFILE first and loses the input" }),
  c("uniq", ["nofile"]),
  c("uniq", ["a.txt", "b.txt", "c.txt"]),
  c("uniq", ["-f", "x", "u.txt"]),
  c("uniq", ["-x"]),
  c("uniq", ["u.txt", "nodir/out"]),
];

const TEE: Case[] = [
  c("tee", ["t1.txt", "t2.txt"], { stdin: "hello\nworld\n", files: ["t1.txt", "t2.txt"] }),
  c("tee", ["-a", "a.txt"], { stdin: "more\n", files: ["a.txt"] }),
  c("tee", ["-"], { stdin: "twice\n" }),
  c("tee", ["-i"], { stdin: "plain\n" }),
  c("tee", ["t1.txt", "nodir/x", "t2.txt"], { stdin: "partial\n", files: ["t1.txt", "t2.txt"] }),
  c("tee", ["dir"], { stdin: "x\n" }),
  c("tee", ["-z"], { stdin: "x\n" }),
];

const PASTE: Case[] = [
  c("paste", ["p1", "p2"]),
  c("paste", ["-d", ":,", "p1", "p2", "p2"]),
  c("paste", ["-s", "p1", "p2"]),
  c("paste", ["-s", "-d", "\\n\\t", "p1", "p2"]),
  c("paste", ["-d", "\\0", "p1", "p2"]),
  c("paste", ["-sd:", "p1"]),
  c("paste", ["-", "p1", "-"], { stdin: "q\nw\ne\nr\nt\ny\n" }),
  c("paste", ["-d", "", "p1", "p2"]),
  c("paste", ["p1", "nofile", "p2"]),
  c("paste", ["-x"]),
  c("paste", ["p1", "p3"], { differs: "POSIX: a file that ends early gives empty columns (BusyBox 1.35 drops lines)" }),
];

const NL: Case[] = [
  ...[[], ["-ba"], ["-bn"], ["-bt"], ["-bx"], ["-i2", "-v10", "-w3", "-s:"], ["-w", "0"], ["-v", "0", "-i", "0"], ["-s", " | "]].map((o) =>
    c("nl", [...o, "n1"]),
  ),
  c("nl", ["n1", "nofile", "n1"]),
  c("nl", ["-w", "x", "n1"]),
  c("nl", ["-v", "-3", "n1"]),
  c("nl", [], { stdin: "a\0b\nc\n" }),
];

const FOLD: Case[] = [
  ...[["-w", "8"], ["-s", "-w", "8"], ["-b", "-w", "4"], [], ["-w10", "-s"], ["-w", "1"]].map((o) => c("fold", [...o, "f1"])),
  c("fold", ["-w", "3"], { stdin: "ab\bcd\ref\nxyz" }),
  c("fold", ["-w", "0", "f1"]),
  c("fold", ["-w", "x", "f1"]),
  c("fold", ["f1", "nofile"]),
];

const EXPAND: Case[] = [
  ...[[], ["-t4"], ["-i"], ["-t", "1"], ["-t", "4,8"], ["-t0"]].map((o) => c("expand", [...o, "e1"])),
  c("expand", ["nofile", "e1"]),
  c("expand", [], { stdin: "x\ty\tz" }),
  ...[["-a"], ["-t4"], ["-a", "-t", "2"]].map((o) => c("unexpand", [...o, "e1"])),
  c("unexpand", ["-f", "-t4", "e1"], { differs: "POSIX: -f converts only leading blanks" }),
  c("unexpand", ["e1"], { differs: "POSIX: without -a only leading blanks are converted" }),
  c("unexpand", [], { stdin: "        x\n    \ty\n" }),
  c("unexpand", ["nofile"]),
  c("unexpand", ["-t", "x", "e1"]),
];

const REV_TAC: Case[] = [
  c("rev", ["a.txt", "noeol.txt"]),
  c("rev", [], { stdin: "abc\n\nxyz" }),
  c("rev", ["nofile", "a.txt"]),
  c("tac", ["a.txt"]),
  c("tac", ["noeol.txt", "a.txt"]),
  c("tac", [], { stdin: "1\n2\n3\n" }),
  c("tac", [], { stdin: "a\nb\nc" }),
  c("tac", ["nofile", "a.txt"]),
  c("tac", ["empty", "lines25"]),
  c("tac", [], { stdin: "a\0b\nc\n" }),
];

const SEQ: Case[] = [
  ...[["3"], ["2", "5"], ["1", "0.5", "3"], ["-w", "8", "11"], ["-w", "1", "0.5", "10"], ["-s,", "1", "5"], ["-s", ", ", "3"],
    ["5", "1"], ["5", "-1", "1"], ["1.5", "3"], ["0.1", "0.1", "0.5"], ["1e2", "1e2", "3e2"], ["10", "-3", "0"], ["-w", "1.0", "3"],
    ["-s:", "-w", "1", "0.25", "2"], ["1", "1", ""], ["x"], [], ["1", "2", "3", "4"], ["-x"], ["0"], ["1", "-0.5", "0"], [" 2", "3"]].map((a) =>
    c("seq", a),
  ),
];

const SHUF: Case[] = [
  c("shuf", ["-e"]),
  c("shuf", ["-i", "1-1"]),
  c("shuf", ["-e", "only"]),
  c("shuf", ["-n", "0", "p1"]),
  c("shuf", ["-n", "1", "-e", "a"]),
  c("shuf", ["-z", "-e", "a"]),
  c("shuf", ["-i", "5-3"]),
  c("shuf", ["-i", "x"]),
  c("shuf", ["-i", "1-2-3"]),
  c("shuf", ["nofile"]),
  c("shuf", ["-e", "a", "-i", "1-2"]),
  c("shuf", ["-n", "x", "p1"]),
  c("shuf", ["p1", "p2"]),
  c("shuf", ["-i", "3-3", "extra"]),
  c("shuf", ["-i", "7-7", "-o", "out.txt"], { files: ["out.txt"] }),
];

const DOS: Case[] = [
  c("dos2unix", [], { stdin: "a\r\nb\rc\nd\n" }),
  c("unix2dos", [], { stdin: "a\r\nb\rc\nd\n" }),
  c("dos2unix", ["crlf.txt"], { files: ["crlf.txt"] }),
  c("unix2dos", ["lf.txt"], { files: ["lf.txt"] }),
  c("dos2unix", ["-d", "lf.txt"], { files: ["lf.txt"] }),
  c("unix2dos", ["-u", "crlf.txt"], { files: ["crlf.txt"] }),
  c("dos2unix", ["crlf.txt", "lf.txt"], { files: ["crlf.txt", "lf.txt"] }),
  c("dos2unix", ["nofile"]),
  c("dos2unix", ["-x"]),
  c("dos2unix", ["-u", "-d", "lf.txt"]),
];

describe("text applets against busybox", () => {
  differential(APPLETS, [...PRINTF, ...SORT, ...UNIQ, ...TEE, ...PASTE, ...NL, ...FOLD, ...EXPAND, ...REV_TAC, ...SEQ, ...SHUF, ...DOS], FIXTURE);
});

// Debian's busybox has no comm, join or split: GNU coreutils is the reference.
describe("comm against GNU coreutils", () => {
  differential(
    ["comm"],
    [
      c("comm", ["c1", "c2"]),
      c("comm", ["-1", "c1", "c2"]),
      c("comm", ["-2", "c1", "c2"]),
      c("comm", ["-3", "c1", "c2"]),
      c("comm", ["-12", "c1", "c2"]),
      c("comm", ["-123", "c1", "c2"]),
      c("comm", ["-", "c2"], { stdin: "banana\nzoo\n" }),
      c("comm", ["c1", "empty"]),
      c("comm", ["c1", "nofile"]),
      c("comm", ["c1"], { differs: "usage text" }),
    ],
    FIXTURE,
    "/usr/bin/comm",
  );
});

describe("join against GNU coreutils", () => {
  differential(
    ["join"],
    [
      c("join", ["j1", "j2"]),
      c("join", ["-a1", "j1", "j2"]),
      c("join", ["-a2", "j1", "j2"]),
      c("join", ["-a1", "-a2", "j1", "j2"]),
      c("join", ["-v1", "j1", "j2"]),
      c("join", ["-v2", "j1", "j2"]),
      c("join", ["-t:", "jt1", "jt2"]),
      c("join", ["-t:", "-o", "1.2,2.2", "jt1", "jt2"]),
      c("join", ["-t:", "-a1", "-e", "NONE", "-o", "0,1.2,2.2", "jt1", "jt2"]),
      c("join", ["-t:", "-v1", "-v2", "jt1", "jt2"]),
      c("join", ["-1", "2", "-2", "1", "-t:", "jt2", "jt2"]),
      c("join", ["-j", "1", "j1", "j1"]),
      c("join", ["-", "j2"], { stdin: "b q\nd r\n" }),
      c("join", ["-i"], { stdin: "", differs: "usage text" }),
      c("join", ["j1", "nofile"]),
    ],
    FIXTURE,
    "/usr/bin/join",
  );
});

describe("split against GNU coreutils", () => {
  const out = ["xaa", "xab", "xac", "xad", "x00", "x01", "x02", "pre_aa", "pre_ab", "xaaa", "xaab"];
  differential(
    ["split"],
    [
      c("split", ["-l", "10", "lines25"], { files: out }),
      c("split", ["-l", "10", "-d", "lines25"], { files: out }),
      c("split", ["-b", "100", "lines25", "pre_"], { files: out }),
      c("split", ["-l", "20", "-a", "3", "lines25"], { files: out }),
      c("split", ["-b", "1k", "lines25"], { files: out }),
      c("split", ["-l", "2"], { stdin: "1\n2\n3\n4\n5", files: out }),
      c("split", ["empty"], { files: out }),
      c("split", ["-l", "1", "-a", "1", "-d", "lines25"], { files: out, differs: "GNU words 'output file suffixes exhausted' its own way" }),
      c("split", ["nofile"], { differs: "GNU words 'cannot open' its own way; ours is BusyBox's" }),
      c("split", ["-l", "x", "lines25"], { differs: "GNU words 'invalid number of lines' its own way" }),
    ],
    FIXTURE,
    "/usr/bin/split",
  );
});

// Our behaviour where it deliberately differs from busybox 1.35, or is random.
describe("text applets: our own behaviour", () => {
  let links = "";
  let dir = "";
  beforeAll(() => {
    links = linkDir(PIKA, [...APPLETS, "comm", "join", "split"]);
    dir = tempDir();
    for (const [p, data] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), data);
    }
  });
  afterAll(() => {
    fs.rmSync(links, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const pika = (applet: string, args: string[], input?: string) => run(path.join(links, applet), args, { cwd: dir, input });

  it("printf: a conversion without an argument gets zero or empty, silently (POSIX)", () => {
    expect(pika("printf", ["%d %d|%s|%f\\n", "1", "2", "3"])).toEqual({ stdout: "1 2|3|0.000000\n", stderr: "", status: 0 });
    expect(pika("printf", ["%s=%d\\n", "a", "1", "b"])).toEqual({ stdout: "a=1\nb=0\n", stderr: "", status: 0 });
  });

  it("sort -k N,M.C counts C from the start of field M (POSIX)", () => {
    const r = pika("sort", ["-k2,2.2"], "xa bz\nxb ay\nxc bx\n");
    expect(r.stdout).toBe("xb ay\nxa bz\nxc bx\n");
    expect(pika("sort", ["-t:", "-k2.2,2.3"], "a:xzb\nb:ya\nc:zb\n").stdout).toBe("b:ya\nc:zb\na:xzb\n");
  });

  it("sort -s -u keeps the first line of each key (POSIX)", () => {
    expect(pika("sort", ["-su", "-k2,2"], "b 1\na 1\nc 0\n").stdout).toBe("c 0\nb 1\n");
  });

  it("sort -h orders human-readable sizes", () => {
    expect(pika("sort", ["-h", "human.txt"]).stdout).toBe("512\n1K\n3k\n2M\n1G\n");
  });

  it("sort spills runs to temporary files past -S and merges them", () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${(i * 7919) % 10007} line ${i}`);
    const input = lines.join("\n") + "\n";
    const tmp = tempDir("pika-sort-tmp-");
    try {
      for (const opts of [[], ["-n"], ["-u", "-k1,1n"], ["-r"], ["-s", "-k1,1n"]]) {
        const big = pika("sort", ["-S", "16k", "-T", tmp, ...opts], input);
        const small = pika("sort", opts, input);
        expect(big.status).toBe(0);
        expect(big.stdout).toBe(small.stdout);
        const bb = run(BUSYBOX, ["sort", ...opts], { input });
        expect(big.stdout).toBe(bb.stdout);
      }
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("sort -o keeps the output file's mode", () => {
    const f = path.join(dir, "mode.txt");
    fs.writeFileSync(f, "b\na\n");
    fs.chmodSync(f, 0o640);
    expect(pika("sort", ["-o", "mode.txt", "mode.txt"]).status).toBe(0);
    expect(fs.readFileSync(f, "utf8")).toBe("a\nb\n");
    expect(fs.statSync(f).mode & 0o777).toBe(0o640);
  });

  it("paste gives empty columns for a file that ends early (POSIX)", () => {
    expect(pika("paste", ["p1", "p3"]).stdout).toBe("1\tx\n2\ty\n3\t\n");
    expect(pika("paste", ["-d:", "p3", "p1"]).stdout).toBe("x:1\ny:2\n:3\n");
  });

  it("unexpand without -a converts only leading blanks (POSIX)", () => {
    expect(pika("unexpand", [], "abcdefg  x\n        y  z\n").stdout).toBe("abcdefg  x\n\ty  z\n");
    expect(pika("unexpand", ["-a"], "abcdefg x\nabcdefg  x\n").stdout).toBe("abcdefg x\nabcdefg\t x\n");
    expect(pika("unexpand", ["-f", "-t4"], "ab  cd\n    x\n").stdout).toBe("ab  cd\n\tx\n");
  });

  it("seq takes negative operands and -f FORMAT", () => {
    expect(pika("seq", ["-1", "1"]).stdout).toBe("-1\n0\n1\n");
    expect(pika("seq", ["-s", ":", "-2", "0"]).stdout).toBe("-2:-1:0\n");
    expect(pika("seq", ["-f", "n=%03.1f%%", "1", "0.5", "2"]).stdout).toBe("n=1.0%\nn=1.5%\nn=2.0%\n");
    expect(pika("seq", ["-f", "%g", "1e6", "1e6"]).stdout).toBe("1e+06\n");
    const bad = pika("seq", ["-f", "%d", "1"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^seq: invalid format string/);
  });

  it("shuf permutes all lines, -n picks distinct ones, -o writes a file", () => {
    const all = pika("shuf", ["lines25"]);
    expect(all.stdout.split("\n").slice(0, -1).sort()).toEqual(FIXTURE.lines25.split("\n").slice(0, -1).sort());
    const some = pika("shuf", ["-n", "5", "-i", "1-1000000000"]).stdout.split("\n").slice(0, -1);
    expect(some.length).toBe(5);
    expect(new Set(some).size).toBe(5);
    for (const s of some) expect(Number(s)).toBeGreaterThanOrEqual(1);
    expect(pika("shuf", ["-z", "-e", "a", "b"]).stdout.split("\0").sort()).toEqual(["", "a", "b"]);
    expect(pika("shuf", ["-o", "lines25", "lines25"]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "lines25"), "utf8").split("\n").sort()).toEqual(FIXTURE.lines25.split("\n").sort());
  });

  it("yes repeats its line and stops quietly when the reader goes", () => {
    const r = spawnSync("sh", ["-c", `'${links}/yes' a b | head -n 3; '${links}/yes' | head -c 100000 | wc -l`], { encoding: "utf8" });
    expect(r.stdout).toBe("a b\na b\na b\n50000\n");
    expect(r.stderr).toBe("");
  });

  it("tee passes input on as it arrives", () => {
    const r = spawnSync("sh", ["-c", `(echo one; sleep 1; echo two) | '${links}/tee' | (read l; echo "got $l"; cat)`], { encoding: "utf8" });
    expect(r.stdout).toBe("got one\ntwo\n");
  });

  it("tac reads a large file backwards", () => {
    const lines = Array.from({ length: 300000 }, (_, i) => `row ${i}`);
    fs.writeFileSync(path.join(dir, "big.txt"), lines.join("\n") + "\n");
    const r = spawnSync(path.join(links, "tac"), ["big.txt"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.stdout).toBe(lines.reverse().join("\n") + "\n");
  });
});
