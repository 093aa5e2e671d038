// stat, df, du, dd, find, xargs, which, sync against busybox-static.
//
// Two kinds of tables:
// - differential(): each case in a fresh copy of a fixture (cases that write,
//   read stdin, or fail before looking at files);
// - sameTree(): both tools on ONE fixture, read-only. stat prints inode numbers
//   and change times, and find and du print entries in the kernel's readdir
//   order (BusyBox does not sort, neither do we): those are only comparable on
//   the very same files. Cases marked `sorted` compare sorted output as well.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differential, stderrShape, type Case } from "../helpers/differential.ts";
import { BUSYBOX, havePika, linkDir, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = ["stat", "df", "du", "dd", "find", "xargs", "which", "sync", "echo"];
const T = new Date("2024-03-04T05:06:07Z");

/** A tree with every file type, odd permissions, hard and symbolic links, sizes, holes and fixed times. */
function makeTree(d: string): void {
  const w = (p: string, data: string | Buffer, mode?: number) => {
    fs.mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    fs.writeFileSync(path.join(d, p), data);
    if (mode !== undefined) fs.chmodSync(path.join(d, p), mode);
  };
  w("a.txt", "alpha\n", 0o4711);
  w("dir/b.TXT", "bravo bravo\n", 0o755);
  w("dir/sub/big", Buffer.alloc(3000, 1));
  w("dir/sub/deep/.hidden", "");
  w("empty", "");
  w("name with space", "x");
  w("data/f1", Buffer.alloc(100000, 7));
  w("data/f2", Buffer.alloc(5000, 3));
  fs.mkdirSync(path.join(d, "emptydir"));
  fs.linkSync(path.join(d, "a.txt"), path.join(d, "hard"));
  fs.linkSync(path.join(d, "data/f1"), path.join(d, "data/f1.link"));
  fs.symlinkSync("a.txt", path.join(d, "sl"));
  fs.symlinkSync("nowhere", path.join(d, "dangling"));
  fs.symlinkSync("dir", path.join(d, "dl"));
  // Reading a link sets its atime unless that is newer than its ctime (relatime):
  // a later atime keeps stat's readlink from changing it between the two runs.
  const later = new Date(Date.now() + 3600e3);
  for (const l of ["sl", "dangling", "dl"]) fs.lutimesSync(path.join(d, l), later, T);
  const fd = fs.openSync(path.join(d, "sparse"), "w");
  fs.ftruncateSync(fd, 4 * 1024 * 1024);
  fs.writeSync(fd, "end", 4 * 1024 * 1024 - 3);
  fs.closeSync(fd);
  run("/usr/bin/mkfifo", [path.join(d, "fifo")]);
  fs.writeFileSync(path.join(d, "in.txt"), "hello world, this is dd input\n");
  fs.writeFileSync(path.join(d, "rnd"), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) & 255)));
  for (const p of ["a.txt", "dir/b.TXT", "dir/sub/big", "dir/sub/deep/.hidden", "empty", "name with space", "data/f1", "data/f2", "sparse", "in.txt", "rnd"]) {
    fs.utimesSync(path.join(d, p), T, T);
  }
  const recent = new Date(Date.now() - 2 * 3600e3);
  fs.writeFileSync(path.join(d, "recent"), "r");
  fs.utimesSync(path.join(d, "recent"), recent, recent);
}

interface TreeCase {
  applet: string;
  args: string[];
  /** Compare sorted lines of stdout (order-independent). */
  sorted?: boolean;
  fullStderr?: boolean;
  stdin?: string;
}

/** Both tools on one shared, read-only tree. */
function sameTree(cases: TreeCase[]): void {
  let dir = "";
  let p = "";
  let b = "";
  beforeAll(() => {
    dir = tempDir("pika-fsinfo-");
    makeTree(dir);
    p = linkDir(PIKA, APPLETS);
    b = linkDir(BUSYBOX, APPLETS);
  });
  afterAll(() => {
    for (const d of [dir, p, b]) fs.rmSync(d, { recursive: true, force: true });
  });
  for (const c of cases) {
    it(`${c.applet} ${c.args.join(" ")}${c.sorted ? " (sorted)" : ""}`, () => {
      const ours = run(path.join(p, c.applet), c.args, { cwd: dir, input: c.stdin });
      const theirs = run(path.join(b, c.applet), c.args, { cwd: dir, input: c.stdin });
      expect(ours.status, "exit status").toBe(theirs.status);
      const norm = (s: string) => (c.sorted ? s.split("\n").sort().join("\n") : s);
      expect(norm(ours.stdout), "stdout").toBe(norm(theirs.stdout));
      expect(stderrShape(ours.stderr, p, c.fullStderr), "stderr").toBe(stderrShape(theirs.stderr, b, c.fullStderr));
    });
  }
}

