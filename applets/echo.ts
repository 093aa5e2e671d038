// echo: BusyBox's options -n -e -E, parsed by hand because echo must print
// anything that is not exactly a cluster of those letters. As in BusyBox,
// -E only exists to be accepted: escapes stay on once -e was seen.
import { defineApplet } from "../lib/applet.ts";
import { escapeAt } from "../lib/escapes.ts";
import { binaryOf } from "../lib/text.ts";

/**
 * Interpret backslash escapes (echo -e) in a latin1 string; returns the text
 * and whether \c cut it. "\0NNN" takes up to three octal digits after the 0.
 */
export function echoEscapes(s: string): [string, boolean] {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i++];
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (s[i] === "c") return [out, true];
    if (s[i] === "0" && i + 1 < s.length && s.charCodeAt(i + 1) - 48 >= 0 && s.charCodeAt(i + 1) - 48 < 8) i++;
    const [ch, next] = escapeAt(s, i);
    out += ch;
    i = next;
  }
  return [out, false];
}

defineApplet({
  name: "echo",
  usage: "[-neE] [ARG]...",
  summary: "Print the specified ARGs to stdout",
  options: ["-n  No trailing newline", "-e  Interpret backslash escapes (i.e., \\t=tab)", "-E  Don't interpret backslash escapes (default)"],
  rawArgs: true,
  async run(ctx, _opts, args) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) {
      for (const f of args[i].slice(1)) {
        if (f === "n") newline = false;
        else if (f === "e") escapes = true;
      }
    }
    if (!escapes) {
      await ctx.stdout.write(args.slice(i).join(" ") + (newline ? "\n" : ""));
      return 0;
    }
    // Bytes, not UTF-8: \xNN and octal escapes above 0x7f are single bytes.
    let text = "";
    for (let k = i; k < args.length; k++) {
      const [out, stop] = echoEscapes(binaryOf(args[k]));
      text += out;
      if (stop) {
        await ctx.stdout.write(Buffer.from(text, "latin1"));
        return 0;
      }
      if (k + 1 < args.length) text += " ";
    }
    await ctx.stdout.write(Buffer.from(text + (newline ? "\n" : ""), "latin1"));
    return 0;
  },
});
