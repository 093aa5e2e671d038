// mkpasswd (also cryptpw): print the crypt(3) hash of a password.
import * as fs from "node:fs";
import { defineApplet, type Context } from "../lib/applet.ts";
import { askPassword } from "../lib/askpass.ts";
import { crypt, methodPrefix, newSalt, parseMethod } from "../lib/crypt.ts";
import { AppletError } from "../lib/errors.ts";
import { readLine } from "../lib/fileops.ts";

async function readPassword(ctx: Context, fd: string | undefined): Promise<string> {
  if (fd !== undefined) {
    if (!/^\d+$/.test(fd)) throw new AppletError(`invalid number '${fd}'`);
    return fs.readFileSync(Number(fd), "latin1").split("\n")[0];
  }
  const pw = ctx.stdin.isTTY ? await askPassword(ctx, "Password: ") : await readLine(ctx.stdin);
  return pw ?? "";
}

for (const name of ["mkpasswd", "cryptpw"]) {
  defineApplet({
    name,
    usage: "[-P FD] [-m TYPE] [-S SALT] [PASSWORD] [SALT]",
    summary: "Print crypt(3) hashed PASSWORD",
    options: ["-P N     Read password from fd N", "-m TYPE  md5,sha256/512 (default sha256)", "-S SALT  Salt"],
    dir: "/usr/bin",
    async run(ctx, opts, operands) {
      if (operands.length > 2) throw new AppletError("too many arguments");
      const method = parseMethod(opts.m, "sha256");
      if (!method) throw new AppletError(`unknown encryption method '${opts.m}'`);
      // Operands arrive decoded as UTF-8; the hash is over their bytes.
      const password = operands[0] !== undefined ? Buffer.from(operands[0], "utf8") : await readPassword(ctx, opts.P);
      const salt = opts.S ?? operands[1] ?? newSalt(method);
      await ctx.stdout.write(crypt(password, methodPrefix(method) + salt) + "\n");
      return 0;
    },
  });
}
