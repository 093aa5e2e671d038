// The service manager against real init scripts, in a private pid + mount
// namespace: /etc is a fixture tree (bind-mounted), /run a tmpfs, so the
// real paths (/etc/init.d, /etc/conf.d, /etc/runlevels, /run/openrc) are
// used. Every daemon dies with the namespace when a case ends.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { havePika, PIKA, ROOT, tempDir } from "../helpers/run.ts";

const APPLETS = ["openrc", "openrc-run", "rc-service", "rc-update", "rc-status", "service", "start-stop-daemon", "supervise-daemon"];

function unavailable(): string | undefined {
  if (!havePika()) return "out/host/pika is not built";
  if (process.getuid?.() !== 0) return "needs root for unshare --mount";
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "/bin/true"]);
  if (r.status !== 0) return "unshare --pid --mount is unavailable";
  return undefined;
}
const skip = unavailable();

// Init scripts in the styles distributions write them.
const SCRIPTS: Record<string, string> = {
  // A daemon that does not fork: backgrounded, pidfile made for it; needs the virtual "net".
  sleeper: `#!/sbin/openrc-run
description="A sleeping daemon"
command=/bin/sleep
command_args="$SLEEP_TIME"
command_background=yes
pidfile=/run/sleeper.pid
extra_started_commands="reload"
description_reload="Pretend to reload"
depend() {
	need net
	after logger
}
reload() {
	ebegin "Reloading $RC_SVCNAME"
	echo reload >> /run/order.log
	eend 0
}
start_post() { echo "sleeper $RC_CMD $RC_RUNLEVEL" >> /run/order.log; }
`,
  // A forking daemon that writes its own pidfile; quoting in command_args.
  forker: `#!/sbin/openrc-run
command=/bin/sh
command_args="-c 'sleep 302 & echo \\$! > /run/forker.pid'"
pidfile=/run/forker.pid
retry="TERM/2/KILL/2"
`,
  // Provides net.
  lo: `#!/sbin/openrc-run
depend() { provide net; }
start() { ebegin "Bringing up lo"; echo lo >> /run/order.log; eend 0; }
stop() { ebegin "Taking down lo"; echo lo-down >> /run/order.log; eend 0; }
`,
  logger: `#!/sbin/openrc-run
depend() { before sleeper; }
start() { echo logger >> /run/order.log; mark_service_started; }
`,
  // A configuration check that fails.
  checked: `#!/sbin/openrc-run
command=/bin/sleep
command_args=303
command_background=true
pidfile=/run/checked.pid
start_pre() {
	if [ ! -f /etc/checked.conf ]; then
		eerror "/etc/checked.conf is missing"
		return 1
	fi
}
`,
  failing: `#!/sbin/openrc-run
start() {
	ebegin "Starting the failing one"
	false
	eend $? "it broke"
}
`,
  // Supervised: restarted when it dies.
  sup: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sh
command_args="-c 'echo run >> /run/sup.log; exec sleep 306'"
respawn_delay=0
respawn_max=3
respawn_period=10
`,
  // Supervised beside sup: shares its supervisor.
  sup2: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sleep
command_args=313
`,
  // Supervised, crashing in a loop and never given up on.
  crashy: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sh
command_args="-c 'echo run >> /run/crashy.log; sleep 0.1; exit 1'"
respawn_max=0
`,
  // Supervised, dying at once: given up after respawn_max restarts.
  // Output through logger programs (output_logger, error_logger), backgrounded and supervised.
  piped: `#!/sbin/openrc-run
command=/bin/sh
command_args="-c 'echo out-line; echo err-line >&2; exec sleep 300'"
command_background=yes
pidfile=/run/piped.pid
output_logger="while read -r l; do echo OUT:\\$l >> /run/piped.log; done"
error_logger="while read -r l; do echo ERR:\\$l >> /run/piped.log; done"
`,
  spiped: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sh
command_args="-c 'echo out-line; echo err-line >&2; exec sleep 300'"
output_logger="while read -r l; do echo OUT:\\$l >> /run/spiped.log; done"
error_logger="while read -r l; do echo ERR:\\$l >> /run/spiped.log; done"
`,
  flappy: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sh
command_args="-c 'echo run >> /run/flappy.log; exit 3'"
error_log=/run/flappy.err
respawn_max=2
`,
  // Supervised with a health check every second; sick while /run/sick exists.
  healthy: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sleep
command_args=307
healthcheck_timer=1
error_log=/run/healthy.err
healthcheck() {
	echo check >> /run/health.log
	[ ! -e /run/sick ]
}
unhealthy() { echo "unhealthy $RC_SVCNAME" >> /run/health.log; }
`,
  // Supervised; stopped by its retry schedule, whose first signal it answers by leaving.
  stubborn: `#!/sbin/openrc-run
supervisor=supervise-daemon
command=/bin/sh
command_args="-c 'trap \\"echo got-usr1 >> /run/stubborn.log; exit 0\\" USR1; echo up >> /run/stubborn.log; while :; do sleep 0.1; done'"
retry="USR1/5/KILL/5"
`,
  // Slow to start: concurrent starts must not both run it.
  once: `#!/sbin/openrc-run
command=/bin/sleep
command_args=308
command_background=yes
pidfile=/run/once.pid
start_pre() { echo start >> /run/once.log; sleep 1; }
`,
  // Each waits (up to 10 s) for the other to have begun: only a parallel start lets both see it.
  slowa: `#!/sbin/openrc-run
start() {
	touch /run/slowa.begun
	for i in $(seq 100); do [ -e /run/slowb.begun ] && break; sleep 0.1; done
	[ -e /run/slowb.begun ] && echo "slowa saw slowb" >> /run/par.log
	echo slowa >> /run/par.log
}
`,
  slowb: `#!/sbin/openrc-run
start() {
	touch /run/slowb.begun
	for i in $(seq 100); do [ -e /run/slowa.begun ] && break; sleep 0.1; done
	[ -e /run/slowa.begun ] && echo "slowb saw slowa" >> /run/par.log
	echo slowb >> /run/par.log
}
`,
  afterboth: `#!/sbin/openrc-run
depend() { after slowa slowb; }
start() { echo afterboth >> /run/par.log; }
`,
  cyca: `#!/sbin/openrc-run
depend() { need cycb; }
start() { echo cyca >> /run/order.log; }
`,
  cycb: `#!/sbin/openrc-run
depend() { need cyca; }
start() { echo cycb >> /run/order.log; }
`,
  broken: `#!/sbin/openrc-run
start() {
	if then
}
`,
  // Multiplexed: iface.eth0 is a link to this script.
  iface: `#!/sbin/openrc-run
start() { einfo "iface=\${RC_SVCNAME#iface.} base=$BASE own=$OWN"; }
`,
  values: `#!/sbin/openrc-run
start() { service_set_value answer 42; }
status() { service_get_value answer; }
`,
  asuser: `#!/sbin/openrc-run
command=/bin/sleep
command_args=304
command_background=yes
command_user=nobody
pidfile=/run/asuser.pid
directory=/tmp
`,
};

