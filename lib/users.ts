// Names for uids and gids from /etc/passwd and /etc/group (read once, cached).
import * as fs from "node:fs";

function table(file: string): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && !map.has(Number(f[2]))) map.set(Number(f[2]), f[0]);
    }
  } catch {
    // No database: numbers are shown instead.
  }
  return map;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

export function userName(uid: number): string | undefined {
  return (users ??= table("/etc/passwd")).get(uid);
}

export function groupName(gid: number): string | undefined {
  return (groups ??= table("/etc/group")).get(gid);
}
