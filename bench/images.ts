// The image builder's figures (issue 7): the default recipe's initramfs,
// compressed, per part of the system; how long a warm rebuild takes; and the
// time from QEMU start to the default runlevel for each root mode, booting
// the x86_64 disk image the way a user does (BIOS, no -kernel).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { ROOT } from "../build/compile.ts";
import { rootfsPart } from "../build/manifest.ts";
import { ByteSource, chunksOf } from "../lib/archive/bytesource.ts";
import { readCpio } from "../lib/archive/cpio.ts";
import type { Row } from "./run.ts";

const MIB = 1024 * 1024;
const SECTION = "images";
const DEFAULT_RECIPE = path.join(ROOT, "recipes", "qemu-x86_64.yaml");

/** The default recipe in a given root mode, as a disk image only. */
function recipeFor(mode: "ram" | "squashfs"): string {
  const text = fs.readFileSync(DEFAULT_RECIPE, "utf8")
    .replace(/^outputs:.*$/m, mode === "ram" ? "outputs: [disk, initramfs]" : "outputs: [disk]")
    .replace(/^root:\n(?:[ \t]+.*\n)*/m, mode === "ram" ? "root:\n  mode: ram\n" : "root:\n  mode: squashfs\n  data_size: 64M\n");
  return text;
}

interface Build {
  dir: string;
  ms: number;
  error?: string;
}

/** `bun build/image.ts RECIPE --out DIR` with the pika already compiled for the image. */
function buildRecipe(recipe: string, dir: string): Build {
  const t0 = performance.now();
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "bun"),
    [path.join(ROOT, "build", "image.ts"), recipe, "--out", dir, "--pika", path.join(ROOT, "out", "x86_64", "pika")],
    { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  const ms = performance.now() - t0;
  if (r.status === 0) return { dir, ms };
  const tail = `${r.stdout}${r.stderr}`.trim().split("\n").slice(-2).join(" | ");
  return { dir, ms, error: `image build failed (${r.status ?? r.signal}): ${tail}` };
}

function findFile(dir: string, suffix: string): string | undefined {
  const f = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.endsWith(suffix)) : undefined;
  return f && path.join(dir, f);
}

/** Each part's files gzipped together at the builder's level: what the part costs in the initramfs. */
async function partSizes(initramfs: string): Promise<Map<string, { raw: number; gz: number }>> {
  const src = new ByteSource(chunksOf(gunzipSync(fs.readFileSync(initramfs)), 1 << 20));
  const parts = new Map<string, Uint8Array[]>();
  for await (const e of readCpio(src)) {
    if ((e.mode & 0o170000) !== 0o100000 || e.size === 0) continue;
    const data = await src.readExact(e.size);
    if (!data) throw new Error(`${initramfs}: short cpio member ${e.name}`);
    const part = rootfsPart("/" + e.name.replace(/^\.?\//, ""));
    if (!parts.has(part)) parts.set(part, []);
    parts.get(part)!.push(data.slice());
  }
  const out = new Map<string, { raw: number; gz: number }>();
  for (const [part, files] of [...parts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const all = Buffer.concat(files);
    out.set(part, { raw: all.length, gz: gzipSync(all, { level: 6 }).length });
  }
  return out;
}

/** ms from QEMU start until `pattern` shows on the serial console, then QEMU is stopped. */
function bootUntil(disk: string, pattern: RegExp, timeoutMs: number): Promise<{ ms?: number; tail: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn("qemu-system-x86_64", ["-M", "pc", "-accel", "tcg", "-cpu", "max", "-m", "1024", "-nographic", "-no-reboot",
      "-drive", `file=${disk},format=raw,snapshot=on`], { stdio: ["pipe", "pipe", "pipe"] });
    let text = "";
    let ms: number | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const onData = (b: Buffer) => {
      text = (text + b.toString("latin1")).slice(-8192);
      if (ms === undefined && pattern.test(text)) {
        ms = performance.now() - t0;
        child.kill("SIGKILL");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", () => {
      clearTimeout(timer);
      resolve({ ms, tail: text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").trim().split("\n").slice(-2).join(" | ") });
    });
  });
}

// The banner of /etc/motd is printed by the console shell, which inittab
// starts once `openrc default` has finished.
const DEFAULT_RUNLEVEL_UP = /Welcome to Pika Linux/;

export async function imageRows(progress: (msg: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pika-bench-images-"));
  try {
    const modes = ["ram", "squashfs"] as const;
    const builds = new Map<string, Build>();
    for (const mode of modes) {
      const recipe = path.join(tmp, `bench-${mode}.yaml`);
      fs.writeFileSync(recipe, recipeFor(mode));
      progress(`images: building the default recipe in ${mode} mode ...`);
      const first = buildRecipe(recipe, path.join(tmp, `${mode}-1`));
      if (first.error || mode !== "ram") {
        builds.set(mode, first);
        continue;
      }
      // The first build filled the cache (kernel, modules, musl); this one is what a user waits for.
      progress("images: rebuilding it with a warm cache ...");
      const warm = buildRecipe(recipe, path.join(tmp, `${mode}-2`));
      rows.push({ section: SECTION, name: "warm rebuild of the default recipe (disk + initramfs)", unit: "ms", pika: warm.error ? undefined : warm.ms, maxPika: 30_000, error: warm.error });
      builds.set(mode, warm.error ? first : warm);
    }

    const ram = builds.get("ram")!;
    const initramfs = findFile(ram.dir, ".initramfs.cpio.gz");
    if (ram.error || !initramfs) {
      rows.push({ section: SECTION, name: "initramfs (compressed, without kernel)", unit: "MiB", maxPika: 40, error: ram.error ?? "no initramfs output" });
    } else {
      rows.push({ section: SECTION, name: "initramfs (compressed, without kernel)", unit: "MiB", pika: fs.statSync(initramfs).size / MIB, maxPika: 40 });
      for (const [part, s] of await partSizes(initramfs)) {
        rows.push({ section: SECTION, name: `initramfs part: ${part} (gzip -6 of its files)`, unit: "MiB", pika: s.gz / MIB, note: `${(s.raw / MIB).toFixed(1)} MiB uncompressed` });
      }
      const kernel = findFile(ram.dir, ".vmlinuz");
      if (kernel) rows.push({ section: SECTION, name: "kernel (vmlinuz, compressed)", unit: "MiB", pika: fs.statSync(kernel).size / MIB });
    }

    for (const mode of modes) {
      const b = builds.get(mode)!;
      const disk = findFile(b.dir, ".img");
      const name = `QEMU start → default runlevel up, x86_64 disk, root mode ${mode}`;
      if (b.error || !disk) {
        rows.push({ section: SECTION, name, unit: "ms", error: b.error ?? "no disk image output" });
        continue;
      }
      rows.push({ section: SECTION, name: `x86_64 disk image, root mode ${mode}`, unit: "MiB", pika: fs.statSync(disk).size / MIB });
      progress(`images: booting the ${mode}-mode disk ...`);
      const r = await bootUntil(disk, DEFAULT_RUNLEVEL_UP, 300_000);
      rows.push({ section: SECTION, name, unit: "ms", pika: r.ms, note: "TCG", error: r.ms === undefined ? `banner not seen; console ends: ${r.tail}` : undefined });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
