// awk against busybox-static: fields and the special variables, patterns and
// ranges, arrays, printf, getline in every form, functions, regexes, the
// string and math built-ins, -v -F -f, output redirection and pipes, system();
// then a fuzz run of generated programs that must end with output or an
// "awk: ..." message, never a crash or a hang.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { differential, type Case } from "../helpers/differential.ts";
import { fuzzRuns, mutate, pick, rng } from "../helpers/fuzz.ts";
import { PIKA, run, tempDir } from "../helpers/run.ts";

const FIXTURE = {
  "data": "alice 30 paris\nbob 25 london\ncarol 35 paris\ndave 40 berlin\n",
  "csv": "a,b,c\n1,,3\n,x,\n",
  "para": "name a\nage 1\n\n\nname b\nage 2\n\nname c\n",
  "nums": "3\n1\n4\n1\n5\n9\n2\n6\n",
  "prog.awk": "BEGIN { n = 0 }\n{ n += $2 }\nEND { print \"total\", n }\n",
  "lib.awk": "function double(x) { return 2 * x }\n",
  "main.awk": "{ print double($2) }\n",
  "bad.awk": "BEGIN { print (1 }\n",
  "noeol": "x y\nlast line",
  "empty": "",
  "tabs": "a\tb c\td\n",
};

const c = (...args: string[]): Case => ({ applet: "awk", args });
const s = (stdin: string, ...args: string[]): Case => ({ applet: "awk", args, stdin });
const B = (prog: string): Case => ({ applet: "awk", args: [`BEGIN { ${prog} }`] });
const f = (files: string[], ...args: string[]): Case => ({ applet: "awk", args, files });

