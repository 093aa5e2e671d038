// patch: apply unified diffs. Messages are BusyBox's ("patching file X",
// "creating X", "removing X", "Hunk N FAILED old/new."); the matching is
// POSIX's: each hunk is looked for at its line number (shifted by what the
// hunks before moved), then ever further away, never fuzzily; a hunk whose
// context was cut short by the start or end of the file must sit there.
// Hunks that fail are written to FILE.rej and the others still applied
// (BusyBox drops the whole file instead). "\ No newline at end of file" is
// honoured. Files are replaced through a temporary file and a rename.
import * as fs from "node:fs";
import * as path from "node:path";
import { defineApplet, resolvePath, warn, type Context } from "../lib/applet.ts";
import { AppletError, errorMessage } from "../lib/errors.ts";
import { writeFileAtomic } from "../lib/fsutil.ts";
import { parseNumber } from "../lib/numbers.ts";
import { readAll } from "../lib/text.ts";

interface Line {
  kind: string; // " " "-" "+"
  text: string;
  eol: boolean;
}

interface Hunk {
  oldStart: number;
  oldLen: number;
  newStart: number;
  newLen: number;
  lines: Line[];
  /** The hunk as it was in the patch, for messages and .rej files. */
  raw: string[];
}

interface FilePatch {
  oldName: string;
  newName: string;
  header: string[];
  hunks: Hunk[];
}

interface FileLine {
  text: string;
  eol: boolean;
}

/** "--- NAME\tDATE": the name; an epoch date (1970) means the file does not exist. */
function headerName(s: string): string {
  const tab = s.indexOf("\t");
  if (tab < 0) return s.replace(/\s+$/, "");
  const year = parseInt(s.slice(tab + 1), 10);
  return year > 1900 && year <= 1970 ? "/dev/null" : s.slice(0, tab);
}

function parsePatch(text: string): FilePatch[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const patches: FilePatch[] = [];
  let cur: FilePatch | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ")) {
      cur = { oldName: headerName(l.slice(4)), newName: headerName(lines[i + 1].slice(4)), header: [l, lines[i + 1]], hunks: [] };
      patches.push(cur);
      i++;
      continue;
    }
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(l);
    if (!m || !cur) continue;
    const h: Hunk = {
      oldStart: Number(m[1]), oldLen: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]), newLen: m[4] === undefined ? 1 : Number(m[4]),
      lines: [], raw: [l],
    };
    let oldLeft = h.oldLen, newLeft = h.newLen;
    while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
      let t = lines[i + 1];
      // A blank line inside a hunk is a context line whose space was lost.
      if (t === "") t = " ";
      const k = t[0];
      if (k === "\\") {
        i++;
        const last = h.lines[h.lines.length - 1];
        if (last) last.eol = false;
        h.raw.push(t);
        continue;
      }
      if ((k !== " " && k !== "-" && k !== "+") || (k !== "+" && oldLeft === 0) || (k !== "-" && newLeft === 0)) break;
      i++;
      h.lines.push({ kind: k, text: t.slice(1), eol: true });
      h.raw.push(lines[i]);
      if (k !== "+") oldLeft--;
      if (k !== "-") newLeft--;
    }
    // "\ No newline at end of file" after the hunk's last line.
    if (lines[i + 1]?.startsWith("\\")) {
      i++;
      const last = h.lines[h.lines.length - 1];
      if (last) last.eol = false;
      h.raw.push(lines[i]);
    }
    cur.hunks.push(h);
  }
  return patches;
}

function reversed(h: Hunk): Hunk {
  const swap: Record<string, string> = { " ": " ", "-": "+", "+": "-" };
  return {
    oldStart: h.newStart, oldLen: h.newLen, newStart: h.oldStart, newLen: h.oldLen,
    lines: h.lines.map((l) => ({ ...l, kind: swap[l.kind] })), raw: h.raw,
  };
}

/** -p N: drop N leading components; without -p, keep only the last. */
function stripName(name: string, p: number | undefined): string {
  let i = 0;
  let s = 0;
  let out = name;
  while (s < name.length) {
    if (p !== undefined && i === p) break;
    if (name[s++] !== "/") continue;
    while (name[s] === "/") s++;
    i++;
    out = name.slice(s);
  }
  return out;
}

/** Where the hunk's old lines are in the file, searching from `want` outwards, not before `from`. */
function locate(file: FileLine[], h: Hunk, want: number, from: number): number {
  const old = h.lines.filter((l) => l.kind !== "+");
  let lead = 0;
  while (lead < h.lines.length && h.lines[lead].kind === " ") lead++;
  if (lead === h.lines.length) lead = 0; // all context: no end to hold it to
  let trail = 0;
  while (trail < h.lines.length && h.lines[h.lines.length - 1 - trail].kind === " ") trail++;
  const fits = (p: number) => {
    if (p < from || p + old.length > file.length) return false;
    // Trailing context cut short: the hunk belongs at the end of the file.
    if (trail < lead && p + old.length !== file.length) return false;
    for (let k = 0; k < old.length; k++) if (file[p + k].text !== old[k].text) return false;
    return true;
  };
  const max = Math.max(want - from, file.length - want) + 1;
  for (let d = 0; d <= max; d++) {
    if (fits(want + d)) return want + d;
    if (d && fits(want - d)) return want - d;
  }
  return -1;
}

