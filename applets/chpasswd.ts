// chpasswd: set passwords from "user:password" lines on stdin.
import { defineApplet } from "../lib/applet.ts";
import { hashPassword, parseMethod } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { readLine } from "../lib/fileops.ts";
import { passwordHash, setPasswordField } from "../lib/userdb.ts";

defineApplet({
  name: "chpasswd",
  usage: "[-me] [-c ALG]",
  summary: "Read user:password from stdin and update /etc/passwd",
  options: [
    "-e, --encrypted   Supplied passwords are in encrypted form",
    "-m, --md5         Encrypt using md5, not des",
    "-c, --crypt-method ALG  md5,sha256/512 (default sha256)",
  ],
  dir: "/usr/sbin",
  async run(ctx, opts) {
    if (process.getuid?.() !== 0) throw new AppletError("must be run as root");
    const method = opts.m ? "md5" : parseMethod(opts.c, "sha256");
    if (!method) throw new AppletError(`unknown encryption method '${opts.c}'`);
    let status = 0;
    for (let line; (line = await readLine(ctx.stdin)) !== undefined; ) {
      const colon = line.indexOf(":");
      if (colon < 0) throw new AppletError("missing new password");
      const [user, password] = [line.slice(0, colon), line.slice(colon + 1)];
      if (passwordHash(user) === undefined) {
        await ctx.stderr.write(`chpasswd: unknown user ${user}\n`);
        status = 1;
        continue;
      }
      const field = opts.e ? password : hashPassword(password, method);
      setPasswordField(user, () => field);
    }
    return status;
  },
});
