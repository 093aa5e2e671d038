// crontab: list (-l), edit (-e, with $VISUAL or $EDITOR, default vi), remove
// (-r) or replace (FILE, "-" for stdin) a user's crontab in DIR (-c,
// default /var/spool/cron/crontabs), then tell crond by adding the user's
// name to DIR/cron.update, as BusyBox's crontab does.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defineApplet, resolvePath } from "../lib/applet.ts";
import { AppletError, describeErrno, errorMessage, UsageError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { readAll } from "../lib/text.ts";
import { account } from "../lib/session.ts";
import { readRecords } from "../lib/userdb.ts";

export const CRONTABS = "/var/spool/cron/crontabs";

defineApplet({
  name: "crontab",
  dir: "/usr/bin",
  usage: "[-c DIR] [-u USER] [-ler]|[FILE]",
  summary: "Maintain crontab files for individual users",
  options: ["-c DIR  Crontab directory", "-u USER  User", "-l  List crontab", "-e  Edit crontab", "-r  Delete crontab"],
  async run(ctx, opts, operands) {
    const uid = String(process.geteuid?.() ?? 0);
    let user = readRecords("/etc/passwd").find((r) => r[2] === uid)?.[0] ?? uid;
    if (opts.u !== undefined) {
      if (uid !== "0") throw new AppletError("must be suid root");
      if (!account(opts.u)) throw new AppletError(`unknown user ${opts.u}`);
      user = opts.u;
    }
    const acct = account(user);
    const dir = resolvePath(ctx, opts.c ?? CRONTABS);
    try {
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    } catch (err) {
      throw new AppletError(`can't change directory to '${opts.c ?? CRONTABS}': ${errorMessage(err)}`);
    }
    const file = path.join(dir, user);
    const notify = () => fs.appendFileSync(path.join(dir, "cron.update"), user + "\n", { mode: 0o600 });
    const install = (data: Uint8Array) => {
      const tmp = `${file}.new`;
      fs.writeFileSync(tmp, data, { mode: 0o600 });
      if (acct) fs.chownSync(tmp, acct.uid, acct.gid);
      fs.renameSync(tmp, file);
      notify();
    };
    if (opts.l) {
      try {
        await ctx.stdout.write(fs.readFileSync(file));
      } catch (err) {
        throw new AppletError(`can't open '${user}': ${errorMessage(err)}`);
      }
      return 0;
    }
    if (opts.r) {
      try {
        fs.unlinkSync(file);
      } catch {}
      notify();
      return 0;
    }
    if (opts.e) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crontab."));
      const edit = path.join(tmp, user);
      try {
        try {
          fs.copyFileSync(file, edit);
        } catch {
          fs.writeFileSync(edit, "");
        }
        const editor = ctx.env.VISUAL || ctx.env.EDITOR || "vi";
        // As BusyBox: the editor's own status does not matter, the file is installed.
        const r = await runCommand(ctx, [editor, edit]);
        if (r.error) await ctx.stderr.write(`crontab: can't execute '${editor}': ${describeErrno(r.error)}\n`);
        install(fs.readFileSync(edit));
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      return 0;
    }
    if (operands.length !== 1) throw new UsageError();
    let data: Uint8Array;
    if (operands[0] === "-") data = await readAll(ctx.stdin);
    else {
      try {
        data = fs.readFileSync(resolvePath(ctx, operands[0]));
      } catch (err) {
        throw new AppletError(`can't open '${operands[0]}': ${errorMessage(err)}`);
      }
    }
    install(data);
    return 0;
  },
});
