// chmod-style modes: octal ("755") or symbolic ("u+x,go-w", "a=r").
import { AppletError } from "./errors.ts";

/** Apply MODE to `current`; `umask` is used for "+x"-style modes without who. */
export function parseMode(spec: string, current: number, isDir = false, umask = 0o022): number {
  if (/^[0-7]+$/.test(spec)) {
    const v = parseInt(spec, 8);
    if (v > 0o7777) throw new AppletError(`invalid mode '${spec}'`);
    return v;
  }
  let mode = current & 0o7777;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*|[-+=][ugo])+)$/.exec(clause);
    if (!m) throw new AppletError(`invalid mode '${spec}'`);
    const who = m[1] || "";
    let mask = 0;
    for (const w of who || "a") mask |= w === "u" ? 0o4700 : w === "g" ? 0o2070 : w === "o" ? 0o0007 : 0o6777;
    for (const op of m[2].match(/[-+=][rwxXst]*|[-+=][ugo]/g)!) {
      let bits = 0;
      const perms = op.slice(1);
      if (/^[ugo]$/.test(perms)) {
        const shift = perms === "u" ? 6 : perms === "g" ? 3 : 0;
        const p = (mode >> shift) & 7;
        bits = (p << 6) | (p << 3) | p;
      } else {
        for (const p of perms) {
          if (p === "r") bits |= 0o444;
          else if (p === "w") bits |= 0o222;
          else if (p === "x") bits |= 0o111;
          else if (p === "X") { if (isDir || mode & 0o111) bits |= 0o111; }
          else if (p === "s") bits |= 0o6000;
          else if (p === "t") bits |= 0o1000;
        }
      }
      let eff = bits & mask;
      if (!who) eff &= ~umask;
      if (op[0] === "+") mode |= eff;
      else if (op[0] === "-") mode &= ~eff;
      else mode = (mode & ~mask) | eff;
    }
  }
  return mode;
}
