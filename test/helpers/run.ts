// Run the compiled host binary (out/host/pika) and busybox-static on the same
// input, for differential tests.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const PIKA = path.join(ROOT, "out", "host", "pika");
export const BUSYBOX = "/bin/busybox";

export function havePika(): boolean {
  return fs.existsSync(PIKA);
}

export interface Result { stdout: string; stderr: string; status: number | null }

/** A directory of links named after applets, pointing at pika or busybox. */
export function linkDir(target: string, names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pika-links-"));
  for (const n of names) fs.symlinkSync(target, path.join(dir, n));
  return dir;
}

export function run(file: string, args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(file, args, {
    cwd: opts.cwd,
    input: opts.input ?? "",
    env: { PATH: "/usr/bin:/bin", LANG: "C", TZ: "UTC", ...opts.env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export function tempDir(prefix = "pika-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
