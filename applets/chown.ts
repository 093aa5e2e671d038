// chown and chgrp. USER[:[GROUP]] (or USER.GROUP), :GROUP, USER: (the user's
// login group), names or numbers, as BusyBox. -R works depth first; with -R
// alone links are changed themselves (lchown), -H/-L traverse them.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { errText, fsPath, recursiveAction, warnBytes, type WalkEntry } from "../lib/fileops.ts";
import type { Options } from "../lib/options.ts";
import { binaryOf, bytesOf } from "../lib/text.ts";
import { groupByName, userByName, passwdEntries } from "../lib/users.ts";

const OPTIONS = [
  "-h, --no-dereference  Affect symlinks instead of symlink targets",
  "-L  Traverse all symlinks to directories",
  "-H  Traverse symlinks on command line only",
  "-P  Don't traverse symlinks (default)",
  "-R, --recursive  Recurse",
  "-c, --changes  List changed files",
  "-v, --verbose  Verbose",
  "-f, --silent, --quiet  Hide errors",
  "--dereference",
];

/** bb_strtou(): digits only, within 32 bits. */
function number(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 0xffffffff ? n : undefined;
}

/** parse_chown_usergroup_or_die(): uid and gid, -1 for "leave as is". */
export function parseUserGroup(spec: string): [number, number] {
  let uid = -1, gid = -1;
  let sep = spec.indexOf(".");
  if (sep >= 0) spec = spec.slice(0, sep) + ":" + spec.slice(sep + 1);
  else sep = spec.indexOf(":");
  const userId = (s: string) => {
    const n = number(s);
    if (n !== undefined) return n;
    const u = userByName(s);
    if (!u) throw new AppletError(`unknown user ${s}`);
    return u.uid;
  };
  if (sep < 0) uid = userId(spec);
  else if (sep === 0) {
    const g = spec.slice(1);
    const n = number(g);
    if (n !== undefined) gid = n;
    else {
      const e = groupByName(g);
      if (!e) throw new AppletError(`unknown group ${g}`);
      gid = e.gid;
    }
  } else {
    // get_uidgid(): "user" or "user:group"; "user:" means the user's login group.
    const user = spec.slice(0, sep);
    const group = spec.slice(sep + 1);
    const fail = () => new AppletError(`unknown user/group ${group ? spec : user}`);
    const n = number(user);
    if (n !== undefined) {
      uid = n;
      gid = passwdEntries().find((p) => p.uid === n)?.gid ?? n;
    } else {
      const u = userByName(user);
      if (!u) throw fail();
      uid = u.uid;
      gid = u.gid;
    }
    if (group) {
      const g = number(group);
      if (g !== undefined) gid = g;
      else {
        const e = groupByName(group);
        if (!e) throw fail();
        gid = e.gid;
      }
    }
  }
  return [uid, gid];
}

async function chown(ctx: Context, opts: Options, operands: string[]): Promise<number> {
  if (operands.length < 2) throw new UsageError();
  const [uid, gid] = parseUserGroup(operands[0]);
  // Which call: lchown with -h, or with -R unless -H/-L.
  const noDeref = opts.h > 0 || (opts.R > 0 && !opts.H && !opts.L);
  const action = async (e: WalkEntry): Promise<true | { err: unknown }> => {
    const u = uid === -1 ? e.st.uid : uid;
    const g = gid === -1 ? e.st.gid : gid;
    try {
      if (noDeref) fs.lchownSync(fsPath(e.path), u, g);
      else fs.chownSync(fsPath(e.path), u, g);
    } catch (err) {
      if (!opts.f) await warnBytes(ctx, `${e.name}: ${errText(err)}`);
      return { err };
    }
    if (opts.v || (opts.c && (e.st.uid !== u || e.st.gid !== g))) {
      await ctx.stdout.write(bytesOf(`changed ownership of '${e.name}' to ${u}:${g}\n`));
    }
    return true;
  };
  const flags = {
    depthFirst: true,
    recurse: opts.R > 0,
    followLinksL0: opts.H > 0 || opts.L > 0,
    followLinks: opts.L > 0,
  };
  let status = 0;
  for (const f of operands.slice(1)) {
    if (!(await recursiveAction(ctx, binaryOf(f), flags, action, action))) status = 1;
  }
  return status;
}

defineApplet({
  name: "chown",
  usage: "[-RhLHPcvf]... USER[:[GRP]] FILE...",
  summary: "Change the owner and/or group of FILEs to USER and/or GRP",
  options: OPTIONS,
  run: chown,
});

defineApplet({
  name: "chgrp",
  usage: "[-RhLHPcvf]... GROUP FILE...",
  summary: "Change the group membership of FILEs to GROUP",
  options: OPTIONS,
  run(ctx, opts, operands) {
    // chgrp GROUP == chown :GROUP
    if (operands.length) operands = [":" + operands[0], ...operands.slice(1)];
    return chown(ctx, opts, operands);
  },
});
