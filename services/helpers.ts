// The helpers an init script calls (OpenRC ships them as little programs):
// `openrc-run --rc-helper NAME ARGS`, run in-process by the script's shell.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Context } from "../lib/applet.ts";
import { parseGid, parseUid, userByName, groupByName } from "../lib/users.ts";
import { findProcesses } from "./procs.ts";
import { daemonsOf, getValue, markFailed, markService, serviceState, setValue } from "./state.ts";
import { eerror } from "./einfo.ts";
import { mknod } from "../lib/syscalls.ts";
import { describeReady, waitReady, type ReadyKind } from "./ready.ts";

export async function rcHelper(ctx: Context, fn: string, args: string[]): Promise<number> {
  const svc = ctx.env.RC_SVCNAME ?? "";
  const who = args[0] ?? svc;
  const script = ctx.env.RC_SERVICE;
  switch (fn) {
    case "service_set_value":
    case "save_options":
      setValue(svc, args[0], args[1] ?? "");
      return 0;
    case "service_get_value":
    case "get_options": {
      const v = getValue(svc, args[0]);
      if (v === undefined) return 1;
      await ctx.stdout.write(v + (fn === "get_options" ? "\n" : ""));
      return 0;
    }
    case "service_started":
    case "service_starting":
    case "service_stopping":
    case "service_inactive":
      return serviceState(who) === fn.slice(8) ? 0 : 1;
    case "service_stopped":
      return serviceState(who) === "stopped" ? 0 : 1;
    case "service_wasinactive":
      return 1;
    case "service_crashed":
      return crashed(who) ? 0 : 1;
    case "service_started_daemon":
      return daemonsOf(svc).some((d) => d.exec === args[0]) ? 0 : 1;
    case "mark_service_failed":
      markFailed(who, true, who === svc ? script : undefined);
      return 0;
    case "is_older_than":
    case "is_newer_than":
      return compareAge(fn === "is_newer_than", args) ? 0 : 1;
    case "checkpath":
      return checkpath(ctx, args);
    case "wait_ready":
      return waitReadyHelper(ctx, svc, args);
  }
  const m = /^mark_service_(started|starting|stopping|stopped|inactive)$/.exec(fn);
  if (m) {
    markService(who, m[1] as any, who === svc ? script : undefined);
    return 0;
  }
  await eerror(ctx, `${fn}: unknown helper`);
  return 1;
}

/** `wait_ready KIND VALUE TIMEOUT` (a YAML service's start_post): fails, saying why, after TIMEOUT seconds. */
async function waitReadyHelper(ctx: Context, svc: string, [kind, value, timeout]: string[]): Promise<number> {
  if (await waitReady(kind as ReadyKind, value, Number(timeout))) return 0;
  await eerror(ctx, `${svc}: not ready after ${timeout} seconds: ${describeReady(kind as ReadyKind, value)}`);
  return 1;
}

/** Started, but a daemon start-stop-daemon started for it is gone. */
export function crashed(svc: string): boolean {
  if (serviceState(svc) !== "started") return false;
  return daemonsOf(svc).some((d) => findProcesses(d.pidfile ? { pidfile: d.pidfile } : { exec: d.exec, name: d.name }).length === 0);
}

function mtime(p: string): number {
  let t = 0;
  try {
    const st = fs.statSync(p);
    t = st.mtimeMs;
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) t = Math.max(t, mtime(path.join(p, e)));
  } catch {}
  return t;
}

function compareAge(newer: boolean, args: string[]): boolean {
  const [ref, ...others] = args;
  const r = mtime(ref);
  return others.some((o) => (newer ? r > mtime(o) : r < mtime(o)));
}

/** checkpath [-d|-D|-f|-F|-p] [-m MODE] [-o OWNER[:GROUP]] [-W] [-q] PATH...: create and fix ownership/mode. */
async function checkpath(ctx: Context, args: string[]): Promise<number> {
  let kind = "", mode: number | undefined, owner: string | undefined, writable = false, quiet = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^-[dDfFp]$/.test(a) || /^--(directory|file|pipe)$/.test(a)) kind = a.replace(/^--?/, "")[0];
    else if (a === "-D" || a === "-F") kind = a[1];
    else if (a === "-m" || a === "--mode") mode = parseInt(args[++i], 8);
    else if (a === "-o" || a === "--owner") owner = args[++i];
    else if (a === "-W" || a === "--writable") writable = true;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else paths.push(a);
  }
  let status = 0;
  for (const p of paths) {
    if (writable) {
      try {
        fs.accessSync(p, fs.constants.W_OK);
      } catch {
        status = 1;
      }
      continue;
    }
    try {
      const exists = fs.existsSync(p);
      if (kind === "d" || kind === "D") {
        if (kind === "D" && exists) fs.rmSync(p, { recursive: true, force: true });
        if (!exists || kind === "D") {
          fs.mkdirSync(p, { mode: mode ?? 0o755 });
          if (!quiet) await ctx.stdout.write(` * ${p}: creating directory\n`);
        }
      } else if (kind === "f" || kind === "F") {
        if (!exists || kind === "F") {
          fs.writeFileSync(p, "", { mode: mode ?? 0o644 });
          if (!quiet) await ctx.stdout.write(` * ${p}: creating file\n`);
        }
      } else if (kind === "p" && !exists) {
        mknod(p, 0o010000 | (mode ?? 0o600));
      }
      if (mode !== undefined) fs.chmodSync(p, mode);
      if (owner) {
        const [u, g] = owner.split(":");
        const pw = userByName(u);
        const uid = pw?.uid ?? parseUid(u) ?? -1;
        const gid = g ? groupByName(g)?.gid ?? parseGid(g) ?? -1 : pw?.gid ?? -1;
        fs.chownSync(p, uid, gid);
      }
    } catch (e) {
      await eerror(ctx, `checkpath: ${p}: ${e instanceof Error ? e.message : e}`);
      status = 1;
    }
  }
  return status;
}
