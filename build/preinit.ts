// Build init/preinit.c as a tiny static musl program (see that file for why).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Arch } from "./arch.ts";
import { cachedDir, sha256 } from "./cache.ts";
import { ROOT } from "./compile.ts";
import { debianPackage } from "./debian.ts";
import { run } from "./progress.ts";

const SOURCE = path.join(ROOT, "init", "preinit.c");

export async function buildPreinit(arch: Arch): Promise<string> {
  const source = fs.readFileSync(SOURCE);
  const dir = await cachedDir(`preinit/${arch}-${sha256(source).slice(0, 16)}`, async (tmp) => {
    const out = path.join(tmp, "preinit");
    if (arch === "x86_64") {
      await run("musl-gcc", ["-static", "-Os", "-s", SOURCE, "-o", out], { what: "compile preinit for x86_64 (musl-gcc)" });
      return;
    }
    // aarch64: Debian's cross gcc with musl's arm64 headers, start files and libc.a.
    const musl = await debianPackage("musl-dev", "arm64");
    const lib = path.join(musl, "usr", "lib", "aarch64-linux-musl");
    const gcc = "aarch64-linux-gnu-gcc";
    const gccInclude = (await run(gcc, ["-print-file-name=include"], { what: "locate cross gcc headers" })).trim();
    const libgcc = (await run(gcc, ["-print-libgcc-file-name"], { what: "locate cross libgcc" })).trim();
    await run(gcc, [
      "-static", "-Os", "-s", "-nostdinc", "-nostdlib",
      "-isystem", path.join(musl, "usr", "include", "aarch64-linux-musl"), "-isystem", gccInclude,
      path.join(lib, "crt1.o"), path.join(lib, "crti.o"), SOURCE,
      path.join(lib, "libc.a"), libgcc, path.join(lib, "crtn.o"), "-o", out,
    ], { what: "compile preinit for aarch64 (aarch64-linux-gnu-gcc + musl-dev:arm64)" });
  });
  return path.join(dir, "preinit");
}