const tc = (applet: string, ...args: string[]): TreeCase => ({ applet, args });

describe.runIf(havePika())("stat", () => {
  sameTree([
    tc("stat", "a.txt"),
    tc("stat", "dir", "empty", "sl", "dangling", "fifo", "sparse"),
    tc("stat", "-L", "sl"),
    tc("stat", "-L", "dangling", "a.txt"),
    tc("stat", "/dev/null"),
    tc("stat", "-t", "a.txt", "dir", "sl"),
    tc("stat", "-c", "%n|%N|%s|%b|%B|%o|%a|%A|%f|%F|%h|%u|%U|%g|%G|%i|%d|%D|%t|%T|%X|%Y|%Z|%x|%y|%z", "a.txt", "sl", "/dev/null"),
    tc("stat", "-c", "[%-10s][%10s][%010s][%-8n][%.3n][%#o][%#x][%+d]", "a.txt"),
    tc("stat", "-c", "%%%q%", "a.txt"),
    tc("stat", "-c", "no directive", "a.txt"),
    tc("stat", "-c", "%N", "-L", "sl"),
    // Free space on / moves while the suite runs: full reports only for /proc and /sys.
    tc("stat", "-f", "/proc"),
    tc("stat", "-f", "-t", "/sys", "/proc"),
    tc("stat", "-f", "-c", "%n %i %l %t %T %s %S %b %f %a %c %d %z", "/proc", "/sys"),
    tc("stat", "-f", "-c", "%n %i %l %t %T %s %S %b %c", "/", "a.txt"),
    tc("stat", "nope", "a.txt"),
    tc("stat", "-f", "nope"),
    tc("stat"),
    tc("stat", "-z", "a.txt"),
    tc("stat", "-c"),
  ]);
});

describe.runIf(havePika())("du", () => {
  sameTree([
    tc("du"),
    tc("du", "-a"),
    tc("du", "-s"),
    tc("du", "-s", "dir", "data", "sl"),
    tc("du", "-c", "dir", "data"),
    tc("du", "-a", "-c"),
    tc("du", "-d", "1"),
    tc("du", "-d", "0", "-a"),
    tc("du", "-s", "-d", "2"),
    tc("du", "-d", "2", "-s"),
    tc("du", "-h", "-a"),
    tc("du", "-m", "-a"),
    tc("du", "-k", "-s", "data"),
    tc("du", "-b", "-a"),
    tc("du", "-b", "-k", "-s"),
    tc("du", "-h", "-k", "-s"),
    tc("du", "-k", "-h", "-s"),
    tc("du", "-l", "-a", "data"),
    tc("du", "-a", "data", "data"),
    tc("du", "-x", "-s"),
    tc("du", "dl"),
    tc("du", "-H", "dl"),
    tc("du", "-L", "-s", "."),
    tc("du", "-L", "dl", "sl"),
    tc("du", "dir/"),
    tc("du", "-s", "sparse", "empty", "fifo"),
    tc("du", "nope", "a.txt"),
    tc("du", "-d", "x"),
    tc("du", "-z"),
  ]);
});