defineApplet({
  name: "patch",
  usage: "[-RNE] [-p N] [-i DIFF] [ORIGFILE [PATCHFILE]]",
  summary: "Apply a unified diff to files",
  options: [
    "-p N  Strip N leading components from file names",
    "-i DIFF  Read DIFF instead of stdin",
    "-R  Reverse patch",
    "-N  Ignore already applied patches",
    "-E  Remove output files if they become empty",
    "--dry-run  Don't actually change files",
    "-o FILE  Write the result to FILE instead of patching in place",
    "-u",
    "-f",
    "-g N",
  ],
  dir: "/usr/bin",
  async run(ctx, opts, operands) {
    const strip = opts.p !== undefined ? parseNumber(opts.p, 0n, 2147483647n) : undefined;
    const patchName: string | undefined = opts.i ?? operands[1];
    let text: string;
    try {
      text = patchName !== undefined && patchName !== "-"
        ? fs.readFileSync(resolvePath(ctx, patchName), "latin1")
        : (await readAll(ctx.stdin)).toString("latin1");
    } catch (err) {
      throw new AppletError(`can't open '${patchName}': ${errorMessage(err)}`);
    }
    let status = 0;
    for (const fp of parsePatch(text)) {
      if (fp.hunks.length === 0) continue;
      if ((await applyFile(ctx, opts, fp, operands[0], strip)) !== 0) status = 1;
    }
    return status;
  },
});

async function applyFile(ctx: Context, opts: Record<string, any>, fp: FilePatch, orig: string | undefined, strip?: number): Promise<number> {
  const reverse = !!opts.R;
  const hunks = reverse ? fp.hunks.map(reversed) : fp.hunks;
  const oldName = reverse ? fp.newName : fp.oldName;
  const newName = reverse ? fp.oldName : fp.newName;
  const first = hunks[0];
  let name = newName === "/dev/null" ? oldName : newName;
  name = orig ?? stripName(name, strip);
  const full = resolvePath(ctx, name);
  // "@@ -0,0" creates a file only where there is none: in a -U0 diff it inserts at the top.
  const creating = oldName === "/dev/null" || (first.oldStart + first.oldLen === 0 && !fs.existsSync(full));
  const deleting = newName === "/dev/null";
  const out = ctx.stdout;

  let file: FileLine[] = [];
  let mode: number | undefined;
  if (deleting && opts.E) await out.write(`removing ${name}\n`);
  else await out.write(`${creating ? "creating" : "patching file"} ${name}\n`);
  if (creating && fs.existsSync(full)) {
    await out.flush();
    await warn(ctx, `can't open '${name}': File exists`);
    return 1;
  }
  if (!creating) {
    let data: string;
    try {
      data = fs.readFileSync(full, "latin1");
      mode = fs.statSync(full).mode & 0o7777;
    } catch (err) {
      await out.flush();
      await warn(ctx, `can't open '${name}': ${errorMessage(err)}`);
      return 1;
    }
    const parts = data.split("\n");
    const lastEol = parts[parts.length - 1] === "";
    if (lastEol) parts.pop();
    file = parts.map((t, k) => ({ text: t, eol: k < parts.length - 1 || lastEol }));
  }

  // Apply the hunks in order, copying the file between them.
  const result: FileLine[] = [];
  const rejects: Hunk[] = [];
  let cursor = 0;
  let shift = 0;
  let status = 0;
  for (let n = 0; n < hunks.length; n++) {
    const h = hunks[n];
    const expected = h.oldLen ? h.oldStart - 1 : h.oldStart;
    const want = Math.min(file.length, Math.max(0, expected + shift));
    const at = locate(file, h, want, cursor);
    if (at < 0) {
      // Already applied (the new text is there)? -N passes over it quietly.
      if (opts.N && locate(file, reversed(h), want, cursor) >= 0) continue;
      await out.flush();
      await ctx.stderr.write(Buffer.from(`Hunk ${n + 1} FAILED ${fp.hunks[n].oldStart}/${fp.hunks[n].newStart}.\n${h.raw.slice(1).join("\n")}\n`, "latin1"));
      rejects.push(fp.hunks[n]);
      status = 1;
      continue;
    }
    for (; cursor < at; cursor++) result.push(file[cursor]);
    for (const l of h.lines) {
      if (l.kind === "-") cursor++;
      else if (l.kind === "+") result.push({ text: l.text, eol: l.eol });
      else result.push({ text: file[cursor++].text, eol: l.eol });
    }
    // Later hunks are looked for as far from their line numbers as this one was.
    shift = at - expected;
  }
  for (; cursor < file.length; cursor++) result.push(file[cursor]);
  for (let k = 0; k < result.length - 1; k++) result[k].eol = true;

  if (!opts["dry-run"]) {
    const target = opts.o !== undefined ? resolvePath(ctx, opts.o) : full;
    const data = Buffer.from(result.map((l) => l.text + (l.eol ? "\n" : "")).join(""), "latin1");
    try {
      if (data.length === 0 && opts.E && opts.o === undefined) fs.rmSync(full, { force: true });
      else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        writeFileAtomic(target, data, mode);
      }
      if (rejects.length) {
        const rej = [...fp.header, ...rejects.flatMap((h) => h.raw)].join("\n") + "\n";
        writeFileAtomic(target + ".rej", Buffer.from(rej, "latin1"));
      }
    } catch (err) {
      await warn(ctx, `can't write '${name}': ${errorMessage(err)}`);
      return 1;
    }
  }
  if (rejects.length) {
    await out.write(`${rejects.length} out of ${hunks.length} hunk${hunks.length > 1 ? "s" : ""} FAILED -- saving rejects to file ${name}.rej\n`);
  }
  return status;
}
