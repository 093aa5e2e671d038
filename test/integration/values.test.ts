// The value and process applets (test [ [[ expr env printenv id groups whoami
// date usleep timeout nice nohup nproc tty factor time) against busybox-static:
// differential tables, and direct tests of what BusyBox lacks (printenv, nice,
// nohup) or where POSIX is followed instead of BusyBox.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { havePika, linkDir, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = [
  "test", "[", "[[", "expr", "env", "printenv", "id", "groups", "whoami", "date", "usleep", "timeout",
  "nice", "nohup", "nproc", "tty", "factor", "time",
];

const OLD = new Date("2020-01-02T03:04:05Z");
const NEW = new Date("2024-06-07T08:09:10Z");

function fixture(d: string): void {
  const w = (p: string, data: string, mode = 0o644) => {
    fs.writeFileSync(path.join(d, p), data);
    fs.chmodSync(path.join(d, p), mode);
  };
  w("empty", "");
  w("data", "some data\n");
  w("exec.sh", "#!/bin/sh\necho script \"$@\"\nexit 3\n", 0o755);
  w("noexec", "x\n");
  w("nomagic", "echo from sh\n", 0o755);
  w("suid", "", 0o4755);
  w("sgid", "", 0o2755);
  fs.mkdirSync(path.join(d, "dir"));
  fs.mkdirSync(path.join(d, "sticky"));
  fs.chmodSync(path.join(d, "sticky"), 0o1777);
  fs.symlinkSync("data", path.join(d, "link"));
  fs.symlinkSync("nowhere", path.join(d, "dangling"));
  fs.linkSync(path.join(d, "data"), path.join(d, "hard"));
  fs.writeFileSync(path.join(d, "old"), "old\n");
  fs.writeFileSync(path.join(d, "new"), "new\n");
  fs.utimesSync(path.join(d, "old"), OLD, OLD);
  fs.utimesSync(path.join(d, "new"), NEW, NEW);
  fs.utimesSync(path.join(d, "data"), OLD, OLD);
}

const t = (args: string[], extra: Partial<Case> = {}): Case => ({ applet: "test", args, ...extra });
const br = (args: string[]): Case => ({ applet: "[", args: [...args, "]"] });
const bb = (args: string[]): Case => ({ applet: "[[", args: [...args, "]]"] });

