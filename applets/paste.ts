// paste: lines of the FILEs side by side, separated by the -d LIST
// delimiters in turn (\n \t \\ and \0 for none), or with -s each file's
// lines joined into one. Files that end early give empty columns, as POSIX
// says (BusyBox 1.35 loses lines there). "-" is stdin, read in turn.
import { defineApplet, warn } from "../lib/applet.ts";
import { AppletError } from "../lib/errors.ts";
import { errorMessage } from "../lib/errors.ts";
import { openInput } from "../lib/fsutil.ts";
import type { Reader } from "../lib/io.ts";
import { binaryOf } from "../lib/text.ts";
import { LineReader, TextOut } from "../lib/textio.ts";

defineApplet({
  name: "paste",
  usage: "[-d LIST] [-s] [FILE]...",
  summary: "Paste lines from each input file, separated with tab",
  options: ["-d LIST  Use delimiters from LIST, not tab", "-s  Serial: one file at a time"],
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    const delims = opts.d === undefined ? ["\t"] : parseList(binaryOf(opts.d));
    if (delims.length === 0) throw new AppletError("-d '' is not supported");
    if (files.length === 0) files = ["-"];
    // Every file is opened first: a missing one stops paste before any output.
    const readers: LineReader[] = [];
    let stdinReader: LineReader | undefined;
    for (const f of files) {
      let input: Reader;
      try {
        input = openInput(ctx, f);
      } catch (err) {
        await warn(ctx, `${f}: ${errorMessage(err)}`);
        return 1;
      }
      // "-" given twice reads alternate lines of the same stdin.
      if (f === "-") readers.push((stdinReader ??= new LineReader(input)));
      else readers.push(new LineReader(input));
    }
    const out = new TextOut(ctx.stdout);
    if (opts.s) {
      for (const r of readers) {
        let line: string | undefined;
        let n = 0;
        let text = "";
        while ((line = await r.next()) !== undefined) {
          if (n) text += delims[(n - 1) % delims.length];
          text += line;
          n++;
          if (text.length > 65536) {
            out.put(text);
            text = "";
            await out.drain();
          }
        }
        out.put(text + "\n");
      }
    } else {
      const done = new Array(readers.length).fill(false);
      for (;;) {
        let text = "";
        let live = 0;
        for (let i = 0; i < readers.length; i++) {
          const line = done[i] ? undefined : await readers[i].next();
          if (line === undefined) done[i] = true;
          else live++;
          if (i) text += delims[(i - 1) % delims.length];
          text += line ?? "";
        }
        if (!live) break;
        out.put(text + "\n");
        await out.drain();
      }
    }
    await out.flush();
    return 0;
  },
});

/** -d LIST: \n \t \\ are those characters, \0 an empty delimiter; another \ stands for itself. */
function parseList(s: string): string[] {
  const list: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && i + 1 < s.length) {
      const c = s[i + 1];
      const esc = c === "n" ? "\n" : c === "t" ? "\t" : c === "\\" ? "\\" : c === "0" ? "" : undefined;
      if (esc !== undefined) {
        list.push(esc);
        i++;
        continue;
      }
    }
    list.push(s[i]);
  }
  return list;
}
