// Differential tests of the service manager against Debian's openrc 0.45.2
// (test/helpers/debian-openrc.ts: downloaded by build/debian.ts, overlaid on
// /sbin, /bin and /lib in the namespace). Each case runs the same shell text
// twice, in a fresh pid + mount namespace with the same fixture /etc and an
// empty tmpfs /run, once with pika's tools first in PATH and once with
// Debian's; stdout, stderr and the exit status must match, except for the
// known, intended differences normalised away (each says why). Debian's
// package has no start-stop-daemon (Debian's is dpkg's), so that is not compared.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { havePika, PIKA, tempDir } from "../helpers/run.ts";
import { debianOpenrc, type DebianOpenrc } from "../helpers/debian-openrc.ts";

const TOOLS = ["openrc", "openrc-run", "rc-service", "rc-status", "rc-update", "supervise-daemon", "start-stop-daemon"];

async function prepare(): Promise<DebianOpenrc | string> {
  if (!havePika()) return "out/host/pika is not built";
  if (process.getuid?.() !== 0) return "needs root for unshare --mount";
  if (spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "/bin/true"]).status !== 0) return "unshare --pid --mount is unavailable";
  try {
    return await debianOpenrc();
  } catch (e) {
    return `Debian's openrc could not be fetched: ${(e as Error).message.split("\n")[0]}`;
  }
}
const debian = await prepare();
const skip = typeof debian === "string" ? debian : undefined;

const SCRIPTS: Record<string, string> = {
  // A daemon that does not fork, after what it needs.
  foo: `#!/sbin/openrc-run
description="foo service"
command=/bin/sleep
command_args=333
command_background=yes
pidfile=/run/foo.pid
depend() { need bar; }
`,
  bar: `#!/sbin/openrc-run
start() { ebegin "Starting bar"; eend 0; }
`,
  // A config check as an extra command and as start_pre; reload only when started.
  reloadable: `#!/sbin/openrc-run
description="Reloads on demand"
extra_commands="checkconfig"
extra_started_commands="reload"
description_reload="Reload the configuration"
checkconfig() { [ -e /run/good.conf ] || { eerror "no /run/good.conf"; return 1; }; einfo "config ok"; }
start_pre() { checkconfig; }
start() { ebegin "Starting $RC_SVCNAME"; eend 0; }
reload() { ebegin "Reloading $RC_SVCNAME"; eend 0; }
`,
  // A virtual provider and a user of it, ordered by "after".
  lo: `#!/sbin/openrc-run
depend() { provide net; }
start() { ebegin "Bringing up lo"; eend 0; }
`,
  web: `#!/sbin/openrc-run
depend() { need net; after foo; }
start() { ebegin "Starting web"; eend 0; }
stop() { ebegin "Stopping web"; eend 0; }
`,
};

let fixture = "";
let bin = "";

beforeAll(() => {
  if (skip) return;
  fixture = tempDir("pika-openrc-debian-");
  const etc = path.join(fixture, "etc");
  for (const d of ["init.d", "conf.d", "rc.conf.d", "insserv.conf.d", "runlevels/sysinit", "runlevels/boot", "runlevels/default", "runlevels/shutdown", "runlevels/nonetwork"]) {
    fs.mkdirSync(path.join(etc, d), { recursive: true });
  }
  for (const f of ["passwd", "group"]) fs.copyFileSync(`/etc/${f}`, path.join(etc, f));
  fs.writeFileSync(path.join(etc, "rc.conf"), "");
  // Debian's openrc also reads LSB headers through insserv's config; an empty one (and insserv.conf.d) adds nothing.
  fs.writeFileSync(path.join(etc, "insserv.conf"), "");
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(etc, "init.d", name), text, { mode: 0o755 });
  for (const n of ["foo", "web"]) fs.symlinkSync(`/etc/init.d/${n}`, path.join(etc, "runlevels/default", n));
  bin = path.join(fixture, "bin");
  fs.mkdirSync(bin);
  for (const t of TOOLS) fs.symlinkSync(PIKA, path.join(bin, t));
});

afterAll(() => {
  if (fixture) fs.rmSync(fixture, { recursive: true, force: true });
});

// OpenRC's state directories, as `openrc sysinit` leaves them, and a softlevel: a system "booted" by OpenRC.
const BOOTED = "mkdir -p /run/openrc && cd /run/openrc && mkdir -p started starting stopping inactive failed scheduled daemons options exclusive wasinactive hotplugged tmp && echo default > softlevel && cd /";

type Impl = "pika" | "debian";

