// The user and group databases (/etc/passwd, /etc/group), read once and cached.
import * as fs from "node:fs";

export interface PasswdEntry { name: string; uid: number; gid: number; gecos: string; home: string; shell: string }
export interface GroupEntry { name: string; gid: number; members: string[] }

function records(file: string): string[][] {
  try {
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(":"));
  } catch {
    return []; // No database: numbers are shown instead of names.
  }
}

let passwd: PasswdEntry[] | undefined;
let groups: GroupEntry[] | undefined;

export function passwdEntries(): PasswdEntry[] {
  return (passwd ??= records("/etc/passwd")
    .filter((f) => f.length >= 7)
    .map(([name, , uid, gid, gecos, home, shell]) => ({ name, uid: Number(uid), gid: Number(gid), gecos, home, shell })));
}

export function groupEntries(): GroupEntry[] {
  return (groups ??= records("/etc/group")
    .filter((f) => f.length >= 3)
    .map(([name, , gid, members]) => ({ name, gid: Number(gid), members: members ? members.split(",").filter(Boolean) : [] })));
}

export function userName(uid: number): string | undefined {
  return passwdEntries().find((u) => u.uid === uid)?.name;
}

export function groupName(gid: number): string | undefined {
  return groupEntries().find((g) => g.gid === gid)?.name;
}

export function userByName(name: string): PasswdEntry | undefined {
  return passwdEntries().find((u) => u.name === name);
}

export function groupByName(name: string): GroupEntry | undefined {
  return groupEntries().find((g) => g.name === name);
}

/** A uid from a name or a number, as chown accepts them. */
export function parseUid(spec: string): number | undefined {
  return /^\d+$/.test(spec) ? Number(spec) : userByName(spec)?.uid;
}

export function parseGid(spec: string): number | undefined {
  return /^\d+$/.test(spec) ? Number(spec) : groupByName(spec)?.gid;
}

/** Supplementary groups a user is listed in. */
export function groupsOfUser(name: string): GroupEntry[] {
  return groupEntries().filter((g) => g.members.includes(name));
}
