// The terminal's size as BusyBox's get_terminal_width_height() works it out:
// TIOCGWINSZ on a descriptor (a rows value of 0 counts as a failure), with
// $COLUMNS and $LINES winning when set, and 80x24 when nothing is known.
import { getWinSize } from "./syscalls.ts";

export interface TermSize { cols: number; rows: number; /** Neither ioctl nor environment gave a size. */ failed: boolean }

export function terminalSize(fd: number | undefined, env: Record<string, string>): TermSize {
  let rows = 0, cols = 0;
  let failed = true;
  if (fd !== undefined) {
    try {
      const ws = getWinSize(fd);
      rows = ws.rows;
      cols = ws.cols;
      failed = rows === 0;
    } catch {}
  }
  const pick = (value: number, def: number, name: string) => {
    const s = env[name];
    if (s !== undefined) {
      value = atoi(s);
      failed = false;
    }
    return value <= 1 || value >= 30000 ? def : value;
  };
  rows = pick(rows, 24, "LINES");
  cols = pick(cols, 80, "COLUMNS");
  return { cols, rows, failed };
}

/** C's atoi(): leading blanks, a sign, digits; 0 for anything else. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

// Bun saves the terminal modes of fds 0-2 at start-up and puts them back when
// the process exits, which would undo "stty -echo". An applet that changes
// them on purpose says so, and lib/main.ts then leaves through _exit(2).
let modesKept = false;

export function keepTerminalModes(): void {
  modesKept = true;
}

export function terminalModesKept(): boolean {
  return modesKept;
}