const CASES: Case[] = [
  // fields and records
  c("{ print $1 }", "data"), c("{ print $NF }", "data"), c("{ print $(NF-1) }", "data"), c("{ print NF, NR, FNR }", "data", "nums"),
  c("{ print FILENAME, FNR }", "data", "nums"), c("{ $2 = \"X\"; print }", "data"), c("{ $5 = \"new\"; print; print NF }", "data"),
  c("{ NF = 2; print }", "data"), c("{ NF = 5; $1 = $1; print }", "data"), c("-F,", "{ print $2 \"|\" NF }", "csv"),
  c("-F", ",", "{ $1 = $1; print }", "csv"), c("-F,", "-v", "OFS=-", "{ $1 = $1; print }", "csv"), c("-F", "[,]+", "{ print $2 }", "csv"),
  c("-F", "\\t", "{ print $2 }", "tabs"), c("-Ft", "{ print $2 }", "tabs"), c("-F", " ", "{ print $2 }", "tabs"), c("-F", "", "{ print $2 }", "csv"),
  c("BEGIN { FS = \",\" } { print $3 }", "csv"), c("{ FS = \",\"; print $1 }", "csv"), c("BEGIN { OFS = \":\" } { print $1, $2 }", "data"),
  c("BEGIN { ORS = \";\" } { print $1 }", "data"), c("BEGIN { RS = \"\" } { print NR \": \" $1 \" \" $NF; print NF }", "para"),
  c("BEGIN { RS = \"\"; FS = \"\\n\" } { print $2 }", "para"), c("BEGIN { RS = \"a\" } { print NR, $0 }", "data"),
  c("BEGIN { RS = \"[0-9]+\" } { print \"<\" $0 \">\" }", "data"), c("{ print length }", "data"), c("{ print }", "noeol"),
  c("END { print $0, NF, NR }", "data"), c("{ $0 = \"a b c\"; print NF, $2 }", "nums"), c("{ print $-1 }", "data"),
  c("{ print $1.5 }", "data"), c("{ sub(/a/, \"A\", $1); print; print $0 }", "data"), c("BEGIN { $0 = \"x y\"; print $2, NF }"),
  c("-v", "RS=", "{ print NR\":\"$0 }", "para"), c("BEGIN { FS = \"a\" } { print NF }", "data"), c("{ $3 = \"\"; print; print NF }", "data"),
  s(" lead  trail \n", "{ print NF; print $1 }"), s("a b\n", "{ $0 = $2; print $1 }"), s("x\n", "{ $(NF+2) = \"z\"; print; print NF }"),
  // patterns, ranges
  c("/paris/", "data"), c("!/paris/", "data"), c("$2 > 30", "data"), c("$2 >= 30 && $3 == \"paris\"", "data"), c("NR == 2, NR == 3", "data"),
  c("/bob/,/dave/ { print NR }", "data"), c("/carol/,/nomatch/", "data"), c("NR % 2", "nums"), c("$1 ~ /^[ab]/", "data"),
  c("$1 !~ \"a\"", "data"), c("END { print NR }", "nums"), c("BEGIN { print \"start\" } END { print \"end\" }", "empty"), c("1", "noeol"),
  c("/a/ && /o/ || /d/", "data"), c("NR==1, /x/ { print; next } { print \"other\" }", "data"), c("NR==2,NR==2", "data"), c("$2 ~ 3", "data"),
  // arrays
  c("{ n[$3]++ } END { for (k in n) s = s k \"=\" n[k] \" \"; print length(s) }", "data"), c("{ a[NR] = $1 } END { for (i = NR; i > 0; i--) print a[i] }", "data"),
  B("a[1]; if (1 in a) print \"yes\"; if (!(2 in a)) print \"no\""), B("a[\"x\"] = 1; delete a[\"x\"]; print length(a)"),
  B("a[1]; a[2]; delete a; print length(a)"), B("a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; if ((1,2) in a) print \"in\""),
  B("n = split(\"a:b:c\", arr, \":\"); print n, arr[1], arr[3]"), B("n = split(\"a b  c\", arr); print n, arr[3]"),
  B("n = split(\"abc\", arr, \"\"); print n, arr[2]"), B("n = split(\"\", arr); print n, length(arr)"), B("n = split(\"a1b22c\", arr, /[0-9]+/); print n, arr[3]"),
  B("x[1] = 1; f(x); print x[1] } function f(a) { a[1] = 2"), B("SUBSEP = \":\"; a[1,2]; for (k in a) print k"),
  B("a[\"\"] = 1; print length(a), (\"\" in a)"), B("if (x in a) print 1; print length(a)"), B("a[01] = 1; print (1 in a), (\"01\" in a)"),
  // printf and output formats
  B("printf \"%d %i %o %x %X %u %c %s %%\\n\", 42.9, -3, 8, 255, 255, 7, 65, \"str\""), B("printf \"%5d|%-5d|%05d|%+d|% d\\n\", 42, 42, 42, 42, 42"),
  B("printf \"%.2f %10.3f %-10.1f| %e %E %g %G\\n\", 3.14159, 2.5, 1.25, 12345.678, 0.00012, 0.0001, 1e20"),
  B("printf \"%s|%10s|%-10s|%.2s\\n\", \"abc\", \"abc\", \"abc\", \"abc\""), B("printf \"%c%c%c\\n\", \"hello\", 256+65, \"\""),
  B("printf \"%*d|%-*d|%.*f\\n\", 5, 1, 4, 2, 2, 3.14159"), B("printf \"%d %d\\n\", \"0x1A\", \"1e3\""), B("printf \"%s\\n\""),
  B("printf \"%d\\n\", 2147483648 * 4"), B("printf \"%x %o\\n\", -1, -1"), B("printf \"[%5.1s]\\n\", \"xyz\""), B("printf \"no newline\""),
  B("x = sprintf(\"%03d-%s\", 7, \"a\"); print x"), B("print 0.1 + 0.2; print 1e6; print 1e16; print 100000000000000000000; print 1/3"),
  B("OFMT = \"%.2f\"; print 3.14159; x = 3.14159; print x \"\""), B("CONVFMT = \"%.3f\"; x = 3.14159; y = x \"\"; print y; print 17 \"\""),
  
  B("printf \"%i|%5%|%z\\n\", 3"), B("printf \"%d\\n\", \"abc\"; printf \"%.3d\\n\", 5"), B("print 1==1.0, \"a\" < \"b\", 2 < 10, \"2\" < \"10\""),
  s("10\n9\n", "{ a[NR] = $1 } END { print (a[1] < a[2]) }"), s("abc 010\n", "{ print ($2 == 10), ($2 == \"010\") }"),
  // getline in its forms
  c("{ getline; print \"after:\", $0, NR }", "nums"), c("NR == 1 { getline x; print \"x=\" x, NR, $0 }", "nums"),
  c("BEGIN { while ((getline line < \"data\") > 0) n++; print n, NR }"), c("BEGIN { getline < \"data\"; print $2, NF, NR }"),
  c("BEGIN { while ((\"echo a; echo b\" | getline) > 0) print \"got\", $0, NR }"), c("BEGIN { \"echo x y\" | getline v; print v, NR, NF }"),
  c("BEGIN { print (getline line < \"nonexistent\") }"), c("BEGIN { r = getline; print r, $0 }", "nums"), c("END { print getline, $0 }", "nums"),
  c("BEGIN { cmd = \"cat data\"; while ((cmd | getline l) > 0) c++; close(cmd); cmd | getline l; print c, l }"),
  c("{ while ((getline l) > 0) last = l } END { print last, NR }", "nums"), c("BEGIN { getline line < \"-\"; print \"[\" line \"]\" }", "nums"),
  s("one\ntwo\n", "BEGIN { getline; print \"begin:\", $0 } { print \"main:\", $0 }"),
  c("BEGIN { print (getline x < \"/etc\"), (getline < \"\"), (getline y < \"nonexistent\") }"),
  c("BEGIN { \"echo a b\" | getline x y; print x }"), c("BEGIN { \"echo 5\" | getline x + 1; print x }"), c("BEGIN { print \"x\" > \"\" }"),
  c("BEGIN { print (\"echo 5\" | getline) \"x\", $0 }"), c("BEGIN { \"echo 5\" | getline $2; print $0 \"|\" NF }"),
  c("BEGIN { system(\"no-such-command-xyz\") }"), c("BEGIN { \"no-such-command-xyz\" | getline; print \"r\" }"),
  // user functions, recursion
  B("print fact(10) } function fact(n) { return n <= 1 ? 1 : n * fact(n - 1)"), B("print fib(15) } function fib(n) { if (n < 2) return n; return fib(n-1) + fib(n-2)"),
  B("x = 1; f(); print x } function f() { x = 2"), B("print f(1) } function f(a, b) { b = a + 1; return b"), B("r = f(); print \"[\" r \"]\" } function f() { return"),
  B("f(a); print a[1] } function f(arr) { arr[1] = \"set\""), c("-f", "lib.awk", "-f", "main.awk", "data"), c("-f", "prog.awk", "data"),
  B("print g(3) } function g(n,   i, s) { for (i = 0; i < n; i++) s = s i; return s"), B("print f(f(2)) } function f(x) { return x * x"),
  c("function f(x) { return x+1 } { print f($2) }", "data"), B("f() } function f() { print \"in f\"; return; print \"no\""),
  // regexes
  c("$0 ~ \"o.\" { print }", "data"), c("{ r = \"^[ab]\"; if ($1 ~ r) print }", "data"), B("print match(\"foobar\", /o+/), RSTART, RLENGTH"),
  B("print match(\"abc\", /x/), RSTART, RLENGTH"), B("if (\"a.c\" ~ /a\\.c/) print \"dot\"; if (\"abc\" ~ \"a.c\") print \"any\""),
  B("print (\"aaa\" ~ /^a{2,3}$/), (\"ab\" ~ /(a|b)+/), (\"A\" ~ /[[:upper:]]/), (\"x/y\" ~ /x\\/y/)"), B("print \"a+b\" ~ /a\\+b/"),
  B("IGNORECASE = 1; print (\"ABC\" ~ /abc/)"), B("s = \"a.b.c\"; gsub(\".\", \"-\", s); print s"), B("s = \"a.b.c\"; gsub(/\\./, \"-\", s); print s"),
  B("print \"x\" ~ /[/"), B("r = \"(\"; print \"x\" ~ r"),
  // string functions
  B("print length(\"hello\"), length(12345), length()"), B("print substr(\"hello\", 2, 3), substr(\"hello\", 0), substr(\"hello\", -1, 3), substr(\"hello\", 4, 100), substr(\"hello\", 1.5, 2.3)"),
  B("print index(\"hello\", \"ll\"), index(\"hello\", \"z\"), index(\"\", \"\")"), B("print tolower(\"MiXeD 1\"), toupper(\"MiXeD 1\")"),
  B("s = \"aaa\"; n = sub(/a/, \"b\", s); print n, s; n = gsub(/a/, \"c\", s); print n, s"), B("s = \"hello\"; gsub(/l/, \"[&]\", s); print s"),
  B("s = \"hello\"; gsub(/l/, \"\\\\&\", s); print s"), B("s = \"abc\"; gsub(//, \"-\", s); print s"), B("s = \"abc\"; gsub(/x*/, \"-\", s); print s"),
  B("s = \"aaa\"; print gsub(/^a/, \"b\", s), s"),
  { ...s("ab cd\n", "{ gsub(/\\</, \"[\"); print }"), differs: "BusyBox matches \\< inside words after the first match; a word start is a word start" }, c("{ gsub(/a/, \"@\"); print }", "data"), c("{ n += gsub(/[aeiou]/, \"\") } END { print n }", "data"),
  B("print sprintf(\"%s-%d\", \"x\", 3.9)"), B("print gensub(/(a)(b)/, \"\\\\2\\\\1\", \"g\", \"abab\")"), B("s = \"foo\"; sub(\"o\", \"0\", s); print s"),
  B("print substr(\"hello\", 2)"), B("print length(x), x == 0, x == \"\""), B("print index(\"foo\", 1)"), B("print toupper(123)"),
  // math
  
  B("srand(1); a = rand(); srand(1); b = rand(); print (a == b), (a >= 0 && a < 1)"), B("print srand(5), srand()"), 
  B("x = 1; print x++ + ++x, x--, --x, -x, !x, !!x"), B("print 1 / 0"), B("print 5 % 0"), 
  B("print and(12, 10), or(12, 10), xor(12, 10), lshift(1, 4), rshift(16, 2), compl(0) > 0"), B("print 1 - - 1, 1 - -1, 2 - - - 2"),
  B("print 10 \" \" -1; print 1 \" \" 2 + 3"), B("x = \"3x\"; print x + 0, +\"\", +\"  7  \", \"0x10\" + 0, \".5\" + 0, \"1e2\" + 0"),
  // control flow
  B("for (i = 0; i < 3; i++) print i"), B("i = 0; while (i < 3) { i++; if (i == 2) continue; print i }"), B("do { print \"once\" } while (0)"),
  B("for (;;) { n++; if (n > 4) break }; print n"), c("NR == 2 { next } { print }", "data"), c("{ print; nextfile }", "data", "nums"),
  c("NR == 2 { exit } { print } END { print \"end\" }", "data"), c("{ exit 3 } END { print \"in end\" }", "data"), B("exit 1 + 1"),
  c("END { exit } END { print \"never\" }", "data"), B("if (0) print \"a\"; else if (1) print \"b\"; else print \"c\""), B("print 1 ? 2 ? \"x\" : \"y\" : \"z\""),
  c("BEGIN { exit 4 } END { exit }", "data"), B("x = 3; print (x > 2) ? \"big\" : \"small\""), B("print (1, 2) in a"), B("print 1 > 2 ? \"y\" : \"n\""),
  // -v, operands, environment
  c("-v", "x=5", "BEGIN { print x + 1 }"), c("-v", "s=a\\tb", "BEGIN { print s }"), c("{ print v }", "v=1", "nums"), c("{ print v }", "nums", "v=2", "data"),
  c("BEGIN { print ARGC, ARGV[0], ARGV[1], ARGV[2] }", "x", "y"), c("BEGIN { ARGV[1] = \"\" } { print }", "nope", "data"), c("BEGIN { print ENVIRON[\"TZ\"] }"),
  c("-v", "1x=2", "BEGIN {}"), c("-v", "FS=,", "{ print $2 }", "csv"), c("-v", "n=010", "BEGIN { print n + 0, (n == 10) }"),
  // output redirection, pipes, close, system
  f(["out"], "{ print $1 > \"out\" }", "data"), f(["out"], "{ print $1 >> \"out\" } END { close(\"out\"); print \"again\" >> \"out\" }", "data"),
  f(["out"], "BEGIN { print \"a\" > \"out\"; close(\"out\"); print \"b\" > \"out\" }"), c("{ print $1 | \"sort -r\" }", "data"),
  c("BEGIN { print \"b\\na\" | \"sort\"; close(\"sort\"); print \"after\" }"), c("BEGIN { printf \"%s\\n\", \"x\" | \"cat\"; print \"y\" | \"cat\" }"),
  c("BEGIN { r = system(\"echo hi; exit 3\"); print \"r=\" r }"), c("BEGIN { system(\"\"); print \"ok\" }"), c("BEGIN { print \"to stderr\" > \"/dev/stderr\"; print \"out\" }"),
  c("BEGIN { print close(\"never-opened\") }"), c("BEGIN { printf \"x\" > \"/dev/stdout\"; print \"y\" }"), c("BEGIN { print \"x\" > \"/nonexistent/dir/f\" }"),
  c("BEGIN { print \"a\" | \"cat 1>&2\"; r = close(\"cat 1>&2\"); print r }"), c("BEGIN { fflush(); print \"x\"; fflush(\"/dev/stdout\") }"),
  c("BEGIN { \"date +%Y\" | getline y; print (y > 2000) }"), c("BEGIN { print length(\"x\" \"y\") > \"/dev/stdout\" }"),
  // errors
  c(), c("BEGIN {"), c("BEGIN { print (1 }"), c("{ print $1"), c("BEGIN { x = }"), c("BEGIN { print 1 } }"), c("-f", "bad.awk"), c("-f", "nofile.awk"),
  c("{ print }", "nope", "data"), c("1", ""), c("BEGIN { f() }"), c("function f(x) { return } BEGIN { f(1, 2) }"), c("BEGIN { getline x < }"), c("/abc"),
  c("BEGIN { a = 1; a[1] = 2 }"), c("BEGIN { a[1] = 1; print a }"), c("BEGIN { next }"), c("function f(f) { }"), c("BEGIN { printf }"),
  c("BEGIN { split(\"a\") }"), c("BEGIN { substr(\"a\") }"), c("BEGIN { x = \"a\" \"b\" ++ }"), c("-x"), c("BEGIN { print 1 }", "-"),
  c("BEGIN { @ }"), c("BEGIN { print \"unterminated }"), c("BEGIN { print /unterminated }"), c("BEGIN { return }"), c("{ print } function"),
  // odd syntax
  c("BEGIN { print 1; ; print 2 }"), c("BEGIN {\n  print \"multi\"\n  print \"line\"\n}"), c("BEGIN { x = 1 \\\n + 2; print x }"), c("# only a comment"),
  c("BEGIN { print \"a\" \"b\", \"c\" }"), c("BEGIN { print(1, 2) }"), c("BEGIN { print (1)(2) }"), c("BEGIN { x[1]=1; for ((k) in x) print k }"),
  c("BEGIN{getline;print}", "nums"), c("BEGIN { print length \"x\" }"), c("BEGIN { $3 = \"c\"; print NF; print }"), c("BEGIN { print -\"3\" }"),
  c("BEGIN { a = \"x\"; a = a a a; print a }"), c("BEGIN { print 1,2 > \"/dev/stdout\" }"), c("BEGIN { print \"\\x41\\101\\/\\q\" }"),
  c("BEGIN { n = split(\"3 1 2\", a); for (i = 1; i <= n; i++) s += a[i]; print s }"), c("{ print $1 }; END { print NR }", "data"),
  c("BEGIN { printf(\"%s %s\\n\", \"p\", \"q\") }"), c("BEGIN { print > \"/dev/stdout\" }"), c("BEGIN { print substr(\"abc\", 2) substr(\"abc\", 1, 1) }"),
  c("END { print length() }", "data"), c("BEGIN { if (!(3 in a)) print \"none\"; if (a[3] == \"\") print length(a) }"),
];

