// Console and logging applets: getty and sulogin on a real terminal
// (node-pty), compared byte for byte with busybox-static; syslogd, logger,
// logread, klogd and dmesg.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronDue, parseCronLine, type CronJob } from "../../lib/cron.ts";
import { crypt } from "../../lib/crypt.ts";
import { BUSYBOX, PIKA, tempDir } from "../helpers/run.ts";

const require = createRequire(import.meta.url);
const pty = require("node-pty") as typeof import("node-pty");

let dir = "";
beforeAll(() => {
  dir = tempDir("pika-console-");
  // A login stand-in that shows what getty handed over.
  fs.writeFileSync(path.join(dir, "fake-login"), [
    "#!/bin/sh",
    'echo "ARGC=$# ARGV=$*"',
    'for a in "$@"; do echo "ARG=[$a]"; done',
    'echo "TERM=$TERM"',
    "tty",
    "stty -a | head -2",
    "stty -g",
    "",
  ].join("\n"), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "issue"), "Hello \\s \\n \\r \\m \\l \\D \\o \\h \\v \\q \\\\ %s %% end\n\nsecond\n");
  fs.writeFileSync(path.join(dir, "issue-no-newline"), "no newline at the end");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Run a program on a fresh terminal; `input` is typed once the output
 * matches `when` (default: a login prompt). Resolves with everything the
 * terminal showed and the exit code.
 */
function onTerminal(file: string, args: string[], input: string, when = /login: $/): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    const t = pty.spawn(file, args, { env: { PATH: "/usr/bin:/bin", TZ: "UTC" } });
    let out = "";
    let typed = false;
    t.onData((d) => {
      out += d;
      if (!typed && when.test(out)) {
        typed = true;
        setTimeout(() => t.write(input), 50);
      }
    });
    const timer = setTimeout(() => t.kill(), 15_000);
    t.onExit((e) => {
      clearTimeout(timer);
      resolve({ out, code: e.exitCode });
    });
  });
}