describe.runIf(havePika())("find", () => {
  const f = (...args: string[]) => tc("find", ...args);
  sameTree([
    f(), f("."), f("-print"), f("-print0"), f("dir", "data"), f("nope", "dir"), f("dir/"), f("./dir//"),
    f("-name", "*.txt"), f("-name", "*.TXT"), f("-iname", "*.txt"), f("-name", ".*"), f("-name", "[ab]*"),
    f("dir/", "-name", "dir"), f("-path", "./dir/*"), f("-ipath", "./DIR/*"), f("-wholename", "*sub*"),
    f("-regex", ".*b.TXT"), f("-regex", ".*\\(txt\\|TXT\\)"), f("-regex", "dir"),
    f("-type", "f"), f("-type", "d"), f("-type", "l"), f("-type", "p"), f("-type", "x"), f("-type", "ff"),
    f("-perm", "755"), f("-perm", "-700"), f("-perm", "+111"), f("-perm", "/4000"), f("-perm", "u+x"), f("-perm", "-u=rwx"), f("-perm", "999"),
    f("-size", "0"), f("-size", "-1"), f("-size", "+1"), f("-size", "3000c"), f("-size", "6"), f("-size", "98k"), f("-size", "-2w"), f("-size", "x"),
    f("-mtime", "+30"), f("-mtime", "-1"), f("-mtime", "0"), f("-mmin", "-200"), f("-mmin", "+100"), f("-atime", "+1"),
    f("-ctime", "0"), f("-cmin", "-60"), f("-amin", "+1"), f("-mtime", "x"),
    f("-newer", "a.txt"), f("-newer", "nope"), f("-samefile", "a.txt"), f("-samefile", "nope"), f("-inum", "1"),
    f("-links", "2"), f("-links", "+1"), f("-links", "-2"),
    f("-user", "root"), f("-user", "0"), f("-group", "root"), f("-user", "nosuchuserx"), f("-group", "nosuchgroupx"),
    f("-empty"), f("-empty", "-type", "d"), f("-executable", "-type", "f"),
    f("-maxdepth", "1"), f("-mindepth", "2"), f("-maxdepth", "0"), f("-mindepth", "1", "-maxdepth", "1"), f("-maxdepth", "x"),
    f("-depth"), f("-depth", "-maxdepth", "1"), f("-name", "dir", "-prune", "-o", "-print"), f("-name", "dir", "-prune"),
    f("!", "-name", "*.txt"), f("-not", "-type", "d"), f("!", "!", "-name", "a.txt"),
    f("-type", "f", "-a", "-name", "a*"), f("-type", "f", "-and", "-size", "+0"),
    f("-name", "a*", "-o", "-name", "b*"), f("-name", "a*", "-or", "-type", "d"),
    f("(", "-name", "a*", "-o", "-name", "b*", ")", "-type", "f"), f("(", "-name", "a*"),
    f("!", "(", "-type", "f", "-o", "-type", "d", ")"), f("-type", "d", "(", "-name", "sub", "-prune", ")", "-o", "-print"),
    f("-print", "-print"), f("-type", "d", "-print", "-o", "-print0"),
    f("-L"), f("-L", "-type", "l"), f("-follow", "-type", "d"), f("-H", "dl"), f("dl"), f("-L", "dl"), f("-H", "sl", "-type", "f"),
    f("-HL", "."), f("-P", "."), f("--", "."),
    f("-quit"), f("-name", "b.TXT", "-print", "-quit"),
    f("-xdev"), f("-xdev", "/", "-maxdepth", "1"),
    f("-exec", "echo", "X", "{}", ";"), f("-exec", "echo", "{}", "+"), f("-type", "f", "-exec", "echo", "A{}B", "{}{}", ";"),
    f("-name", "a*", "-exec", "echo", "{}", "+"), f("-exec", "echo", "{}", "{}", "+"), f("-exec"), f("-exec", "echo"),
    f("-exec", "false", ";", "-print"), f("-exec", "nosuchcmd", ";"), f("-name", "a.txt", "-exec", "sh", "-c", "exit 3", ";"),
    f("-name", "zz", "-o", "-exec", "true", "{}", "+"), f("!", "-exec", "false", "{}", "+"),
    f("-type", "f", "-exec", "sh", "-c", "echo $# args", "sh", "{}", "+"),
    f("-name"), f("-type"), f("-foo"), f("-newer"),
    { ...f("-type", "f"), sorted: true },
    { ...f("-L", "-name", "*b*"), sorted: true },
  ]);

  // BusyBox's Debian build has no -delete, -ok, -nouser, -nogroup: these are ours (upstream BusyBox and GNU semantics).
  let links = "";
  beforeAll(() => (links = linkDir(PIKA, ["find"])));
  afterAll(() => fs.rmSync(links, { recursive: true, force: true }));
  const pfind = (cwd: string, args: string[], input?: string) => run(path.join(links, "find"), args, { cwd, input });

  it("-delete removes depth-first and prints nothing", () => {
    const d = tempDir();
    makeTree(d);
    const r = pfind(d, ["dir", "data", "-delete"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(fs.existsSync(path.join(d, "dir"))).toBe(false);
    expect(fs.existsSync(path.join(d, "data"))).toBe(false);
    expect(fs.existsSync(path.join(d, "a.txt"))).toBe(true);
    const dot = pfind(path.join(d, "emptydir"), [".", "-delete"]);
    expect(dot.status).toBe(0); // "." itself is left alone
    fs.rmSync(d, { recursive: true });
  });

  it("-ok asks on stderr and runs on yes", () => {
    const d = tempDir();
    makeTree(d);
    const r = pfind(d, ["dir", "-maxdepth", "1", "-type", "f", "-ok", "echo", "got", "{}", ";"], "y\n");
    expect(r.stderr).toBe("< echo got dir/b.TXT > ? ");
    expect(r.stdout).toBe("got dir/b.TXT\n");
    const no = pfind(d, ["dir", "-maxdepth", "1", "-type", "f", "-ok", "echo", "{}", ";"], "n\n");
    expect(no.stdout).toBe("");
    fs.rmSync(d, { recursive: true });
  });

  it("-nouser and -nogroup match ids without names", () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, "orphan"), "");
    fs.chownSync(path.join(d, "orphan"), 54321, 54321);
    fs.writeFileSync(path.join(d, "owned"), "");
    expect(pfind(d, [".", "-nouser"]).stdout).toBe("./orphan\n");
    expect(pfind(d, [".", "-nogroup"]).stdout).toBe("./orphan\n");
    fs.rmSync(d, { recursive: true });
  });

  it("walks a tree larger than one getdents buffer, byte-exact names included", () => {
    const d = tempDir();
    fs.mkdirSync(path.join(d, "many"));
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(d, "many", `file-with-a-longish-name-${i}`), "");
    fs.writeFileSync(Buffer.from(path.join(d, "many", "latin1-\xe9"), "latin1"), "");
    const ours = run(path.join(links, "find"), ["many"], { cwd: d });
    const theirs = run(BUSYBOX, ["find", "many"], { cwd: d });
    expect(ours.stdout.split("\n").length).toBe(3003);
    expect(ours.stdout).toBe(theirs.stdout);
    fs.rmSync(d, { recursive: true });
  });
});

