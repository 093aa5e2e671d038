// The compiled binary, run through links named after applets, against
// busybox-static on the same inputs: same stdout, same exit status, and the
// same "applet: message" on stderr.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, havePika, linkDir, PIKA, run, tempDir } from "../helpers/run.ts";

const APPLETS = ["true", "false", "echo", "cat", "ls", "mkdir", "rm", "sleep", "uname", "hostname", "mount", "umount", "sync", "halt", "poweroff", "reboot"];

interface Case { applet: string; args: string[]; input?: string; /** compare only the first stderr line */ }

const CASES: Case[] = [
  { applet: "true", args: [] },
  { applet: "false", args: [] },
  { applet: "echo", args: ["hello", "world"] },
  { applet: "echo", args: ["-n", "no newline"] },
  { applet: "echo", args: ["-e", "tab\\there\\nnew \\0101 \\x41"] },
  { applet: "echo", args: ["-e", "cut\\chere"] },
  { applet: "echo", args: ["-E", "raw\\t"] },
  { applet: "echo", args: ["-nx", "--", "-"] },
  { applet: "echo", args: [] },
  { applet: "cat", args: ["a.txt", "b.txt"] },
  { applet: "cat", args: ["-n", "a.txt", "b.txt"] },
  { applet: "cat", args: ["-b", "blank.txt"] },
  { applet: "cat", args: ["missing", "a.txt"] },
  { applet: "cat", args: ["-"], input: "from stdin\n" },
  { applet: "cat", args: ["a.txt", "-", "b.txt"], input: "middle\n" },
  { applet: "cat", args: ["-z"] },
  { applet: "ls", args: [] },
  { applet: "ls", args: ["-1a"] },
  { applet: "ls", args: ["-A", "dir"] },
  { applet: "ls", args: ["-l", "dir"] },
  { applet: "ls", args: ["-ln", "dir"] },
  { applet: "ls", args: ["-F", "dir"] },
  { applet: "ls", args: ["-p", "dir"] },
  { applet: "ls", args: ["-d", "dir", "a.txt"] },
  { applet: "ls", args: ["dir", "a.txt", "dir/sub"] },
  { applet: "ls", args: ["-R", "dir"] },
  { applet: "ls", args: ["-r", "dir"] },
  { applet: "ls", args: ["-S", "dir"] },
  { applet: "ls", args: ["nope", "a.txt"] },
  { applet: "ls", args: ["-z"] },
  { applet: "mkdir", args: ["dir"] },
  { applet: "mkdir", args: [] },
  { applet: "rm", args: ["nope"] },
  { applet: "rm", args: ["-f", "nope"] },
  { applet: "rm", args: ["dir"] },
  { applet: "rm", args: ["."] },
  { applet: "sleep", args: ["0.05"] },
  { applet: "sleep", args: ["x"] },
  { applet: "sleep", args: [] },
  { applet: "uname", args: [] },
  { applet: "uname", args: ["-a"] },
  { applet: "uname", args: ["-snrvm"] },
  { applet: "hostname", args: [] },
  { applet: "hostname", args: ["-s"] },
  { applet: "umount", args: [] },
  { applet: "umount", args: ["dir"] },
  { applet: "umount", args: ["nope"] },
  { applet: "mount", args: [] },
  { applet: "mount", args: ["-t", "proc"] },
  { applet: "mount", args: ["-t", "tmpfs", "none", "nope"] },
  { applet: "hostname", args: ["-F", "nope"] },
];

function fixture(): string {
  const d = tempDir("pika-fixture-");
  fs.writeFileSync(path.join(d, "a.txt"), "alpha\nbeta\n");
  fs.writeFileSync(path.join(d, "b.txt"), "gamma");
  fs.writeFileSync(path.join(d, "blank.txt"), "one\n\n\ntwo\n");
  fs.mkdirSync(path.join(d, "dir", "sub"), { recursive: true });
  fs.writeFileSync(path.join(d, "dir", "file"), "x".repeat(1500));
  fs.writeFileSync(path.join(d, "dir", ".hidden"), "");
  fs.writeFileSync(path.join(d, "dir", "exec.sh"), "#!/bin/sh\n", { mode: 0o755 });
  fs.symlinkSync("file", path.join(d, "dir", "link"));
  fs.writeFileSync(path.join(d, "dir", "sub", "deep"), "deep");
  // Fixed times, so that both tools print the same dates.
  const t = new Date("2026-01-02T03:04:05Z");
  for (const f of ["dir/file", "dir/.hidden", "dir/exec.sh", "dir/sub/deep", "dir/sub", "dir", "a.txt", "b.txt", "blank.txt"]) {
    fs.utimesSync(path.join(d, f), t, t);
  }
  fs.lutimesSync(path.join(d, "dir", "link"), t, t);
  return d;
}

