// The image builder: turns a recipe (recipes/*.yaml, see build/recipe.ts) into
// the images people flash or run.
//
//   bun build/image.ts [RECIPE] [--out DIR] [--pika FILE]
//
// RECIPE defaults to recipes/qemu-x86_64.yaml; DIR to out/images/<recipe name>.
// --pika reuses an already compiled pika for the board's architecture (e.g.
// out/x86_64/pika from build/build.ts) instead of compiling one.
// Outputs, as the recipe lists them:
//   initramfs  <name>.initramfs.cpio.gz + <name>.vmlinuz (for qemu -kernel/-initrd)
//   disk       <name>.img: GPT disk; x86_64: BIOS (syslinux) and UEFI (systemd-boot), qemu-aarch64: UEFI
//   sdcard     <name>.sdcard.img: Raspberry Pi MBR card with the firmware
//   oci        <name>.oci/ (image layout) and <name>.oci.tar (docker load)
// With root.mode squashfs, disk and sdcard also get root and data partitions (build/squashfs.ts).
// Each image gets <image>.manifest.json next to it.
import * as fs from "node:fs";
import * as path from "node:path";
import { ARCH_INFO } from "./arch.ts";
import { compilePika, ROOT } from "./compile.ts";
import { debianPackage } from "./debian.ts";
import { makeFat, installSyslinux, type FatFile } from "./fat.ts";
import { packInitramfs, sourceDateEpoch, writeAtomically } from "./initramfs.ts";
import { bootFiles, rootfsFiles, writeManifest, type ManifestFile } from "./manifest.ts";
import { moduleEntries, selectModules } from "./modules.ts";
import { firmwareEntries, firmwarePackages } from "./firmware.ts";
import { GPT_TYPE } from "./partition.ts";
import { writeGptDisk } from "./disk.ts";
import { buildPreinit } from "./preinit.ts";
import { run } from "./progress.ts";
import { boardArch, loadRecipe, type Recipe } from "./recipe.ts";
import { applyRecipe } from "./recipe-rootfs.ts";
import { rootfsEntries } from "./rootfs.ts";
import { prepare, type Toolchain } from "./toolchain.ts";
import { boardCompatibles, buildSdcard } from "./rpi.ts";
import { buildOci } from "./oci.ts";
import { buildSquashfsParts, SQUASHFS_TOOLS } from "./squashfs.ts";
import type { CpioEntry } from "./cpio.ts";

let label = "image";
export function step(message: string): void {
  process.stderr.write(`[image ${label}] ${message}\n`);
}