/** Inputs past the record reader's chunks, in every RS mode. */
const BIG = Array.from({ length: 100_000 }, (_, i) => `${i} f${i % 13} ${"z".repeat(i % 11)}\n${i % 997 ? "" : "\n"}`).join("");
const LARGE: Case[] = [
  s(BIG, "{ n += $1; c[$2]++ } END { print n, NR, length(c), c[\"f3\"] }"), s(BIG, "NR % 25000 == 1"), s(BIG, "BEGIN { RS = \"\" } END { print NR, NF }"),
  s(BIG, "BEGIN { RS = \"z+\" } END { print NR }"), s(BIG, "BEGIN { RS = \"9\" } NR == 5000"), s(BIG, "{ gsub(/z/, \"Z\") } END { print $0 }"),
];

describe("awk against busybox", () => differential(["awk"], CASES, FIXTURE));
describe("awk on large inputs", () => differential(["awk"], LARGE, FIXTURE));

/**
 * Debian's busybox-static awk is built without libm ("Math support is not
 * compiled in"): ^, **, the compound powers and the math functions are checked
 * against fixed outputs (the same as mawk's, in BusyBox's number format).
 */
const MATH: [program: string, stdout: string][] = [
  ["print -0; print 1 - 1; print 2^53 + 1; print 1e300 * 1e300; print -1e300 * 1e300", "0\n0\n9007199254740992\ninf\n-inf\n"],
  ["print int(3.9), int(-3.9), int(\"4x\"), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1)", "3 -3 4 4 1 0 0 1 3.14159\n"],
  ["print 7 % 3, -7 % 3, 7.5 % 2, 2 ^ 10, 2 ** 3, 2 ^ 3 ^ 2, -2 ^ 2", "1 -1 1.5 1024 8 512 -4\n"],
  ["x = 5; x += 2; x -= 1; x *= 3; x /= 4; x %= 3; x ^= 2; print x", "2.25\n"],
  ["x = 2; x **= 3; print x; print 1e3 ^ 2", "8\n1000000\n"],
  ["print 2 ^ 0.5, 2 ^ -1, exp(1), log(10), sqrt(2), sin(1), cos(1), atan2(1, 1)", "1.41421 0.5 2.71828 2.30259 1.41421 0.841471 0.540302 0.785398\n"],
  ["printf \"%.10f %.3e\\n\", atan2(0, -1), exp(10)", "3.1415926536 2.203e+04\n"],
  ["print log(0), exp(1000)", "-inf inf\n"],
];

