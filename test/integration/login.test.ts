// login and su: a real terminal (node-pty) drives login through its prompts
// in a mount namespace whose /etc is a fixture; su is compared with
// busybox-static's su on the same fixture.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crypt } from "../../lib/crypt.ts";
import { BUSYBOX, PIKA, tempDir } from "../helpers/run.ts";

const require = createRequire(import.meta.url);
const pty = require("node-pty") as typeof import("node-pty");

let etc = "";
let home = "";
let pikaSh = "";
beforeAll(() => {
  // A user whose login shell is pika's own sh, reached through a link named "sh".
  const links = tempDir("pika-login-bin-");
  fs.chmodSync(links, 0o755);
  pikaSh = path.join(links, "sh");
  fs.symlinkSync(PIKA, pikaSh);
  etc = tempDir("pika-login-etc-");
  fs.chmodSync(etc, 0o755); // readable by the users who log in
  home = tempDir("pika-login-home-");
  fs.chmodSync(home, 0o755);
  fs.chownSync(home, 1000, 1000);
  const alice = crypt("S3cret-pw", "$6$fixturesalt");
  fs.writeFileSync(path.join(etc, "passwd"), [
    "root:x:0:0:root:/root:/bin/sh",
    `alice:x:1000:1000:Alice:${home}:/bin/sh`,
    "locked:x:1001:1001::/:/bin/sh",
    "open:x:1002:1002::/:/bin/sh",
    `pk:x:1003:1003::/:${pikaSh}`,
    "",
  ].join("\n"));
  fs.writeFileSync(path.join(etc, "shadow"), `root:${crypt("R00t-pw", "$5$rootsalt")}:1::::::\nalice:${alice}:1::::::\nlocked:!${alice}:1::::::\nopen::1::::::\npk::1::::::\n`);
  fs.chmodSync(path.join(etc, "shadow"), 0o640);
  fs.writeFileSync(path.join(etc, "group"), "root:x:0:\nalice:x:1000:\nlocked:x:1001:\nwheel:x:10:alice\nopen:x:1002:\n");
  fs.writeFileSync(path.join(etc, "motd"), "Message of the day\n");
  fs.writeFileSync(path.join(etc, "securetty"), "console\nttyS0\n");
});
afterAll(() => {
  fs.rmSync(etc, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

/** A terminal session of `pika login` under the fixture /etc; `steps` answer prompts. */
async function loginSession(steps: [RegExp, string][], args: string[] = []): Promise<{ out: string; code: number }> {
  const t = pty.spawn("unshare", ["--mount", "sh", "-c", `mount --bind "$0" /etc && exec "$@"`, etc, PIKA, "login", ...args], {
    env: { PATH: "/usr/bin:/bin", TERM: "xterm", LOGIN_TIMEOUT: "30" },
  });
  let out = "";
  t.onData((d) => (out += d));
  const exited = new Promise<number>((r) => t.onExit((e) => r(e.exitCode)));
  let seen = 0;
  for (const [re, answer] of steps) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const m = re.exec(out.slice(seen));
      if (m) {
        seen += m.index + m[0].length;
        break;
      }
      if (Date.now() > deadline) {
        t.kill();
        throw new Error(`no ${re} in ${JSON.stringify(out)}`);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    t.write(answer);
  }
  const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => (t.kill(), r(-1)), 20_000))]);
  return { out, code };
}

