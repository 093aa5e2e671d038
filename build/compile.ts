// Compile the TypeScript userland into one executable with `bun build --compile`.
// Never strip the result: the program is embedded in the binary.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ARCH_INFO, type Arch } from "./arch.ts";
import { run } from "./progress.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
export const BUN = path.join(ROOT, "node_modules", ".bin", "bun");
const ENTRY = path.join(ROOT, "lib", "main.ts");

export interface CompileOptions {
  /** A musl runtime from npm for cross targets; undefined compiles for this host. */
  runtime?: string;
  arch?: Arch;
  outfile: string;
}

export async function compilePika(opts: CompileOptions): Promise<string> {
  fs.mkdirSync(path.dirname(opts.outfile), { recursive: true });
  // Compiled beside the target and renamed over it: whoever runs the old
  // binary meanwhile (a test, a booted image) never sees half a file.
  const tmp = `${opts.outfile}.${process.pid}.tmp`;
  // ESM with --splitting: every lazily imported applet is its own chunk, so
  // start-up loads only the registry and the applet run, not the whole
  // userland (one bundle cost every run of `pika true` ~20 ms more). The
  // executable reads no .env or bunfig.toml from the cwd at start.
  const args = [
    "build", "--compile", "--minify", "--bytecode", "--format=esm", "--splitting",
    "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
    ENTRY, "--outfile", tmp,
  ];
  if (opts.arch) args.push(`--target=${ARCH_INFO[opts.arch].bunTarget}`);
  if (opts.runtime) args.push(`--compile-executable-path=${opts.runtime}`);
  try {
    await run(BUN, args, { what: `compile pika${opts.arch ? ` for ${opts.arch}` : ""}`, cwd: ROOT });
    fs.renameSync(tmp, opts.outfile);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return opts.outfile;
}

/** out/host/pika: the binary for this machine, used by integration tests. */
export function hostBinaryPath(): string {
  return path.join(ROOT, "out", "host", "pika");
}