/** Where BusyBox is wrong and POSIX is clear: our output. Rows: args, stdin, stdout. */
const POSIX: [string[], string, string][] = [
  [["{ gsub(/\\</, \"[\"); print }"], "ab cd\n", "[ab [cd\n"],
  [["{ $2++; print }"], "5 6\n", "5 7\n"],
  [["{ $NF--; $1 += 2; print }"], "5 6\n", "7 5\n"],
  [["BEGIN { RS = \"\" } END { print NR }"], "\n\n\n", "0\n"],
  [["function f(n) { return f(n) } BEGIN { f(1) }"], "", ""],
];

describe("awk where BusyBox is wrong (ours)", () => {
  for (const [args, stdin, stdout] of POSIX) {
    it(`awk ${args.join(" ")}`, () => {
      const r = run(PIKA, ["awk", ...args], { input: stdin });
      expect(r.stdout).toBe(stdout);
      // Endless recursion is an error message, not a crash (BusyBox dies of SIGSEGV).
      if (/f\(n\)/.test(args[0])) expect(r).toMatchObject({ status: 1, stderr: "awk: cmd. line:1: Recursion too deep\n" });
      else expect(r.status).toBe(0);
    });
  }
});

describe("awk math (busybox-static has none)", () => {
  for (const [prog, stdout] of MATH) {
    it(`awk BEGIN { ${prog} }`, () => {
      const r = run(PIKA, ["awk", `BEGIN { ${prog} }`]);
      expect(r).toMatchObject({ stdout, status: 0, stderr: "" });
    });
  }
});

