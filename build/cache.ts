// The download/build cache, kept outside git. Every entry is a directory that
// is built under a temporary name and renamed into place when complete, so an
// interrupted build never leaves a half-filled entry that looks finished.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** `$PIKA_CACHE`, or `~/.cache/pika`; created on demand. */
export function cacheDir(): string {
  const dir = process.env.PIKA_CACHE || join(homedir(), ".cache", "pika");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Returns `<cache>/<rel>`, first running `fill(tmp)` to populate it if it does
 * not exist yet. `fill` writes into `tmp`, which then becomes the entry.
 */
export async function cachedDir(rel: string, fill: (tmp: string) => Promise<void>): Promise<string> {
  const final = join(cacheDir(), rel);
  if (existsSync(final)) return final;
  await mkdir(dirname(final), { recursive: true });
  const tmp = await mkdtemp(`${final}.tmp-`);
  try {
    await fill(tmp);
    await chmod(tmp, 0o755); // mkdtemp makes it 0700
    await rename(tmp, final);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    // Another process may have finished the same entry first: that's fine.
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === "ENOTEMPTY" || code === "EEXIST") && existsSync(final)) return final;
    throw e;
  }
  return final;
}

// Concurrent callers in one process (e.g. kernel() and muslLoader() run with
// Promise.all) share one download instead of racing two.
const pending = new Map<string, Promise<unknown>>();

export function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = pending.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    pending.set(key, p);
    p.catch(() => pending.delete(key)); // let a later call retry after a failure
  }
  return p;
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (b) => h.update(b))
      .on("error", (e) => reject(new Error(`cannot hash ${path}: ${e.message}`)))
      .on("end", () => resolve(h.digest("hex")));
  });
}
