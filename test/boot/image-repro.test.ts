// Reproducibility: the same recipe and inputs give byte-identical images, and
// each image's manifest lists its files, package versions and per-part totals.
// The disk is in squashfs root mode, so its squashfs and ext4 partitions are
// covered too (the initramfs output is the whole system, as in ram mode).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildImage, pikaFor } from "../helpers/image.ts";

const RECIPE = `
board: x86_64
outputs: [disk, initramfs, oci]
hostname: repro
timezone: Europe/Paris
root:
  mode: squashfs
  data_size: 8M
users:
  - name: admin
    ssh_keys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReproReproReproReproReproReproReproRepro0 me@host]
services:
  default: [sshd]
sysctl:
  net.ipv4.ip_forward: 1
`;

const hash = (f: string) => createHash("sha256").update(fs.readFileSync(f)).digest("hex");

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = hash(full);
  }
  return out;
}

describe.runIf(fs.existsSync(pikaFor("x86_64")))("reproducible images", () => {
  it("builds byte-identical disk (squashfs root), initramfs and OCI images twice, with manifests", async () => {
    const env = { SOURCE_DATE_EPOCH: "1700000000" };
    const a = await buildImage("repro", RECIPE, "x86_64", env);
    const b = await buildImage("repro", RECIPE, "x86_64", env);
    const ha = hashes(a.dir);
    expect(Object.keys(ha)).toEqual(expect.arrayContaining(["repro.img", "repro.img.manifest.json", "repro.initramfs.cpio.gz", "repro.oci.tar"]));
    expect(hashes(b.dir)).toEqual(ha);

    const m = JSON.parse(fs.readFileSync(path.join(a.dir, "repro.img.manifest.json"), "utf8"));
    expect(m.sha256).toBe(ha["repro.img"]);
    expect(m.sourceDateEpoch).toBe(1700000000);
    expect(Object.keys(m.packages).join(" ")).toMatch(/linux-image-.*-amd64/);
    expect(m.packages).toHaveProperty("musl");
    expect(m.packages).toHaveProperty("systemd-boot-efi");
    expect(m.packages).toHaveProperty(["e2fsprogs (host)"]);
    for (const part of ["kernel", "pika", "musl", "bootloader", "squashfs", "data"]) expect(m.totals[part]).toBeGreaterThan(0);
    expect(m.totals.data).toBe(8 << 20);
    const paths = m.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      "boot:/vmlinuz", "boot:/initramfs.gz", "/bin/pika", "/etc/localtime", "/home/admin/.ssh/authorized_keys",
      "part:pika-root", "part:pika-data", "initramfs:/init", "initramfs:/etc/preinit.modules",
    ]));
    const pika = m.files.find((f: { path: string }) => f.path === "/bin/pika");
    expect(pika.sha256).toBe(hash(pikaFor("x86_64")));
    // Progress lines and the final size summary.
    expect(a.log).toMatch(/\[image repro\] boot partition \(FAT32, \d+ MiB\): done/);
    expect(a.log).toMatch(/repro\.img\s+[\d.]+ MiB/);
    expect(a.log).toMatch(/\[image repro\] squashfs root: [\d.]+ MiB, early initramfs: [\d.]+ MiB/);
    expect(a.log).toMatch(/\[image repro\] repro\.img: .*squashfs [\d.]+ MiB/);
  }, 600_000);
});