describe.runIf(havePika())("df", () => {
  // Mounts whose numbers do not move while the test runs.
  sameTree([
    tc("df", "/proc"),
    tc("df", "-P", "/proc", "/sys"),
    tc("df", "-T", "/proc"),
    tc("df", "-PT", "/proc"),
    tc("df", "-i", "/proc"),
    tc("df", "-h", "/proc"),
    tc("df", "-m", "/proc"),
    tc("df", "-k", "/proc"),
    tc("df", "-B", "512", "/proc"),
    tc("df", "-B", "1M", "/proc"),
    tc("df", "-BMB", "/proc"),
    tc("df", "-B", "1536", "/proc"),
    tc("df", "-m", "-k", "/proc"),
    tc("df", "-k", "-m", "/proc"),
    tc("df", "-t", "proc"),
    tc("df", "-t", "sysfs", "-a"),
    tc("df", "-a", "-t", "proc", "-T"),
    tc("df", "/nonexist", "/proc"),
    tc("df", "-B", "0"),
    tc("df", "-B", "x"),
    tc("df", "-z"),
  ]);

  /** Every number column replaced: for mounts whose usage moves (/, /tmp) between the two runs. */
  const shape = (out: string) => out.replace(/ +\d+(\.\d)?[KMGTP]? +\d+(\.\d)?[KMGTP]? +\d+(\.\d)?[KMGTP]? +\d+%/g, " N N N P%");
  for (const args of [[], ["-a"], ["-P"], ["-T"], ["-h"], ["-i"], ["-PT", "/", "/tmp"], ["-x"]]) {
    it(`df ${args.join(" ")} (same mounts, same layout)`, () => {
      const ours = run(PIKA, ["df", ...args]);
      const theirs = run(BUSYBOX, ["df", ...args]);
      expect(ours.status).toBe(theirs.status);
      expect(shape(ours.stdout)).toBe(shape(theirs.stdout));
    });
  }
});