const TEST_CASES: Case[] = [
  t([]), t([""]), t(["a"]), t(["-n"]), t(["!"]), t(["!", "a"]), t(["!", ""]), t(["!", "!", "a"]),
  t(["a", "=", "a"]), t(["a", "=", "b"]), t(["a", "!=", "b"]), t(["a", "==", "a"]), t(["a", "<", "b"]), t(["b", "<", "a"]), t(["b", ">", "a"]),
  t(["-z", ""]), t(["-z", "x"]), t(["-n", ""]), t(["-n", "x"]), t(["(", "=", "("]), t(["!", "=", "a"]), t(["-n", "=", "-n"]),
  t(["1", "-eq", "1"]), t(["1", "-eq", "01"]), t([" 1", "-eq", "1 "]), t(["-1", "-lt", "0"]), t(["+5", "-eq", "5"]),
  t(["2", "-ne", "3"]), t(["2", "-ge", "3"]), t(["3", "-gt", "2"]), t(["2", "-le", "2"]),
  t(["-9223372036854775808", "-lt", "9223372036854775807"]),
  t(["1", "-eq", "x"]), t(["x", "-eq", "1"]), t(["", "-eq", "0"]), t(["0x1", "-eq", "1"]),
  t(["99999999999999999999", "-gt", "1"]), t(["1", "-gt", "-99999999999999999999"]), t(["9223372036854775808", "-gt", "0"]),
  t(["a", "-a", "b"]), t(["a", "-a", ""]), t(["", "-o", ""]), t(["", "-o", "x"]), t(["-z", "", "-a", "-n", "x", "-o", ""]),
  t(["(", "a", ")"]), t(["(", "(", "a", ")", ")"]), t(["(", "!", "-e", ")"]), t(["!", "(", "a", ")"]),
  t(["(", "a"]), t(["(", ")"]), t([")"]), t(["("]),
  t(["a", "b"]), t(["a", "b", "c"]), t(["a", "-foo", "b"]), t(["1", "-eq", "1", "-a"]), t(["1", "-eq"]), t(["a", "-o"]),
  t(["a", "-o", "b", "c"]), t(["1", "-eq", "1", "-o"]), t(["a", "-a", "!"]), t(["-t"]), t(["-t", "x"]), t(["-t", "0"]), t(["-t", "99"]),
  t(["-e", "data"]), t(["-e", "missing"]), t(["-e", ""]), t(["-f", "data"]), t(["-f", "dir"]), t(["-d", "dir"]), t(["-d", "data"]),
  t(["-s", "data"]), t(["-s", "empty"]), t(["-s", "missing"]), t(["-r", "data"]), t(["-w", "data"]), t(["-x", "exec.sh"]), t(["-x", "data"]),
  t(["-x", "dir"]), t(["-w", "missing"]), t(["-L", "link"]), t(["-h", "link"]), t(["-L", "data"]), t(["-L", "dangling"]), t(["-e", "dangling"]),
  t(["-f", "link"]), t(["-u", "suid"]), t(["-u", "data"]), t(["-g", "sgid"]), t(["-k", "sticky"]), t(["-k", "dir"]), t(["-p", "data"]),
  t(["-c", "/dev/null"]), t(["-b", "/dev/null"]), t(["-S", "data"]), t(["-O", "data"]), t(["-G", "data"]),
  t(["data", "-ef", "hard"]), t(["data", "-ef", "link"]), t(["data", "-ef", "empty"]), t(["data", "-ef", "missing"]),
  t(["new", "-nt", "old"]), t(["old", "-nt", "new"]), t(["old", "-ot", "new"]), t(["new", "-ot", "old"]),
  t(["-d", "dir", "-a", "-f", "data"]), t(["!", "-d", "dir"]), t(["-f", "data", "-o", "-d", "missing"]),
  br(["1", "-eq", "1"]), br([]), br(["a"]), br(["!", "a"]), { applet: "[", args: ["1", "-eq", "1"] }, { applet: "[", args: ["a", "]]"] },
  bb(["1", "-eq", "1"]), { applet: "[[", args: ["1", "-eq", "1"] }, { applet: "[[", args: ["a", "]"] },
  bb(["abc", "==", "a*"]), bb(["abc", "=", "a*"]), bb(["abc", "!=", "a*"]), bb(["abc", "==", "b*"]), bb(["abc", "==", "[a-c]bc"]),
  bb(["a*", "==", "a\\*"]), bb(["ab", "==", "a\\*"]), bb(["abc", "=~", "b"]), bb(["abc", "=~", "^b"]), bb(["abc", "=~", "x"]), bb(["abc", "=~", "("]),
  bb(["a", "&&", "b"]), bb(["a", "&&", ""]), bb(["", "||", "a"]), bb(["", "||", ""]), bb(["a", "&&", "b", "||", ""]), bb(["(", "a", ")", "&&", "b"]),
  bb(["a", "-a", ""]), bb(["-a", "x"]), bb(["-a"]), bb(["a", "&&"]), bb(["a", "=="]), bb(["!"]),
  t(["abc", "=~", "b"]), t(["a", "&&", "b"]), t(["abc", "==", "a*"]),
];