export async function timedStep<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  step(`${what} ...`);
  const r = await fn();
  step(`${what}: done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return r;
}

/** A path relative to the current directory when it is below it. */
const shown = (p: string) => (path.relative(process.cwd(), p).startsWith("..") ? p : path.relative(process.cwd(), p) || ".");

export const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** "name version" of a Debian package unpacked by build/debian.ts (from its cache directory name). */
export function debVersion(root: string): [string, string] {
  const [name, version] = path.basename(path.dirname(root)).split("_");
  return [name, decodeURIComponent(version)];
}

/** Versions of host tools whose code ends up in the image (boot sectors, loaders) or shapes it. */
export async function hostToolVersions(names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of names) {
    out[`${n} (host)`] = (await run("dpkg-query", ["-W", "-f=${Version}", n], { what: `read the version of Debian package ${n} (run build/setup-host)` })).trim();
  }
  return out;
}

/** Everything one build shares between its outputs. */
export interface Build {
  recipe: Recipe;
  out: string;
  tmp: string;
  tc: Toolchain;
  entries: CpioEntry[];
  /** The compressed initramfs of `entries` (made on first use). */
  initramfs: () => Buffer;
  packages: Record<string, string>;
  cmdline: string[];
  manifests: { image: string; size: number }[];
}

export async function manifest(b: Build, image: string, files: ManifestFile[], extraPackages: Record<string, string> = {}): Promise<void> {
  const m = await writeManifest(image, {
    // The recipe by name only: where it sits on the build machine must not change the bytes.
    recipe: path.basename(b.recipe.file), sourceDateEpoch: sourceDateEpoch(),
    packages: Object.fromEntries(Object.entries({ ...b.packages, ...extraPackages }).sort()), files,
  });
  b.manifests.push({ image, size: m.size });
  const totals = Object.entries(m.totals).map(([k, v]) => `${k} ${mib(v)}`).join(", ");
  step(`${path.basename(image)}: ${mib(m.size)} (${totals})`);
}

async function outputInitramfs(b: Build): Promise<void> {
  const gz = path.join(b.out, `${b.recipe.name}.initramfs.cpio.gz`);
  const kernel = path.join(b.out, `${b.recipe.name}.vmlinuz`);
  writeAtomically(gz, b.initramfs());
  fs.copyFileSync(b.tc.kernel.vmlinuz, kernel);
  await manifest(b, gz, rootfsFiles(b.entries));
  await manifest(b, kernel, [{ path: "vmlinuz", size: fs.statSync(kernel).size, sha256: "", part: "kernel" }]);
}

/**
 * The disk: GPT, one FAT ESP, and in squashfs mode root + data partitions.
 * x86_64 boots it with BIOS (syslinux) and UEFI; aarch64 (qemu-aarch64, QEMU virt
 * with edk2) with UEFI only. Debian's arm64 kernel is an EFI stub Image, as the
 * amd64 one is, so systemd-boot starts either.
 */
async function outputDisk(b: Build): Promise<void> {
  const r = b.recipe;
  const bios = boardArch(r.board) === "x86_64";
  const cmdline = [...b.cmdline];
  const sq = r.root.mode === "squashfs" ? await buildSquashfsParts(b, { type: "gpt" }) : undefined;
  if (sq) cmdline.push(...sq.cmdline);
  const initrd = sq?.initramfs ?? b.initramfs();
  const efi = bios ? { deb: "amd64", loader: "systemd-bootx64.efi", removable: "BOOTX64.EFI" } as const
    : { deb: "arm64", loader: "systemd-bootaa64.efi", removable: "BOOTAA64.EFI" } as const;
  const sdBoot = await debianPackage("systemd-boot-efi", efi.deb);
  const options = cmdline.join(" ");
  const files: FatFile[] = [
    { path: "/vmlinuz", source: b.tc.kernel.vmlinuz },
    { path: "/initramfs.gz", data: initrd },
    // BIOS: syslinux's config (its boot sector and ldlinux.* come from `syslinux --install`).
    ...(bios ? [{ path: "/syslinux.cfg", data: Buffer.from(`DEFAULT pika\nPROMPT 0\nTIMEOUT 0\nLABEL pika\n  LINUX /vmlinuz\n  INITRD /initramfs.gz\n  APPEND ${options}\n`) }] : []),
    // UEFI: systemd-boot as the removable-media loader, booting its only entry at once.
    { path: `/EFI/BOOT/${efi.removable}`, source: path.join(sdBoot, "usr/lib/systemd/boot/efi", efi.loader) },
    { path: "/loader/loader.conf", data: Buffer.from("default pika.conf\ntimeout 0\neditor no\n") },
    { path: "/loader/entries/pika.conf", data: Buffer.from(`title Pika Linux\nlinux /vmlinuz\ninitrd /initramfs.gz\noptions ${options}\n`) },
  ];
  const fat = path.join(b.tmp, "esp.img");
  const content = files.reduce((n, f) => n + (f.data?.length ?? fs.statSync(f.source!).size), 0);
  const sizeMiB = Math.max(64, Math.ceil((content * 1.05) / 1048576) + 8);
  await timedStep(`boot partition (FAT32, ${sizeMiB} MiB)`, async () => {
    await makeFat(fat, sizeMiB, files, { label: "PIKA-BOOT", volumeId: "50494b41", tmp: path.join(b.tmp, "fat") });
    if (bios) await installSyslinux(fat);
  });
  const image = path.join(b.out, `${r.name}.img`);
  const gptmbr = bios ? fs.readFileSync("/usr/lib/syslinux/mbr/gptmbr.bin") : undefined;
  await timedStep("disk image (GPT)", () => writeGptDisk(image, [
    { file: fat, name: "pika-boot", gptType: GPT_TYPE.esp, boot: bios },
    ...(sq?.parts ?? []),
  ], { seed: `pika/${r.name}`, bootCode: gptmbr }));
  const hostTools = [...(bios ? ["syslinux", "syslinux-common"] : []), "mtools", "dosfstools", ...(sq ? SQUASHFS_TOOLS : [])];
  await manifest(b, image, [...bootFiles(files), ...rootfsFiles(b.entries), ...(sq?.manifest ?? [])], {
    ...debPkg(sdBoot), ...(await hostToolVersions(hostTools)),
  });
}

const debPkg = (root: string) => Object.fromEntries([debVersion(root)]);

async function main(args: string[]): Promise<void> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (!v || v.startsWith("--")) throw new Error(`${name} needs a value`);
    args.splice(i, 2);
    return v;
  };
  const outOpt = opt("--out");
  const pikaOpt = opt("--pika");
  const unknown = args.find((a) => a.startsWith("--"));
  if (unknown) throw new Error(`unknown option ${unknown} (usage: bun build/image.ts [RECIPE] [--out DIR] [--pika FILE])`);
  const file = args[0] ?? path.join(ROOT, "recipes", "qemu-x86_64.yaml");
  const t0 = performance.now();
  const r = loadRecipe(file);
  label = r.name;
  const arch = boardArch(r.board);
  const info = ARCH_INFO[arch];
  const out = path.resolve(outOpt ?? path.join(ROOT, "out", "images", r.name));
  fs.mkdirSync(out, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(out, ".work-"));
  try {
    step(`board ${r.board} (${arch}), outputs ${r.outputs.join(", ")}, root ${r.root.mode} -> ${shown(out)}`);
    const tc = await timedStep("toolchain (Bun runtime, kernel, musl, libstdc++)", () => prepare(arch));
    const pika = pikaOpt ? path.resolve(pikaOpt) : await timedStep("compiling pika", () =>
      compilePika({ arch, runtime: tc.bunRuntime, outfile: path.join(tmp, "pika") }));
    if (!fs.existsSync(pika)) throw new Error(`--pika ${pikaOpt}: no such file`);
    const preinit = await buildPreinit(arch);
    const mods = await timedStep(`kernel modules (${r.kernel.modules.length} named)`, async () => {
      const set = await selectModules(tc.kernel, r.kernel.modules);
      if (set.builtin.length) step(`built into the kernel already: ${set.builtin.join(", ")}`);
      if (set.soft.length) step(`soft dependencies: ${set.soft.join(", ")}`);
      if (set.files.length) step(`modules: ${set.files.map((f) => path.basename(f, ".ko")).join(" ")}`);
      return { set, entries: await moduleEntries(tc.kernel, set, tmp) };
    });
    const fw = await timedStep("firmware for the modules", async () => {
      const compatibles = boardCompatibles(r.board, tc.kernel);
      const f = await firmwareEntries(tc.kernel, mods.set.files, info.debian, compatibles);
      for (const m of f.choice.noBoardFiles) step(`warning: ${m}: no firmware for this board's device trees (${compatibles.join(", ")})`);
      for (const m of f.choice.missing) step(`warning: ${m.module}: firmware ${m.file} is in none of Debian's packages searched (${firmwarePackages(m.file).join(", ")})`);
      if (f.choice.files.length) step(`firmware: ${f.choice.files.length} files (${mib(f.entries.reduce((n, e) => n + (e.type === "file" ? e.data.length : 0), 0))})`);
      return f;
    });
    const tzdata = r.timezone ? await debianPackage("tzdata", info.debian) : undefined;
    const base = await rootfsEntries({ arch, pika, preinit, muslLoader: tc.muslLoader, libstdcxx: tc.libstdcxx });
    const entries = applyRecipe(base, r, {
      zoneinfo: tzdata && path.join(tzdata, "usr/share/zoneinfo"),
      modules: { entries: [...mods.entries, ...fw.entries], load: mods.set.load },
    });
    const kernelRoot = path.dirname(path.dirname(tc.kernel.vmlinuz));
    const muslRoot = await debianPackage("musl", info.debian);
    let gz: Buffer | undefined;
    const b: Build = {
      recipe: r, out, tmp, tc, entries,
      initramfs: () => (gz ??= Buffer.from(packInitramfs(entries))),
      packages: {
        ...debPkg(kernelRoot), ...debPkg(muslRoot), ...(tzdata ? debPkg(tzdata) : {}), ...fw.packages,
        [info.bunRuntimePackage]: tc.bunVersion, bun: tc.bunVersion,
      },
      cmdline: r.kernel.cmdline,
      manifests: [],
    };
    for (const o of r.outputs) {
      await timedStep(`output ${o}`, async () => {
        if (o === "initramfs") await outputInitramfs(b);
        else if (o === "disk") await outputDisk(b);
        else if (o === "sdcard") await buildSdcard(b);
        else if (o === "oci") await buildOci(b);
      });
    }
    step(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s:`);
    for (const m of b.manifests) process.stderr.write(`  ${shown(m.image).padEnd(48)} ${m.size ? mib(m.size) : "(directory)"}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`image: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  });
}