describe.runIf(havePika())("which", () => {
  differential(APPLETS, [
    { applet: "which", args: ["ls"] },
    { applet: "which", args: ["-a", "ls", "sh"] },
    { applet: "which", args: ["ls", "nosuchcommand", "sh"] },
    { applet: "which", args: ["/bin/ls", "./x.sh", "./plain", "dir"] },
    { applet: "which", args: ["x.sh"], env: { PATH: "/usr/bin::/bin" } },
    { applet: "which", args: ["-a", "x.sh", "ls"], env: { PATH: "bin:.:/usr/bin/:/bin" } },
    { applet: "which", args: ["ls"], env: { PATH: "" } },
    { applet: "which", args: [] },
    { applet: "which", args: ["-z", "ls"] },
  ], (d) => {
    fs.writeFileSync(path.join(d, "x.sh"), "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(path.join(d, "plain"), "");
    fs.mkdirSync(path.join(d, "dir"));
    fs.mkdirSync(path.join(d, "bin"));
    fs.writeFileSync(path.join(d, "bin", "x.sh"), "#!/bin/sh\n", { mode: 0o755 });
  });
  it("which without PATH uses BusyBox's default", () => {
    const r = (bin: string) => require("node:child_process").spawnSync(bin, ["which", "ls"], { env: {}, encoding: "utf8" });
    expect(r(PIKA).stdout).toBe(r(BUSYBOX).stdout);
  });
});

describe.runIf(havePika())("sync", () => {
  differential(APPLETS, [
    { applet: "sync", args: [] },
    { applet: "sync", args: ["f"] },
    { applet: "sync", args: ["-d", "f", "dir"] },
    { applet: "sync", args: ["-f", "f"] },
    { applet: "sync", args: ["-d", "-f", "f"] },
    { applet: "sync", args: ["nope", "f"] },
    { applet: "sync", args: ["-z"] },
  ], { f: "data", "dir/": "" });
});

const ddIn = { "in.txt": "hello world, this is dd input\n", "odd.txt": "abc", "out.bin": "0123456789abcdefghij" };
const dd = (...args: string[]): Case => ({ applet: "dd", args, fullStderr: true, files: ["out", "out.bin"] });

describe.runIf(havePika())("dd", () => {
  differential(APPLETS, [
    dd("if=in.txt"), dd("if=in.txt", "bs=4"), dd("if=in.txt", "bs=4", "count=2"), dd("if=in.txt", "ibs=3", "obs=5"),
    dd("if=in.txt", "ibs=7", "obs=2", "count=2"), dd("if=in.txt", "skip=1", "bs=5"), dd("if=in.txt", "conv=swab"),
    dd("if=odd.txt", "conv=swab"), dd("if=in.txt", "conv=sync", "bs=8"), dd("if=in.txt", "conv=notrunc,sync", "bs=7"),
    dd("if=in.txt", "iflag=skip_bytes", "skip=3"), dd("if=in.txt", "iflag=count_bytes", "count=7"),
    dd("if=in.txt", "iflag=fullblock", "bs=1k"), dd("if=in.txt", "bs=1kB", "count=1"), dd("if=in.txt", "bs=2w", "count=3"),
    dd("if=in.txt", "bs=1b"), dd("if=in.txt", "status=none"), dd("if=in.txt", "status=noxfer"),
    dd("if=in.txt", "of=out"), dd("if=in.txt", "of=out.bin", "conv=notrunc"), dd("if=in.txt", "of=out.bin", "seek=2", "bs=3"),
    dd("if=in.txt", "of=out.bin", "seek=2", "bs=3", "conv=notrunc"), dd("if=in.txt", "of=out.bin", "oflag=seek_bytes", "seek=5", "bs=4"),
    dd("if=in.txt", "of=out.bin", "oflag=append"), dd("if=in.txt", "of=out", "conv=fsync"), dd("if=in.txt", "--", "of=out"),
    { ...dd("bs=5"), stdin: "from standard input\n" }, { ...dd("bs=5", "skip=2"), stdin: "from standard input\n" },
    { ...dd("count=1", "bs=3"), stdin: "abcdef" },
    dd("if=nope"), dd("if=in.txt", "of=nodir/out"), { applet: "dd", args: ["foo"] }, { applet: "dd", args: ["bar=1"] }, dd("bs=0"), dd("bs=1x"), dd("count=x"), dd("skip=-1"),
    dd("conv=lcase"), dd("conv=ucase"), dd("status=progress"), dd("iflag=foo"), dd("oflag=sync"), dd("if=."),
  ], ddIn);
});

describe.runIf(havePika())("xargs", () => {
  const x = (stdin: string, ...args: string[]): Case => ({ applet: "xargs", args, stdin, fullStderr: true });
  const words = "a b  c\nd \"e f\" g\\ h 'i j'\n\n  k\n";
  const many = Array.from({ length: 12000 }, (_, i) => String(i)).join("\n") + "\n";
  // -s 100 runs a command per ~20 words: fewer words keep the process count (and time) sane.
  const some = Array.from({ length: 2000 }, (_, i) => String(i)).join("\n") + "\n";
  differential(APPLETS, [
    x(words), x(words, "-n", "2"), x(words, "-n2", "echo", "X"), x(words, "-t"), x(words, "-t", "-n", "3", "echo"),
    x("one\0two words\0\0three", "-0"), x("one\0two words\0three", "-0", "-n1"), x("one\0two", "-0", "-I{}", "echo", "[{}]"),
    x('x "unterminated\n'), x("x 'unterminated\n"), x("trailing\\"),
    x("a b STOP c d\n", "-E", "STOP"), x("a b STOP c d\n", "-eSTOP"), x("a b _ c\n", "-e"), x("a b STOP\n", "-E", ""),
    x(many), x(some, "-s", "100"), x(many, "-n", "1000"), x(many, "-s", "30000"),
    x("  lead\n\nl2 x\n", "-I{}", "echo", "[{}]"), x("  lead\n\nl2 x\n", "-i", "echo", "<{}>"), x("l1\nl2\n", "-IX", "echo", "X", "X"),
    x(""), x("", "-r"), x("", "--no-run-if-empty"), x("", "-I{}", "echo", "{}"), x("   \n\n"),
    x("0".repeat(40000)), x("word", "-s", "3"), x("w", "-s", "0"), x("w", "-n", "0"), x("w", "-n", "x"), x("w", "-P", "x"),
    x("a b", "nosuchcommand"), x("a b", "sh", "-c", "exit 3"), x("a\nb", "-n1", "sh", "-c", "exit 255"), x("a b", "sh", "-c", "kill -9 $$"),
    x("a b", "-x", "echo"), { applet: "xargs", args: ["-z"], stdin: "a b" }, x("a b", "--", "echo"), x("a b", "echo", "-n"), x("a b", "-r", "--", "printf", "%s;"),
    x("w", "-a", "list"), x("w", "-a", "nope"), x("b\na\nc\n", "-n", "1", "-P", "1", "echo"),
  ], { list: "from a file\n" });

  it("-P runs commands in parallel (order may vary)", () => {
    const input = "1 2 3 4 5 6\n";
    const ours = run(PIKA, ["xargs", "-P", "3", "-n", "1", "echo"], { input });
    const theirs = run(BUSYBOX, ["xargs", "-P", "3", "-n", "1", "echo"], { input });
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout.split("\n").sort()).toEqual(theirs.stdout.split("\n").sort());
  });
});

describe.runIf(havePika())("fsinfo errors and options", () => {
  differential(APPLETS, [
    { applet: "stat", args: ["-c", "%s", "f", "nope", "f"] },
    { applet: "du", args: ["f", "nope", "f"] },
    { applet: "df", args: ["nope"] },
    { applet: "find", args: ["f", "nope", "f"] },
    { applet: "find", args: ["-exec", "echo", "{}", "{}", "+"] },
    { applet: "find", args: ["-maxdepth"] },
  ], { f: "x" });
});