const e = (args: string[], extra: Partial<Case> = {}): Case => ({ applet: "expr", args, ...extra });
const EXPR_CASES: Case[] = [
  e([]), e(["1", "+", "2"]), e(["1", "+", "a"]), e(["a", "+", "1"]), e(["5", "+", ""]), e(["9223372036854775807", "+", "1"]),
  e(["99999999999999999999", "+", "1"]), e(["3000000000", "*", "4000000000"]), e(["-5", "/", "2"]), e(["-7", "%", "3"]),
  e(["5", "/", "0"]), e(["5", "%", "0"]), e(["2", "-", "3", "-", "4"]), e(["2", "*", "3", "+", "1"]), e(["9", "/", "2", "*", "2"]),
  e([" 5", "+", "1"]), e(["+5", "+", "1"]), e(["abc", ":", "a\\(b\\)"]), e(["abc", ":", "b"]), e(["abc", ":", "a."]),
  e(["abc", ":", "\\(x\\)"]), e(["abc", ":", "x"]), e(["abc", ":", ""]), e(["abc", ":", ".*"]), e(["aXbXc", ":", "\\(.*\\)X"]),
  e(["a\nb", ":", "a.b"]), e(["abc", ":", "\\(a\\)\\(b\\)"]), e(["abc", ":", "^a"], { fullStderr: true }), e(["abc", ":", "a\\{"]),
  e(["ab", ":", "a\\|ab"]), e(["abc", ":", "\\(a\\|ab\\)"]), e(["abc", ":", "\\(x\\)*abc"]), e(["abc", ":", "a*", ":", "b"]),
  e(["match", "abc", "a"]), e(["match"]), e(["substr", "hello", "2", "3"]), e(["substr", "hello", "0", "2"]), e(["substr", "hello", "2", "-1"]),
  e(["substr", "hello", "10", "2"]), e(["substr", "abc", "1", "99999999999999999999"]), e(["substr", "abc", "2"]), e(["substr"]),
  e(["index", "abcdef", "fd"]), e(["index", "abc", ""]), e(["index", "abc"]), e(["length", "hello"]), e(["length", "héllo"]),
  e(["length"]), e(["length", "length"]), e(["quote", "length"]), e(["quote"]), e(["0", "|", "3"]), e(["", "|", "0"]), e(["x", "|", ""]),
  e(["", "|", ""]), e(["1", "&", "0"]), e(["2", "&", "3"]), e(["a", "<", "b"]), e(["10", "<", "9"]), e(["10", "<", "9a"]),
  e(["01", "=", "1"]), e(["a", "=", "a"]), e(["3", "!=", "3"]), e(["5", ">=", "5", "=", "1"]), e(["a", "<=", "a"]), e(["b", ">", "a"]),
  e(["(", "1", "+", "2", ")", "*", "3"]), e(["(", "1", "+", "2"]), e(["(", ")"]), e([")"]), e(["1", "+", "(", "2", ")"]),
  e(["1", "2"]), e(["+", "1"]), e(["--", "5"]), e([""]), e(["0"]), e(["-0"]), e(["00"]), e(["abc"]),
];

const ENV = { A: "1", B: "two words" };
const en = (args: string[], extra: Partial<Case> = {}): Case => ({ applet: "env", args, env: ENV, ...extra });
const ENV_CASES: Case[] = [
  en([]), en(["-i"]), en(["-0"]), en(["-u", "A"]), en(["-u", "A", "-u", "B"]), en(["-u"]), en(["-x"]), en(["-"]), en(["-", "C=3"]),
  en(["-i", "C=3", "env"]), en(["-iu", "A"]), en(["--", "C=4"]), en(["=x"]), en(["X="]), en(["A=3", "A=4"]), en(["-i", "-0", "X=1", "Y=2"]),
  en(["A=5", "sh", "-c", "echo $A; exit 3"]), en(["nonexist"]), en(["./noexec"]), en(["./dir"]),
  // (Not "env -i sh" or "env PATH=/x ls": this BusyBox runs its own applets first.)
  en(["./exec.sh", "a", "b"]), en(["./nomagic"]), en(["-u", "A", "./exec.sh"]),
];

