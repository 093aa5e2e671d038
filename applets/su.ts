// su: run a shell (or a command) as another user, root by default.
import { defineApplet } from "../lib/applet.ts";
import { askPassword } from "../lib/askpass.ts";
import { verifyPassword } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { account, loginArgv0, sessionEnv, startSession } from "../lib/session.ts";
import { passwordHash } from "../lib/userdb.ts";

const FAIL_DELAY_MS = 3000;

defineApplet({
  name: "su",
  usage: "[-lmp] [-s SH] [-] [USER [FILE ARGS | -c 'CMD' [ARG0 ARGS]]]",
  summary: "Run shell under USER (by default, root)",
  options: [
    "-l      Clear environment, go to home dir, run shell as login shell",
    "-m      Do not set new $HOME, $SHELL, $USER, $LOGNAME",
    "-p      Same as -m",
    "-c CMD  Command to pass to 'sh -c'",
    "-s SH   Shell to use instead of user's default",
  ],
  async run(ctx, opts, operands) {
    let login = !!opts.l;
    if (operands[0] === "-") {
      login = true;
      operands = operands.slice(1);
    }
    const name = operands[0] ?? "root";
    const rest = operands.slice(1);
    const acct = account(name);
    const hash = passwordHash(name);
    if (!acct || hash === undefined) throw new AppletError(`unknown user ${name}`);
    const me = process.getuid?.() ?? 0;
    if (me !== 0) {
      const pw = hash === "" ? "" : await askPassword(ctx, "Password: ");
      if (pw === undefined || !verifyPassword(pw, hash)) {
        await new Promise((r) => setTimeout(r, FAIL_DELAY_MS));
        throw new AppletError("incorrect password");
      }
    }
    const keep = !!(opts.m || opts.p) && !login;
    // -s, or with -m the caller's $SHELL; only root may override a restricted account's shell.
    const wanted = opts.s ?? (keep ? ctx.env.SHELL : undefined);
    const shell = wanted && (me === 0 || acct.shell === "/bin/sh" || acct.shell === "/bin/ash") ? wanted : acct.shell;
    const env = sessionEnv(acct, ctx.env, { clear: login, changeIdentity: !keep });
    if (!keep) env.SHELL = shell;
    const argv0 = login ? loginArgv0(shell) : shell.split("/").pop()!;
    const argv = opts.c !== undefined ? [argv0, "-c", opts.c, ...rest] : [argv0, ...rest];
    await ctx.stdout.flush();
    try {
      startSession(acct, shell, argv, env, login ? { warn: (m) => void ctx.stderr.write(`su: ${m}\n`) } : undefined);
    } catch (err) {
      throw new AppletError((err as Error).message);
    }
  },
});
