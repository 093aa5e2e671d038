// Native YAML services (services/native.ts): the schema's messages, and the
// init-script text a service file stands for.
import { describe, expect, it } from "vitest";
import { nativeScript, parseNative } from "../../services/native.ts";
import { YamlError } from "../../lib/yamlschema.ts";

/** The error lines for a service file's text, or [] when it is valid. */
function errors(text: string): string[] {
  try {
    parseNative(text, "/etc/pika/services/web.yaml");
    return [];
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    return e.message.split("\n");
  }
}

describe("native YAML services", () => {
  it("reports a wrong type with the file, line and field", () => {
    expect(errors("command: /bin/httpd\nuser: www\nrespawn:\n  delay: soon\n")).toEqual([
      '/etc/pika/services/web.yaml:4: respawn.delay: expected an integer, got the string "soon"',
    ]);
    expect(errors("command: /bin/httpd\nsupervise: maybe\n")).toEqual([
      '/etc/pika/services/web.yaml:2: supervise: expected true or false, got the string "maybe"',
    ]);
    expect(errors("command: /bin/httpd\ndepends:\n  need: {net: 1}\n")).toEqual([
      "/etc/pika/services/web.yaml:3: depends.need: expected a name or a list of names, got a mapping",
    ]);
  });

  it("reports unknown fields, a missing command and bad values, all at once", () => {
    expect(errors("comand: /bin/httpd\nstop_signal: TERMINATE\n")).toEqual([
      expect.stringMatching(/^\/etc\/pika\/services\/web\.yaml:1: comand: unknown field \(known: description, command, args, /),
      "/etc/pika/services/web.yaml:1: command: missing required field",
    ]);
    expect(errors("command: /bin/httpd\nstop_signal: TERMINATE\nretry: TERM/x\nsupervise: false\nrespawn:\n  max: 2\n")).toEqual([
      '/etc/pika/services/web.yaml:2: stop_signal: "TERMINATE" is not a signal name or number',
      '/etc/pika/services/web.yaml:3: retry: "TERM/x" is not a timeout or a schedule such as TERM/5/KILL/5',
      "/etc/pika/services/web.yaml:5: respawn: needs supervise: true",
    ]);
    expect(errors("command: [/bin/httpd\n")[0]).toMatch(/^\/etc\/pika\/services\/web\.yaml:2: \(yaml\): /);
  });

  it("becomes the init script it stands for", () => {
    const s = parseNative(`description: Web server
command: /usr/sbin/httpd
args: [-f, "a b", 8080]
user: www
group: web
environment: {LANG: C, DEBUG: true}
depends: {need: net, use: [logger, dns], provide: webserver}
runlevels: [default]
respawn: {delay: 2, max: 5, period: 60}
healthcheck: {command: wget -q -O /dev/null http://localhost:8080/, interval: 30, delay: 10, unhealthy: [logger, sick]}
output_log: /var/log/httpd.log
`, "/etc/pika/services/web.yaml");
    expect(s.name).toBe("web");
    expect(s.deps).toMatchObject({ need: ["net"], use: ["logger", "dns"], provide: ["webserver"] });
    expect(s.runlevels).toEqual(["default"]);
    expect(nativeScript(s)).toBe(
      "description='Web server'\ncommand='/usr/sbin/httpd'\ncommand_args=''\\''-f'\\'' '\\''a b'\\'' '\\''8080'\\'''\n" +
      "command_user='www:web'\noutput_log='/var/log/httpd.log'\nsupervisor='supervise-daemon'\nrespawn_delay='2'\nrespawn_max='5'\nrespawn_period='60'\n" +
      "healthcheck_timer='30'\nhealthcheck_delay='10'\nexport LANG='C'\nexport DEBUG='1'\n" +
      "healthcheck() {\nwget -q -O /dev/null http://localhost:8080/\n}\nunhealthy() {\n'logger' 'sick'\n}\n",
    );
  });

  it("without supervision: start-stop-daemon in the background with a pidfile of its own", () => {
    const text = nativeScript(parseNative("command: /bin/sleep\nargs: 10 20\nsupervise: false\ngroup: daemon\n", "/x/nap.yaml"));
    expect(text).toBe("command='/bin/sleep'\ncommand_args='10 20'\npidfile='/run/nap.pid'\ncommand_background='yes'\nstart_stop_daemon_args='--group '\\''daemon'\\'''\n");
  });
  it("ready: one of file, port or notify fd, with a timeout (30 s unless given); the start hooks that wait", () => {
    expect(parseNative("command: /bin/httpd\nready: {port: 8080}\n", "/etc/pika/services/web.yaml").ready).toEqual({ kind: "port", value: "8080", timeout: 30 });
    const n = parseNative("command: /bin/httpd\nready:\n  notify: fd 3\n  timeout: 5\n", "/etc/pika/services/web.yaml");
    expect(n.ready).toEqual({ kind: "notify", value: "3", timeout: 5 });
    const text = nativeScript(n);
    expect(text).toContain("ready_fd='3:/run/openrc/ready/web'\n");
    expect(text).toContain("openrc-run --rc-helper wait_ready notify '/run/openrc/ready/web' 5 && return 0\n\tdefault_stop\n\treturn 1\n");
    expect(nativeScript(parseNative("command: /bin/httpd\nready: {file: /run/web.up}\n", "/etc/pika/services/web.yaml"))).toContain("start_pre() {\n\trm -f -- '/run/web.up'\n}\n");
    expect(errors("command: /bin/httpd\nready: {port: 70000, timeout: 0}\n")).toEqual([
      expect.stringMatching(/^\/etc\/pika\/services\/web\.yaml:2: ready\.port: /),
      expect.stringMatching(/^\/etc\/pika\/services\/web\.yaml:2: ready\.timeout: /),
    ]);
    expect(errors("command: /bin/httpd\nready: {}\n")).toEqual(["/etc/pika/services/web.yaml:2: ready: needs exactly one of file, port or notify"]);
    expect(errors("command: /bin/httpd\nready:\n  notify: stdout\n")).toEqual([
      '/etc/pika/services/web.yaml:3: ready.notify: "stdout" is not a descriptor such as fd 3 (3 or more: 0-2 are stdin, stdout, stderr)',
    ]);
  });
});
