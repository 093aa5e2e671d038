// login: ask for a user name and password on the terminal, check them
// against /etc/passwd and /etc/shadow, and become that user's login shell.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { askPassword } from "../lib/askpass.ts";
import { verifyPassword } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { readLine } from "../lib/fileops.ts";
import { account, loginArgv0, sessionEnv, startSession } from "../lib/session.ts";
import { passwordHash } from "../lib/userdb.ts";

const ATTEMPTS = 3;
/** A wrong password costs this long, so guessing over a console is slow. */
const FAIL_DELAY_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hostname(): string {
  try {
    return fs.readFileSync("/proc/sys/kernel/hostname", "utf8").trim().split(".")[0] || "pika";
  } catch {
    return "pika";
  }
}

function ttyName(ctx: Context): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${ctx.stdin.fd ?? 0}`).replace(/^\/dev\//, "");
  } catch {
    return "?";
  }
}

/** Root may log in only on terminals /etc/securetty lists (all, if it is missing). */
function secureTty(tty: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync("/etc/securetty", "utf8");
  } catch {
    return true;
  }
  return text.split("\n").map((l) => l.trim()).includes(tty);
}

async function ask(ctx: Context, prompt: string): Promise<string | undefined> {
  await ctx.stdout.write(prompt);
  await ctx.stdout.flush();
  return (await readLine(ctx.stdin))?.replace(/\r$/, "").trim();
}

defineApplet({
  name: "login",
  usage: "[-p] [-h HOST] [[-f] USER]",
  summary: "Begin a new session on the system",
  options: ["-f       Don't authenticate (user already authenticated)", "-h HOST  Host user came from (for network logins)", "-p       Preserve environment"],
  async run(ctx, opts, operands) {
    if (process.getuid?.() !== 0) throw new AppletError("must be suid root");
    const tty = ttyName(ctx);
    const timeout = Number(ctx.env.LOGIN_TIMEOUT ?? 60);
    if (timeout > 0) {
      const t = setTimeout(() => {
        ctx.stdout.write(`\r\nLogin timed out after ${timeout} seconds\r\n`).then(() => ctx.stdout.flush()).finally(() => process.exit(1));
      }, timeout * 1000);
      t.unref?.();
    }
    let name: string | undefined = operands[0];
    for (let attempt = 1; ; attempt++) {
      if (!name) name = await ask(ctx, `${hostname()} login: `);
      if (name === undefined) return 1; // the terminal hung up
      if (!name) continue;
      const acct = account(name);
      const hash = passwordHash(name);
      let ok = !!opts.f && !!acct;
      if (!ok) {
        // Ask even for unknown users, so that a wrong name looks like a wrong password.
        const pw = hash === "" ? "" : await askPassword(ctx, "Password: ");
        ok = !!acct && hash !== undefined && pw !== undefined && verifyPassword(pw, hash);
      }
      if (ok && acct!.uid === 0 && !secureTty(tty)) ok = false;
      if (ok && acct!.uid !== 0 && fs.existsSync("/etc/nologin")) {
        await ctx.stdout.write(fs.readFileSync("/etc/nologin"));
        return 1;
      }
      if (ok) return begin(ctx, acct!, !!opts.p, tty);
      await sleep(FAIL_DELAY_MS);
      await ctx.stdout.write("Login incorrect\n");
      name = undefined;
      if (attempt >= ATTEMPTS) return 1;
    }
  },
});

async function begin(ctx: Context, acct: NonNullable<ReturnType<typeof account>>, preserve: boolean, tty: string): Promise<number> {
  // The terminal becomes the user's own.
  if (tty !== "?" && !tty.startsWith("pipe:") && !tty.startsWith("socket:")) {
    try {
      fs.chownSync(`/dev/${tty}`, acct.uid, acct.gid);
      fs.chmodSync(`/dev/${tty}`, 0o600);
    } catch {}
  }
  try {
    await ctx.stdout.write(fs.readFileSync("/etc/motd"));
  } catch {}
  await ctx.stdout.flush();
  const env = sessionEnv(acct, ctx.env, { clear: !preserve, changeIdentity: true });
  try {
    startSession(acct, acct.shell, [loginArgv0(acct.shell)], env, { warn: (m) => void ctx.stderr.write(`login: ${m}\n`) });
  } catch (err) {
    throw new AppletError((err as Error).message);
  }
}
