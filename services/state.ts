// Service state under /run/openrc, laid out as OpenRC lays it out: a symlink
// to the init script in started/, starting/, stopping/ or inactive/ (none:
// stopped), failed/ beside them, options/NAME/KEY for service_set_value,
// daemons/NAME for what start-stop-daemon started, and softlevel.
import * as fs from "node:fs";
import * as path from "node:path";
import { INITD, STATES, SVCDIR, type State } from "./paths.ts";

function linkIn(dir: string, name: string, target: string): void {
  const d = path.join(SVCDIR, dir);
  fs.mkdirSync(d, { recursive: true });
  const p = path.join(d, name);
  fs.rmSync(p, { force: true });
  fs.symlinkSync(target, p);
}

function has(dir: string, name: string): boolean {
  try {
    fs.lstatSync(path.join(SVCDIR, dir, name));
    return true;
  } catch {
    return false;
  }
}

export function serviceState(name: string): State {
  for (const s of STATES) if (has(s, name)) return s;
  return "stopped";
}

/** Move a service to a state; `script` is what the state link points at. */
export function markService(name: string, state: State, script = path.join(INITD, name)): void {
  for (const s of STATES) if (s !== state) fs.rmSync(path.join(SVCDIR, s, name), { force: true });
  if (state !== "stopped") linkIn(state, name, script);
}

export function isFailed(name: string): boolean {
  return has("failed", name);
}

export function markFailed(name: string, failed: boolean, script = path.join(INITD, name)): void {
  if (failed) linkIn("failed", name, script);
  else fs.rmSync(path.join(SVCDIR, "failed", name), { force: true });
}

/** Names in one state directory, sorted. */
export function servicesIn(state: string): string[] {
  try {
    return fs.readdirSync(path.join(SVCDIR, state)).sort();
  } catch {
    return [];
  }
}

export function setValue(name: string, key: string, value: string): void {
  const d = path.join(SVCDIR, "options", name);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, key), value);
}

export function getValue(name: string, key: string): string | undefined {
  try {
    return fs.readFileSync(path.join(SVCDIR, "options", name, key), "utf8");
  } catch {
    return undefined;
  }
}

export function clearService(name: string): void {
  for (const d of ["options", "daemons"]) fs.rmSync(path.join(SVCDIR, d, name), { recursive: true, force: true });
}

/** What start-stop-daemon records for a service it started, to tell later whether it crashed. */
export interface DaemonRecord { exec?: string; pidfile?: string; name?: string; pid?: number }

export function recordDaemon(svc: string, rec: DaemonRecord): void {
  const d = path.join(SVCDIR, "daemons", svc);
  fs.mkdirSync(d, { recursive: true });
  const key = Buffer.from(`${rec.exec ?? ""}|${rec.pidfile ?? ""}|${rec.name ?? ""}`).toString("hex").slice(0, 64) || "none";
  fs.writeFileSync(path.join(d, key), JSON.stringify(rec));
}

export function forgetDaemon(svc: string, rec: DaemonRecord): void {
  const key = Buffer.from(`${rec.exec ?? ""}|${rec.pidfile ?? ""}|${rec.name ?? ""}`).toString("hex").slice(0, 64) || "none";
  fs.rmSync(path.join(SVCDIR, "daemons", svc, key), { force: true });
}

export function daemonsOf(svc: string): DaemonRecord[] {
  const d = path.join(SVCDIR, "daemons", svc);
  try {
    return fs.readdirSync(d).sort().map((f) => JSON.parse(fs.readFileSync(path.join(d, f), "utf8")));
  } catch {
    return [];
  }
}

export function softlevel(): string | undefined {
  try {
    return fs.readFileSync(path.join(SVCDIR, "softlevel"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

export function setSoftlevel(level: string): void {
  fs.mkdirSync(SVCDIR, { recursive: true });
  fs.writeFileSync(path.join(SVCDIR, "softlevel"), level + "\n");
}
