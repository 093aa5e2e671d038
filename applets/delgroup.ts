// delgroup: delete a group, or remove a user from a group (Alpine's BusyBox).
import { defineApplet } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { GROUP, PASSWD, readRecords, setGroupMember, updateRecords, withUserDbLock } from "../lib/userdb.ts";

defineApplet({
  name: "delgroup",
  usage: "[USER] GROUP",
  summary: "Delete group GROUP from the system or user USER from group GROUP",
  minOperands: 1,
  dir: "/usr/sbin",
  run(ctx, opts, operands) {
    return withUserDbLock(() => {
      if (operands.length > 2) throw new AppletError("too many arguments");
      const group = operands[operands.length - 1];
      const row = readRecords(GROUP).find((r) => r[0] === group);
      if (!row) throw new AppletError(`unknown group ${group}`);
      if (operands.length === 2) {
        const user = operands[0];
        if (!(row[3] ?? "").split(",").includes(user)) throw new AppletError(`can't find ${user} in /etc/group`);
        setGroupMember(group, user, false);
        return 0;
      }
      const owner = readRecords(PASSWD).find((r) => r[3] === row[2]);
      if (owner) throw new AppletError(`'${owner[0]}' still has '${group}' as their primary group!`);
      updateRecords(GROUP, (rows) => rows.filter((r) => r[0] !== group));
      return 0;
    });
  },
});