function runIn(impl: Impl, script: string): { out: string; err: string; status: number | null } {
  const tools = impl === "pika" ? `export PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin\n` : (debian as DebianOpenrc).mountText + "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n";
  const text = `mount --make-rprivate / 2>/dev/null
mount --bind ${fixture}/etc /etc && mount -t tmpfs tmpfs /run || exit 99
${tools}${BOOTED}
${script}`;
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "bash", "--norc", "--noprofile", "-c", text], {
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    env: { PATH: "/usr/bin:/bin", LANG: "C" },
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

/** Known, intended differences, taken out of both outputs. */
function normalise(s: string): string {
  return s
    // Debian's tools say so when they rebuild the dependency cache; pika's cache is silent.
    .replace(/^ \* Caching service dependencies \.\.\. \[ ok \]\n/gm, "")
    // Debian's openrc-run.sh adds a cgroup_cleanup command (Linux cgroups, which pika does not manage).
    .replace(/^ \* cgroup_cleanup: Kill all processes in the cgroup\n/gm, "");
}

function same(script: string): { out: string; err: string } {
  const d = runIn("debian", script), p = runIn("pika", script);
  expect(normalise(p.out), `pika stderr:\n${p.err}`).toBe(normalise(d.out));
  expect(normalise(p.err)).toBe(normalise(d.err));
  expect(p.status).toBe(d.status);
  return p;
}

describe.skipIf(!!skip)(`service manager against Debian's openrc${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("rc-service start, status and stop of a daemon that needs another; rc-status after each", () => {
    const r = same(`
rc-service foo start; echo "start=$?"
rc-service foo status; echo "status=$?"
[ -e /proc/$(cat /run/foo.pid) ] && echo running
rc-status; echo "rc-status=$?"
rc-service foo start; echo "again=$?"
rc-service foo stop; echo "stop=$?"
rc-service foo status; echo "status=$?"
# Not -a: Debian lists the runlevels in readdir order, pika sorted (intended: the same on every filesystem).
rc-status default; echo "rc-status=$?"`);
    // Not a comparison of two empty outputs.
    expect(r.out).toContain(" * Starting bar ... [ ok ]\n * Starting foo ... [ ok ]\nstart=0\n * status: started\nstatus=0\nrunning\n");
  });

  it("openrc-run SCRIPT CMD: describe, extra commands, a failing start_pre, started-only commands", () => {
    const r = same(`
openrc-run /etc/init.d/reloadable describe; echo "describe=$?"
openrc-run /etc/init.d/reloadable reload; echo "reload=$?"
openrc-run /etc/init.d/reloadable start; echo "start=$?"
touch /run/good.conf
openrc-run /etc/init.d/reloadable checkconfig; echo "check=$?"
openrc-run /etc/init.d/reloadable start; echo "start=$?"
openrc-run /etc/init.d/reloadable reload; echo "reload=$?"
openrc-run /etc/init.d/reloadable start; echo "again=$?"
openrc-run /etc/init.d/reloadable frobnicate; echo "frob=$?"
openrc-run /etc/init.d/reloadable zap; echo "zap=$?"
openrc-run /etc/init.d/reloadable status; echo "status=$?"`);
    expect(r.err).toContain(" * reloadable: cannot `reload' as it has not been started\n");
  });

  it("openrc default: dependency order with a virtual provider; rc-status; rc-service -l, -e, -r", () => {
    const r = same(`
openrc default; echo "openrc=$?"
rc-status; ls /run/openrc/started
rc-service -l; rc-service -e web; echo "e=$?"; rc-service -e nope; echo "e=$?"; rc-service -r web
rc-service web restart; echo "restart=$?"`);
    expect(r.out).toContain(" * Bringing up lo ... [ ok ]\n");
  });

  it("rc-status -s lists every service (in Debian's readdir order: compared sorted)", () => {
    const d = runIn("debian", "rc-service reloadable start >/dev/null 2>&1; touch /run/good.conf; rc-service reloadable start; rc-status -s");
    const p = runIn("pika", "rc-service reloadable start >/dev/null 2>&1; touch /run/good.conf; rc-service reloadable start; rc-status -s");
    const sorted = (s: string) => normalise(s).split("\n").sort().join("\n");
    expect(sorted(p.out)).toBe(sorted(d.out));
    expect(p.out).toMatch(/^ reloadable +\[  started  \]$/m);
  });

  it("rc-service with an unknown service: the same status, pika's message in its `applet: message` form", () => {
    const d = runIn("debian", "rc-service nope start; echo \"status=$?\"");
    const p = runIn("pika", "rc-service nope start; echo \"status=$?\"");
    expect(p.out).toBe(d.out);
    // Intended: Debian's is " * rc-service: service `nope' does not exist" (eerror); pika's bad-input messages are `applet: message`.
    expect(d.err).toContain(" * rc-service: service `nope' does not exist\n");
    expect(p.err).toBe("rc-service: service `nope' does not exist\n");
  });
});
