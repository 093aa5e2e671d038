// The user database applets (passwd mkpasswd cryptpw chpasswd adduser deluser
// addgroup delgroup) and crypt(3). Each run happens in a private mount
// namespace whose /etc and /home are bind-mounted fixture directories, so
// that neither pika nor busybox touches the machine's own users. passwd and
// mkpasswd are compared with busybox-static; the rest (which Debian's busybox
// lacks) are checked against the files they must produce.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { crypt, verifyPassword } from "../../lib/crypt.ts";
import { BUSYBOX, PIKA, tempDir } from "../helpers/run.ts";

const ETC = {
  passwd: "root:x:0:0:root:/root:/bin/sh\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n",
  shadow: "root:*:0:0:99999:7:::\ndaemon:!::0:::::\nnobody:!::0:::::\n",
  group: "root:x:0:root\ndaemon:x:2:root,daemon\nwheel:x:10:root\nnobody:x:65534:\n",
};

interface Sandbox { etc: string; home: string }

function sandbox(): Sandbox {
  const root = tempDir("pika-users-");
  const etc = path.join(root, "etc");
  const home = path.join(root, "home");
  fs.mkdirSync(path.join(etc, "skel"), { recursive: true });
  fs.mkdirSync(home);
  for (const [f, text] of Object.entries(ETC)) fs.writeFileSync(path.join(etc, f), text);
  fs.chmodSync(path.join(etc, "shadow"), 0o640);
  fs.writeFileSync(path.join(etc, "skel", ".profile"), "export PS1='$ '\n");
  return { etc, home };
}

interface Out { stdout: string; stderr: string; status: number | null }

