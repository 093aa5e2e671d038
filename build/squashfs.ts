// squashfs root mode: the root filesystem in a read-only squashfs partition, a
// tmpfs overlay on top (so / is writable, and every change is gone at the next
// boot), and an ext4 data partition mounted at /data, the one place that
// persists. The boot partition gets a small early initramfs instead of the
// whole system: init/preinit.c as /init and the modules it needs to reach the
// root (disk drivers, squashfs, overlay, ext4), which it loads, mounts and
// switch_roots from (see that file; pika.root= / pika.data= name the partitions).
//
// Both filesystems are written without root and without loop mounts, by
// Debian's reference tools: mksquashfs reads the root as a tar on stdin (so
// owners, modes and device nodes come from our entries, like the cpio's, and
// not from files on the build machine), and mke2fs -d formats the data partition.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CpioEntry } from "./cpio.ts";
import type { DiskPart } from "./disk.ts";
import { mib, step, timedStep, type Build } from "./image.ts";
import { packInitramfs, sourceDateEpoch } from "./initramfs.ts";
import { fileSha256, rootfsFiles, type ManifestFile } from "./manifest.ts";
import { moduleEntries, selectModules } from "./modules.ts";
import { seededGuid } from "./partition.ts";
import { run } from "./progress.ts";
import { boardArch } from "./recipe.ts";
import { tarEntries } from "./tar.ts";

/** The Debian packages of the host tools that write the root and data partitions (recorded in manifests). */
export const SQUASHFS_TOOLS = ["squashfs-tools", "e2fsprogs"];
export const ROOT_LABEL = "pika-root";
export const DATA_LABEL = "pika-data";
/** The data mount point, and where the layers stay visible after the switch (named as Ubuntu's overlayroot names them). */
const LAYER_DIRS = ["/data", "/media/root-ro", "/media/root-rw"];

/** What the early initramfs loads: the root's filesystems, and the disk drivers of each architecture. */
const EARLY_MODULES = {
  // ext4's crc32c comes in as its soft dependency (build/modules.ts), loaded before it:
  // nothing could autoload it this early.
  filesystems: ["squashfs", "overlay", "ext4"],
  x86_64: ["ata_piix", "ahci", "sd_mod", "virtio_pci", "virtio_blk", "virtio_scsi", "nvme", "xhci_pci", "usb_storage", "uas"],
  // The Pi 3/Zero 2 W SD card is on the sdhost controller, the Pi 4's on sdhci-iproc (emmc2).
  // QEMU virt's disk (qemu-aarch64) is virtio.
  aarch64: ["bcm2835" /* drivers/mmc/host/bcm2835.ko */, "sdhci_iproc", "virtio_pci", "virtio_blk"],
};

/** How the partitions are found at boot: by GPT name, or by MBR signature and number (as the kernel's PARTUUID). */
export type PartitionTable = { type: "gpt" } | { type: "mbr"; signature: number };

export interface SquashfsParts {
  /** The early initramfs for the boot partition. */
  initramfs: Uint8Array;
  /** Root and data partitions, to follow the boot partition (numbers 2 and 3). */
  parts: DiskPart[];
  cmdline: string[];
  manifest: ManifestFile[];
}

function partitionSpec(table: PartitionTable, label: string, number: number): string {
  if (table.type === "gpt") return `PARTLABEL=${label}`;
  return `PARTUUID=${table.signature.toString(16).padStart(8, "0")}-${number.toString(16).padStart(2, "0")}`;
}