const ID_CASES: Case[] = [
  ...["", "-u", "-g", "-G", "-n", "-un", "-gn", "-Gn", "-r", "-ur", "-gr", "-rG", "-ug", "-uG", "-x"].map((o) => ({ applet: "id", args: o ? [o] : [] })),
  ...["root", "daemon", "nobody", "nosuchuser", "0"].map((u) => ({ applet: "id", args: [u] })),
  { applet: "id", args: ["-G", "daemon"] }, { applet: "id", args: ["-nG", "root"] }, { applet: "id", args: ["-un", "daemon"] },
  { applet: "id", args: ["a", "b"] }, { applet: "groups", args: [] }, { applet: "groups", args: ["root"] },
  { applet: "groups", args: ["daemon", "root"] }, { applet: "groups", args: ["nosuch"] }, { applet: "groups", args: ["-x"] },
  { applet: "whoami", args: [] }, { applet: "whoami", args: ["x"] },
];

const d = (args: string[], TZ = "UTC"): Case => ({ applet: "date", args, env: { TZ }, name: `TZ=${TZ} date ${args.join(" ")}` });
const ALL_CONVERSIONS =
  "+%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %N %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %% %q %Ex %Oy %EC";
const DATE_CASES: Case[] = [
  d(["-d", "@0"]), d(["-d", "@1700000000"]), d(["-u", "-d", "@1700000000"]), d(["-d", "@1700000000", "-R"]), d(["-d", "@1700000000", "--rfc-2822"]),
  d(["-d", "@1700000000", "-I"]), d(["-d", "@1700000000", "-Idate"]), d(["-d", "@1700000000", "-Ihours"]), d(["-d", "@1700000000", "-Iminutes"]),
  d(["-d", "@1700000000", "-Iseconds"]), d(["-d", "@1700000000", "-Ins"]), d(["-d", "@1700000000", "-Ih"]), d(["-d", "@1700000000", "-Ix"]),
  d(["-u", "-d", "@1700000000", "-Iseconds"]), d(["-d", "@0", "-R", "-Iseconds"]), d(["-d", "@0", "-s", "@5"]), d(["-d", "@0", "-d", "@5"]),
  d(["-d", "@1700000000", ALL_CONVERSIONS]), d(["-d", "@1700000000", "+%-d %_d %05d %^a %#b %#Z %#p %10A %-5H %_H %-j %3e %_3d %03e %^10b|"]),
  d(["-d", "@1700000000", "+%:z %::z %+ %f %"]), d(["-d", "@0", "+"]), d(["-d", "@0", "+%f"]),
  d(["-d", "2024-02-29 13:45:01"]), d(["-d", "2024-02-30"]), d(["-d", "2024-13-01"]), d(["-d", "2024-01-01 12"]), d(["-d", "12:34", "+%T"]),
  d(["-d", "12:34:56", "+%T"]), d(["-d", "23:59:60", "+%T"]), d(["-d", "1970-01-01 00:00 +0200", "+%s"]), d(["-d", "Jan 2 03:04:05 2020"]),
  d(["-d", "2020.01.02-03:04:05"]), d(["-d", "202001020304.05"]), d(["-d", "2001020304"]), d(["-d", "0304", "+%T"]), d(["-d", "@-1"]),
  d(["-d", "@99999999999"]), d(["-d", "xyz"]), d(["-d", ""]), d(["-D", "%d/%m/%Y", "-d", "05/06/2020"]), d(["-D", "%s", "-d", "1700000000"]),
  d(["-D", "%Y", "-d", "2020xyz", "+%Y"]), d(["-D", "%H", "-d", "x"]), d(["-r", "old"]), d(["-r", "old", "+%s"]), d(["-r", "missing"]),
  d(["-d", "@0", "a"]), d(["1234567"]), d(["-d", "@0", "-u", "-I", "foo"]), d(["-x"]),
  d(["-d", "@1700000000", "+%c %z %Z"], "EST5EDT"), d(["-d", "@1690000000", "+%c %z %Z"], "EST5EDT"),
  d(["-d", "@1690000000", "+%c %z %Z"], "Europe/Berlin"), d(["-d", "@1700000000"], ":Europe/Berlin"), d(["-d", "@1700000000", "-Iseconds"], "Europe/Berlin"),
  d(["-d", "@1700000000", "-R"], "Europe/Berlin"), d(["-d", "2023-03-26 02:30", "+%c %z %Z"], "Europe/Berlin"),
  d(["-d", "2023-10-29 02:30", "+%c %z %Z %s"], "Europe/Berlin"), d(["-d", "2023-11-05 01:30", "+%s %Z"], "EST5EDT"),
  d(["-d", "2023-03-12 02:30", "+%c%z"], "America/New_York"), d(["-d", "@1690000000", "+%c %z %Z"], "Australia/Sydney"),
  d(["-d", "2000-01-01 00:00", "+%s %z"], "Asia/Kolkata"), d(["-d", "@1700000000", "+%c %z %Z"], "<+03>-3"), d(["-d", "@1700000000"], "JST-9"),
  d(["-d", "@1690000000", "+%c %z %Z"], "CET-1CEST,M3.5.0,M10.5.0/3"), d(["-d", "@1690000000", "+%c %Z"], "NZST-12NZDT,M9.5.0,M4.1.0/3"),
  d(["-d", "@1700000000", "+%c %Z"], "NZST-12NZDT,M9.5.0,M4.1.0/3"), d(["-d", "@1700000000"], "foo"), d(["-d", "@1700000000"], ""),
  d(["-d", "@0", "+%z"], "XYZ-3:30"), d(["-u", "-d", "@0"], "Europe/Berlin"), d(["-d", "@-2000000000", "+%c %Z %z"], "Europe/Berlin"),
  ...["2019-12-31", "2020-01-01", "2020-12-31", "2021-01-03", "2026-12-31", "2027-01-01"].map((day) => d(["-d", day, "+%G %g %V %U %W %j %u %w %a"])),
];

