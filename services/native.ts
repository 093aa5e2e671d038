// Native services: /etc/pika/services/NAME.yaml declares a daemon in a few
// lines. The file is checked against the schema below (errors as
// `FILE:LINE: FIELD: message`) and turned into the shell an init script
// would hold (command=, command_args=, supervisor=, depend()...), which the
// prelude then runs like any /etc/init.d script: every tool treats both alike.
import * as fs from "node:fs";
import * as path from "node:path";
import { signalNumber } from "../lib/signals.ts";
import { finish, list, parseChecked, parseLoose, str, YamlError, type Spec } from "../lib/yamlschema.ts";
import { emptyDeps, type DepInfo } from "./order.ts";
import { NATIVE_DIR } from "./paths.ts";
import { shq } from "./prelude.ts";
import { readyFifo, type ReadyKind } from "./ready.ts";
import { parseSchedule } from "./ssd.ts";

export const NATIVE_SUFFIX = ".yaml";
/** Seconds `ready:` waits unless it says otherwise. */
export const DEFAULT_READY_TIMEOUT = 30;

const DEP_KINDS = ["need", "use", "want", "after", "before", "provide", "keyword"] as const;

const ABS_PATH = str(/^\/[^\0\n]*$/, "an absolute path");
const SECONDS = (min: number): Spec => ({ kind: "int", min });
const NAMES = (pattern: RegExp, hint: string): Spec => ({ kind: "either", of: [str(pattern, hint), list(str(pattern, hint))], hint: "a name or a list of names" });
const DEP_NAME = /^([!-]?[A-Za-z0-9_][A-Za-z0-9._@-]*|\*)$/;
const COMMAND_LINE: Spec = { kind: "either", of: [str(/\S/, "a command"), list({ kind: "scalar" })], hint: "a command line (shell) or a list of words" };

const SCHEMA: Spec = {
  kind: "object",
  required: ["command"],
  fields: {
    description: str(),
    command: str(/^[^\s\0]+$/, "a program (an absolute path, or a name looked up in PATH)"),
    args: { kind: "either", of: [{ kind: "scalar" }, list({ kind: "scalar" })], hint: "a string (split as shell words) or a list of arguments" },
    user: str(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "a user name or uid"),
    group: str(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "a group name or gid"),
    directory: ABS_PATH,
    umask: str(/^0?[0-7]{3}$/, 'an octal umask in quotes, such as "022"'),
    environment: { kind: "map", key: /^[A-Za-z_][A-Za-z0-9_]*$/, keyHint: "a variable name", value: { kind: "scalar" } },
    depends: {
      kind: "object",
      fields: Object.fromEntries(DEP_KINDS.map((k) => [k, NAMES(DEP_NAME, "a service name")])),
    },
    runlevels: NAMES(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a runlevel name"),
    supervise: { kind: "bool" },
    respawn: {
      kind: "object",
      fields: { delay: SECONDS(0), max: SECONDS(0), period: SECONDS(0) },
    },
    healthcheck: {
      kind: "object",
      required: ["command"],
      fields: { command: COMMAND_LINE, interval: SECONDS(1), delay: SECONDS(0), unhealthy: COMMAND_LINE },
    },
    ready: {
      kind: "object",
      fields: {
        file: ABS_PATH,
        port: { kind: "int", min: 1, max: 65535 },
        notify: { kind: "scalar" }, // fd N (or N), checked below
        timeout: SECONDS(1),
      },
    },
    output_log: ABS_PATH,
    error_log: ABS_PATH,
    pidfile: ABS_PATH,
    stop_signal: { kind: "scalar" },
    retry: { kind: "scalar" },
  },
};

export interface NativeService {
  file: string;
  name: string;
  description?: string;
  command: string;
  /** command_args as the shell reads it (a list is quoted word by word). */
  commandArgs: string;
  user?: string;
  group?: string;
  directory?: string;
  umask?: string;
  environment: Record<string, string>;
  deps: DepInfo;
  runlevels: string[];
  supervise: boolean;
  respawn: { delay?: number; max?: number; period?: number };
  healthcheck?: { command: string; interval: number; delay?: number; unhealthy?: string };
  /** What `start` waits for (services/ready.ts): a path, a port, or the fd the daemon writes a newline to. */
  ready?: { kind: ReadyKind; value: string; timeout: number };
  outputLog?: string;
  errorLog?: string;
  pidfile?: string;
  stopSignal?: string;
  retry?: string;
}

/** /etc/pika/services/NAME.yaml */
export function nativeFile(name: string): string {
  return path.join(NATIVE_DIR, name + NATIVE_SUFFIX);
}

export function isNativeFile(file: string): boolean {
  return file.endsWith(NATIVE_SUFFIX);
}

/** The names of the YAML services, sorted. */
export function nativeServices(): string[] {
  try {
    return fs.readdirSync(NATIVE_DIR).filter((f) => f.endsWith(NATIVE_SUFFIX) && !f.startsWith(".")).map((f) => f.slice(0, -NATIVE_SUFFIX.length)).sort();
  } catch {
    return [];
  }
}

const words = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean));
const shellLine = (v: string | unknown[]): string => (Array.isArray(v) ? v.map((w) => shq(String(w))).join(" ") : v);

