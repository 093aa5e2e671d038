// chmod-style modes, parsed as BusyBox's bb_parse_mode() does: octal ("755",
// at most 07777) or symbolic clauses "[ugoa]*([-+=]([rwxXst]*|[ugo]))+"
// separated by commas ("u+x,go-w", "a=r", "g=u"). Empty clauses are allowed.
import { AppletError } from "./errors.ts";

const S_IFDIR = 0o040000;
const WHO: Record<string, number> = { a: 0o7777, u: 0o4700, g: 0o2070, o: 0o0007 };
const PERM: Record<string, number> = { r: 0o444, w: 0o222, x: 0o111, X: 0o111, s: 0o6000, t: 0o1000 };

/** The process umask (without changing it). */
export function currentUmask(): number {
  return process.umask();
}

/**
 * Apply MODE to `current` (which may include the file type bits: "X" looks at
 * S_IFDIR). Clauses without a who ("+x") are limited by `umask`. Returns the
 * new permission bits (& 07777), or undefined when the mode is invalid.
 */
export function tryParseMode(spec: string, current: number, isDir = false, umask?: number): number | undefined {
  if (spec.length > 0 && spec[0] >= "0" && spec[0] <= "7") {
    if (!/^[0-7]+$/.test(spec)) return undefined;
    const v = parseInt(spec, 8);
    return v > 0o7777 ? undefined : v;
  }
  let mode = current | (isDir ? S_IFDIR : 0);
  let i = 0;
  const s = spec;
  while (i < s.length) {
    if (s[i] === ",") { i++; continue; }
    let who = 0;
    while (i < s.length && WHO[s[i]] !== undefined) {
      who |= WHO[s[i]];
      if (++i >= s.length) return undefined;
    }
    do {
      const op = s[i];
      if (op !== "+" && op !== "-") {
        if (op !== "=") return undefined;
        mode &= who ? ~who : ~0o7777;
      }
      i++;
      let perms = 0;
      const c = s[i];
      if (c === "u" || c === "g" || c === "o") {
        // Copy another class's bits: "g=u".
        perms = WHO[c] & 0o777 & mode;
        for (const m of [0o444, 0o222, 0o111]) if (perms & m) perms |= m;
        i++;
      } else {
        while (i < s.length && PERM[s[i]] !== undefined) {
          if (s[i] !== "X" || mode & (S_IFDIR | 0o111)) perms |= PERM[s[i]];
          i++;
        }
      }
      if (perms) {
        perms &= who || ~(umask ?? currentUmask());
        if (op === "-") mode &= ~perms;
        else mode |= perms;
      }
    } while (i < s.length && s[i] !== ",");
  }
  return mode & 0o7777;
}

/** Like tryParseMode, but an invalid mode throws "invalid mode 'SPEC'". */
export function parseMode(spec: string, current: number, isDir = false, umask?: number): number {
  const m = tryParseMode(spec, current, isDir, umask);
  if (m === undefined) throw new AppletError(`invalid mode '${spec}'`);
  return m;
}

/** "drwxr-xr-x" for a st_mode, as ls -l and stat print it (BusyBox's bb_mode_string). */
export function modeString(mode: number): string {
  const type = (mode & 0o170000) >> 12;
  const t = ({ 1: "p", 2: "c", 4: "d", 6: "b", 8: "-", 10: "l", 12: "s" } as Record<number, string>)[type] ?? "?";
  const bit = (m: number, c: string) => (mode & m ? c : "-");
  const special = (x: number, s: number, set: string, unset: string) =>
    mode & s ? (mode & x ? set : unset) : mode & x ? "x" : "-";
  return (
    t +
    bit(0o400, "r") + bit(0o200, "w") + special(0o100, 0o4000, "s", "S") +
    bit(0o040, "r") + bit(0o020, "w") + special(0o010, 0o2000, "s", "S") +
    bit(0o004, "r") + bit(0o002, "w") + special(0o001, 0o1000, "t", "T")
  );
}