const sorted = (entries: CpioEntry[]) => [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/** The early initramfs: /init (pre-init), /dev/console, the modules and the order to load them in. */
async function earlyInitramfs(b: Build): Promise<{ data: Uint8Array; entries: CpioEntry[] }> {
  const arch = boardArch(b.recipe.board);
  const preinit = b.entries.find((e) => e.path === "/init");
  if (preinit?.type !== "file") throw new Error("squashfs: the root filesystem has no /init (pre-init)");
  const set = await selectModules(b.tc.kernel, [...EARLY_MODULES.filesystems, ...EARLY_MODULES[arch]]);
  step(`early modules: ${set.files.map((f) => path.basename(f, ".ko")).join(" ")}`);
  const modules = await moduleEntries(b.tc.kernel, set, path.join(b.tmp, "early"));
  const order = set.files.map((f) => `/lib/modules/${b.tc.kernel.version}/${f}\n`).join("");
  const entries = sorted([
    { type: "dir", path: "/dev", mode: 0o755 },
    { type: "chardev", path: "/dev/console", major: 5, minor: 1, mode: 0o600 },
    { type: "dir", path: "/etc", mode: 0o755 },
    // Mount points pre-init uses before the switch.
    ...["/media", "/newroot", "/proc", "/sys"].map((d): CpioEntry => ({ type: "dir", path: d, mode: 0o755 })),
    { type: "file", path: "/etc/preinit.modules", data: Buffer.from(order), mode: 0o644 },
    preinit,
    ...modules,
  ]);
  return { data: packInitramfs(entries), entries };
}

/** mksquashfs refuses SOURCE_DATE_EPOCH together with explicit times, which also cover the unset (0) case. */
function withoutEpoch(): NodeJS.ProcessEnv {
  const { SOURCE_DATE_EPOCH: _, ...env } = process.env;
  return env;
}

/** The root filesystem as a squashfs image (gzip: as small as the cpio.gz, and quick to build and read). */
async function squashfsImage(b: Build, out: string): Promise<void> {
  const have = new Set(b.entries.map((e) => e.path));
  const entries = sorted([...b.entries, ...LAYER_DIRS.filter((d) => !have.has(d)).map((d): CpioEntry => ({ type: "dir", path: d, mode: 0o755 }))]);
  const epoch = String(sourceDateEpoch());
  const tar = path.join(b.tmp, "root.tar");
  fs.writeFileSync(tar, tarEntries(entries, sourceDateEpoch()));
  await run("mksquashfs", [
    "-", out, "-tar", "-noappend", "-quiet", "-no-progress", "-comp", "gzip",
    "-mkfs-time", epoch, "-all-time", epoch, "-root-mode", "0755", "-root-uid", "0", "-root-gid", "0",
  ], { what: "make the squashfs root (mksquashfs, Debian package squashfs-tools)", stdin: tar, env: withoutEpoch() });
  fs.rmSync(tar);
}

/** An empty ext4 filesystem of `sizeMiB` with a fixed UUID, hash seed and time, so it is the same every build. */
async function dataImage(b: Build, out: string, sizeMiB: number): Promise<void> {
  const empty = path.join(b.tmp, "data");
  fs.mkdirSync(empty, { recursive: true });
  const epoch = Math.max(sourceDateEpoch(), 1); // mke2fs takes 0 as "now"
  fs.utimesSync(empty, epoch, epoch);
  const uuid = seededGuid(`pika/${b.recipe.name}/data`).toLowerCase();
  fs.rmSync(out, { force: true });
  await run("mke2fs", [
    "-q", "-F", "-t", "ext4", "-L", DATA_LABEL, "-U", uuid, "-E", `hash_seed=${uuid},root_owner=0:0`,
    "-d", empty, out, `${sizeMiB}M`,
  ], { what: "format the data partition (mke2fs, Debian package e2fsprogs)", env: { ...process.env, E2FSPROGS_FAKE_TIME: String(epoch) } });
}

async function partFile(file: string, label: string, part: string): Promise<ManifestFile> {
  return { path: `part:${label}`, size: fs.statSync(file).size, sha256: await fileSha256(file), part };
}

export async function buildSquashfsParts(b: Build, table: PartitionTable): Promise<SquashfsParts> {
  const early = await timedStep("early initramfs (pre-init and modules)", () => earlyInitramfs(b));
  const root = path.join(b.tmp, "root.squashfs");
  await timedStep("root partition (squashfs)", () => squashfsImage(b, root));
  step(`squashfs root: ${mib(fs.statSync(root).size)}, early initramfs: ${mib(early.data.length)}`);
  const data = path.join(b.tmp, "data.ext4");
  await timedStep(`data partition (ext4, ${b.recipe.root.dataSizeMiB} MiB)`, () => dataImage(b, data, b.recipe.root.dataSizeMiB));
  return {
    initramfs: early.data,
    parts: [
      { file: root, name: ROOT_LABEL, mbrType: 0x83 },
      { file: data, name: DATA_LABEL, mbrType: 0x83 },
    ],
    cmdline: [`pika.root=${partitionSpec(table, ROOT_LABEL, 2)}`, `pika.data=${partitionSpec(table, DATA_LABEL, 3)}`],
    manifest: [
      await partFile(root, ROOT_LABEL, "squashfs"),
      await partFile(data, DATA_LABEL, "data"),
      ...rootfsFiles(early.entries).map((f) => ({ ...f, path: `initramfs:${f.path}` })),
    ],
  };
}
