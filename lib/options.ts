// One declarative option parser for every applet, with getopt/BusyBox semantics:
// clustered short flags (-la), attached or separate arguments (-n5, -n 5),
// long options (--lines=5, --lines 5), "--" ending options, a lone "-" as an
// operand, and operands mixed with options (GNU permutation) unless an applet
// asks to stop at the first operand (env, nice, timeout...).
//
// Options are declared as help lines, so the declaration is also the --help text:
//   "-n           Number output lines"        a flag (counted: -vv gives 2)
//   "-w N         Format N columns wide"      takes an argument
//   "-e PAT...    Pattern (may repeat)"       argument collected into an array
//   "-s, --silent Suppress errors"            aliases; the first name is the key
//   "--color[=WHEN]  Colorize"                long option with optional argument
import { UsageError } from "./errors.ts";

export interface OptionDecl {
  /** Key in the parsed result: the short letter, or the long name without "--". */
  key: string;
  shorts: string[];
  longs: string[];
  /** Argument name, or undefined for a flag. */
  arg?: string;
  /** Argument may be given only as --name=VALUE. */
  optionalArg?: boolean;
  /** Repeated uses collect into an array. */
  repeat?: boolean;
  help: string;
  /** The spec text as declared, for --help. */
  spec: string;
}

export interface OptionSpec {
  decls: OptionDecl[];
  byShort: Map<string, OptionDecl>;
  byLong: Map<string, OptionDecl>;
  stopAtOperand: boolean;
  /** Short option that "-NUM" stands for (head -5 = head -n 5). */
  numeric?: string;
}

/** Parsed options: flags are counts (0 when absent), arguments strings or arrays. */
export type Options = Record<string, any>;

export interface Parsed {
  opts: Options;
  operands: string[];
}

const SPEC_LINE = /^(\S.*?)(?:\s{2,}|\t+)(.*)$/;

export function compileOptions(lines: readonly string[] = [], extra: { stopAtOperand?: boolean; numeric?: string } = {}): OptionSpec {
  const spec: OptionSpec = {
    decls: [],
    byShort: new Map(),
    byLong: new Map(),
    stopAtOperand: !!extra.stopAtOperand,
    numeric: extra.numeric,
  };
  for (const line of lines) {
    const m = SPEC_LINE.exec(line);
    const specText = (m ? m[1] : line).trim();
    const decl: OptionDecl = { key: "", shorts: [], longs: [], help: m ? m[2].trim() : "", spec: specText };
    for (const part of specText.split(/,\s*/)) {
      const pm = /^(--?)([A-Za-z0-9?][\w-]*)(\[=(\S+)\]|[ =](\S+))?$/.exec(part.trim());
      if (!pm) throw new Error(`bad option declaration '${line}'`);
      const [, dashes, name, , optArg, arg] = pm;
      if (dashes === "-") {
        if (name.length !== 1) throw new Error(`short option must be one character in '${line}'`);
        decl.shorts.push(name);
      } else decl.longs.push(name);
      const a = optArg ?? arg;
      if (a) {
        decl.repeat = a.endsWith("...");
        decl.arg = a.replace(/\.\.\.$/, "");
        decl.optionalArg = optArg !== undefined;
      }
    }
    decl.key = decl.shorts[0] ?? decl.longs[0];
    spec.decls.push(decl);
    for (const s of decl.shorts) spec.byShort.set(s, decl);
    for (const l of decl.longs) spec.byLong.set(l, decl);
  }
  return spec;
}

function initialOptions(spec: OptionSpec): Options {
  const opts: Options = {};
  for (const d of spec.decls) opts[d.key] = d.arg ? (d.repeat ? [] : undefined) : 0;
  return opts;
}

/**
 * The keys of the options as they were given, in command-line order, for
 * applets where the last of two conflicting options wins (ls -C/-1/-l, -t/-S).
 */
export function optionOrder(opts: Options): string[] {
  return (opts as any)[ORDER] ?? [];
}

const ORDER = Symbol("option order");

function store(opts: Options, decl: OptionDecl, value?: string): void {
  // Kept out of sight of Object.keys and equality checks.
  if (!Object.prototype.hasOwnProperty.call(opts, ORDER)) Object.defineProperty(opts, ORDER, { value: [], enumerable: false });
  (opts as any)[ORDER].push(decl.key);
  if (!decl.arg) opts[decl.key] = (opts[decl.key] ?? 0) + 1;
  else if (decl.repeat) opts[decl.key].push(value ?? "");
  else opts[decl.key] = value ?? "";
}

export function parseOptions(spec: OptionSpec, args: readonly string[]): Parsed {
  const opts = initialOptions(spec);
  const operands: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") { i++; break; }
    if (a.length < 2 || a[0] !== "-") {
      if (spec.stopAtOperand) break;
      operands.push(a);
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(a)) {
      store(opts, spec.byShort.get(spec.numeric)!, a.slice(1));
      continue;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const decl = spec.byLong.get(name) ?? uniquePrefix(spec, name, a);
      if (!decl) throw new UsageError(`unrecognized option '${a}'`);
      if (!decl.arg) {
        if (eq >= 0) throw new UsageError(`option '--${decl.longs[0]}' doesn't allow an argument`);
        store(opts, decl);
      } else if (eq >= 0) store(opts, decl, a.slice(eq + 1));
      else if (decl.optionalArg) store(opts, decl, "");
      else if (i + 1 < args.length) store(opts, decl, args[++i]);
      else throw new UsageError(`option '--${decl.longs[0]}' requires an argument`);
      continue;
    }
    // A cluster of short options: -abc, -n5, -n 5.
    for (let j = 1; j < a.length; j++) {
      const decl = spec.byShort.get(a[j]);
      if (!decl) throw new UsageError(`invalid option -- '${a[j]}'`);
      if (!decl.arg) { store(opts, decl); continue; }
      if (j + 1 < a.length) store(opts, decl, a.slice(j + 1));
      else if (decl.optionalArg) store(opts, decl, ""); // "-e[=STR]": getopt's "e::", attached only
      else if (i + 1 < args.length) store(opts, decl, args[++i]);
      else throw new UsageError(`option requires an argument -- '${a[j]}'`);
      break;
    }
  }
  for (; i < args.length; i++) operands.push(args[i]);
  return { opts, operands };
}

// getopt_long accepts any unambiguous prefix of a long option.
function uniquePrefix(spec: OptionSpec, name: string, arg: string) {
  const hits = [...spec.byLong.keys()].filter((l) => l.startsWith(name));
  const decls = new Set(hits.map((h) => spec.byLong.get(h)!));
  if (decls.size > 1) throw new UsageError(`option '${arg}' is ambiguous`);
  return decls.size === 1 ? [...decls][0] : undefined;
}

/** The option table of --help, in BusyBox's tab-separated layout. */
export function optionHelp(spec: OptionSpec): string {
  return spec.decls
    .filter((d) => d.help)
    .map((d) => `\t${d.spec}\t${d.help}`)
    .join("\n");
}
