// join: POSIX join of two files sorted on their join fields (C locale byte
// order): for each pair of lines with equal join fields, the join field, the
// rest of FILE1's fields, the rest of FILE2's (or -o LIST's fields, with -e
// for missing ones); -a N also prints unpaired lines of file N, -v N only
// those. Fields are split by blanks (leading ones ignored) or by -t CHAR.
// Lines stream; only one group of equal keys per file is held.
import { defineApplet, warn } from "../lib/applet.ts";
import { AppletError, UsageError, errorMessage } from "../lib/errors.ts";
import { openInput } from "../lib/fsutil.ts";
import type { Reader } from "../lib/io.ts";
import { parseNumber } from "../lib/numbers.ts";
import { binaryOf } from "../lib/text.ts";
import { LineReader, TextOut } from "../lib/textio.ts";

interface OutField { file: 0 | 1 | 2; field: number }

defineApplet({
  name: "join",
  usage: "[OPTIONS] FILE1 FILE2",
  summary: "Join lines of FILE1 and FILE2 that have equal join fields",
  options: [
    "-a FILENUM...  Also print unpairable lines from file FILENUM (1 or 2)",
    "-v FILENUM...  Print only unpairable lines from file FILENUM",
    "-e STRING  Replace missing output fields with STRING",
    "-o LIST...  Output fields: FILENUM.FIELD, or 0 for the join field",
    "-t CHAR  Field separator",
    "-i  Ignore case when comparing",
    "-1 FIELD  Join on this field of file 1",
    "-2 FIELD  Join on this field of file 2",
    "-j FIELD  Join on this field of both files",
  ],
  minOperands: 2,
  dir: "/usr/bin",
  async run(ctx, opts, files) {
    if (files.length > 2) {
      await warn(ctx, `extra operand '${files[2]}'`);
      throw new UsageError();
    }
    const fileNum = (s: string) => {
      if (s !== "1" && s !== "2") throw new AppletError(`invalid file number: '${s}'`);
      return Number(s);
    };
    const fieldNum = (s: string) => parseNumber(s, 1n) - 1;
    const unpaired = new Set<number>([...(opts.a as string[]).map(fileNum), ...(opts.v as string[]).map(fileNum)]);
    const onlyUnpaired = (opts.v as string[]).length > 0;
    let key1 = 0, key2 = 0;
    if (opts.j !== undefined) key1 = key2 = fieldNum(opts.j);
    if (opts["1"] !== undefined) key1 = fieldNum(opts["1"]);
    if (opts["2"] !== undefined) key2 = fieldNum(opts["2"]);
    let sep: string | undefined;
    if (opts.t !== undefined) {
      sep = binaryOf(opts.t);
      if (sep.length > 1) throw new AppletError(`multi-character tab '${sep}'`);
    }
    const outSep = sep || " ";
    const empty = opts.e !== undefined ? binaryOf(opts.e) : "";
    const format = (opts.o as string[]).length ? parseList((opts.o as string[]).join(",")) : undefined;
    const fold = !!opts.i;
    const inputs: Reader[] = [];
    for (const f of files) {
      try {
        inputs.push(openInput(ctx, f));
      } catch (err) {
        throw new AppletError(`${f}: ${errorMessage(err)}`);
      }
    }
    const split = (line: string): string[] => {
      if (sep !== undefined) return sep === "" ? [line] : line.split(sep);
      const t = line.replace(/^[ \t]+/, "");
      return t === "" ? [] : t.split(/[ \t]+/);
    };
    const keyOf = (fields: string[], k: number) => {
      const v = fields[k] ?? "";
      return fold ? v.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : v;
    };
    const out = new TextOut(ctx.stdout);
    const emit = (f1: string[] | undefined, f2: string[] | undefined) => {
      const parts: string[] = [];
      if (format) {
        for (const o of format) {
          let v: string | undefined;
          if (o.file === 0) v = f1 ? f1[key1] : f2?.[key2];
          else v = (o.file === 1 ? f1 : f2)?.[o.field];
          parts.push(v === undefined || v === "" ? empty || (v ?? "") : v);
        }
      } else {
        const joinField = f1 ? f1[key1] : f2![key2];
        parts.push(joinField ?? empty);
        if (f1) f1.forEach((v, i) => i !== key1 && parts.push(v));
        if (f2) f2.forEach((v, i) => i !== key2 && parts.push(v));
      }
      out.put(parts.join(outSep) + "\n");
    };
    // One group of lines with equal keys from a file.
    class Side {
      reader: LineReader;
      next: string[] | undefined;
      constructor(input: Reader, readonly key: number) {
        this.reader = new LineReader(input);
      }
      async advance(): Promise<void> {
        const l = await this.reader.next();
        this.next = l === undefined ? undefined : split(l);
      }
      async group(): Promise<string[][]> {
        const k = keyOf(this.next!, this.key);
        const g = [this.next!];
        for (;;) {
          await this.advance();
          if (this.next === undefined || keyOf(this.next, this.key) !== k) return g;
          g.push(this.next);
        }
      }
    }
    const s1 = new Side(inputs[0], key1);
    const s2 = new Side(inputs[1], key2);
    await s1.advance();
    await s2.advance();
    while (s1.next !== undefined || s2.next !== undefined) {
      const k1 = s1.next && keyOf(s1.next, key1);
      const k2 = s2.next && keyOf(s2.next, key2);
      if (s2.next === undefined || (s1.next !== undefined && k1! < k2!)) {
        const line = s1.next!;
        await s1.advance();
        if (unpaired.has(1)) emit(line, undefined);
      } else if (s1.next === undefined || k2! < k1!) {
        const line = s2.next!;
        await s2.advance();
        if (unpaired.has(2)) emit(undefined, line);
      } else {
        const g1 = await s1.group();
        const g2 = await s2.group();
        if (!onlyUnpaired) for (const a of g1) for (const b of g2) emit(a, b);
      }
      await out.drain();
    }
    await out.flush();
    return 0;
  },
});

/** -o LIST: "1.2,2.1 0" (commas or blanks between). */
function parseList(s: string): OutField[] {
  return s
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((f) => {
      if (f === "0") return { file: 0, field: 0 } as OutField;
      const m = /^([12])\.(\d+)$/.exec(f);
      if (!m || Number(m[2]) === 0) throw new AppletError(`invalid field specifier: '${f}'`);
      return { file: Number(m[1]) as 1 | 2, field: Number(m[2]) - 1 };
    });
}
