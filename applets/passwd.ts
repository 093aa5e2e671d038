// passwd: change, lock, unlock or clear a user's password, as BusyBox's.
import { defineApplet } from "../lib/applet.ts";
import { askPassword, weakPasswordReason } from "../lib/askpass.ts";
import { crypt, hashPassword, parseMethod, verifyPassword } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { userName } from "../lib/users.ts";
import { passwordHash, setPasswordField } from "../lib/userdb.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

defineApplet({
  name: "passwd",
  usage: "[-a ALG] [-dlu] [USER]",
  summary: "Change USER's password (default: current user)",
  options: [
    "-a ALG  md5,sha256/512 (default sha256)",
    "-d      Set password to ''",
    "-l      Lock (disable) account",
    "-u      Unlock (enable) account",
  ],
  async run(ctx, opts, operands) {
    const uid = process.getuid?.() ?? 0;
    const me = userName(uid);
    const user = operands[0] ?? me;
    if (!user) throw new AppletError(`unknown uid ${uid}`);
    if (uid !== 0 && user !== me) throw new AppletError(`${user}: permission denied`);
    const old = passwordHash(user);
    if (old === undefined) throw new AppletError(`unknown user ${user}`);
    const by = me ?? String(uid);
    const changed = async () => {
      await ctx.stderr.write(`passwd: password for ${user} changed by ${by}\n`);
      return 0;
    };

    if (opts.l || opts.u) {
      if (uid !== 0) throw new AppletError("permission denied");
      // -l with -u: BusyBox's last word is the lock.
      if (opts.l) {
        if (old.startsWith("!")) throw new AppletError(`password for ${user} is already locked`);
        setPasswordField(user, (p) => "!" + p);
      } else {
        if (!old.startsWith("!")) throw new AppletError(`password for ${user} is already unlocked`);
        setPasswordField(user, (p) => p.replace(/^!+/, ""));
      }
      return changed();
    }
    if (opts.d) {
      if (uid !== 0) throw new AppletError("permission denied");
      setPasswordField(user, () => "");
      return changed();
    }

    const method = parseMethod(opts.a, "sha256") ?? "sha256";
    await ctx.stdout.write(`Changing password for ${user}\n`);
    let oldPlain: string | undefined;
    if (uid !== 0 && old !== "") {
      oldPlain = await askPassword(ctx, "Old password: ");
      if (oldPlain === undefined || !verifyPassword(oldPlain, old)) {
        await sleep(3000); // a wrong guess costs time
        throw new AppletError("incorrect password");
      }
    }
    const unchanged = new AppletError(`password for ${user} is unchanged`);
    const fresh = await askPassword(ctx, "New password: ");
    if (fresh === undefined) throw unchanged;
    const weak = weakPasswordReason(fresh, user, oldPlain);
    if (weak) {
      await ctx.stdout.write(`Bad password: ${weak}\n`);
      if (uid !== 0) throw unchanged; // only root may choose a weak one
    }
    const again = (await askPassword(ctx, "Retype password: ")) ?? "";
    if (again !== fresh) {
      await ctx.stdout.write("Passwords don't match\n");
      throw unchanged;
    }
    if (fresh === "") throw unchanged; // an empty one is only set with -d
    const hashed = hashPassword(fresh, method);
    // Never store something the check would not accept.
    if (crypt(fresh, hashed) !== hashed) throw new AppletError("internal error hashing the password");
    setPasswordField(user, () => hashed);
    return changed();
  },
});