describe("getty against busybox on a terminal", () => {
  const cases: [string, string[], string][] = [
    ["issue escapes, prompt, name with a space, TERM from TERMTYPE", ["-f", "ISSUE", "38400", "-", "vt100"], "my name\r"],
    ["-i: no issue; a name ended by LF; DEL erases", ["-i", "38400", "-"], "ab\x7fc\n"],
    ["BS erases and becomes the erase character; ^U kills the line", ["-i", "9600", "-", "linux"], "xy\bz\x15qq\r"],
    ["empty lines prompt again", ["-f", "ISSUE", "9600", "-"], "\r\rfoo\r"],
    ["an issue file without a final newline; a missing one", ["-f", "NONL", "9600", "-"], "x\r"],
    ["a missing issue file; -I init string", ["-f", "/nonexistent", "-I", "X\\033[0mY\\nZ", "9600", "-"], "x\r"],
    ["-n: no prompt, login gets no name; -L sets clocal", ["-n", "-L", "9600", "-"], ""],
    ["^C gives up", ["-i", "9600", "-"], "a\x03"],
    ["^D gives up", ["-i", "9600", "-"], "\x04"],
    ["tty before the speed", ["-i", "-", "19200"], "z\r"],
    ["-t: no name in time", ["-i", "-t", "1", "9600", "-"], ""],
    ["two speeds (a BREAK would switch)", ["-i", "9600,4800", "-"], "two\r"],
  ];
  for (const [name, args, input] of cases) {
    it(name, async () => {
      const argv = ["-l", path.join(dir, "fake-login"), ...args.map((a) => (a === "ISSUE" ? path.join(dir, "issue") : a === "NONL" ? path.join(dir, "issue-no-newline") : a))];
      const when = args.includes("-n") ? /^/ : undefined;
      const ours = await onTerminal(PIKA, ["getty", ...argv], input, when);
      const theirs = await onTerminal(BUSYBOX, ["getty", ...argv], input, when);
      expect(ours.out).toBe(theirs.out);
      expect(ours.code).toBe(theirs.code);
    }, 40_000);
  }

  it("a terminal named without /dev/, getty started as init starts it (no session of its own yet)", async () => {
    const run = (bin: string) =>
      onTerminal("sh", ["-c", `T=$(tty); "$0" getty -i -l "$1" 9600 "\${T#/dev/}" vt102 & wait`, bin, path.join(dir, "fake-login")], "me\r");
    const ours = await run(PIKA);
    expect(ours.out).toContain("TERM=vt102");
    expect(ours).toEqual(await run(BUSYBOX));
  }, 40_000);

  it("-a USER runs login -f USER without asking", async () => {
    const r = await onTerminal(PIKA, ["getty", "-a", "alice", "-l", path.join(dir, "fake-login"), "9600", "-"], "", /^/);
    expect(r.out).toContain("ARGC=2 ARGV=-f alice");
    expect(r.out).not.toContain("login:");
  }, 20_000);

  it("a terminal that does not exist: silence and status 1 after 10 s; a bad speed: usage", async () => {
    const missing = (bin: string) => new Promise<[number | null, string, number]>((resolve) => {
      const start = Date.now();
      const c = spawn(bin, ["getty", "9600", "nonexistent-tty"], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      c.stderr!.on("data", (d) => (err += d));
      c.on("close", (status) => resolve([status, err, Date.now() - start]));
    });
    for (const [status, err, ms] of await Promise.all([missing(PIKA), missing(BUSYBOX)])) {
      expect([status, err]).toEqual([1, ""]);
      expect(ms).toBeGreaterThan(9000);
    }
    for (const bin of [PIKA, BUSYBOX]) {
      const bad = spawnSync(bin, ["getty", "96x00", "-"], { encoding: "utf8" });
      expect(bad.status).toBe(1);
      expect(bad.stderr.split("\n")[0]).toBe("getty: bad speed: 96x00");
    }
  }, 30_000);
});

describe("sulogin against busybox on a terminal", () => {
  const etcs: Record<string, string> = {};
  beforeAll(() => {
    const hash = crypt("R00t-pw", "$5$rootsalt");
    for (const [name, field] of [["good", hash], ["locked", "!"], ["star", "*"], ["empty", ""]]) {
      const etc = path.join(dir, `etc-${name}`);
      fs.mkdirSync(etc);
      fs.writeFileSync(path.join(etc, "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      fs.writeFileSync(path.join(etc, "shadow"), `root:${field}:1::::::\n`);
      etcs[name] = etc;
    }
  });

  /** sulogin under a fixture /etc; each answer is typed after the next prompt. */
  function session(bin: string, etc: string, answers: string[], args: string[] = []): Promise<{ out: string; code: number }> {
    return new Promise((resolve) => {
      const t = pty.spawn("unshare", ["--mount", "sh", "-c", 'mount --bind "$0" /etc && exec "$@"', etc, bin, "sulogin", ...args], {
        env: { PATH: "/usr/bin:/bin", SUSHELL: "/bin/sh", TERM: "xterm" },
      });
      let out = "";
      let seen = 0;
      t.onData((d) => {
        out += d;
        if (answers.length && /:$|# $/.test(out.slice(seen))) {
          seen = out.length;
          const a = answers.shift()!;
          setTimeout(() => t.write(a), 50);
        }
      });
      const timer = setTimeout(() => t.kill(), 20_000);
      t.onExit((e) => {
        clearTimeout(timer);
        resolve({ out, code: e.exitCode });
      });
    });
  }

  const report = 'echo "$0 H=$HOME S=$SHELL T=$TERM"; exit 3\r';
  const cases: [string, string, string[], string[]?][] = [
    ["^D: normal startup", "good", ["\x04"]],
    ["a wrong password, then the right one: root's shell", "good", ["wrong\r", "R00t-pw\r", report]],
    ["a locked root password: bad salt", "locked", ["R00t-pw\r"]],
    ["'*' as the password: bad salt", "star", ["x\r"]],
    ["an empty password: the shell at once", "empty", [report]],
    ["-t: the timeout is a normal startup", "good", [], ["-t", "1"]],
  ];
  for (const [name, etc, answers, args] of cases) {
    it(name, async () => {
      const ours = await session(PIKA, etcs[etc], [...answers], args);
      const theirs = await session(BUSYBOX, etcs[etc], [...answers], args);
      expect(ours.out).toBe(theirs.out);
      expect(ours.code).toBe(theirs.code);
    }, 45_000);
  }
});

/**
 * A shell script in a mount namespace with a private /dev (tmpfs: /dev/log,
 * /dev/shm and /dev/null of its own), $P being the program under test.
 * Timestamps and the version banner are made neutral.
 */
function inLogNamespace(bin: string, script: string): { out: string; status: number | null } {
  const r = spawnSync("unshare", ["--mount", "sh", "-c", `mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mkdir /dev/shm && ${script}`], {
    encoding: "latin1",
    env: { PATH: "/usr/bin:/bin", TZ: "UTC", P: bin, D: dir },
    timeout: 30_000,
  });
  const out = (r.stdout + r.stderr)
    .replace(/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/g, "STAMP")
    .replace(/(BusyBox v\S+ \([^)]*\)|Pika v[\d.]+|BusyBox v[\d.]+)/g, "VERSION")
    .replace(/^\[ *\d+\.\d+\] /gm, "[TIME] ")
    .replace(/ kernel: \[ *\d+\.\d+\] /g, " kernel: [TIME] ")
    // Whether the shell reports syslogd's death by SIGTERM is a race in BusyBox too.
    .replace(/^Terminated\n/gm, "");
  return { out, status: r.status };
}

describe("syslogd, logger and logread against busybox", () => {
  const start = (opts: string) => `$P syslogd -n ${opts} & S=$!; for i in 1 2 3 4 5 6 7 8 9 10; do [ -S /dev/log ] && break; sleep 0.2; done; `;
  const stop = "sleep 0.5; kill $S; wait $S; ";
  const cases: [string, string][] = [
    ["the line format, priorities, tags, stdin lines, control characters, -s", start("-O $D/log-$$") +
      "$P logger hello world; $P logger -t mytag -p local3.warn 'warn msg'; printf 'line1\\nline2\\n' | $P logger -t st; " +
      "$P logger -p 0 emergency; $P logger -p auth.err \"a$(printf '\\001')b\ttab\"; $P logger -s -t ss to-stderr; " +
      "$P logger -p 3333 numeric; $P logger -p daemon.debug debug; " + stop + "cat $D/log-$$; rm $D/log-$$"],
    ["-S -C: logread, logread -f, no buffer once syslogd is gone", start("-S -C") +
      "$P logger hello world; sleep 0.3; $P logread; echo rc=$?; $P logread -f > $D/follow-$$ & F=$!; sleep 0.5; " +
      "$P logger again; sleep 0.7; kill $F; " + stop + "cat $D/follow-$$; rm $D/follow-$$; $P logread; echo rc=$?"],
    ["-l 4 keeps only messages more urgent than warning; -t uses the receiving time", start("-l 4 -t -O -") +
      "$P logger -p user.err kept; $P logger -p user.warn dropped; $P logger -p user.crit kept-too; " + stop],
    ["logger: bad facility and priority names; no syslogd is no error", "$P logger -p foo.bar x; echo rc=$?; $P logger -p user.nope x; echo rc=$?; $P logger -s -t t quiet; echo rc=$?"],
  ];
  for (const [name, script] of cases) {
    it(name, () => {
      const ours = inLogNamespace(PIKA, script);
      const theirs = inLogNamespace(BUSYBOX, script);
      expect(ours.out).toBe(theirs.out);
      expect(ours.status).toBe(theirs.status);
    }, 60_000);
  }

  it("pika's syslogd: -D drops repeated messages, -s/-b rotate the file", () => {
    const r = inLogNamespace(PIKA, start("-D -s 1 -b 2 -O $D/rot-$$") +
      "for i in 1 2 3; do $P logger same; done; $P logger other; sleep 0.3; grep -c same $D/rot-$$; " +
      "for i in $(seq 1 40); do $P logger -t fill \"message number $i padded to be long enough\"; done; " + stop +
      "ls $D | grep rot- | sed 's/rot-[0-9]*/rot/'; cat $D/rot-$$* | grep -c fill; rm $D/rot-$$*");
    const [same, ...rest] = r.out.trim().split("\n");
    const fill = Number(rest.pop());
    expect(same).toBe("1");
    expect(rest).toEqual(["rot", "rot.0", "rot.1"]);
    expect(fill).toBeGreaterThan(10);
    expect(fill).toBeLessThan(40);
  }, 60_000);
});

describe("klogd and dmesg against busybox", () => {
  it("klogd passes kernel messages to syslogd with the kernel's priorities", () => {
    // Each run writes its own markers to /dev/kmsg, so the two never see each other's.
    const script = (tag: string) =>
      "mknod /dev/kmsg c 1 11; $P syslogd -n -O $D/klog-$$ & S=$!; sleep 0.5; $P klogd -n & K=$!; sleep 0.5; " +
      `echo '<5>pika-test-${tag}-one' > /dev/kmsg; echo 'pika-test-${tag}-two' > /dev/kmsg; echo '<2>pika-test-${tag}-three' > /dev/kmsg; ` +
      "sleep 0.7; kill $K; wait $K; sleep 0.3; kill $S; wait $S; grep -E 'klogd|pika-test' $D/klog-$$ | sed 's/-[a-z]*-\\(one\\|two\\|three\\)$/-\\1/'; rm $D/klog-$$";
    const ours = inLogNamespace(PIKA, script("pika"));
    const theirs = inLogNamespace(BUSYBOX, script("busybox"));
    expect(ours.out.replace(/pika-test-pika/g, "pika-test-X")).toBe(theirs.out.replace(/pika-test-busybox/g, "pika-test-X"));
    expect(ours.out).toContain("user.crit kernel: [TIME] pika-test-three");
  }, 30_000);

  // The kernel's buffer only grows while the test runs: compare its beginning.
  // (-c is never run: it would clear the host's buffer.)
  const dmesg = (bin: string, args: string[], head = 200) => {
    const r = spawnSync("sh", ["-c", `"$0" dmesg "$@" | head -${head}; echo "rc=$?"`, bin, ...args], { encoding: "latin1" });
    return r.stdout + r.stderr.split("\n")[0];
  };
  const cases: [string, string[]][] = [
    ["levels stripped", []],
    ["-r keeps them", ["-r"]],
    ["-s below 16 KiB reads 16 KiB", ["-s", "100"]],
    ["-s not a number", ["-s", "abc"]],
    ["-n out of range", ["-n", "99"]],
  ];
  for (const [name, args] of cases) {
    it(`dmesg: ${name}`, () => {
      const ours = dmesg(PIKA, args, args[0] === "-s" ? 3 : 200);
      const theirs = dmesg(BUSYBOX, args, args[0] === "-s" ? 3 : 200);
      if (args[0] === "-s" && args[1] === "100") expect(ours.split("\n").length).toBe(theirs.split("\n").length);
      else expect(ours).toBe(theirs);
    });
  }
});

describe("crontab against busybox", () => {
  /** A command line run in a fresh crontab directory; prints what it left there. */
  const crontab = (bin: string, script: string) => {
    const d = tempDir("pika-cron-");
    try {
      const r = spawnSync("sh", ["-c", `${script}; echo "rc=$?"; for f in $(ls "$C" | sort); do echo "== $f $(stat -c %a "$C/$f")"; cat "$C/$f"; done`], {
        encoding: "latin1",
        env: { PATH: "/usr/bin:/bin", CT: `${bin} crontab`, C: d },
        input: "0 * * * * from stdin\n",
      });
      return (r.stdout + r.stderr.split("\n")[0]).replace(/(BusyBox v\S+ \([^)]*\)|Pika v[\d.]+)/, "VERSION");
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  };
  const cases: [string, string][] = [
    ["replace from stdin, then list", "$CT -c $C - && $CT -c $C -l"],
    ["replace from a file without a final newline", "printf 'a\\nb' > $C/../cron-in-$$ && $CT -c $C $C/../cron-in-$$; rm -f $C/../cron-in-$$"],
    ["list a missing crontab", "$CT -c $C -l"],
    ["remove, and remove again", "$CT -c $C - && $CT -c $C -r && $CT -c $C -r"],
    ["another user's crontab", "$CT -c $C -u nobody - && $CT -c $C -u nobody -l"],
    ["an unknown user", "$CT -c $C -u no-such-user -l"],
    ["a missing file", "$CT -c $C /nonexistent"],
    ["a missing directory", "$CT -c /nonexistent -l"],
    ["no operand", "$CT -c $C"],
    ["-e with an editor that appends a line", `printf '#!/bin/sh\\necho "@daily x" >> "$1"\\n' > $C.ed && chmod +x $C.ed && EDITOR=$C.ed $CT -c $C -e; rm $C.ed`],
  ];
  for (const [name, script] of cases) {
    it(name, () => {
      expect(crontab(PIKA, script)).toBe(crontab(BUSYBOX, script));
    });
  }
});

describe("cron", () => {
  const at = (min: number, hour: number, mday: number, mon: number, wday: number) => ({ min, hour, mday, mon: mon - 1, wday });
  const job = (line: string) => parseCronLine(line) as CronJob;
  it("parses fields: lists, ranges, steps, names, @specials", () => {
    const j = job("*/15 9-17/4 1,15 jan-mar,dec mon-fri cmd arg");
    expect([...j.minutes]).toEqual([0, 15, 30, 45]);
    expect([...j.hours]).toEqual([9, 13, 17]);
    expect([...j.days]).toEqual([1, 15]);
    expect([...j.months]).toEqual([1, 2, 3, 12]);
    expect([...j.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(j.command).toBe("cmd arg");
    expect([...job("0 0 * * 7 x").weekdays].sort()).toEqual([0, 7]);
    expect(job("@hourly x")).toMatchObject({ command: "x", reboot: false });
    expect([...job("@weekly x").weekdays]).toEqual([0]);
    expect(job("@reboot echo hi")).toMatchObject({ reboot: true, command: "echo hi" });
    expect(parseCronLine("# comment")).toBeUndefined();
    expect(parseCronLine("MAILTO=\"\"")).toEqual({ name: "MAILTO", value: "" });
    expect(() => parseCronLine("61 * * * * x")).toThrow();
    expect(() => parseCronLine("* * * foo * x")).toThrow();
    expect(() => parseCronLine("@sometimes x")).toThrow();
  });
  it("is due when the minute matches; either restricted day field will do", () => {
    expect(cronDue(job("30 2 * * * x"), at(30, 2, 5, 6, 3))).toBe(true);
    expect(cronDue(job("30 2 * * * x"), at(31, 2, 5, 6, 3))).toBe(false);
    expect(cronDue(job("0 0 13 * 5 x"), at(0, 0, 13, 6, 2))).toBe(true); // the 13th
    expect(cronDue(job("0 0 13 * 5 x"), at(0, 0, 14, 6, 5))).toBe(true); // a Friday
    expect(cronDue(job("0 0 13 * 5 x"), at(0, 0, 14, 6, 4))).toBe(false);
    expect(cronDue(job("0 0 * * 5 x"), at(0, 0, 13, 6, 4))).toBe(false);
    expect(cronDue(job("0 0 13 * * x"), at(0, 0, 13, 6, 4))).toBe(true);
    expect(cronDue(job("@reboot x"), at(0, 0, 1, 1, 0))).toBe(false);
  });
  it("crond runs @reboot jobs at start-up, once per boot, and logs to -L", () => {
    const d = tempDir("pika-crond-");
    fs.mkdirSync(path.join(d, "tabs"));
    fs.writeFileSync(path.join(d, "tabs", "root"), `FOO=bar\n@reboot echo "ran $FOO $USER" >> ${d}/out\n* * * * * true\n`);
    const script = `mount -t tmpfs tmpfs /run && P=${PIKA}; for i in 1 2; do $P crond -f -L ${d}/log -c ${d}/tabs & C=$!; sleep 1.5; kill $C; wait $C; done; cat ${d}/out; grep -c started ${d}/log`;
    const r = spawnSync("unshare", ["--mount", "sh", "-c", script], { encoding: "utf8", timeout: 20_000 });
    fs.rmSync(d, { recursive: true, force: true });
    expect(r.stdout).toBe("ran bar root\n2\n");
  }, 30_000);
});