/** Run one applet (pika's or busybox's) with the sandbox as /etc and /home. */
function runIn(box: Sandbox, bin: string, args: string[], input = ""): Out {
  const script = 'mount --bind "$1" /etc && mount --bind "$2" /home && shift 2 && exec "$@"';
  const r = spawnSync("unshare", ["--mount", "sh", "-c", script, "sh", box.etc, box.home, bin, ...args], {
    input,
    encoding: "latin1",
    env: { PATH: "/usr/bin:/bin", LANG: "C" },
    timeout: 20_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const pika = (box: Sandbox, args: string[], input?: string) => runIn(box, PIKA, args, input);
const busybox = (box: Sandbox, args: string[], input?: string) => runIn(box, BUSYBOX, args, input);
const read = (box: Sandbox, f: string) => fs.readFileSync(path.join(box.etc, f), "latin1");
const record = (box: Sandbox, f: string, name: string) => read(box, f).split("\n").find((l) => l.startsWith(name + ":"))?.split(":");

/** A shadow file with each hash replaced by whether it verifies `password`, and dates by DAY. */
function normalShadow(text: string, password: string): string {
  return text.replace(/^([^:]*):(\$[156]\$[^:]*):(\d*)/gm, (_, u, h, d) => `${u}:HASH(${verifyPassword(password, h)},${h.slice(0, 3)}):${d ? "DAY" : ""}`)
    .replace(/^([^:]*):([^:$]*):(\d+):/gm, (_, u, h) => `${u}:${h}:DAY:`);
}

describe("crypt(3)", () => {
  it("gives the SHA-crypt specification's vectors", () => {
    expect(crypt("Hello world!", "$6$saltstring")).toBe(
      "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
    );
    expect(crypt("Hello world!", "$5$rounds=10000$saltstringsaltstring")).toBe(
      "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA",
    );
    expect(crypt("This is just a test", "$6$rounds=5000$toolongsaltstring")).toBe(
      "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0",
    );
  });

  it("agrees with busybox mkpasswd on many passwords, salts and methods", () => {
    const cases: [string, string, string][] = [];
    for (let i = 0; i < 8; i++) {
      const pw = "p" + "ä@ x:".repeat(i % 4) + String(i * 7919) + "z".repeat(i * 3);
      const salt = "abcdefghijklmnopqrstuvwxyz./0123".slice(i, i + 2 + (i % 14));
      for (const m of ["md5", "sha256", "sha512"]) cases.push([m, pw, salt]);
    }
    for (const [m, pw, salt] of cases) {
      const bb = spawnSync(BUSYBOX, ["mkpasswd", "-m", m, pw, salt], { encoding: "latin1" }).stdout.trim();
      const r = spawnSync(PIKA, ["mkpasswd", "-m", m, pw, salt], { encoding: "latin1", timeout: 20_000 });
      expect(r.error).toBeUndefined();
      const ours = r.stdout.trim();
      expect(ours, `${m} ${pw} ${salt}`).toBe(bb);
      expect(crypt(Buffer.from(pw, "utf8"), bb), `${m} in-process`).toBe(bb);
    }
  });

  it("verifies only the right password, and never a locked or unknown hash", () => {
    const h = crypt("right", "$6$salt");
    expect(verifyPassword("right", h)).toBe(true);
    expect(verifyPassword("wrong", h)).toBe(false);
    expect(verifyPassword("right", "!" + h)).toBe(false);
    expect(verifyPassword("", "*")).toBe(false);
    expect(verifyPassword("", "")).toBe(true);
    expect(verifyPassword("x", "")).toBe(false);
    expect(verifyPassword("ab", "abJnggxhB/yWI")).toBe(false); // DES is refused
  });
});

describe("passwd against busybox", () => {
  let boxes: Sandbox[] = [];
  beforeEach(() => (boxes = [sandbox(), sandbox()]));
  afterEach(() => boxes.forEach((b) => fs.rmSync(path.dirname(b.etc), { recursive: true, force: true })));

  const sequences: [string, [string[], string?][]][] = [
    ["lock, lock again, unlock, unlock again", [[["-l", "root"]], [["-l", "root"]], [["-u", "root"]], [["-u", "root"]]]],
    ["-d clears, unknown user fails", [[["-d", "nobody"]], [["nosuch"]], [["-l", "nosuch"]]]],
    ["a good password, typed twice", [[["daemon"], "Tr0ub4dor&3\nTr0ub4dor&3\n"]]],
    ["sha512 through -a", [[["-a", "sha512", "daemon"], "Tr0ub4dor&3\nTr0ub4dor&3\n"]]],
    ["retyped wrong", [[["daemon"], "Tr0ub4dor&3\nTr0ub4dor&4\n"]]],
    ["nothing typed", [[["daemon"], ""], [["daemon"], "\n"]]],
    ["weak passwords warn root but are taken", [[["daemon"], "abc\nabc\n"], [["daemon"], "aaaaaaaa\naaaaaaaa\n"], [["daemon"], "daemon\ndaemon\n"], [["daemon"], "abcdef\nabcdef\n"]]],
  ];
  for (const [name, steps] of sequences) {
    it(name, () => {
      const [ours, theirs] = boxes;
      const password = steps.at(-1)?.[1]?.split("\n")[0] ?? "";
      for (const [args, input] of steps) {
        const a = pika(ours, ["passwd", ...args], input);
        const b = busybox(theirs, ["passwd", ...args], input);
        expect(a.status, `status of passwd ${args.join(" ")}`).toBe(b.status);
        expect(a.stdout, "stdout").toBe(b.stdout);
        expect(a.stderr, "stderr").toBe(b.stderr);
      }
      expect(normalShadow(read(ours, "shadow"), password)).toBe(normalShadow(read(theirs, "shadow"), password));
      expect(read(ours, "passwd")).toBe(read(theirs, "passwd"));
      expect(fs.statSync(path.join(ours.etc, "shadow")).mode & 0o777, "shadow keeps its mode").toBe(0o640);
      expect(fs.existsSync(path.join(ours.etc, "shadow-")), "backup as busybox").toBe(fs.existsSync(path.join(theirs.etc, "shadow-")));
    });
  }
});

describe("user and group administration", () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => fs.rmSync(path.dirname(box.etc), { recursive: true, force: true }));

  it("adduser -D makes a user, its group, a home from /etc/skel and a locked password", () => {
    expect(pika(box, ["adduser", "-D", "alice"]).status).toBe(0);
    expect(record(box, "passwd", "alice")).toEqual(["alice", "x", "1000", "1000", "Linux User,,,", "/home/alice", "/bin/sh"]);
    expect(record(box, "group", "alice")).toEqual(["alice", "x", "1000", ""]);
    expect(record(box, "shadow", "alice")?.slice(0, 2)).toEqual(["alice", "!"]);
    const profile = path.join(box.home, "alice", ".profile");
    expect(fs.readFileSync(profile, "utf8")).toContain("PS1");
    expect(fs.statSync(profile).uid).toBe(1000);
    expect(fs.statSync(path.join(box.etc, "shadow")).mode & 0o777).toBe(0o640);
    const again = pika(box, ["adduser", "-D", "alice"]);
    expect([again.status, again.stderr]).toEqual([1, "adduser: user 'alice' in use\n"]);
  });

  it("adduser takes -u -G -h -s -g -H, and -S makes a system user in nogroup", () => {
    expect(pika(box, ["adduser", "-D", "-H", "-u", "2000", "-G", "wheel", "-h", "/srv/b", "-s", "/bin/ash", "-g", "Bob", "bob"]).status).toBe(0);
    expect(record(box, "passwd", "bob")).toEqual(["bob", "x", "2000", "10", "Bob", "/srv/b", "/bin/ash"]);
    expect(record(box, "group", "bob")).toBeUndefined();
    expect(pika(box, ["adduser", "-S", "-D", "-H", "svc"]).status).toBe(0);
    expect(record(box, "passwd", "svc")).toEqual(["svc", "x", "100", "65533", "Linux User,,,", "/home/svc", "/sbin/nologin"]);
    expect(record(box, "group", "nogroup")).toEqual(["nogroup", "x", "65533", ""]);
    const dup = pika(box, ["adduser", "-D", "-u", "2000", "carol"]);
    expect([dup.status, dup.stderr]).toEqual([1, "adduser: uid '2000' in use\n"]);
    const bad = pika(box, ["adduser", "-D", "a:b"]);
    expect([bad.status, bad.stderr]).toEqual([1, "adduser: illegal character with code 58 at position 1\n"]);
    expect(pika(box, ["adduser", "-D", "-G", "nosuch", "dave"]).stderr).toBe("adduser: unknown group nosuch\n");
  });

  it("adduser without -D asks for the password through passwd", () => {
    const r = pika(box, ["adduser", "-H", "erin"], "S3cret-pw\nS3cret-pw\n");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("passwd: password for erin changed by root\n");
    expect(verifyPassword("S3cret-pw", record(box, "shadow", "erin")![1])).toBe(true);
  });

  it("addgroup, adding members, delgroup and deluser", () => {
    expect(pika(box, ["addgroup", "-g", "3000", "staff"]).status).toBe(0);
    expect(record(box, "group", "staff")).toEqual(["staff", "x", "3000", ""]);
    expect(pika(box, ["addgroup", "-S", "sys"]).status).toBe(0);
    expect(record(box, "group", "sys")?.[2]).toBe("100");
    expect(pika(box, ["addgroup", "staff"]).stderr).toBe("addgroup: group 'staff' in use\n");
    expect(pika(box, ["adduser", "-D", "-H", "frank"]).status).toBe(0);
    expect(pika(box, ["addgroup", "frank", "staff"]).status).toBe(0);
    expect(pika(box, ["adduser", "frank", "wheel"]).status).toBe(0);
    expect(record(box, "group", "staff")?.[3]).toBe("frank");
    expect(record(box, "group", "wheel")?.[3]).toBe("root,frank");
    expect(pika(box, ["delgroup", "frank", "staff"]).status).toBe(0);
    expect(record(box, "group", "staff")?.[3]).toBe("");
    expect(pika(box, ["delgroup", "frank"]).stderr).toBe("delgroup: 'frank' still has 'frank' as their primary group!\n");
    expect(pika(box, ["deluser", "frank"]).status).toBe(0);
    expect(record(box, "passwd", "frank")).toBeUndefined();
    expect(record(box, "shadow", "frank")).toBeUndefined();
    expect(record(box, "group", "frank")).toBeUndefined();
    expect(record(box, "group", "wheel")?.[3]).toBe("root");
    expect(pika(box, ["deluser", "frank"]).stderr).toBe("deluser: unknown user frank\n");
    expect(pika(box, ["delgroup", "staff"]).status).toBe(0);
    expect(record(box, "group", "staff")).toBeUndefined();
  });

  it("chpasswd sets hashed or pre-hashed passwords and reports unknown users", () => {
    const pre = crypt("given", "$6$abc");
    const r = pika(box, ["chpasswd"], `daemon:Pw-one-23\nnosuch:x\nnobody:Pw-two-45\n`);
    expect([r.status, r.stderr]).toEqual([1, "chpasswd: unknown user nosuch\n"]);
    expect(verifyPassword("Pw-one-23", record(box, "shadow", "daemon")![1])).toBe(true);
    expect(record(box, "shadow", "nobody")![1].startsWith("$5$")).toBe(true);
    expect(pika(box, ["chpasswd", "-e"], `root:${pre}\n`).status).toBe(0);
    expect(record(box, "shadow", "root")![1]).toBe(pre);
    expect(pika(box, ["chpasswd", "-c", "sha512"], "root:x1Y2z3W4\n").status).toBe(0);
    expect(record(box, "shadow", "root")![1].startsWith("$6$")).toBe(true);
  });

  it("concurrent writers lose no update (the lock serialises them)", async () => {
    const { spawn } = await import("node:child_process");
    const script = 'mount --bind "$1" /etc && mount --bind "$2" /home && shift 2 && for u in "$@"; do ' + PIKA + ' adduser -D -H "$u" & done; wait';
    const names = Array.from({ length: 8 }, (_, i) => `user${i}`);
    await new Promise<void>((resolve) => spawn("unshare", ["--mount", "sh", "-c", script, "sh", box.etc, box.home, ...names]).on("close", () => resolve()));
    for (const n of names) expect(record(box, "passwd", n), n).toBeDefined();
    const uids = names.map((n) => record(box, "passwd", n)![2]);
    expect(new Set(uids).size).toBe(names.length);
    expect(fs.existsSync(path.join(box.etc, "passwd.lock"))).toBe(false);
  });
});
