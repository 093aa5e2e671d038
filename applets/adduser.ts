// adduser: create a user (with a group of its own name, a home directory
// from /etc/skel and a password), or add a user to a group. Alpine's BusyBox.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, loadApplet, runApplet, type Context } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import {
  GROUP, NORMAL_IDS, PASSWD, SHADOW, SHADOW_MODE, SYSTEM_IDS,
  checkName, daysSinceEpoch, freeId, readRecords, setGroupMember, updateRecords, withUserDbLock,
} from "../lib/userdb.ts";

/** Alpine's group for system users that get no group of their own. */
const NOGROUP = { name: "nogroup", gid: 65533 };

/** Copy the skeleton into a new home, owned by the user. */
function populateHome(home: string, skel: string, uid: number, gid: number): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  fs.chownSync(home, uid, gid);
  let names: string[] = [];
  try {
    names = fs.readdirSync(skel);
  } catch {}
  for (const n of names) {
    const dst = path.join(home, n);
    fs.cpSync(path.join(skel, n), dst, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    chownTree(dst, uid, gid);
  }
}

function chownTree(p: string, uid: number, gid: number): void {
  fs.lchownSync(p, uid, gid);
  if (fs.lstatSync(p).isDirectory()) for (const n of fs.readdirSync(p)) chownTree(path.join(p, n), uid, gid);
}

async function setPassword(ctx: Context, user: string): Promise<number> {
  const passwd = await loadApplet("passwd");
  if (!passwd) throw new AppletError("passwd is not available");
  return runApplet(passwd, { ...ctx, argv: ["passwd", user] });
}

defineApplet({
  name: "adduser",
  usage: "[OPTIONS] USER [GROUP]",
  summary: "Create new user, or add USER to GROUP",
  options: [
    "-h DIR     Home directory",
    "-g GECOS   GECOS field",
    "-s SHELL   Login shell",
    "-G GRP     Group",
    "-S         Create a system user",
    "-D         Don't assign a password",
    "-H         Don't create home directory",
    "-u UID     User id",
    "-k SKEL    Skeleton directory (/etc/skel)",
  ],
  minOperands: 1,
  dir: "/usr/sbin",
  async run(ctx, opts, operands) {
    if (process.getuid?.() !== 0) throw new AppletError("need to be root");
    if (operands.length > 2) throw new AppletError("too many arguments");
    const [user, toGroup] = operands;
    withUserDbLock(() => createUser(user, toGroup, opts));
    if (opts.D || toGroup !== undefined) return 0;
    return setPassword(ctx, user);
  },
});

/** Everything adduser writes, under one lock: ids are chosen and used atomically. */
function createUser(user: string, toGroup: string | undefined, opts: Record<string, any>): void {
  const users = readRecords(PASSWD);
  if (toGroup !== undefined) {
    if (!users.some((r) => r[0] === user)) throw new AppletError(`unknown user ${user}`);
    if (!setGroupMember(toGroup, user, true)) throw new AppletError(`unknown group ${toGroup}`);
    return;
  }
  checkName(user);
  if (users.some((r) => r[0] === user)) throw new AppletError(`user '${user}' in use`);
  const system = !!opts.S;
  let uid: number;
  if (opts.u !== undefined) {
    if (!/^\d+$/.test(opts.u)) throw new AppletError(`invalid number '${opts.u}'`);
    uid = Number(opts.u);
    if (users.some((r) => Number(r[2]) === uid)) throw new AppletError(`uid '${uid}' in use`);
  } else uid = freeId(users, 2, system ? SYSTEM_IDS : NORMAL_IDS);

  // The primary group: -G's, nogroup for system users, else a new one named like the user.
  const groups = readRecords(GROUP);
  let gid: number;
  const groupName = opts.G ?? (system ? NOGROUP.name : undefined);
  if (groupName !== undefined) {
    const g = groups.find((r) => r[0] === groupName);
    if (g) gid = Number(g[2]);
    else if (groupName === NOGROUP.name) {
      gid = NOGROUP.gid;
      updateRecords(GROUP, (rows) => void rows.push([NOGROUP.name, "x", String(gid), ""]));
    } else throw new AppletError(`unknown group ${groupName}`);
  } else {
    if (groups.some((r) => r[0] === user)) throw new AppletError(`group '${user}' in use`);
    gid = freeId(groups, 2, system ? SYSTEM_IDS : NORMAL_IDS, uid);
    updateRecords(GROUP, (rows) => void rows.push([user, "x", String(gid), ""]));
  }

  const home = opts.h ?? `/home/${user}`;
  const shell = opts.s ?? (system ? "/sbin/nologin" : "/bin/sh");
  const gecos = opts.g ?? "Linux User,,,";
  updateRecords(PASSWD, (rows) => void rows.push([user, "x", String(uid), String(gid), gecos, home, shell]));
  updateRecords(SHADOW, (rows) => void rows.push([user, "!", String(daysSinceEpoch()), "0", "99999", "7", "", "", ""]), SHADOW_MODE);
  if (!opts.H) populateHome(home, opts.k ?? "/etc/skel", uid, gid);
}