// Needs a YAML service with a ready file: started only once the file is there.
SCRIPTS.rafter = `#!/sbin/openrc-run
depend() { need rfile; }
start() { [ -e /run/rfile.ready ] && echo "rfile was ready" > /run/rafter.out; }
`;

// Native services (/etc/pika/services): the same tools, declared in YAML.
const NATIVE: Record<string, string> = {
  // Supervised, as another user, in a directory, with its environment; needs the virtual "net".
  ydaemon: `description: A YAML daemon
command: /bin/sh
args: [-c, 'echo "$GREETING $0 $(id -un) $(pwd)"; exec sleep 311', yarg]
user: nobody
directory: /tmp
environment:
  GREETING: hello
depends:
  need: net
  after: [logger]
runlevels: [yaml]
respawn:
  delay: 0
  max: 3
output_log: /run/ydaemon.out
`,
  // Not supervised: start-stop-daemon -b with a pidfile; ordered against init scripts.
  yorder: `command: /bin/sleep
args: 312
supervise: false
pidfile: /run/yorder.pid
depends:
  after: logger
  before: [sleeper]
runlevels: yaml
stop_signal: INT
`,
  // A wrong type: only this service fails, with the file, line and field.
  ybad: `command: /bin/sleep
args: [313]
respawn:
  max: lots
runlevels: [yaml]
`,
  ynocmd: `comand: /bin/true
`,
  // Readiness: each writes its sign a second after it starts, so a start that did not wait finds none.
  rfile: `command: /bin/sh
args: [-c, 'sleep 1; touch /run/rfile.ready; exec sleep 321']
ready: {file: /run/rfile.ready, timeout: 20}
`,
  rport: `command: /bin/sh
args: [-c, 'sleep 1; exec busybox nc -ll -p 47391 -e /bin/true']
supervise: false
ready:
  port: 47391
`,
  rnotify: `command: /bin/sh
args: [-c, 'sleep 1; touch /run/rnotify.mark; echo >&4; exec sleep 323']
ready:
  notify: fd 4
  timeout: 20
`,
  rslow: `command: /bin/sleep
args: [324]
ready: {file: /run/never, timeout: 1}
`,
  rbad1: `command: /bin/sleep
ready:
  port: http
  timeout: 0
`,
  rbad2: `command: /bin/sleep
ready: {file: /run/x, port: 80}
`,
  rbad3: `command: /bin/sleep
ready: {notify: fd 1}
`,
  yhealth: `command: /bin/sleep
args: [314]
healthcheck:
  command: echo check >> /run/health.log; [ ! -e /run/sick ]
  interval: 1
  delay: 0
  unhealthy: [sh, -c, 'echo "unhealthy $RC_SVCNAME" >> /run/health.log']
`,
};

let fixture = "";

