// addgroup: create a group, or add an existing user to a group (Alpine's BusyBox).
import { defineApplet } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { GROUP, NORMAL_IDS, PASSWD, SYSTEM_IDS, checkName, freeId, readRecords, setGroupMember, updateRecords, withUserDbLock } from "../lib/userdb.ts";

defineApplet({
  name: "addgroup",
  usage: "[-g GID] [-S] [USER] GROUP",
  summary: "Add a group or add a user to a group",
  options: ["-g GID  Group id", "-S      Create a system group"],
  minOperands: 1,
  dir: "/usr/sbin",
  run(ctx, opts, operands) {
    return withUserDbLock(() => {
      if (operands.length > 2) throw new AppletError("too many arguments");
      if (operands.length === 2) {
        const [user, group] = operands;
        if (!readRecords(PASSWD).some((r) => r[0] === user)) throw new AppletError(`unknown user ${user}`);
        const row = readRecords(GROUP).find((r) => r[0] === group);
        if (!row) throw new AppletError(`unknown group ${group}`);
        if ((row[3] ?? "").split(",").includes(user)) throw new AppletError(`user '${user}' is already in group '${group}'`);
        setGroupMember(group, user, true);
        return 0;
      }
      const group = operands[0];
      checkName(group);
      let gid: number | undefined;
      if (opts.g !== undefined) {
        if (!/^\d+$/.test(opts.g)) throw new AppletError(`invalid number '${opts.g}'`);
        gid = Number(opts.g);
      }
      updateRecords(GROUP, (rows) => {
        if (rows.some((r) => r[0] === group)) throw new AppletError(`group '${group}' in use`);
        if (gid !== undefined && rows.some((r) => Number(r[2]) === gid)) throw new AppletError(`gid '${gid}' in use`);
        rows.push([group, "x", String(gid ?? freeId(rows, 2, opts.S ? SYSTEM_IDS : NORMAL_IDS)), ""]);
      });
      return 0;
    });
  },
});