describe("login on a terminal", () => {
  it("logs a user in with the right password, after a wrong one, as a login shell", async () => {
    const { out, code } = await loginSession([
      [/login: $/, "alice\r"],
      [/Password: $/, "wrong\r"],
      [/Login incorrect\r\n.*login: $/, "alice\r"],
      [/Password: $/, "S3cret-pw\r"],
      [/\$ $/, "id; echo \"HOME=$HOME USER=$USER LOGNAME=$LOGNAME SHELL=$SHELL PATH=$PATH ARG0=$0 PWD=$(pwd)\"; exit\r"],
    ]);
    expect(code).toBe(0);
    expect(out).not.toContain("wrong"); // the password is not echoed
    expect(out).toContain("Message of the day");
    expect(out).toContain("uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel)");
    expect(out).toContain(`HOME=${home} USER=alice LOGNAME=alice SHELL=/bin/sh PATH=/bin:/usr/bin ARG0=-sh PWD=${home}`);
  }, 60_000);

  it("a locked account, an unknown user and an empty name never log in; three failures end login", async () => {
    const { out, code } = await loginSession([
      [/login: $/, "locked\r"],
      [/Password: $/, "S3cret-pw\r"],
      [/Login incorrect\r\n.*login: $/, "nosuch\r"],
      [/Password: $/, "x\r"],
      [/Login incorrect\r\n.*login: $/, "\r"],
      [/login: $/, "alice\r"],
      [/Password: $/, "nope\r"],
    ]);
    expect(out.match(/Login incorrect/g)?.length).toBe(3);
    expect(code).toBe(1);
  }, 60_000);

  it("an empty password logs in without asking; root is refused on a terminal not in /etc/securetty", async () => {
    const open = await loginSession([[/login: $/, "open\r"], [/\$ $/, "echo IN-AS-$(id -un); exit\r"]]);
    expect(open.out).not.toContain("Password:");
    expect(open.out).toContain("IN-AS-open");
    const root = await loginSession([[/Password: $/, "R00t-pw\r"]], ["root"]);
    expect(root.out).toContain("Login incorrect");
  }, 60_000);
});

describe("login into pika's own sh", () => {
  it("starts it as a login shell (argv[0] \"-sh\") that reads /etc/profile", async () => {
    fs.writeFileSync(path.join(etc, "profile"), "export FROM_PROFILE=yes\n");
    const { out, code } = await loginSession([
      [/login: $/, "pk\r"],
      [/\$ $/, 'echo "ARG0=$0 PROFILE=$FROM_PROFILE UID=$(id -u)"; exit 3\r'],
    ]);
    expect(out).toContain("ARG0=-sh PROFILE=yes UID=1003");
    expect(code).toBe(3);
  }, 60_000);
});

describe("su against busybox", () => {
  const su = (bin: string, args: string[]) => {
    const r = spawnSync("unshare", ["--mount", "sh", "-c", `mount --bind "$0" /etc && exec "$@"`, etc, bin, "su", ...args], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", TERM: "dumb", HOME: "/root", USER: "root", LOGNAME: "root", SHELL: "/bin/bash", KEEP: "kept" },
      cwd: "/",
      timeout: 20_000,
    });
    return { stdout: r.stdout, stderr: r.stderr.split("\n")[0].replace(/^.*?su: /, "su: "), status: r.status };
  };
  const report = 'id; echo "HOME=$HOME USER=$USER LOGNAME=$LOGNAME SHELL=$SHELL KEEP=$KEEP ARG0=$0 PWD=$(pwd)"';
  const cases: [string, string[]][] = [
    ["root runs a command as alice without a password", ["alice", "-c", report]],
    ["- is a login: clean environment, home directory", ["-", "alice", "-c", report]],
    ["-l as -", ["-l", "alice", "-c", report]],
    ["-m keeps the environment", ["-m", "alice", "-c", report]],
    ["-s picks the shell", ["-s", "/bin/dash", "alice", "-c", report]],
    ["arguments after -c are $0 and $1", ["alice", "-c", 'echo "$0 $1"', "zero", "one"]],
    ["an unknown user", ["nosuch", "-c", "true"]],
    ["the command's status comes back", ["alice", "-c", "exit 7"]],
  ];
  for (const [name, args] of cases) {
    it(name, () => {
      expect(su(PIKA, args)).toEqual(su(BUSYBOX, args));
    });
  }
});