/**
 * The first stderr line, which carries the "applet: message". Two differences
 * are not behaviour: busybox's getopt (glibc) names the applet by its full
 * argv[0] path, and the multi-call banner names the project.
 */
function shape(stderr: string, linkDir: string): string {
  return stderr
    .split("\n")[0]
    .replace(linkDir + "/", "")
    .replace(/^(BusyBox|Pika) v\S+.* multi-call binary\.$/, "MULTI-CALL BANNER");
}

describe.runIf(havePika())("applets against busybox-static", () => {
  let pikaLinks: string;
  let bbLinks: string;
  let work: string;
  beforeAll(() => {
    pikaLinks = linkDir(PIKA, APPLETS);
    bbLinks = linkDir(BUSYBOX, APPLETS);
    work = fixture();
  });
  afterAll(() => {
    for (const d of [pikaLinks, bbLinks, work]) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.applet} ${c.args.join(" ")}`, () => {
      const ours = run(path.join(pikaLinks, c.applet), c.args, { cwd: work, input: c.input });
      const theirs = run(path.join(bbLinks, c.applet), c.args, { cwd: work, input: c.input });
      expect(ours.status).toBe(theirs.status);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(shape(ours.stderr, pikaLinks)).toBe(shape(theirs.stderr, bbLinks));
    });
  }

  it("mkdir -p and -m create what busybox creates", () => {
    for (const [bin, dir] of [[pikaLinks, "p"], [bbLinks, "b"]] as const) {
      const d = tempDir();
      expect(run(path.join(bin, "mkdir"), ["-p", "x/y/z", "-m", "700", "m"], { cwd: d }).status).toBe(0);
      expect(fs.statSync(path.join(d, "x/y/z")).isDirectory()).toBe(true);
      expect(fs.statSync(path.join(d, "m")).mode & 0o777).toBe(0o700);
      fs.rmSync(d, { recursive: true });
      void dir;
    }
  });

  it("rm -r removes a tree and reports the rest", () => {
    const d = fixture();
    const r = run(path.join(pikaLinks, "rm"), ["-r", "dir", "nope", "a.txt"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("rm: can't remove 'nope': No such file or directory\n");
    expect(fs.existsSync(path.join(d, "dir"))).toBe(false);
    expect(fs.existsSync(path.join(d, "a.txt"))).toBe(false);
    fs.rmSync(d, { recursive: true });
  });

  it("cat streams input larger than its buffer", () => {
    const big = "0123456789abcdef\n".repeat(20000);
    expect(run(path.join(pikaLinks, "cat"), [], { input: big }).stdout).toBe(big);
  });
});

describe.runIf(havePika())("multicall dispatch", () => {
  it("runs 'pika APPLET args'", () => {
    expect(run(PIKA, ["echo", "via", "pika"]).stdout).toBe("via pika\n");
    expect(run(PIKA, ["false"]).status).toBe(1);
  });

  it("lists every applet with --list, sorted", () => {
    const list = run(PIKA, ["--list"]).stdout.trim().split("\n");
    for (const a of [...APPLETS, "init"]) expect(list).toContain(a);
    expect([...list].sort()).toEqual(list);
  });

  it("prints an applet's usage from its declaration with --help", () => {
    const r = run(PIKA, ["mkdir", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: mkdir [-m MODE] [-p] DIRECTORY...");
    expect(r.stdout).toContain("\t-p, --parents\tNo error if exists; make parent directories as needed");
  });

  it("shows usage on stderr with status 1 for a bad option", () => {
    const r = run(PIKA, ["mkdir", "--bogus"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mkdir: unrecognized option '--bogus'\n/);
    expect(r.stderr).toContain("Usage: mkdir");
    expect(r.stdout).toBe("");
  });

  it("says which applet is unknown", () => {
    const r = run(PIKA, ["frobnicate"]);
    expect(r.status).toBe(127);
    expect(r.stderr).toBe("frobnicate: applet not found\n");
  });

  it("--install -s DIR creates a symlink per applet that runs it", () => {
    const d = tempDir();
    expect(run(PIKA, ["--install", "-s", d]).status).toBe(0);
    expect(fs.readlinkSync(path.join(d, "ls"))).toBe(fs.realpathSync(PIKA));
    expect(run(path.join(d, "echo"), ["linked"]).stdout).toBe("linked\n");
    // Existing files are left alone, as BusyBox does.
    expect(run(PIKA, ["--install", "-s", d]).status).toBe(0);
    fs.rmSync(d, { recursive: true });
  });

  it("--install DIR makes hard links", () => {
    const d = tempDir();
    const copy = path.join(d, "pika");
    fs.copyFileSync(PIKA, copy);
    fs.chmodSync(copy, 0o755);
    const links = path.join(d, "links");
    expect(run(copy, ["--install", links]).status).toBe(0);
    expect(fs.statSync(path.join(links, "cat")).ino).toBe(fs.statSync(copy).ino);
    fs.rmSync(d, { recursive: true });
  });
});
