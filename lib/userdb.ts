// Changing /etc/passwd, /etc/shadow and /etc/group safely: one writer at a
// time (a lock file beside the database), the new text written to "FILE+"
// with the old file's mode and owner, flushed, then renamed over it, so a
// crash or a full disk never leaves a half-written database behind.
import * as fs from "node:fs";
import { AppletError } from "./errors.ts";

export const PASSWD = "/etc/passwd";
export const SHADOW = "/etc/shadow";
export const GROUP = "/etc/group";

/** Days since the epoch, the unit of shadow's "last change" field. */
export function daysSinceEpoch(now = Date.now()): number {
  return Math.floor(now / 86400_000);
}

/** The records of a colon-separated database (empty if it does not exist). */
export function readRecords(file: string): string[][] {
  let text: string;
  try {
    text = fs.readFileSync(file, "latin1");
  } catch (err: any) {
    if (err?.code === "ENOENT") return [];
    throw err;
  }
  return text.split("\n").filter((l) => l !== "").map((l) => l.split(":"));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err?.code === "EPERM";
  }
}

/** One lock for the whole user database, the file glibc's lckpwdf() uses. */
const LOCK_FILE = "/etc/.pwd.lock";
let lockDepth = 0;

/** Take the database lock, breaking one whose owner has died. */
function lock(): () => void {
  if (lockDepth++ > 0) return () => void lockDepth--;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(LOCK_FILE, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      return () => {
        lockDepth--;
        fs.rmSync(LOCK_FILE, { force: true });
      };
    } catch (err: any) {
      if (err?.code !== "EEXIST") {
        lockDepth--;
        throw err;
      }
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(LOCK_FILE, "latin1").trim());
      } catch {}
      if (owner > 0 && !pidAlive(owner)) fs.rmSync(LOCK_FILE, { force: true });
      else if (attempt >= 100) {
        lockDepth--;
        throw new AppletError("can't lock the user database: another process is changing it");
      } else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/**
 * Run `fn` holding the database lock, so that what it reads and what it
 * writes (a new uid and its group, say) cannot interleave with another writer.
 */
export function withUserDbLock<T>(fn: () => T): T {
  const unlock = lock();
  try {
    return fn();
  } finally {
    unlock();
  }
}

/**
 * Rewrite a database: `change` gets its records and edits them in place (or
 * returns new ones). A missing file is created with `newMode`.
 */
export function updateRecords(file: string, change: (rows: string[][]) => string[][] | void, newMode = 0o644): void {
  const unlock = lock();
  try {
    const rows = readRecords(file);
    const result = change(rows) ?? rows;
    const text = result.map((r) => r.join(":") + "\n").join("");
    let mode = newMode, uid = 0, gid = 0;
    try {
      const st = fs.statSync(file);
      [mode, uid, gid] = [st.mode & 0o7777, st.uid, st.gid];
    } catch {}
    const tmp = `${file}+`;
    const fd = fs.openSync(tmp, "w", mode);
    try {
      fs.writeSync(fd, Buffer.from(text, "latin1"));
      fs.fchmodSync(fd, mode); // umask must not widen or narrow the old mode
      try {
        fs.fchownSync(fd, uid, gid);
      } catch {}
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    // Keep the previous version as FILE-, as BusyBox does.
    try {
      fs.rmSync(`${file}-`, { force: true });
      fs.linkSync(file, `${file}-`);
    } catch {}
    fs.renameSync(tmp, file);
  } finally {
    unlock();
  }
}

/** The shadow file's mode when it has to be created: owner read/write only. */
export const SHADOW_MODE = 0o600;

/** Set a user's password field in /etc/shadow (or in /etc/passwd when there is no shadow entry). */
export function setPasswordField(user: string, update: (old: string) => string): void {
  withUserDbLock(() => setPasswordFieldLocked(user, update));
}

function setPasswordFieldLocked(user: string, update: (old: string) => string): void {
  const inShadow = readRecords(SHADOW).some((r) => r[0] === user);
  if (inShadow || fs.existsSync(SHADOW)) {
    let found = false;
    updateRecords(SHADOW, (rows) => {
      for (const r of rows) {
        if (r[0] !== user) continue;
        found = true;
        r[1] = update(r[1] ?? "");
        while (r.length < 9) r.push("");
        r[2] = String(daysSinceEpoch());
      }
      if (!found && readRecords(PASSWD).some((r) => r[0] === user)) {
        found = true;
        rows.push([user, update(""), String(daysSinceEpoch()), "0", "99999", "7", "", "", ""]);
      }
    }, SHADOW_MODE);
    if (found) {
      // The password now lives in shadow: passwd must say so.
      updateRecords(PASSWD, (rows) => {
        for (const r of rows) if (r[0] === user && r[1] !== "x") r[1] = "x";
      });
      return;
    }
  }
  let found = false;
  updateRecords(PASSWD, (rows) => {
    for (const r of rows) if (r[0] === user) [found, r[1]] = [true, update(r[1] ?? "")];
  });
  if (!found) throw new AppletError(`unknown user ${user}`);
}

/** The password hash of a user: shadow's field when passwd says "x". */
export function passwordHash(user: string): string | undefined {
  const pw = readRecords(PASSWD).find((r) => r[0] === user);
  if (!pw) return undefined;
  if (pw[1] !== "x") return pw[1] ?? "";
  return readRecords(SHADOW).find((r) => r[0] === user)?.[1] ?? "!";
}

/** BusyBox's rule for new user and group names: [A-Za-z0-9_.-], not starting with '-', an optional final '$'. */
export function checkName(name: string): void {
  if (name.length === 0 || name.length > 32) throw new AppletError(name ? "name is too long" : "name is empty");
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const ok = /[A-Za-z0-9_.]/.test(c) || (c === "-" && i > 0) || (c === "$" && i === name.length - 1 && i > 0);
    if (!ok) throw new AppletError(`illegal character with code ${name.charCodeAt(i)} at position ${i}`);
  }
}

/** Id ranges BusyBox uses: system accounts 100-999, others from 1000. */
export const SYSTEM_IDS = [100, 999] as const;
export const NORMAL_IDS = [1000, 64999] as const;

/** The lowest id in range not used in the given column of the records. */
export function freeId(rows: string[][], column: number, [low, high]: readonly [number, number], prefer?: number): number {
  const used = new Set(rows.map((r) => Number(r[column])));
  if (prefer !== undefined && !used.has(prefer)) return prefer;
  for (let id = low; id <= high; id++) if (!used.has(id)) return id;
  throw new AppletError("no free id left");
}

/** Add or remove a member in /etc/group's member list of `group`. */
export function setGroupMember(group: string, user: string, member: boolean): boolean {
  let found = false;
  updateRecords(GROUP, (rows) => {
    for (const r of rows) {
      if (r[0] !== group) continue;
      found = true;
      while (r.length < 4) r.push("");
      const members = r[3].split(",").filter((m) => m && m !== user);
      if (member) members.push(user);
      r[3] = members.join(",");
    }
  });
  return found;
}
