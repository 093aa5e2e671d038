// id, groups, whoami: the user and group identities of the current process
// or of a named user, from the user database (lib/users.ts).
import { defineApplet, type Context } from "../lib/applet.ts";
import { AppletError, UsageError } from "../lib/errors.ts";
import { groupName, groupsOfUser, userByName, userName } from "../lib/users.ts";

interface Ids { ruid: number; euid: number; rgid: number; egid: number; groups: number[] }

/** The process's ids, or a user's (whose groups are getgrouplist()'s: primary first). */
function idsOf(user: string | undefined): Ids {
  if (user !== undefined) {
    const pw = userByName(user);
    if (!pw) throw new AppletError(`unknown user ${user}`);
    const groups = [pw.gid, ...groupsOfUser(pw.name).map((g) => g.gid).filter((g) => g !== pw.gid)];
    return { ruid: pw.uid, euid: pw.uid, rgid: pw.gid, egid: pw.gid, groups: [...new Set(groups)] };
  }
  return {
    ruid: process.getuid!(), euid: process.geteuid!(), rgid: process.getgid!(), egid: process.getegid!(),
    groups: process.getgroups?.() ?? [],
  };
}

/**
 * Print one id as BusyBox does: "N(name)" by default, "N" for -u/-g/-G,
 * "name" with -n (the number, and status 1, when there is no name).
 */
class IdPrinter {
  out = "";
  status = 0;
  constructor(private anyOption: boolean, private names: boolean) {}

  put(id: number, name: string | undefined, prefix = ""): void {
    this.out += prefix;
    if (!this.names || name === undefined) this.out += String(id);
    if (!this.anyOption || this.names) {
      if (name !== undefined) this.out += this.anyOption ? name : `(${name})`;
      else if (this.anyOption) this.status = 1; // quietly, as this BusyBox build does
    }
  }
}

async function printIds(ctx: Context, opts: { u?: number; g?: number; G?: number; n?: number; r?: number }, user: string | undefined): Promise<number> {
  const ids = idsOf(user);
  const anyOption = !!(opts.u || opts.g || opts.G || opts.n || opts.r);
  const p = new IdPrinter(anyOption, !!opts.n);
  const group = (gid: number, prefix?: string) => p.put(gid, groupName(gid), prefix);
  if (!anyOption || opts.G) {
    if (!anyOption) {
      p.put(ids.ruid, userName(ids.ruid), "uid=");
      group(ids.rgid, " gid=");
      if (ids.euid !== ids.ruid) p.put(ids.euid, userName(ids.euid), " euid=");
      if (ids.egid !== ids.rgid) group(ids.egid, " egid=");
    } else {
      group(ids.rgid);
      if (ids.egid !== ids.rgid) group(ids.egid, " ");
    }
    let prefix = " groups=";
    for (const gid of ids.groups) {
      if (anyOption && (gid === ids.rgid || gid === ids.egid)) continue;
      group(gid, anyOption ? " " : prefix);
      prefix = ",";
    }
  } else if (opts.u) {
    const uid = opts.r ? ids.ruid : ids.euid;
    p.put(uid, userName(uid));
  } else {
    group(opts.r ? ids.rgid : ids.egid);
  }
  await ctx.stdout.write(p.out + "\n");
  return p.status;
}

defineApplet({
  name: "id",
  dir: "/usr/bin",
  usage: "[-ugGnr] [USER]",
  summary: "Print information about USER or the current user",
  options: [
    "-u  User ID",
    "-g  Group ID",
    "-G  Supplementary group IDs",
    "-n  Print names instead of numbers",
    "-r  Print real ID instead of effective ID",
  ],
  async run(ctx, opts, operands) {
    // One of -u -g -G at most; -n and -r only with one of them; one USER at most.
    const which = (opts.u ? 1 : 0) + (opts.g ? 1 : 0) + (opts.G ? 1 : 0);
    if (operands.length > 1 || which > 1 || ((opts.n || opts.r) && which === 0)) throw new UsageError();
    return printIds(ctx, opts, operands[0]);
  },
});

defineApplet({
  name: "groups",
  dir: "/usr/bin",
  usage: "[USER]",
  summary: "Print the groups USER is in",
  async run(ctx, _opts, operands) {
    return printIds(ctx, { G: 1, n: 1 }, operands[0]);
  },
});

defineApplet({
  name: "whoami",
  dir: "/usr/bin",
  usage: "",
  summary: "Print the user name associated with the current effective user id",
  async run(ctx, _opts, operands) {
    if (operands.length) throw new UsageError();
    const uid = process.geteuid!();
    const name = userName(uid);
    if (name === undefined) throw new AppletError(`unknown uid ${uid}`);
    await ctx.stdout.write(name + "\n");
    return 0;
  },
});
