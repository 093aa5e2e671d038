// Starting a user's session, shared by login, su and sulogin: the
// environment a login shell gets, dropping to the user's uid, gid and groups,
// and replacing this process with the shell (execve: nothing of pika stays).
import * as fs from "node:fs";
import * as path from "node:path";
import { dropPrivileges, execve } from "./syscalls.ts";
import { readRecords, GROUP } from "./userdb.ts";

export interface Account { name: string; uid: number; gid: number; home: string; shell: string }

export function account(name: string): Account | undefined {
  const r = readRecords("/etc/passwd").find((f) => f[0] === name && f.length >= 7);
  if (!r) return undefined;
  return { name: r[0], uid: Number(r[2]), gid: Number(r[3]), home: r[5] || "/", shell: r[6] || "/bin/sh" };
}

/** The supplementary groups /etc/group lists the user in, plus the primary one (initgroups). */
export function groupsOf(acct: Account): number[] {
  const ids = readRecords(GROUP).filter((g) => (g[3] ?? "").split(",").includes(acct.name)).map((g) => Number(g[2]));
  return [...new Set([acct.gid, ...ids])];
}

export const ROOT_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";
export const USER_PATH = "/bin:/usr/bin";

/**
 * The environment of a new session. `clear` (login, su -l) starts from
 * nothing but TERM; otherwise the old one is kept and the user's names set.
 */
export function sessionEnv(acct: Account, old: Record<string, string>, opts: { clear: boolean; changeIdentity: boolean }): Record<string, string> {
  const env: Record<string, string> = opts.clear ? (old.TERM ? { TERM: old.TERM } : {}) : { ...old };
  if (opts.clear) env.PATH = acct.uid === 0 ? ROOT_PATH : USER_PATH;
  if (opts.clear || opts.changeIdentity) {
    env.HOME = acct.home;
    env.SHELL = acct.shell;
    env.USER = acct.name;
    env.LOGNAME = acct.name;
  }
  return env;
}

/** argv[0] of a login shell: "-" and the shell's name ("-sh"). */
export function loginArgv0(shell: string): string {
  return "-" + path.basename(shell);
}

/**
 * Become the user and exec the shell; never returns (throws when it cannot).
 * `home` set: change to it first, or to / with a warning, as BusyBox does.
 */
export function startSession(acct: Account, shell: string, argv: string[], env: Record<string, string>, home?: { warn: (msg: string) => void }): never {
  if (home) {
    try {
      process.chdir(acct.home);
    } catch {
      home.warn(`can't change directory to '${acct.home}'`);
      process.chdir("/");
    }
  }
  if (!fs.existsSync(shell)) throw new Error(`can't execute '${shell}': No such file or directory`);
  dropPrivileges(acct.uid, acct.gid, groupsOf(acct));
  return execve(shell, argv, env);
}
