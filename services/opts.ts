// Option keys by long name: the parser keys "-S, --start" as "S"; the
// service applets read opts.start, which says what it means.
import type { Options } from "../lib/options.ts";

export function byLongName(lines: string[], opts: Options): Options {
  const out: Options = { ...opts };
  for (const l of lines) {
    const m = /^-(\S), --([\w-]+)/.exec(l);
    if (m && opts[m[1]] !== undefined) out[m[2]] = opts[m[1]];
  }
  return out;
}