const f = (args: string[], stdin?: string): Case => ({ applet: "factor", args, stdin });
const MISC_CASES: Case[] = [
  { applet: "usleep", args: [] }, { applet: "usleep", args: ["1000"] }, { applet: "usleep", args: ["x"] }, { applet: "usleep", args: ["-1"] },
  { applet: "usleep", args: ["1", "2"] }, { applet: "usleep", args: ["1k"] },
  { applet: "nproc", args: [] }, { applet: "nproc", args: ["--all"] }, { applet: "nproc", args: ["--ignore=1"] }, { applet: "nproc", args: ["--ignore=99"] },
  { applet: "nproc", args: ["--ignore=x"] }, { applet: "nproc", args: ["--ign=1"] }, { applet: "nproc", args: ["x"] },
  { applet: "tty", args: [] }, { applet: "tty", args: ["-s"] }, { applet: "tty", args: ["x"] }, { applet: "tty", args: ["-x"] },
  f(["12"]), f(["1", "0", "2", "97", "18446744073709551615"]), f(["18446744073709551616"]), f(["1", "x", "2"]), f(["-5"]), f([" 12"]),
  f(["+7"]), f(["12abc"]), f(["0x10"]), f([""]), f(["12 13"]), f(["9223372036854775807", "18446744073709551557", "4294967296"]),
  f(["600851475143", "1000000007", "999983"]), f([], "12 15\n\n  8 9\n"), f([], "6\nx\n7\n"), f([], ""),
  { applet: "timeout", args: [] }, { applet: "timeout", args: ["1"] }, { applet: "timeout", args: ["2", "true"] },
  { applet: "timeout", args: ["2", "sh", "-c", "echo out; exit 7"] }, { applet: "timeout", args: ["-s", "BOGUS", "1", "true"] },
  { applet: "timeout", args: ["x", "true"] }, { applet: "timeout", args: ["1", "nonexist"] }, { applet: "timeout", args: ["1s", "true"] },
  { applet: "timeout", args: ["-t", "1", "true"] },
  { applet: "time", args: [] }, { applet: "time", args: ["-f", "%x %C", "sh", "-c", "exit 3"] }, { applet: "time", args: ["-f", "[%x]", "true"] },
  { applet: "time", args: ["nonexist"] }, { applet: "time", args: ["sh", "-c", "echo out; exit 4"] },
  { applet: "time", args: ["-o", "out", "-f", "%C=%x", "echo", "hi"], files: ["out"] },
  { applet: "time", args: ["-a", "-o", "data", "-f", "%C", "true"], files: ["data"] },
  { applet: "time", args: ["-f", "a%%b%qc\\d", "true"] }, { applet: "time", args: ["-x", "true"] },
];