/** Parse and check a service file's text; throws a YamlError naming every problem. */
export function parseNative(text: string, file: string): NativeService {
  const checked = parseChecked(text, file, SCHEMA, "(service)");
  const { checker: c, at, keyAt } = checked;
  const raw = checked.raw!;
  const name = path.basename(file).replace(/\.yaml$/, "");
  if (raw.stop_signal !== undefined && signalNumber(raw.stop_signal) === undefined) {
    c.fail(at(["stop_signal"]), "stop_signal", `"${raw.stop_signal}" is not a signal name or number`);
  }
  if (raw.retry !== undefined) {
    try {
      parseSchedule(raw.retry, 15);
    } catch {
      c.fail(at(["retry"]), "retry", `"${raw.retry}" is not a timeout or a schedule such as TERM/5/KILL/5`);
    }
  }
  const supervise = raw.supervise ?? true;
  if (!supervise) {
    for (const f of ["respawn", "healthcheck"]) if (raw[f] !== undefined) c.fail(keyAt([f]), f, "needs supervise: true");
  }
  const ready = readyOf(raw.ready);
  if (raw.ready !== undefined && !ready) c.fail(keyAt(["ready"]), "ready", "needs exactly one of file, port or notify");
  if (ready?.kind === "notify" && !(/^\d+$/.test(ready.value) && Number(ready.value) >= 3)) {
    c.fail(at(["ready", "notify"]), "ready.notify", `"${raw.ready.notify}" is not a descriptor such as fd 3 (3 or more: 0-2 are stdin, stdout, stderr)`);
  }
  finish(checked, file);
  const deps = emptyDeps();
  for (const k of DEP_KINDS) deps[k] = words(raw.depends?.[k]);
  const hc = raw.healthcheck;
  return {
    file,
    name,
    description: raw.description,
    command: raw.command,
    commandArgs: raw.args === undefined ? "" : shellLine(raw.args),
    user: raw.user,
    group: raw.group,
    directory: raw.directory,
    umask: raw.umask,
    environment: raw.environment ?? {},
    deps,
    runlevels: words(raw.runlevels),
    supervise,
    respawn: raw.respawn ?? {},
    ready,
    healthcheck: hc && { command: shellLine(hc.command), interval: hc.interval ?? 60, delay: hc.delay, unhealthy: hc.unhealthy && shellLine(hc.unhealthy) },
    outputLog: raw.output_log,
    errorLog: raw.error_log,
    pidfile: raw.pidfile,
    stopSignal: raw.stop_signal,
    retry: raw.retry,
  };
}

/** A checked `ready:` mapping, or undefined unless it names exactly one kind. */
function readyOf(r: { file?: string; port?: number; notify?: number | string; timeout?: number } | undefined): NativeService["ready"] {
  if (!r) return undefined;
  const kinds = (["file", "port", "notify"] as const).filter((k) => r[k] !== undefined);
  if (kinds.length !== 1) return undefined;
  const value = String(r[kinds[0]]).replace(/^fd /, "");
  return { kind: kinds[0], value, timeout: r.timeout ?? DEFAULT_READY_TIMEOUT };
}