beforeAll(() => {
  if (skip) return;
  fixture = tempDir("pika-openrc-");
  const etc = path.join(fixture, "etc");
  for (const d of ["init.d", "conf.d", "pika/services", "runlevels/sysinit", "runlevels/boot", "runlevels/default", "runlevels/shutdown", "runlevels/net", "runlevels/par", "runlevels/yaml"]) {
    fs.mkdirSync(path.join(etc, d), { recursive: true });
  }
  for (const f of ["passwd", "group"]) fs.copyFileSync(`/etc/${f}`, path.join(etc, f));
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(etc, "init.d", name), text, { mode: 0o755 });
  for (const [name, text] of Object.entries(NATIVE)) fs.writeFileSync(path.join(etc, "pika/services", `${name}.yaml`), text);
  fs.symlinkSync("iface", path.join(etc, "init.d", "iface.eth0"));
  fs.writeFileSync(path.join(etc, "conf.d", "sleeper"), "SLEEP_TIME=301\n");
  fs.writeFileSync(path.join(etc, "conf.d", "iface"), "BASE=from-iface\nOWN=base\n");
  fs.writeFileSync(path.join(etc, "conf.d", "iface.eth0"), "OWN=eth0\n");
  fs.writeFileSync(path.join(etc, "rc.conf"), "");
  for (const n of ["slowa", "slowb", "afterboth"]) fs.symlinkSync(`/etc/init.d/${n}`, path.join(etc, "runlevels/par", n));
  const bin = path.join(fixture, "bin");
  fs.mkdirSync(bin);
  for (const a of APPLETS) fs.symlinkSync(PIKA, path.join(bin, a));
});

afterAll(() => {
  if (fixture) fs.rmSync(fixture, { recursive: true, force: true });
});

