// sulogin: single-user login. Asks for root's password (echo off) and starts
// root's shell ($SUSHELL, $sushell, or root's login shell, as a login shell
// "-sh") without touching the environment; ^D, end of input or -t's timeout
// mean "normal startup" and exit 0. A wrong password costs 3 s. As with
// BusyBox, a root password that is no hash at all (locked: "!", "*") cannot
// be checked: "bad salt", exit 1, after the prompt has been answered.
import * as fs from "node:fs";
import { defineApplet, warn, type Context } from "../lib/applet.ts";
import { verifyPassword } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { loginArgv0 } from "../lib/session.ts";
import { dup2, execve, pollFd, POLLIN, tcgetattr, tcsetattr, TCSANOW } from "../lib/syscalls.ts";
import { readRecords } from "../lib/userdb.ts";

const PROMPT = "Give root password for system maintenance\n(or type Control-D for normal startup):";
const FAIL_DELAY_MS = 3000;
const ECHO = 0o10, ECHONL = 0o100;

/** The first account with uid 0 (getpwuid(0)) and its password hash. */
function rootAccount(): { name: string; hash: string; shell: string } | undefined {
  const pw = readRecords("/etc/passwd").find((r) => r[2] === "0" && r.length >= 7);
  if (!pw) return undefined;
  const hash = pw[1] === "x" ? readRecords("/etc/shadow").find((r) => r[0] === pw[0])?.[1] ?? "x" : pw[1];
  return { name: pw[0], hash, shell: pw[6] || "/bin/sh" };
}

/** What crypt(3) would refuse as a setting: neither "$id$..." nor two DES salt characters. */
function badSalt(hash: string): boolean {
  return !hash.startsWith("$") && !/^[./0-9A-Za-z]{2}/.test(hash);
}

/** A line read from fd 0 with echo off; undefined on ^D, end of input or timeout. */
function askNoEcho(deadline: number | undefined): string | undefined {
  let saved;
  try {
    saved = tcgetattr(0);
    tcsetattr(0, TCSANOW, { ...saved, lflag: saved.lflag & ~(ECHO | ECHONL) });
  } catch {}
  try {
    let line = "";
    const buf = Buffer.alloc(256);
    for (;;) {
      const wait = deadline === undefined ? -1 : deadline - Date.now();
      if (deadline !== undefined && wait <= 0) return undefined;
      if (!pollFd(0, POLLIN, wait)) continue;
      let n: number;
      try {
        n = fs.readSync(0, buf, 0, buf.length, null);
      } catch (err: any) {
        if (err?.code === "EAGAIN" || err?.code === "EINTR") continue;
        return undefined;
      }
      if (n === 0) return undefined;
      line += buf.toString("latin1", 0, n);
      const nl = line.search(/[\r\n]/);
      if (nl >= 0) return line.slice(0, nl);
    }
  } finally {
    if (saved) tcsetattr(0, TCSANOW, saved);
    fs.writeSync(1, "\n");
  }
}

async function say(ctx: Context, msg: string): Promise<void> {
  await warn(ctx, msg);
  await ctx.stderr.flush();
}

defineApplet({
  name: "sulogin",
  usage: "[-t N] [TTY]",
  summary: "Single user login",
  options: ["-t N  Timeout"],
  dir: "/sbin",
  async run(ctx, opts, operands) {
    const timeout = opts.t === undefined ? 0 : Number(opts.t);
    if (!Number.isInteger(timeout) || timeout < 0) throw new AppletError(`invalid number '${opts.t}'`);
    if (operands[0]) {
      const fd = fs.openSync(operands[0], "r+");
      for (const n of [0, 1, 2]) dup2(fd, n);
      if (fd > 2) fs.closeSync(fd);
    }
    const root = rootAccount();
    if (!root) throw new AppletError("no password entry for root");
    const deadline = timeout ? Date.now() + timeout * 1000 : undefined;
    // An empty password lets root straight in.
    while (root.hash !== "") {
      await ctx.stdout.write(PROMPT);
      await ctx.stdout.flush();
      const answer = askNoEcho(deadline);
      if (answer === undefined) {
        await say(ctx, "normal startup");
        return 0;
      }
      if (badSalt(root.hash)) throw new AppletError("bad salt");
      if (verifyPassword(answer, root.hash)) break;
      await new Promise((r) => setTimeout(r, FAIL_DELAY_MS));
      await say(ctx, "Login incorrect");
    }
    await say(ctx, "starting shell for system maintenance");
    const shell = ctx.env.SUSHELL || ctx.env.sushell || root.shell;
    try {
      execve(shell, [loginArgv0(shell)], ctx.env);
    } catch (err) {
      throw new AppletError(`can't execute '${shell}': ${(err as Error).message.replace(/^.*: /, "")}`);
    }
  },
});
