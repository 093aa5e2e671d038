// Asking for a password: the prompt on stdout, the answer read from stdin
// with the terminal's echo off (when stdin is a terminal), then a newline, as
// BusyBox's bb_ask_noecho() does. EOF gives undefined.
import type { Context } from "./applet.ts";
import { readLine } from "./fileops.ts";
import { withEchoOff } from "./termios.ts";

export async function askPassword(ctx: Context, prompt: string): Promise<string | undefined> {
  await ctx.stdout.write(prompt);
  await ctx.stdout.flush();
  const answer = await withEchoOff(ctx.stdin, () => readLine(ctx.stdin));
  await ctx.stdout.write("\n");
  await ctx.stdout.flush();
  return answer?.replace(/\r$/, "");
}

/** BusyBox's obscure() checks: a reason the password is weak, or undefined. */
export function weakPasswordReason(password: string, user: string, old?: string): string | undefined {
  const lower = password.toLowerCase();
  if (old && lower === old.toLowerCase()) return "similar to old password";
  if (user && lower && (lower.includes(user.toLowerCase()) || user.toLowerCase().includes(lower))) return "similar to username";
  if (password.length < 6) return "too short";
  const counts = new Map<string, number>();
  for (const c of password) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (Math.max(...counts.values()) > password.length / 2) return "too many similar characters";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  // Fewer kinds of character need a longer password.
  if (password.length < 6 + 2 * (4 - classes)) return "too weak";
  return undefined;
}
