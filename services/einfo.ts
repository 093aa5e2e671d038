// OpenRC's message look: " * text" (green, yellow or red star on a
// terminal), ebegin's " * Doing it ..." and eend's "[ ok ]" or "[ !! ]"
// right-aligned on a terminal, on a line of its own otherwise.
import type { Context } from "../lib/applet.ts";
import { terminalSize } from "../lib/term.ts";

export const COLOURS = { good: "\x1b[32;01m", warn: "\x1b[33;01m", bad: "\x1b[31;01m", hilite: "\x1b[36;01m", bracket: "\x1b[34;01m", normal: "\x1b[0m" };
const NONE = { good: "", warn: "", bad: "", hilite: "", bracket: "", normal: "" };

/** Colours only on a terminal, and not when the user said no (EINFO_COLOR=no, NO_COLOR). */
export function coloursFor(ctx: Context, fd: 1 | 2 = 1): typeof COLOURS {
  const w = fd === 1 ? ctx.stdout : ctx.stderr;
  if (!w.isTTY || ctx.env.NO_COLOR !== undefined || /^(no|false|off|0)$/i.test(ctx.env.EINFO_COLOR ?? "")) return NONE;
  return COLOURS;
}

function quiet(ctx: Context): boolean {
  return /^(yes|true|on|1)$/i.test(ctx.env.EINFO_QUIET ?? "");
}

export async function einfo(ctx: Context, msg: string): Promise<void> {
  if (quiet(ctx)) return;
  const c = coloursFor(ctx, 1);
  await ctx.stdout.write(` ${c.good}*${c.normal} ${msg}\n`);
}

export async function ewarn(ctx: Context, msg: string): Promise<void> {
  if (quiet(ctx)) return;
  const c = coloursFor(ctx, 2);
  await ctx.stderr.write(` ${c.warn}*${c.normal} ${msg}\n`);
}

export async function eerror(ctx: Context, msg: string): Promise<void> {
  const c = coloursFor(ctx, 2);
  await ctx.stderr.write(` ${c.bad}*${c.normal} ${msg}\n`);
}

export async function ebegin(ctx: Context, msg: string): Promise<void> {
  if (quiet(ctx)) return;
  const c = coloursFor(ctx, 1);
  // Off a terminal the line stays open for eend's "[ ok ]".
  await ctx.stdout.write(c === COLOURS ? ` ${c.good}*${c.normal} ${msg} ...\n` : ` * ${msg} ...`);
}

/** eend: status 0 is "[ ok ]"; otherwise `msg` as an error, then "[ !! ]". Returns status. */
export async function eend(ctx: Context, status: number, msg?: string): Promise<number> {
  if (quiet(ctx)) return status;
  const c = coloursFor(ctx, 1);
  if (status !== 0 && msg) {
    // As OpenRC: the message on stdout, then "[ !! ]" padded as if it followed it.
    await ctx.stdout.write(` ${c.bad}*${c.normal} ${msg}\n`);
    if (c !== COLOURS) {
      await ctx.stdout.write(`${" ".repeat(Math.max(70 - msg.length, 0))}[ !! ]\n`);
      return status;
    }
  }
  const word = status === 0 ? `${c.good}ok${c.normal}` : `${c.bad}!!${c.normal}`;
  const bracket = `${c.bracket}[${c.normal} ${word} ${c.bracket}]${c.normal}`;
  if (c === COLOURS) {
    // Up to the ebegin line, out to the right margin.
    const cols = terminalSize(ctx.stdout.fd, ctx.env).cols || 80;
    await ctx.stdout.write(`\x1b[A\x1b[${Math.max(cols - 7, 0)}C${bracket}\n`);
  } else await ctx.stdout.write(` ${bracket}\n`);
  return status;
}