// ---------------------------------------------------------------------------
// Fuzz (PIKA_FUZZ_RUNS and PIKA_FUZZ_SEED make a longer or different run): generated and mutated programs.

const FUZZ_RUNS = Number(process.env.PIKA_FUZZ_RUNS ?? 150);

const AWK_PIECES = [
  "BEGIN {", "END {", "{", "}", "print", "print $1", "printf \"%d %s\\n\", NR, $0", "x = 1", "x++", "a[$1]++", "for (k in a) print k",
  "if (x) print", "else", "while (i < 3) i++", "do i++; while (i < 5)", "next", "exit", "exit 2", "getline", "getline x", "getline < \"f\"",
  "\"echo a\" | getline", "function f(a) { return a * 2 }", "f(3)", "/re/", "$0 ~ /x*/", "!/a/", "NR == 1, NR == 2", "gsub(/o/, \"0\")",
  "sub(\"a\", \"&&\")", "split($0, p, \",\")", "substr($0, 2, 3)", "length($0)", "index($0, \"o\")", "match($0, /[a-z]+/)", "sprintf(\"%5.2f\", 3)",
  "tolower($0)", "toupper(x)", "int(3.5)", "sqrt(2)", "exp(1)", "log(2)", "sin(1)", "rand()", "srand(1)", "delete a", "delete a[1]", "(1 in a)",
  ";", "\n", "(", ")", "[", "]", ",", "$", "NF", "$NF", "-", "+", "*", "/", "%", "^", "?", ":", "&&", "||", "!", "=", "==", "<", ">", ">>", "|",
  "\"str\"", "42", "1e3", "x", "y[2]", "close(\"f\")", "OFS = \"-\"", "FS = \",\"", "RS = \"\"", "$3 = \"z\"", "NF = 1", "return", "break", "continue",
  "print > \"/dev/null\"", "printf", "nextfile", "while (1) { n++; if (n > 100) break }", "in", "function", "getline line < FILENAME",
];
const AWK_CHARS = "{}()[];,$\"'/\\ \n+-*%^!=<>|&?:~#abcdefxyNFR0123456789.";

/** Programs from the table to mutate: none with loops (a mutation could make them endless), commands or device paths. */
const SEEDS = CASES.map((k) => k.args.find((a) => /[{}]/.test(a)) ?? "").filter((p) => p && !/while|for|do|system|\||\/dev\//.test(p));

function awkProgram(r: () => number): string {
  if (r() < 0.6) {
    let out = "";
    for (let n = 1 + Math.floor(r() * 8); n > 0; n--) out += pick(r, AWK_PIECES) + " ";
    return out;
  }
  return mutate(r, pick(r, SEEDS), AWK_CHARS, 1 + Math.floor(r() * 4));
}

describe("awk program fuzz", () => {
  it("ends every generated program with output or a message", async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, "f"), "file line\n");
      const r = rng(Number(process.env.PIKA_FUZZ_SEED ?? 77031));
      const programs = Array.from({ length: FUZZ_RUNS }, () => [awkProgram(r), "-"]);
      // exit N ends quietly with N.
      const bad = await fuzzRuns("awk", programs, "a b c\n1,2,3\n\nfoo bar\n", dir, (args) => /exit/.test(args[0]));
      expect(bad).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, Math.max(120_000, FUZZ_RUNS * 500));
});