type Loaded = NativeService | { error: string };

/** Files read by this process, by path, kept while their mtime and size stay the same (openrc asks for each several times). */
const loaded = new Map<string, { key: string; svc: Loaded }>();

/** A service file, or the problems with it as one message (`FILE:LINE: FIELD: message` lines). */
export function loadNative(file: string): Loaded {
  let text: string, key: string;
  try {
    const st = fs.statSync(file);
    key = `${st.mtimeMs}:${st.size}`;
    const hit = loaded.get(file);
    if (hit?.key === key) return hit.svc;
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return { error: `${file}: cannot read: ${(e as Error).message}` };
  }
  let svc: Loaded;
  try {
    svc = parseNative(text, file);
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    svc = { error: e.message };
  }
  loaded.set(file, { key, svc });
  return svc;
}

/**
 * The runlevels a file declares, read leniently: a file with mistakes
 * elsewhere still shows up in its runlevels, where starting it reports them.
 */
export function declaredRunlevels(file: string): string[] {
  const svc = loadNative(file);
  if (!("error" in svc)) return svc.runlevels;
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {}
  const r = (parseLoose(text) as { runlevels?: unknown } | undefined)?.runlevels;
  const all = Array.isArray(r) ? r : [r];
  return all.filter((l): l is string => typeof l === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(l));
}

/** The init-script text equivalent to a service file, run by the prelude in place of sourcing a script. */
export function nativeScript(s: NativeService): string {
  const vars: [string, string | number | undefined][] = [
    ["description", s.description],
    ["command", s.command],
    ["command_args", s.commandArgs],
    ["command_user", s.user && (s.group ? `${s.user}:${s.group}` : s.user)],
    ["directory", s.directory],
    ["umask", s.umask],
    ["output_log", s.outputLog],
    ["error_log", s.errorLog],
    ["stopsig", s.stopSignal],
    ["retry", s.retry],
    ["pidfile", s.pidfile ?? (s.supervise ? undefined : `/run/${s.name}.pid`)],
  ];
  if (s.supervise) {
    vars.push(["supervisor", "supervise-daemon"], ["respawn_delay", s.respawn.delay], ["respawn_max", s.respawn.max], ["respawn_period", s.respawn.period]);
    if (s.healthcheck) vars.push(["healthcheck_timer", s.healthcheck.interval], ["healthcheck_delay", s.healthcheck.delay]);
  } else vars.push(["command_background", "yes"]);
  // A group without a user: passed to the tool on its own.
  if (s.group && !s.user) vars.push([s.supervise ? "supervise_daemon_args" : "start_stop_daemon_args", `--group ${shq(s.group)}`]);
  let text = vars.filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => `${k}=${shq(String(v))}\n`).join("");
  for (const [k, v] of Object.entries(s.environment)) text += `export ${k}=${shq(v)}\n`;
  if (s.ready) text += readyHooks(s);
  if (s.healthcheck) {
    text += `healthcheck() {\n${s.healthcheck.command}\n}\n`;
    if (s.healthcheck.unhealthy) text += `unhealthy() {\n${s.healthcheck.unhealthy}\n}\n`;
  }
  return text;
}

/**
 * start_pre and start_post for `ready:`: a stale ready file is removed
 * first, the notification FIFO is handed to the daemon; after the start the
 * helper waits, and a service not ready in time is stopped and fails.
 */
function readyHooks(s: NativeService): string {
  const r = s.ready!;
  const value = r.kind === "notify" ? readyFifo(s.name) : r.value;
  let text = r.kind === "notify" ? `ready_fd=${shq(`${r.value}:${value}`)}\n` : "";
  if (r.kind === "file") text += `start_pre() {\n\trm -f -- ${shq(value)}\n}\n`;
  text += `start_post() {\n\topenrc-run --rc-helper wait_ready ${r.kind} ${shq(value)} ${r.timeout} && return 0\n\tdefault_stop\n\treturn 1\n}\n`;
  return text;
}
