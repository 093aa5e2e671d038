// Kernel modules as files: the ELF .modinfo section, the indexes depmod
// writes under /lib/modules/<release> (modules.dep, modules.alias, ...), the
// /etc/modprobe.d configuration, and compressed .ko.gz/.ko.xz images.
import * as fs from "node:fs";
import * as path from "node:path";
import { ByteSource, chunksOf } from "./archive/bytesource.ts";
import { gunzip, isGzipMagic } from "./archive/gzip.ts";
import { isXzMagic, unxz } from "./archive/xz.ts";
import { fnmatch, hasGlobChars } from "./glob.ts";
import { finitModule, initModule, uname } from "./syscalls.ts";

/** /lib/modules/<release>; `base` is depmod's -b / modprobe's -d prefix. */
export function modulesDir(release = uname().release, base = "/"): string {
  return path.join(base, "lib", "modules", release);
}

/** A module's name from its file name: "kernel/fs/fuse.ko.xz" -> "fuse" (dashes as underscores). */
export function moduleName(file: string): string {
  return normName(path.basename(file).replace(/\.ko(\.(gz|xz|zst))?$/, ""));
}

export const normName = (n: string) => n.replace(/-/g, "_");

/** A module file's bytes, decompressed when it is a .ko.gz or .ko.xz. */
export async function readModuleImage(file: string): Promise<Uint8Array> {
  const raw = new Uint8Array(fs.readFileSync(file));
  let gen: AsyncIterable<Uint8Array> | undefined;
  if (isGzipMagic(raw)) gen = gunzip(new ByteSource(chunksOf(raw)));
  else if (isXzMagic(raw)) gen = unxz(new ByteSource(chunksOf(raw)));
  else if (raw[0] === 0x28 && raw[1] === 0xb5 && raw[2] === 0x2f && raw[3] === 0xfd) throw new Error(`'${file}': zstd-compressed modules are not supported`);
  if (!gen) return raw;
  const parts: Uint8Array[] = [];
  for await (const p of gen) parts.push(p);
  return Buffer.concat(parts);
}

export function isCompressedModule(file: string): boolean {
  return /\.ko\.(gz|xz|zst)$/.test(file);
}

interface Section { name: string; offset: number; size: number; type: number; link: number; entsize: number }

/** The section headers of an ELF file (32 or 64 bit, either byte order). */
function elfSections(b: Uint8Array): Section[] {
  if (b.length < 52 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) throw new Error("not an ELF file");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = b[4] === 2, le = b[5] === 1;
  const u16 = (o: number) => v.getUint16(o, le), u32 = (o: number) => v.getUint32(o, le);
  const word = (o: number) => (is64 ? Number(v.getBigUint64(o, le)) : u32(o));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e), shnum = u16(is64 ? 0x3c : 0x30), shstrndx = u16(is64 ? 0x3e : 0x32);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push({
      nameOff: u32(o), type: u32(o + 4),
      offset: word(o + (is64 ? 0x18 : 0x10)), size: word(o + (is64 ? 0x20 : 0x14)),
      link: u32(o + (is64 ? 0x28 : 0x18)), entsize: word(o + (is64 ? 0x38 : 0x24)),
    });
  }
  const strtab = raw[shstrndx];
  const str = (off: number) => {
    const start = strtab.offset + off;
    const end = b.indexOf(0, start);
    return Buffer.from(b.subarray(start, end)).toString("latin1");
  };
  return raw.map((s) => ({ name: str(s.nameOff), offset: s.offset, size: s.size, type: s.type, link: s.link, entsize: s.entsize }));
}

/** The key=value pairs of a module's .modinfo section, in file order. */
export function readModinfo(image: Uint8Array): [string, string][] {
  const sec = elfSections(image).find((s) => s.name === ".modinfo");
  if (!sec) return [];
  const text = Buffer.from(image.subarray(sec.offset, sec.offset + sec.size)).toString("latin1");
  const out: [string, string][] = [];
  for (const item of text.split("\0")) {
    const eq = item.indexOf("=");
    if (eq > 0) out.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return out;
}

/** Symbols a module exports (__ksymtab_NAME) and those it needs (undefined), from its symbol table. */
export function moduleSymbols(image: Uint8Array): { exported: string[]; undefined: string[] } {
  const secs = elfSections(image);
  const symtab = secs.find((s) => s.type === 2);
  const exported: string[] = [], undef: string[] = [];
  if (!symtab) return { exported, undefined: undef };
  const strs = secs[symtab.link];
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const is64 = image[4] === 2, le = image[5] === 1;
  for (let o = symtab.offset; o + symtab.entsize <= symtab.offset + symtab.size; o += symtab.entsize) {
    const nameOff = v.getUint32(o, le);
    const shndx = v.getUint16(o + (is64 ? 6 : 14), le);
    const start = strs.offset + nameOff;
    const name = Buffer.from(image.subarray(start, image.indexOf(0, start))).toString("latin1");
    if (!name) continue;
    if (name.startsWith("__ksymtab_")) exported.push(name.slice(10));
    else if (shndx === 0 && name !== ".TOC.") undef.push(name);
  }
  return { exported, undefined: undef };
}

export interface DepEntry { file: string; deps: string[] }

/** modules.dep: module name -> its file and dependencies' files (relative to the modules directory). */
export function readModulesDep(dir: string): Map<string, DepEntry> {
  const map = new Map<string, DepEntry>();
  const text = fs.readFileSync(path.join(dir, "modules.dep"), "latin1");
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const file = line.slice(0, colon);
    map.set(moduleName(file), { file, deps: line.slice(colon + 1).split(/\s+/).filter(Boolean) });
  }
  return map;
}