/** Run a bash script in a fresh namespace with the fixture as /etc and an empty /run. */
function inNamespace(script: string, setup = ""): { out: string; err: string; status: number | null } {
  const text = `set -u
mount --make-rprivate / 2>/dev/null
mount --bind ${fixture}/etc /etc && mount -t tmpfs tmpfs /run || exit 99
export PATH=${fixture}/bin:/usr/bin:/bin LANG=C
${setup}
${script}`;
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--kill-child", "bash", "--norc", "--noprofile", "-c", text], {
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    env: { PATH: "/usr/bin:/bin" },
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

describe.skipIf(!!skip)(`openrc service manager${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("openrc-run starts a backgrounded daemon after what it needs, and stops it", () => {
    const r = inNamespace(`
openrc-run /etc/init.d/sleeper start; echo "start=$?"
echo "started: $(ls /run/openrc/started | tr '\\n' ' ')"
pid=$(cat /run/sleeper.pid); echo "cmdline: $(tr '\\0' ' ' < /proc/$pid/cmdline)"
rc-service sleeper status; echo "status=$?"
rc-service sleeper start; echo "again=$?"
rc-service sleeper reload; echo "reload=$?"
rc-service sleeper stop; echo "stop=$?"
[ -e /proc/$pid ] && echo alive || echo gone
[ -e /run/sleeper.pid ] && echo pidfile-left || echo pidfile-removed
rc-service sleeper status; echo "status=$?"
rc-service sleeper reload; echo "reload=$?"
cat /run/order.log`);
    expect(r.status).toBe(0);
    expect(r.out, r.err).toContain(" * Bringing up lo ... [ ok ]\n * Starting sleeper ... [ ok ]\nstart=0\n");
    expect(r.out, r.err).toContain("started: lo sleeper \n");
    expect(r.out, r.err).toContain("cmdline: /bin/sleep 301 \n");
    expect(r.out, r.err).toContain(" * status: started\nstatus=0\n");
    expect(r.err).toContain(" * WARNING: sleeper has already been started\n");
    expect(r.out, r.err).toContain("again=0\n * Reloading sleeper ... [ ok ]\nreload=0\n * Stopping sleeper ... [ ok ]\nstop=0\ngone\npidfile-removed\n");
    expect(r.out, r.err).toContain(" * status: stopped\nstatus=3\n");
    expect(r.err).toContain(" * sleeper: cannot `reload' as it has not been started\n");
    expect(r.out, r.err).toContain("reload=1\n");
    expect(r.out, r.err).toContain("lo\nsleeper start none\nreload\n");
  });

  it("a forking daemon's own pidfile; command_args with quotes; stop by pidfile with a retry schedule", () => {
    const r = inNamespace(`
rc-service forker start; echo "start=$?"
pid=$(cat /run/forker.pid); tr '\\0' ' ' < /proc/$pid/cmdline; echo
rc-service forker stop; echo "stop=$?"
[ -e /proc/$pid ] && echo alive || echo gone`);
    expect(r.out, r.err).toContain(" * Starting forker ... [ ok ]\nstart=0\nsleep 302 \n * Stopping forker ... [ ok ]\nstop=0\ngone\n");
  });

  it("a failing start_pre fails the start with its message; the service is marked failed", () => {
    const r = inNamespace(`
rc-service checked start; echo "start=$?"
ls /run/openrc/failed; ls /run/openrc/started 2>/dev/null | grep -c checked
[ -e /run/checked.pid ] && echo has-pidfile || echo no-pidfile
touch /etc/checked.conf 2>/dev/null || true`);
    expect(r.err).toContain(" * /etc/checked.conf is missing\n");
    expect(r.err).toContain(" * ERROR: checked failed to start\n");
    expect(r.out, r.err).toContain("start=1\nchecked\n0\nno-pidfile\n");
  });

  it("eend's failure output is OpenRC's, byte for byte", () => {
    const r = inNamespace(`rc-service failing start; echo "start=$?"`);
    expect(r.out).toBe(` * Starting the failing one ... * it broke\n${" ".repeat(62)}[ !! ]\nstart=1\n`);
    expect(r.err).toBe(" * ERROR: failing failed to start\n");
  });

  it("a script with a syntax error fails alone, with a message naming the file", () => {
    const r = inNamespace(`
rc-update add broken default >/dev/null; rc-update add lo default >/dev/null
openrc default; echo "openrc=$?"
rc-service broken start; echo "start=$?"
ls /run/openrc/started; ls /run/openrc/failed`);
    fs.rmSync(path.join(fixture, "etc/runlevels/default/broken"), { force: true });
    fs.rmSync(path.join(fixture, "etc/runlevels/default/lo"), { force: true });
    expect(r.err).toMatch(/\/etc\/init\.d\/broken: line 3: syntax error/);
    expect(r.out, r.err).toContain("openrc=1\n");
    expect(r.out, r.err).toContain("start=1\nlo\nbroken\n");
  });

  it("openrc RUNLEVEL starts in dependency order, reports a cycle, and stops what the next level does not want", () => {
    const r = inNamespace(`
for s in sleeper logger cyca cycb; do rc-update add $s default; done
rc-update add lo boot
rc-update show
openrc default; echo "openrc=$?"
cat /run/order.log; echo ---
cat /run/openrc/softlevel
rc-status
rc-update del sleeper default
openrc default; echo "openrc=$?"
[ -e /proc/$(cat /run/sleeper.pid 2>/dev/null || echo 999999) ] && echo alive || echo gone
rc-status -r; rc-status -l | tr '\\n' ' '; echo
openrc shutdown >/dev/null 2>&1; echo "shutdown=$?"; ls /run/openrc/started | wc -l`);
    for (const s of ["sleeper", "logger", "cyca", "cycb"]) fs.rmSync(path.join(fixture, "etc/runlevels/default", s), { force: true });
    fs.rmSync(path.join(fixture, "etc/runlevels/boot/lo"), { force: true });
    expect(r.out, r.err).toContain(" * service sleeper added to runlevel default\n");
    expect(r.out, r.err).toContain("                cyca | default\n                cycb | default\n                  lo | boot\n              logger | default\n             sleeper | default\n");
    expect(r.err).toContain(" * ERROR: dependency cycle: cyca -> cycb -> cyca\n");
    expect(r.out, r.err).toContain("openrc=0\n");
    // lo (boot, provides net) first; logger before sleeper; the cycle broken the same way every time.
    expect(r.out, r.err).toContain("lo\nlogger\nsleeper start default\ncyca\ncycb\n---\ndefault\n");
    expect(r.out).toMatch(/Runlevel: default\n cyca +\[  started  \]\n cycb +\[  started  \]\n logger +\[  started  \]\n sleeper +\[  started  \]\n/);
    expect(r.out, r.err).toContain(" * service sleeper removed from runlevel default\n");
    expect(r.out, r.err).toContain(" * Stopping sleeper ... [ ok ]\nopenrc=0\ngone\ndefault\nboot default net par shutdown sysinit yaml \nshutdown=0\n0\n");
  });

  it("rc_parallel starts what does not depend on each other at once, and the rest after", () => {
    const r = inNamespace(`
echo 'rc_parallel="YES"' > /etc/rc.conf
openrc par; echo "openrc=$?"
: > /etc/rc.conf
grep slow /run/par.log | sort; tail -1 /run/par.log`);
    expect(r.out, r.err).toContain("openrc=0\n");
    // Each saw the other begin (so they ran at once), and afterboth came last.
    expect(r.out, r.err).toContain("openrc=0\nslowa\nslowa saw slowb\nslowb\nslowb saw slowa\nafterboth\n");
  });

  it("multiplexed names load conf.d for the base name, then for the full name", () => {
    const r = inNamespace(`rc-service iface.eth0 start; ls /run/openrc/started`);
    expect(r.out, r.err).toContain(" * iface=eth0 base=from-iface own=eth0\niface.eth0\n");
  });

  it("service_set_value and service_get_value; zap; describe", () => {
    const r = inNamespace(`
rc-service values start; rc-service values status; echo
rc-service values zap; ls /run/openrc/started | wc -l
rc-service sleeper describe`);
    expect(r.out, r.err).toContain("42\n * Manually resetting values to stopped state\n0\n * A sleeping daemon\n * reload: Pretend to reload\n");
  });

  it("command_user and directory: the daemon runs as that user, in that directory; crash is noticed", () => {
    const r = inNamespace(`
rc-service asuser start; echo "start=$?"
pid=$(cat /run/asuser.pid)
stat -c %U /proc/$pid; readlink /proc/$pid/cwd
kill $pid; sleep 0.2
rc-service asuser status; echo "status=$?"
rc-status -s | grep asuser`);
    expect(r.out, r.err).toContain("start=0\nnobody\n/tmp\n");
    expect(r.err).toContain(" * status: crashed\n");
    expect(r.out, r.err).toContain("status=32\n");
    expect(r.out).toMatch(/ asuser +\[  crashed  \]\n/);
  });

  it("start-stop-daemon on its own: -S -b -m -p -x, already running, -K -R, --test", () => {
    const r = inNamespace(`
start-stop-daemon -S -b -m -p /run/s.pid -x /bin/sleep -- 305; echo "start=$?"
start-stop-daemon -S -b -m -p /run/s.pid -x /bin/sleep -- 305; echo "again=$?"
start-stop-daemon -K -t -x /bin/sleep | sed 's/[0-9]*$/N/'
start-stop-daemon -K -p /run/s.pid -R TERM/1/KILL/1; echo "stop=$?"
start-stop-daemon -K -x /bin/sleep; echo "nothing=$?"
start-stop-daemon -K 2>&1 | head -1`);
    expect(r.out, r.err).toContain("start=0\nagain=1\nWould send signal 15 to N\nstop=0\nnothing=0\n");
    expect(r.err).toContain("start-stop-daemon: /bin/sleep is already running\n");
    expect(r.out, r.err).toContain("start-stop-daemon: --stop needs --exec, --pidfile, --name or --user\n");
  });

  it("supervise-daemon restarts a supervised command that dies, and stops it with its supervisor", () => {
    const r = inNamespace(`
rc-service sup start; echo "start=$?"
sup=$(cat /run/supervise-sup.pid); child=$(cat /run/openrc/options/sup/child_pid)
tr '\\0' ' ' < /proc/$child/cmdline; echo
kill $child
for i in $(seq 50); do [ "$(cat /run/openrc/options/sup/child_pid)" != "$child" ] && break; sleep 0.1; done
sleep 0.2; cat /run/sup.log
new=$(cat /run/openrc/options/sup/child_pid); [ "$new" != "$child" ] && [ -e /proc/$new ] && echo respawned
rc-service sup stop; echo "stop=$?"
[ -e /proc/$sup ] || [ -e /proc/$new ] && echo left || echo all-gone`);
    expect(r.out, r.err).toContain(" * Starting sup ... [ ok ]\nstart=0\nsleep 306 \nrun\nrun\nrespawned\n * Stopping sup ... [ ok ]\nstop=0\nall-gone\n");
  });

  // The supervisor processes in the namespace: their pids, one a line.
  const SERVERS = `servers() { for c in /proc/[0-9]*/cmdline; do { tr '\\0' ' ' < $c; } 2>/dev/null | grep -q '^supervise-daemon --server' && basename \${c%/cmdline}; done; }`;

  it("one supervisor for all: two services share it, and one crashing in a loop leaves the other alone", () => {
    const r = inNamespace(`${SERVERS}
rc-service sup start; rc-service sup2 start; rc-service crashy start; echo "started=$?"
echo "servers=$(servers | wc -l)"
[ "$(cat /run/supervise-sup.pid)" = "$(servers)" ] && [ "$(cat /run/supervise-sup2.pid)" = "$(servers)" ] && echo "pidfiles hold it"
child=$(cat /run/openrc/options/sup2/child_pid)
for i in $(seq 200); do [ "$(wc -l < /run/crashy.log)" -ge 5 ] && break; sleep 0.1; done
[ "$(wc -l < /run/crashy.log)" -ge 5 ] && echo "crashy respawned"
[ "$(cat /run/openrc/options/sup2/child_pid)" = "$child" ] && [ -e /proc/$child ] && echo "sup2 untouched"
rc-service sup2 status; rc-service crashy status
rc-service crashy stop; rc-service sup stop; echo "servers=$(servers | wc -l)"
rc-service sup2 stop; echo "stop=$?"
for i in $(seq 50); do [ -z "$(servers)" ] && break; sleep 0.1; done; echo "servers=$(servers | wc -l)"`);
    expect(r.out, r.err).toContain("started=0\nservers=1\npidfiles hold it\ncrashy respawned\nsup2 untouched\n * status: started\n * status: started\n");
    expect(r.out, r.err).toContain("servers=1\n * Stopping sup2 ... [ ok ]\nstop=0\nservers=0\n");
  });

  it("supervise-daemon NAME --signal SIG sends SIG to the supervised command", () => {
    const r = inNamespace(`
rc-service stubborn start; echo "start=$?"
for i in $(seq 100); do [ -s /run/stubborn.log ] && break; sleep 0.1; done
supervise-daemon stubborn --signal USR1; echo "signal=$?"
for i in $(seq 100); do [ "$(grep -c up /run/stubborn.log)" -ge 2 ] && break; sleep 0.1; done
cat /run/stubborn.log
supervise-daemon nosuch --signal USR1; echo "nosuch=$?"
rc-service stubborn stop; echo "stop=$?"`);
    expect(r.out, r.err).toContain("start=0\nsignal=0\nup\ngot-usr1\nup\nnosuch=1\n");
    expect(r.err).toContain("supervise-daemon: nosuch: not supervised\n");
    expect(r.out, r.err).toContain("stop=0\n");
  });

  it("a supervisor killed with SIGKILL leaves its services running; the next start adopts them", () => {
    const r = inNamespace(`${SERVERS}
rc-service sup start; echo "start=$?"
old=$(servers); child=$(cat /run/openrc/options/sup/child_pid)
kill -9 $old; for i in $(seq 50); do [ -e /proc/$old ] || break; sleep 0.1; done
[ -e /proc/$child ] && echo "child survived"
rc-service sup status
rc-service sup2 start; echo "start=$?"
new=$(servers); [ -n "$new" ] && [ "$new" != "$old" ] && [ "$(cat /run/supervise-sup.pid)" = "$new" ] && echo adopted
rc-service sup status
kill $child
for i in $(seq 50); do [ "$(cat /run/openrc/options/sup/child_pid)" != "$child" ] && break; sleep 0.1; done
respawned=$(cat /run/openrc/options/sup/child_pid); [ "$respawned" != "$child" ] && [ -e /proc/$respawned ] && echo respawned
rc-service sup stop; rc-service sup2 stop; echo "stop=$?"
[ -e /proc/$respawned ] && echo alive || echo gone`);
    expect(r.out, r.err).toContain("start=0\nchild survived\n");
    expect(r.err).toContain(" * status: crashed\n");
    expect(r.out, r.err).toContain(" * Starting sup2 ... [ ok ]\nstart=0\nadopted\n * status: started\nrespawned\n");
    expect(r.out, r.err).toContain("stop=0\ngone\n");
  });

  it("output_logger and error_logger pipe a daemon's output into programs, under start-stop-daemon and supervise-daemon", () => {
    const r = inNamespace(`
rc-service piped start; echo "start=$?"
rc-service spiped start; echo "sstart=$?"
for f in piped spiped; do
  for i in $(seq 100); do [ "$(wc -l < /run/$f.log 2>/dev/null)" = 2 ] && break; sleep 0.1; done
  sort /run/$f.log | tr '\n' ' '; echo
done
rc-service piped stop; echo "stop=$?"
rc-service spiped stop; echo "sstop=$?"`);
    expect(r.out, r.err).toContain("start=0\n");
    expect(r.out, r.err).toContain("sstart=0\n");
    expect(r.out, r.err).toContain("ERR:err-line OUT:out-line \nERR:err-line OUT:out-line \n");
    expect(r.out, r.err).toContain("stop=0\n");
    expect(r.out, r.err).toContain("sstop=0\n");
  });

  it("supervise-daemon gives up after respawn_max restarts; the service shows as crashed", () => {
    const r = inNamespace(`
rc-service flappy start; echo "start=$?"
# Up to 25 s for three runs and the give-up: the machine may be loaded.
for i in $(seq 250); do [ -e /run/supervise-flappy.pid ] || break; sleep 0.1; done
wc -l < /run/flappy.log; tail -1 /run/flappy.err
rc-service flappy status; echo "status=$?"`);
    expect(r.out, r.err).toContain("start=0\n3\nsupervise-daemon: flappy: respawned 2 times; giving up\n");
    expect(r.err).toContain(" * status: crashed\n");
    expect(r.out, r.err).toContain("status=32\n");
  }, 90_000);

  it("rc-service -e, -l, -r and unknown services", () => {
    const r = inNamespace(`
rc-service -e lo; echo "e=$?"; rc-service -e nosuch; echo "e=$?"
rc-service -r lo; rc-service -l | head -3 | tr '\\n' ' '; echo
rc-service nosuch start; echo "rc=$?"
rc-service lo frobnicate; echo "rc=$?"`);
    expect(r.out, r.err).toContain("e=0\ne=1\n/etc/init.d/lo\nafterboth asuser broken \n");
    expect(r.err).toContain("rc-service: service `nosuch' does not exist\n");
    expect(r.err).toContain(" * lo: unknown function `frobnicate'\n");
    expect(r.out, r.err).toContain("rc=1\nrc=1\n");
  });

  it("a YAML service starts supervised, as its user, after what it needs; status, respawn, stop", () => {
    const r = inNamespace(`
rc-service ydaemon start; echo "start=$?"
echo "started: $(ls /run/openrc/started | tr '\\n' ' ')"
readlink /run/openrc/started/ydaemon
for i in $(seq 50); do [ -s /run/ydaemon.out ] && break; sleep 0.1; done; cat /run/ydaemon.out
child=$(cat /run/openrc/options/ydaemon/child_pid); stat -c %U /proc/$child; tr '\\0' ' ' < /proc/$child/cmdline; echo
rc-service ydaemon status; echo "status=$?"
kill $child
for i in $(seq 50); do [ "$(cat /run/openrc/options/ydaemon/child_pid)" != "$child" ] && break; sleep 0.1; done
new=$(cat /run/openrc/options/ydaemon/child_pid); [ "$new" != "$child" ] && [ -e /proc/$new ] && echo respawned
rc-service -r ydaemon; rc-service -e ydaemon && echo exists; rc-service -l | grep -c '^y'
rc-status -s | grep ydaemon
rc-service ydaemon stop; echo "stop=$?"
[ -e /proc/$new ] && echo alive || echo gone`);
    expect(r.out, r.err).toContain(" * Bringing up lo ... [ ok ]\n * Starting ydaemon ... [ ok ]\nstart=0\nstarted: lo ydaemon \n/etc/pika/services/ydaemon.yaml\n");
    // args as a list: each word reaches the program as it is, spaces, quotes and all.
    expect(r.out, r.err).toContain("hello yarg nobody /tmp\nnobody\nsleep 311 \n");
    expect(r.out, r.err).toContain(" * status: started\nstatus=0\nrespawned\n/etc/pika/services/ydaemon.yaml\nexists\n5\n");
    expect(r.out).toMatch(/ ydaemon +\[  started  \]\n/);
    expect(r.out, r.err).toContain(" * Stopping ydaemon ... [ ok ]\nstop=0\ngone\n");
  });

  it("YAML services join runlevels and the dependency order with init scripts; a wrong type fails that service alone", () => {
    const r = inNamespace(`
rc-update add logger yaml; rc-update add sleeper yaml; rc-update add lo yaml >/dev/null
rc-update show yaml
rc-update add ydaemon yaml; rc-update del ydaemon yaml; echo "del=$?"
openrc yaml; echo "openrc=$?"
rc-status yaml
pid=$(cat /run/yorder.pid); tr '\\0' ' ' < /proc/$pid/cmdline; echo
rc-service ybad start; echo "bad=$?"
rc-service ynocmd start; echo "nocmd=$?"
openrc shutdown >/dev/null 2>&1; echo "shutdown=$?"; [ -e /proc/$pid ] && echo alive || echo gone`);
    for (const s of ["logger", "sleeper", "lo"]) fs.rmSync(path.join(fixture, "etc/runlevels/yaml", s), { force: true });
    expect(r.out, r.err).toContain("              logger | yaml\n             sleeper | yaml\n                ybad | yaml\n             ydaemon | yaml\n              yorder | yaml\n");
    expect(r.err).toContain(" * rc-update: ydaemon already installed in runlevel `yaml'; skipping\n");
    expect(r.err).toContain(" * rc-update: ydaemon is in runlevel `yaml' by its runlevels in /etc/pika/services/ydaemon.yaml; remove it there\n");
    expect(r.out, r.err).toContain("del=1\n");
    // logger (an init script) before yorder (YAML, after logger) before sleeper (an init script it is before).
    const started = [...r.out.matchAll(/ \* (?:Starting|Bringing up) (\S+)/g)].map((m) => m[1]);
    expect(started.indexOf("yorder")).toBeGreaterThanOrEqual(0);
    expect(started.indexOf("yorder")).toBeLessThan(started.indexOf("sleeper"));
    expect(started.indexOf("lo")).toBeLessThan(started.indexOf("ydaemon"));
    expect(r.err).toContain(' * ERROR: ybad: /etc/pika/services/ybad.yaml:4: respawn.max: expected an integer, got the string "lots"\n');
    expect(r.out, r.err).toContain("openrc=1\n");
    expect(r.out).toMatch(/Runlevel: yaml\n lo +\[  started  \]\n logger +\[  started  \]\n sleeper +\[  started  \]\n ybad +\[  failed  \]\n ydaemon +\[  started  \]\n yorder +\[  started  \]\n/);
    expect(r.out, r.err).toContain("/bin/sleep 312 \n");
    expect(r.err).toContain('openrc-run: /etc/pika/services/ybad.yaml:4: respawn.max: expected an integer, got the string "lots"\n');
    expect(r.err).toContain("openrc-run: /etc/pika/services/ynocmd.yaml:1: comand: unknown field (known: description, command, args,");
    expect(r.err).toContain("openrc-run: /etc/pika/services/ynocmd.yaml:1: command: missing required field\n");
    expect(r.out, r.err).toContain("bad=1\nnocmd=1\nshutdown=0\ngone\n");
  });

  for (const svc of ["healthy", "yhealth"]) {
    it(`a failing healthcheck runs unhealthy and restarts the daemon; a passing one leaves it (${svc})`, () => {
      // Waits on the checks' own log, never on the clock: "check" lines count the checks run.
      const r = inNamespace(`
checks() { grep -c check /run/health.log 2>/dev/null || echo 0; }
until_checks() { for i in $(seq 200); do [ "$(checks)" -ge "$1" ] && return; sleep 0.1; done; echo "timed out waiting for $1 checks"; }
rc-service ${svc} start; echo "start=$?"
until_checks 1
child=$(cat /run/openrc/options/${svc}/child_pid)
touch /run/sick
for i in $(seq 200); do [ "$(cat /run/openrc/options/${svc}/child_pid)" != "$child" ] && break; sleep 0.1; done
rm /run/sick
new=$(cat /run/openrc/options/${svc}/child_pid); [ "$new" != "$child" ] && [ -e /proc/$new ] && ! [ -e /proc/$child ] && echo restarted
grep -c "unhealthy ${svc}" /run/health.log
n=$(checks); until_checks $((n + 2)); settled=$(cat /run/openrc/options/${svc}/child_pid)
n=$(checks); until_checks $((n + 2))
[ "$(cat /run/openrc/options/${svc}/child_pid)" = "$settled" ] && [ -e /proc/$settled ] && echo stays
rc-service ${svc} healthcheck; echo "healthcheck=$?"
rc-service ${svc} stop; echo "stop=$?"
[ -e /proc/$settled ] && echo alive || echo gone`);
      expect(r.out, r.err).toContain(`start=0\nrestarted\n`);
      expect(Number(/restarted\n(\d+)\n/.exec(r.out)?.[1])).toBeGreaterThanOrEqual(1);
      expect(r.out, r.err).toContain(`stays\nhealthcheck=0\n * Stopping ${svc} ... [ ok ]\nstop=0\ngone\n`);
      expect(r.out).not.toContain("timed out");
    });
  }

  it("YAML readiness: start returns, and dependants start, only once a file exists, a port listens, or the daemon notifies", () => {
    const r = inNamespace(`
rc-service rafter start; echo "start=$?"
cat /run/rafter.out
rc-service rport start; echo "port=$?"
busybox nc -w 5 127.0.0.1 47391 </dev/null && echo connected
rc-service rnotify start; echo "notify=$?"
[ -e /run/rnotify.mark ] && echo marked
ls -l /proc/$(cat /run/openrc/options/rnotify/child_pid)/fd/4 | sed 's/.*-> //'
rc-service rport stop >/dev/null; rc-service rnotify stop >/dev/null; rc-service rafter stop >/dev/null`);
    expect(r.out, r.err).toContain(" * Starting rfile ... [ ok ]\nstart=0\nrfile was ready\n");
    expect(r.out, r.err).toContain(" * Starting rport ... [ ok ]\nport=0\nconnected\n");
    expect(r.out, r.err).toContain(" * Starting rnotify ... [ ok ]\nnotify=0\nmarked\n/run/openrc/ready/rnotify\n");
  });

  it("YAML readiness: a timeout fails the start with a message and stops the daemon; ready: mistakes name file, line and field", () => {
    const r = inNamespace(`
rc-service rslow start; echo "slow=$?"
rc-service rslow status; echo "status=$?"
for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -c '^[^ ]*sleep 324 $'
rc-service rbad1 start; echo "bad1=$?"
rc-service rbad2 start; echo "bad2=$?"
rc-service rbad3 start; echo "bad3=$?"`);
    expect(r.out, r.err).toContain(" * Starting rslow ... [ ok ]\n * Stopping rslow ... [ ok ]\n");
    expect(r.err).toContain(" * rslow: not ready after 1 seconds: /run/never does not exist\n");
    expect(r.out, r.err).toMatch(/slow=1\n \* status: (stopped|failed)\nstatus=3\n0\n/);
    expect(r.err).toContain('openrc-run: /etc/pika/services/rbad1.yaml:3: ready.port: expected an integer, got the string "http"\n');
    expect(r.err).toContain("openrc-run: /etc/pika/services/rbad1.yaml:4: ready.timeout:");
    expect(r.err).toContain("openrc-run: /etc/pika/services/rbad2.yaml:2: ready: needs exactly one of file, port or notify\n");
    expect(r.err).toContain('openrc-run: /etc/pika/services/rbad3.yaml:2: ready.notify: "fd 1" is not a descriptor such as fd 3');
    expect(r.out).toContain("bad1=1\nbad2=1\nbad3=1\n");
  });

  it("concurrent starts of one service run it once: the others wait for the lock, then find it started", () => {
    const r = inNamespace(`
for i in 1 2 3 4; do (rc-service once start > /run/out.$i 2>&1; echo "status=$?" >> /run/out.$i) & done
wait
cat /run/once.log; cat /run/out.* | sort | uniq -c | sed 's/^ *//'
pid=$(cat /run/once.pid); ls -l /proc/$pid/fd | grep -c exclusive
ls /run/openrc/exclusive
rc-service once stop; echo "stop=$?"`);
    expect(r.out, r.err).toContain("start\n1  * Starting once ... [ ok ]\n3  * WARNING: once has already been started\n4 status=0\n0\nonce\n");
    expect(r.out, r.err).toContain(" * Stopping once ... [ ok ]\nstop=0\n");
  });

  it("supervise-daemon stops its command by the retry schedule", () => {
    const r = inNamespace(`
rc-service stubborn start; echo "start=$?"
for i in $(seq 100); do [ -s /run/stubborn.log ] && break; sleep 0.1; done
child=$(cat /run/openrc/options/stubborn/child_pid)
rc-service stubborn stop; echo "stop=$?"
cat /run/stubborn.log; [ -e /proc/$child ] && echo alive || echo gone`);
    expect(r.out, r.err).toContain("start=0\n * Stopping stubborn ... [ ok ]\nstop=0\nup\ngot-usr1\ngone\n");
  });

  it("the image's own scripts (rootfs/etc): boot, then shutdown, in order", () => {
    const root = tempDir("pika-openrc-rootfs-");
    try {
      fs.cpSync(path.join(ROOT, "rootfs/etc"), path.join(root, "etc"), { recursive: true, verbatimSymlinks: true });
      for (const f of ["passwd", "group"]) fs.copyFileSync(`/etc/${f}`, path.join(root, "etc", f));
      fs.writeFileSync(path.join(root, "etc/hostname"), "pika-test\n");
      // The host's clock is not ours to set (the QEMU boot test covers hwclock).
      fs.appendFileSync(path.join(root, "etc/conf.d/hwclock"), 'clock_hctosys="NO"\n');
      const r = spawnSync("unshare", ["--pid", "--fork", "--mount", "--mount-proc", "--uts", "--kill-child", "bash", "--norc", "--noprofile", "-c", `
mount --make-rprivate / 2>/dev/null
mount --bind ${root}/etc /etc && mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var || exit 99
export PATH=${fixture}/bin:/usr/bin:/bin:/usr/sbin:/sbin
openrc boot; echo "boot=$?"; hostname; ls /run/utmp /var/log/wtmp
openrc shutdown; echo "shutdown=$?"`], { encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL", env: { PATH: "/usr/bin:/bin" } });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(
        " * Setting hostname to pika-test ... [ ok ]\n * Mounting local filesystems ... [ ok ]\n" +
        " * Configuring kernel parameters ... [ ok ]\n * Creating runtime files ... [ ok ]\nboot=0\npika-test\n/run/utmp\n/var/log/wtmp\n" +
        " * Remaining processes are terminated by init\n * Remounting the root filesystem read-only ... [ ok ]\nshutdown=0\n",
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
