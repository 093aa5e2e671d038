// deluser: delete a user (and the group named like it, when nobody else is
// in it), or remove a user from a group. Alpine's BusyBox.
import * as fs from "node:fs";
import { defineApplet } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { GROUP, PASSWD, SHADOW, readRecords, setGroupMember, updateRecords, withUserDbLock } from "../lib/userdb.ts";

defineApplet({
  name: "deluser",
  usage: "[--remove-home] USER [GROUP]",
  summary: "Delete USER from the system, or USER from GROUP",
  options: ["--remove-home  Remove the user's home directory"],
  minOperands: 1,
  dir: "/usr/sbin",
  run(ctx, opts, operands) {
    return withUserDbLock(() => {
      if (process.getuid?.() !== 0) throw new AppletError("need to be root");
      if (operands.length > 2) throw new AppletError("too many arguments");
      const [user, group] = operands;
      const pw = readRecords(PASSWD).find((r) => r[0] === user);
      if (group !== undefined) {
        const g = readRecords(GROUP).find((r) => r[0] === group);
        if (!g) throw new AppletError(`unknown group ${group}`);
        if (!(g[3] ?? "").split(",").includes(user)) throw new AppletError(`can't find ${user} in /etc/group`);
        setGroupMember(group, user, false);
        return 0;
      }
      if (!pw) throw new AppletError(`unknown user ${user}`);
      updateRecords(PASSWD, (rows) => rows.filter((r) => r[0] !== user));
      if (fs.existsSync(SHADOW)) updateRecords(SHADOW, (rows) => rows.filter((r) => r[0] !== user));
      updateRecords(GROUP, (rows) =>
        rows
          .filter((r) => !(r[0] === user && r[2] === pw[3] && !(r[3] ?? "").split(",").some((m) => m && m !== user)))
          .map((r) => (r.length >= 4 ? [...r.slice(0, 3), r[3].split(",").filter((m) => m && m !== user).join(","), ...r.slice(4)] : r)),
      );
      if (opts["remove-home"] && pw[5] && pw[5] !== "/") fs.rmSync(pw[5], { recursive: true, force: true });
      return 0;
    });
  },
});
