// echo: BusyBox's options -n -e -E, parsed by hand because echo must print
// anything that is not exactly a cluster of those letters.
import { defineApplet } from "../lib/applet.ts";

/** Interpret backslash escapes (echo -e); returns the text and whether \c cut it. */
export function echoEscapes(s: string): [string, boolean] {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) { out += c; continue; }
    const e = s[++i];
    switch (e) {
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "c": return [out, true];
      case "e": out += "\x1b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "\\": out += "\\"; break;
      case "0": {
        let digits = "";
        while (digits.length < 3 && /[0-7]/.test(s[i + 1] ?? "")) digits += s[++i];
        out += String.fromCharCode(parseInt(digits || "0", 8) & 0xff);
        break;
      }
      case "x": {
        let digits = "";
        while (digits.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? "")) digits += s[++i];
        out += digits ? String.fromCharCode(parseInt(digits, 16)) : "\\x";
        break;
      }
      default:
        if (/[1-7]/.test(e)) {
          let digits = e;
          while (digits.length < 3 && /[0-7]/.test(s[i + 1] ?? "")) digits += s[++i];
          out += String.fromCharCode(parseInt(digits, 8) & 0xff);
        } else out += "\\" + e;
    }
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
        else escapes = f === "e";
      }
    }
    let text = args.slice(i).join(" ");
    if (escapes) {
      const [out, stop] = echoEscapes(text);
      text = out;
      if (stop) newline = false;
    }
    // Bytes, not UTF-8, for \xNN and octal escapes above 0x7f.
    await ctx.stdout.write(escapes ? Buffer.from(text + (newline ? "\n" : ""), "latin1") : text + (newline ? "\n" : ""));
    return 0;
  },
});
