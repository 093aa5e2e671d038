// Firmware for an image's kernel modules: each selected module's `firmware:`
// entries (its .modinfo, as `modinfo -F firmware` prints them) are looked up in
// Debian's firmware packages, and only the files found go to /lib/firmware.
// A module of a chip family lists every chip it drives (brcmfmac: some forty),
// plus board-specific patterns (brcm/brcmfmac*-sdio.*.txt, the `*` after the dot
// being the board's device tree compatible). On a board with device trees (the
// Pis) those patterns tell which chips the board has, and only those chips'
// files go in; elsewhere every listed file that exists does.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CpioEntry } from "./cpio.ts";
import { debianPackage, type DebArch } from "./debian.ts";
import { debVersion } from "./image.ts";
import { fnmatch, hasGlobChars } from "../lib/glob.ts";
import { readModinfo, readModuleImage } from "../lib/kmod.ts";
import type { Kernel } from "./toolchain.ts";

/** Which Debian packages hold a firmware file, by its path under /lib/firmware (first match). */
const FIRMWARE_PACKAGES: [RegExp, string[]][] = [
  // raspi-firmware adds the Raspberry Pi's own brcmfmac files (43456, generic nvram).
  [/^(brcm|cypress)\//, ["firmware-brcm80211", "raspi-firmware"]],
  [/^(rtl_nic|rtl_bt|rtlwifi|rtw88|rtw89)\//, ["firmware-realtek"]],
  [/^(ath\d+k|ar3k|ath6k|ath9k_htc|qca)\/|^(ar\d+|htc_)/, ["firmware-atheros"]],
  [/^iwlwifi-/, ["firmware-iwlwifi"]],
  [/^(libertas|mrvl)\//, ["firmware-libertas"]],
  [/^regulatory\.db/, ["wireless-regdb"]],
  [/^(amdgpu|radeon)\//, ["firmware-amd-graphics"]],
  [/^(bnx2|bnx2x)\//, ["firmware-bnx2", "firmware-bnx2x"]],
  [/^ti-connectivity\//, ["firmware-ti-connectivity"]],
];
const FALLBACK = ["firmware-misc-nonfree"];
/** Names the packages' postinst scripts make with update-alternatives: what the default (highest priority) points to. */
const ALTERNATIVES: Record<string, string> = {
  "regulatory.db": "regulatory.db-debian",
  "regulatory.db.p7s": "regulatory.db.p7s-debian",
};

export function firmwarePackages(file: string): string[] {
  return FIRMWARE_PACKAGES.find(([re]) => re.test(file))?.[1] ?? FALLBACK;
}

export interface ModuleFirmware {
  module: string;
  firmware: string[];
}

export interface FirmwareChoice {
  files: string[];
  /** Listed files no package has (a warning, not an error: the module may work without). */
  missing: { module: string; file: string }[];
  /** Modules with board-specific patterns that matched nothing for this board. */
  noBoardFiles: string[];
}

/**
 * The firmware files to ship, from what each module lists, the files the
 * packages have (`available`) and the board's device tree compatibles (none:
 * not a device tree board; then patterns match every file).
 */
export function chooseFirmware(mods: ModuleFirmware[], available: Iterable<string>, compatibles: string[] = []): FirmwareChoice {
  const have = [...available].sort();
  const has = new Set(have);
  const files = new Set<string>();
  const missing: FirmwareChoice["missing"] = [];
  const noBoardFiles: string[] = [];
  for (const m of mods) {
    const patterns = m.firmware.filter((f) => hasGlobChars(f));
    const literal = m.firmware.filter((f) => !hasGlobChars(f));
    const matching = have.filter((f) => patterns.some((p) => fnmatch(p, f)));
    let keep = (_: string) => true;
    if (compatibles.length && patterns.length) {
      // brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.txt: chip stem, board, extension.
      const stems = new Set<string>();
      for (const f of matching) {
        for (const c of compatibles) {
          const at = f.indexOf(`.${c}.`);
          if (at > 0) { stems.add(f.slice(0, at)); files.add(f); }
        }
      }
      if (!stems.size) noBoardFiles.push(m.module);
      keep = (f) => [...stems].some((s) => f.startsWith(`${s}.`));
    } else for (const f of matching) files.add(f);
    for (const f of literal.filter(keep)) {
      if (has.has(f)) files.add(f);
      else missing.push({ module: m.module, file: f });
    }
  }
  return { files: [...files].sort(), missing, noBoardFiles };
}

/** The `compatible` strings of a flattened device tree's root node. */
export function rootCompatible(dtb: Buffer): string[] {
  if (dtb.readUInt32BE(0) !== 0xd00dfeed) throw new Error("not a device tree blob");
  const structs = dtb.readUInt32BE(8), strings = dtb.readUInt32BE(12);
  let o = structs;
  const align = (n: number) => (n + 3) & ~3;
  let depth = 0;
  for (;;) {
    const token = dtb.readUInt32BE(o);
    o += 4;
    if (token === 1) { // FDT_BEGIN_NODE: a NUL-terminated name
      if (++depth > 1) return []; // the root's properties come before its first child
      o = align(dtb.indexOf(0, o) + 1);
    } else if (token === 3) { // FDT_PROP: length, name offset, value
      const len = dtb.readUInt32BE(o), nameOff = dtb.readUInt32BE(o + 4);
      const name = dtb.toString("latin1", strings + nameOff, dtb.indexOf(0, strings + nameOff));
      const value = dtb.subarray(o + 8, o + 8 + len);
      if (name === "compatible") return value.toString("latin1").split("\0").filter(Boolean);
      o = align(o + 8 + len);
    } else if (token === 4) continue; // FDT_NOP
    else return [];
  }
}

export interface ImageFirmware {
  entries: CpioEntry[];
  /** Debian packages the files came from: name -> version. */
  packages: Record<string, string>;
  choice: FirmwareChoice;
}

/** /lib/firmware entries for the modules in `files` (paths under the kernel's modules directory). */
export async function firmwareEntries(k: Kernel, moduleFiles: string[], arch: DebArch, compatibles: string[]): Promise<ImageFirmware> {
  const mods: ModuleFirmware[] = [];
  for (const f of moduleFiles) {
    const info = readModinfo(await readModuleImage(path.join(k.modulesDir, f)));
    const firmware = info.filter(([key]) => key === "firmware").map(([, v]) => v);
    if (firmware.length) mods.push({ module: path.basename(f).replace(/\.ko(\.\w+)?$/, ""), firmware });
  }
  const pkgNames = [...new Set(mods.flatMap((m) => m.firmware.flatMap(firmwarePackages)))];
  /** Firmware path -> the file in the first package (in FIRMWARE_PACKAGES order) that has it. */
  const where = new Map<string, { pkg: string; full: string }>();
  const packages: Record<string, string> = {};
  for (const name of pkgNames) {
    const root = await debianPackage(name, arch);
    const [pkg, version] = debVersion(root);
    packages[pkg] = version;
    for (const dir of ["lib/firmware", "usr/lib/firmware"].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d))) {
      for (const rel of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
        const full = path.join(dir, rel);
        if (!fs.lstatSync(full).isDirectory() && !where.has(rel)) where.set(rel, { pkg: name, full });
      }
    }
  }
  for (const [name, target] of Object.entries(ALTERNATIVES)) {
    if (!where.has(name) && where.has(target)) where.set(name, where.get(target)!);
  }
  const choice = chooseFirmware(mods, where.keys(), compatibles);
  const entries = new Map<string, CpioEntry>();
  const add = (rel: string) => {
    const p = `/lib/firmware/${rel}`;
    const src = where.get(rel);
    if (!src || entries.has(p)) return;
    const st = fs.lstatSync(src.full);
    for (let d = path.posix.dirname(p); d !== "/lib"; d = path.posix.dirname(d)) entries.set(d, { type: "dir", path: d, mode: 0o755 });
    if (st.isSymbolicLink()) {
      // brcmfmac43455-sdio.bin -> ../cypress/cyfmac43455-sdio.bin: keep the link, ship its target.
      const target = fs.readlinkSync(src.full);
      entries.set(p, { type: "symlink", path: p, target });
      add(path.posix.normalize(path.posix.join(path.posix.dirname(rel), target)));
    } else entries.set(p, { type: "file", path: p, data: fs.readFileSync(src.full), mode: 0o644 });
  };
  for (const f of choice.files) add(f);
  if (entries.size) entries.set("/lib/firmware", { type: "dir", path: "/lib/firmware", mode: 0o755 });
  return { entries: [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), packages, choice };
}
