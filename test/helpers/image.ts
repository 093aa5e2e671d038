// Builds an image from a recipe text with build/image.ts, reusing the pika
// already compiled by build/build.ts (out/<arch>/pika), into a fresh directory.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export function pikaFor(arch: "x86_64" | "aarch64"): string {
  return path.join(ROOT, "out", arch, "pika");
}

export interface Built {
  dir: string;
  log: string;
}

/** Writes `recipe` as <tmp>/<name>.yaml and builds it into <tmp>/out. */
export async function buildImage(name: string, recipe: string, arch: "x86_64" | "aarch64", env: NodeJS.ProcessEnv = {}): Promise<Built> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pika-image-${name}-`));
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, recipe);
  const dir = path.join(tmp, "out");
  const bun = path.join(ROOT, "node_modules", ".bin", "bun");
  const log = await new Promise<string>((resolve, reject) => {
    const child = spawn(bun, [path.join(ROOT, "build", "image.ts"), file, "--out", dir, "--pika", pikaFor(arch)],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b) => (out += b));
    child.stderr.on("data", (b) => (out += b));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`image build failed (${code}):\n${out}`))));
  });
  return { dir, log };
}

/** The byte offset of the first partition (the builders align it to 1 MiB). */
export const FIRST_PARTITION = 1048576;