describe("values: differential against busybox", () => {
  differential(APPLETS, TEST_CASES, fixture);
  differential(APPLETS, EXPR_CASES, fixture);
  differential(APPLETS, ENV_CASES, fixture);
  differential(APPLETS, ID_CASES, fixture);
  differential(APPLETS, DATE_CASES, fixture);
  differential(APPLETS, MISC_CASES, fixture);
});

// Where POSIX is clear and BusyBox is not, and the applets BusyBox lacks.
describe("values: our own behaviour", () => {
  let links = "";
  let dir = "";
  beforeAll(() => {
    links = linkDir(PIKA, APPLETS);
    dir = tempDir("pika-values-");
    fixture(dir);
  });
  afterAll(() => {
    fs.rmSync(links, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const pika = (applet: string, args: string[], env: Record<string, string> = {}, input?: string) =>
    run(path.join(links, applet), args, { cwd: dir, env, input });

  it("has the binary", () => expect(havePika()).toBe(true));

  it("test: POSIX's three-argument '( X )' is the one-argument test of X (BusyBox: closing paren expected)", () => {
    expect(pika("test", ["(", "-n", ")"]).status).toBe(0);
    expect(pika("test", ["(", "!", ")"]).status).toBe(0);
    expect(pika("test", ["(", "", ")"]).status).toBe(1);
  });

  it("test: a leading ! negates a four-argument test (BusyBox drops it)", () => {
    expect(pika("test", ["!", "a", "-a", ""]).status).toBe(0);
    expect(pika("test", ["!", "a", "-o", ""]).status).toBe(1);
  });

  it("test: -nt/-ot treat a missing file as older, and compare nanoseconds (POSIX.1-2024)", () => {
    expect(pika("test", ["data", "-nt", "missing"]).status).toBe(0);
    expect(pika("test", ["missing", "-nt", "data"]).status).toBe(1);
    expect(pika("test", ["missing", "-ot", "data"]).status).toBe(0);
    expect(pika("test", ["missing", "-ot", "missing"]).status).toBe(1);
    const a = path.join(dir, "ns-a"), b = path.join(dir, "ns-b");
    fs.writeFileSync(a, "");
    fs.writeFileSync(b, "");
    fs.utimesSync(a, 1000.25, 1000.25);
    fs.utimesSync(b, 1000.5, 1000.5);
    expect(pika("test", ["ns-b", "-nt", "ns-a"]).status).toBe(0);
    expect(pika("test", ["ns-a", "-ot", "ns-b"]).status).toBe(0);
  });

  it("expr: INT64_MIN / -1 wraps instead of dying of SIGFPE", () => {
    expect(pika("expr", ["-9223372036854775808", "/", "-1"])).toMatchObject({ stdout: "-9223372036854775808\n", status: 0 });
    expect(pika("expr", ["-9223372036854775808", "%", "-1"])).toMatchObject({ stdout: "0\n", status: 1 });
  });

  it("timeout: a command that timed out gives 124, as POSIX says (BusyBox: 128+SIG)", () => {
    const r = pika("timeout", ["0.3", "sleep", "5"]);
    expect(r.status).toBe(124);
    expect(pika("timeout", ["-s", "KILL", "0.3", "sleep", "5"]).status).toBe(124);
    expect(pika("timeout", ["-k", "0.3", "0.2", "sh", "-c", "trap '' TERM; sleep 5"]).status).toBe(137);
  });

  it("env, timeout: a command killed by signal N gives 128+N (BusyBox execs it: the caller sees the signal)", () => {
    expect(pika("env", ["sh", "-c", "kill -9 $$"]).status).toBe(137);
    expect(pika("timeout", ["2", "sh", "-c", "kill -9 $$"]).status).toBe(137);
  });

  it("time: a command killed by signal N gives 128+N (BusyBox: N)", () => {
    const r = pika("time", ["-f", "%x", "sh", "-c", "kill -9 $$"]);
    expect(r.status).toBe(137);
    expect(r.stderr).toBe("Command terminated by signal 9\n0\n");
  });

  it("time: the default, -p and -v formats", () => {
    expect(pika("time", ["true"]).stderr).toMatch(/^real\t0m 0\.\d\ds\nuser\t0m 0\.\d\ds\nsys\t0m 0\.\d\ds\n$/);
    expect(pika("time", ["-p", "true"]).stderr).toMatch(/^real 0\.\d\d\nuser 0\.\d\d\nsys 0\.\d\d\n$/);
    const v = pika("time", ["-v", "true"]).stderr;
    expect(v).toContain('\tCommand being timed: "true"\n');
    expect(v).toMatch(/\tExit status: 0\n$/);
    expect(v.split("\n")).toHaveLength(24);
  });

  it("printenv: everything, or the values asked for (1 if one is unset)", () => {
    expect(pika("printenv", [], { A: "1" }).stdout).toContain("A=1\n");
    expect(pika("printenv", ["A", "B"], { A: "1", B: "x y" })).toMatchObject({ stdout: "1\nx y\n", status: 0 });
    expect(pika("printenv", ["A", "NOPE", "B"], { A: "1", B: "2" })).toMatchObject({ stdout: "1\n2\n", status: 1 });
  });

  it("nice: prints the niceness, adjusts the child's, reports what cannot run", () => {
    const base = Number(pika("nice", []).stdout);
    expect(pika("nice", ["nice"]).stdout).toBe(`${Math.min(base + 10, 19)}\n`);
    expect(pika("nice", ["-n", "5", "nice"]).stdout).toBe(`${Math.min(base + 5, 19)}\n`);
    expect(pika("nice", ["-3", "nice"]).stdout).toBe(`${Math.min(base + 3, 19)}\n`);
    expect(pika("nice", ["-n3", "sh", "-c", "exit 4"]).status).toBe(4);
    expect(pika("nice", ["-n", "5"]).status).toBe(1);
    expect(pika("nice", ["-n", "x", "true"]).stderr).toBe("nice: invalid number 'x'\n");
    expect(pika("nice", ["nonexist"])).toMatchObject({ status: 127, stderr: "nice: can't execute 'nonexist': No such file or directory\n" });
  });

  it("nohup: runs the command with SIGHUP ignored, output left alone when not a terminal", () => {
    const r = pika("nohup", ["sh", "-c", "grep SigIgn /proc/self/status; exit 5"]);
    expect(r.status).toBe(5);
    expect(BigInt("0x" + r.stdout.trim().split(/\s+/)[1]) & 1n).toBe(1n);
    expect(fs.existsSync(path.join(dir, "nohup.out"))).toBe(false);
    expect(pika("nohup", ["nonexist"])).toMatchObject({ status: 127, stderr: "nohup: can't execute 'nonexist': No such file or directory\n" });
    expect(pika("nohup", []).status).toBe(1);
  });

  it("factor: big semiprimes quickly", () => {
    const r = pika("factor", ["18446744030759878681", "4611686014132420609", "18446744073709551557"]);
    expect(r.stdout).toBe(
      "18446744030759878681: 4294967291 4294967291\n4611686014132420609: 2147483647 2147483647\n18446744073709551557: 18446744073709551557\n",
    );
  });
});
