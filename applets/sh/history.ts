// Command history of an interactive shell: kept in memory, loaded from
// $HISTFILE (~/.ash_history) at start, each accepted line appended to it,
// at most $HISTSIZE entries (255 by default, as ash's MAX_HISTORY). The
// `history` builtin lists it as ash does ("%4d %s", numbered from 0).
import * as fs from "node:fs";
import { builtins } from "./builtins.ts";
import type { Shell } from "./state.ts";

const DEFAULT_SIZE = 255;

export class History {
  lines: string[] = [];
  private file?: string;

  constructor(private sh: Shell) {}

  get limit(): number {
    const v = this.sh.get("HISTSIZE");
    const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : DEFAULT_SIZE;
    return Math.min(Math.max(n, 0), 9999);
  }

  /** The history file: $HISTFILE, else $HOME/.ash_history. */
  fileName(): string | undefined {
    const hf = this.sh.get("HISTFILE");
    if (hf) return hf;
    const home = this.sh.get("HOME");
    return home ? home.replace(/\/$/, "") + "/.ash_history" : undefined;
  }

  load(): void {
    this.file = this.fileName();
    if (!this.file) return;
    let text: string;
    try {
      text = fs.readFileSync(Buffer.from(this.file, "latin1")).toString("latin1");
    } catch {
      return;
    }
    for (const l of text.split("\n")) if (l !== "") this.lines.push(l);
    this.trim();
  }

  /** Remember an accepted line (not empty, not a repeat of the last one) and append it to the file. */
  add(line: string): void {
    if (line.trim() === "") return;
    if (this.lines[this.lines.length - 1] === line) return;
    this.lines.push(line);
    const over = this.trim();
    const file = this.fileName();
    if (!file || this.limit === 0) return;
    try {
      const p = Buffer.from(file, "latin1");
      if (over || file !== this.file) {
        // Rewrite the file when it would grow past the limit (as ash does).
        fs.writeFileSync(p, Buffer.from(this.lines.map((l) => l + "\n").join(""), "latin1"), { mode: 0o600 });
      } else fs.appendFileSync(p, Buffer.from(line + "\n", "latin1"), { mode: 0o600 });
      this.file = file;
    } catch {}
  }

  private trim(): boolean {
    const max = this.limit;
    if (this.lines.length <= max) return false;
    this.lines.splice(0, this.lines.length - max);
    return true;
  }
}

/** The shell's history, set by the interactive loop (the builtin reads it). */
export const shellHistory = new WeakMap<object, History>();

builtins.set("history", async (sh) => {
  const h = shellHistory.get(sh.g);
  if (!h) return 0;
  let out = "";
  h.lines.forEach((l, i) => (out += `${String(i).padStart(4)} ${l}\n`));
  await sh.out(out);
  return 0;
});