/** A file's lines without comments and blank lines, split into words. */
function configLines(file: string): string[][] {
  let text: string;
  try {
    text = fs.readFileSync(file, "latin1");
  } catch {
    return [];
  }
  return text.replace(/\\\n/g, " ").split("\n")
    .map((l) => l.replace(/#.*/, "").trim()).filter(Boolean).map((l) => l.split(/\s+/));
}

/** modules.alias (and modules.symbols, same format): [pattern, module] pairs. */
export function readAliases(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const f of ["modules.alias", "modules.symbols"]) {
    for (const w of configLines(path.join(dir, f))) if (w[0] === "alias" && w.length >= 3) out.push([w[1], normName(w[2])]);
  }
  return out;
}

export interface ModprobeConfig {
  options: Map<string, string[]>;
  aliases: [string, string][];
  blacklist: Set<string>;
  softdeps: Map<string, { pre: string[]; post: string[] }>;
}

/** /etc/modprobe.d/*.conf, /lib/modprobe.d/*.conf and /etc/modprobe.conf, plus the modules' softdeps. */
export function readModprobeConfig(root = "/", dir?: string): ModprobeConfig {
  const cfg: ModprobeConfig = { options: new Map(), aliases: [], blacklist: new Set(), softdeps: new Map() };
  const files: string[] = [];
  const byName = new Map<string, string>();
  for (const d of ["lib/modprobe.d", "usr/lib/modprobe.d", "run/modprobe.d", "etc/modprobe.d"]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.join(root, d));
    } catch {}
    for (const n of names) if (n.endsWith(".conf")) byName.set(n, path.join(root, d, n));
  }
  for (const n of [...byName.keys()].sort()) files.push(byName.get(n)!);
  files.push(path.join(root, "etc/modprobe.conf"));
  if (dir) files.unshift(path.join(dir, "modules.softdep"));
  for (const f of files) {
    for (const [cmd, ...w] of configLines(f)) {
      if (cmd === "options" && w.length) {
        const m = normName(w[0]);
        cfg.options.set(m, [...(cfg.options.get(m) ?? []), ...w.slice(1)]);
      } else if (cmd === "alias" && w.length >= 2) cfg.aliases.push([normName(w[0]), normName(w[1])]);
      else if (cmd === "blacklist" && w.length) cfg.blacklist.add(normName(w[0]));
      else if (cmd === "softdep" && w.length) {
        const sd = { pre: [] as string[], post: [] as string[] };
        let into = sd.pre;
        for (const x of w.slice(1)) {
          if (x === "pre:") into = sd.pre;
          else if (x === "post:") into = sd.post;
          else into.push(normName(x));
        }
        cfg.softdeps.set(normName(w[0]), sd);
      }
    }
  }
  return cfg;
}

/** Modules an alias (or a plain name) stands for, as a glob against each pattern. */
export function resolveAlias(name: string, patterns: [string, string][]): string[] {
  const out: string[] = [];
  for (const [pat, mod] of patterns) if ((hasGlobChars(pat) ? fnmatch(pat, name) : pat === name) && !out.includes(mod)) out.push(mod);
  return out;
}

export interface LoadedModule { name: string; size: number; refs: number; users: string[]; state: string }

/** /proc/modules. */
export function readProcModules(file = "/proc/modules"): LoadedModule[] {
  return fs.readFileSync(file, "latin1").split("\n").filter(Boolean).map((l) => {
    const [name, size, refs, users, state] = l.split(" ");
    return { name, size: Number(size), refs: Number(refs), users: users === "-" ? [] : users.split(",").filter(Boolean), state };
  });
}

/** Load a module file: finit_module for a plain .ko, init_module with the bytes of a compressed one. */
export async function loadModuleFile(file: string, params: string): Promise<void> {
  if (isCompressedModule(file)) {
    initModule(await readModuleImage(file), params);
    return;
  }
  const fd = fs.openSync(file, "r");
  try {
    finitModule(fd, params);
  } finally {
    fs.closeSync(fd);
  }
}
