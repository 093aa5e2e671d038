// Fetches and prepares every input the image build needs, into the cache
// (build/cache.ts), never into git: the musl Bun runtime, Debian's kernel and
// musl loader, and a musl-linked libstdc++.so.6 for the Bun runtime.
//
//   node_modules/.bin/bun build/toolchain.ts [x86_64|aarch64|all]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ARCHES, ARCH_INFO, parseArch, type Arch } from "./arch.ts";
import { cachedDir, once, sha256, sha256File } from "./cache.ts";
import { debianPackage } from "./debian.ts";
import { progress, run, timed } from "./progress.ts";

export { cacheDir } from "./cache.ts";
export { debianPackage } from "./debian.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const SHIM = fileURLToPath(new URL("./libstdcxx-shim.c", import.meta.url));

/** ELF e_machine values, to catch a wrong-arch download before it reaches an image. */
const ELF_MACHINE: Record<Arch, number> = { x86_64: 62, aarch64: 183 };

function checkElf(path: string, arch: Arch, what: string): void {
  const head = readFileSync(path).subarray(0, 20);
  const isElf = head.subarray(0, 4).toString("latin1") === "\x7fELF";
  if (!isElf || head.readUInt16LE(18) !== ELF_MACHINE[arch]) {
    throw new Error(`${what}: ${path} is not an ${arch} ELF file`);
  }
}

// ---------------------------------------------------------------- Bun runtime

/** The Bun version the repo is locked to; the runtime must match the compiler. */
export function bunVersion(): string {
  const pkg = join(REPO, "node_modules", "bun", "package.json");
  if (!existsSync(pkg)) throw new Error(`${pkg} is missing (run build/setup-host)`);
  return JSON.parse(readFileSync(pkg, "utf8")).version;
}

/** Path to the musl Bun runtime for `arch` (npm's @oven/bun-linux-*-musl), for --compile-executable-path. */
export function bunMuslRuntime(arch: Arch): Promise<string> {
  const npmName = ARCH_INFO[arch].bunRuntimePackage;
  const version = bunVersion();
  const spec = `${npmName}@${version}`;
  return once(`bun:${spec}`, async () => {
    const key = join("bun", `${npmName.replace(/^@/, "").replace(/\//g, "-")}-${version}`);
    const dir = await cachedDir(key, async (tmp) => {
      const out = await timed(`downloading ${spec}`, () =>
        // Run from the repo so its npm configuration (registry) applies.
        run("npm", ["pack", spec, "--json", "--ignore-scripts", "--pack-destination", tmp],
          { cwd: REPO, what: `download npm package ${spec}` }));
      const tarball = join(tmp, JSON.parse(out)[0].filename);
      await run("tar", ["-xzf", tarball, "-C", tmp], { what: `unpack npm package ${spec}` });
      await rm(tarball);
      checkElf(join(tmp, "package", "bin", "bun"), arch, `npm package ${spec}`);
    });
    return join(dir, "package", "bin", "bun");
  });
}

// ---------------------------------------------------------------- kernel

export interface Kernel {
  /** Module directory name, `uname -r`: e.g. 6.1.0-56-arm64. */
  version: string;
  vmlinuz: string;
  /** lib/modules/<version> inside the unpacked package. */
  modulesDir: string;
  /** arm64 only: the device trees (broadcom/bcm2837-rpi-3-b.dtb, ...). */
  dtbDir?: string;
}

/** Debian's current kernel for `arch`, unpacked (linux-image-<flavour> resolved to the real package). */
export async function kernel(arch: Arch): Promise<Kernel> {
  const info = ARCH_INFO[arch];
  const pkg = `linux-image-${info.kernelFlavour}`;
  const root = await debianPackage(pkg, info.debian);
  const images = readdirSync(join(root, "boot")).filter((f) => f.startsWith("vmlinuz-"));
  if (images.length !== 1) throw new Error(`Debian package ${pkg}:${info.debian}: expected one boot/vmlinuz-*, found ${images.length}`);
  const version = images[0].slice("vmlinuz-".length);
  // Bookworm ships /lib/modules; later Debian moves it to /usr/lib/modules.
  const modulesDir = [join(root, "lib", "modules", version), join(root, "usr", "lib", "modules", version)]
    .find((d) => existsSync(d));
  if (!modulesDir) throw new Error(`Debian package ${pkg}:${info.debian}: no lib/modules/${version}`);
  const result: Kernel = { version, vmlinuz: join(root, "boot", images[0]), modulesDir };
  if (arch === "aarch64") {
    const dtbDir = join(root, "usr", "lib", `linux-image-${version}`);
    if (!existsSync(dtbDir)) throw new Error(`Debian package ${pkg}:${info.debian}: no device trees in usr/lib/linux-image-${version}`);
    result.dtbDir = dtbDir;
  }
  return result;
}

// ---------------------------------------------------------------- musl

/** Debian's musl loader/libc for `arch`, as a regular file named ld-musl-<arch>.so.1. */
export async function muslLoader(arch: Arch): Promise<string> {
  const info = ARCH_INFO[arch];
  const root = await debianPackage("musl", info.debian);
  // In the package lib/ld-musl-*.so.1 is a symlink to lib/<triple>/libc.so; hand
  // out a real file under the loader's own name so callers can simply copy it.
  const libc = muslLibc(root, arch);
  const key = join("musl", `${arch}-${(await sha256File(libc)).slice(0, 16)}`);
  const dir = await cachedDir(key, (tmp) => copyFile(libc, join(tmp, info.muslLoader)));
  return join(dir, info.muslLoader);
}

const MUSL_TRIPLE: Record<Arch, string> = { x86_64: "x86_64-linux-musl", aarch64: "aarch64-linux-musl" };

function muslLibc(muslRoot: string, arch: Arch): string {
  const libc = join(muslRoot, "lib", MUSL_TRIPLE[arch], "libc.so");
  if (!existsSync(libc)) throw new Error(`Debian package musl:${ARCH_INFO[arch].debian}: no lib/${MUSL_TRIPLE[arch]}/libc.so`);
  checkElf(libc, arch, `Debian package musl:${ARCH_INFO[arch].debian}`);
  return libc;
}

// ---------------------------------------------------------------- libstdc++

// The Bun musl runtime needs libstdc++.so.6, which Debian only builds for
// glibc. We link our own from Debian's static libstdc++.a/libgcc (PIC in
// Debian) against Debian's musl, pulling in exactly the members the runtime
// uses and exporting exactly the symbols it imports. The archives' few
// references to glibc-only symbols are met by build/libstdcxx-shim.c.

/** The glibc-targeting gcc per arch: it supplies libstdc++.a, libgcc*.a and crtbeginS/crtendS.o. */
const CC: Record<Arch, { cc: string; debs: string }> = {
  x86_64: { cc: "x86_64-linux-gnu-gcc", debs: "gcc, libstdc++-12-dev" },
  aarch64: { cc: "aarch64-linux-gnu-gcc", debs: "gcc-aarch64-linux-gnu, libstdc++-12-dev-arm64-cross" },
};

/** Bump when the link recipe changes in a way LINK_FLAGS does not show. */
const RECIPE = 2;

/** Link flags; part of the cache key, so changing them rebuilds. */
const LINK_FLAGS = [
  "-shared", "-fPIC", "-O2", "-Wall", "-nostdlib", "-nostdinc",
  "-Wl,-soname,libstdc++.so.6",
  "-Wl,-z,defs",             // every reference must resolve (against musl)
  "-Wl,--gc-sections",       // drop what no exported symbol reaches (~halves the size)
  "-Wl,--eh-frame-hdr",      // PT_GNU_EH_FRAME: how the unwinder finds our FDEs
  "-Wl,-z,relro", "-Wl,-z,now", "-Wl,-z,noexecstack",
];

/** Weak references allowed to stay unresolved: optional transactional-memory hooks (libitm). */
const OPTIONAL_WEAK = /^(_ITM_|_ZGTt)/;

interface Sym {
  name: string;
  bind: string; // GLOBAL, WEAK, UNIQUE, LOCAL
  vis: string; // DEFAULT, PROTECTED, HIDDEN, INTERNAL
  defined: boolean;
}

/** Symbols from `readelf -W <flag>` (works for any ELF arch, and for .a archives). */
async function readSymbols(file: string, flag: "--dyn-syms" | "--syms"): Promise<Sym[]> {
  const out = await run("readelf", ["-W", flag, file], { what: `read the symbols of ${file}` });
  const syms: Sym[] = [];
  for (const line of out.split("\n")) {
    // Num: Value Size Type Bind Vis Ndx Name
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^\d+:$/.test(f[0])) continue;
    syms.push({ name: f[7].replace(/@.*$/, ""), bind: f[4], vis: f[5], defined: f[6] !== "UND" });
  }
  return syms;
}

/** Defined symbols another object can bind to. libgcc_eh.a's _Unwind_* are
 * hidden, for instance: linked in, but never exportable from our .so. */
function definedNames(syms: Sym[]): Set<string> {
  const exportable = (s: Sym) => s.defined && s.bind !== "LOCAL" && (s.vis === "DEFAULT" || s.vis === "PROTECTED");
  return new Set(syms.filter(exportable).map((s) => s.name));
}

/**
 * What the runtime needs from libstdc++: its strong undefined dynamic symbols
 * that musl lacks, plus objects it takes by copy relocation (the cxxabi class
 * vtables). Weak references (crtbegin's __register_frame_info, ...) are
 * optional by design and left alone.
 */
async function runtimeImports(runtime: string, musl: Set<string>, cxx: Set<string>): Promise<string[]> {
  const wanted = new Set<string>();
  for (const s of await readSymbols(runtime, "--dyn-syms")) {
    if (!s.defined && s.bind === "GLOBAL") wanted.add(s.name);
  }
  const relocs = await run("readelf", ["-W", "-r", runtime], { what: `read the relocations of ${runtime}` });
  for (const line of relocs.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[2]?.endsWith("_COPY") && f[4]) wanted.add(f[4]);
  }
  const need = [...wanted].filter((n) => n && !musl.has(n)).sort();
  const missing = need.filter((n) => !cxx.has(n));
  if (missing.length) {
    throw new Error(`the Bun runtime ${runtime} imports symbols that neither musl nor libstdc++ provide: ${missing.join(", ")}`);
  }
  return need;
}

async function gccFile(cc: string, name: string, debs: string): Promise<string> {
  const path = (await run(cc, [`-print-file-name=${name}`], { what: `locate ${name}` })).trim();
  if (path === name || !existsSync(path)) throw new Error(`${cc} has no ${name} (install ${debs}; run build/setup-host)`);
  return path;
}

/** Path to a musl-linked libstdc++.so.6 providing what the Bun musl runtime imports. */
export function muslLibstdcxx(arch: Arch): Promise<string> {
  return once(`libstdcxx:${arch}`, () => buildLibstdcxx(arch));
}

async function buildLibstdcxx(arch: Arch): Promise<string> {
  const { debian } = ARCH_INFO[arch];
  const { cc, debs } = CC[arch];
  const triple = MUSL_TRIPLE[arch];
  const [runtime, muslRoot, muslDev] = await Promise.all([
    bunMuslRuntime(arch), debianPackage("musl", debian), debianPackage("musl-dev", debian),
  ]);
  const libc = muslLibc(muslRoot, arch);
  const archives = await Promise.all(["libstdc++.a", "libgcc_eh.a", "libgcc.a"].map((a) => gccFile(cc, a, debs)));
  const [crtbegin, crtend] = await Promise.all(["crtbeginS.o", "crtendS.o"].map((o) => gccFile(cc, o, debs)));
  const crti = join(muslDev, "usr", "lib", triple, "crti.o");
  const crtn = join(muslDev, "usr", "lib", triple, "crtn.o");
  const include = join(muslDev, "usr", "include", triple);

  const musl = definedNames(await readSymbols(libc, "--dyn-syms"));
  const cxx = new Set<string>();
  for (const a of archives) for (const n of definedNames(await readSymbols(a, "--syms"))) cxx.add(n);
  const need = await runtimeImports(runtime, musl, cxx);

  // Cache key: flags, compiler, symbol list and the content of every input file.
  const inputs = [SHIM, ...archives, crtbegin, crtend, crti, crtn, libc];
  const ccVersion = (await run(cc, ["--version"], { what: `run ${cc}` })).split("\n")[0];
  const hash = sha256(JSON.stringify({
    RECIPE, LINK_FLAGS, ccVersion, need, files: await Promise.all(inputs.map(sha256File)),
  })).slice(0, 16);

  const dir = await cachedDir(join("libstdcxx", `${arch}-${hash}`), (tmp) =>
    timed(`linking libstdc++.so.6 for ${arch} (${need.length} symbols)`, async () => {
      const out = join(tmp, "libstdc++.so.6");
      const exportsMap = join(tmp, "exports.map");
      const libcLink = join(tmp, ARCH_INFO[arch].muslLibc);
      await symlink(libc, libcLink);
      await writeFile(exportsMap, `{\n  global:\n${need.map((n) => `    ${n};`).join("\n")}\n  local: *;\n};\n`);
      await run(cc, [
        ...LINK_FLAGS, "-isystem", include, "-o", out,
        `-Wl,--version-script=${exportsMap}`,     // export only what the runtime imports
        ...need.map((n) => `-Wl,-u,${n}`),        // ...and force exactly those members in
        crti, crtbegin, SHIM,
        "-Wl,--start-group", ...archives, "-Wl,--end-group",
        // Debian's libc.so has no SONAME, so ld would record the path it was
        // given as NEEDED. Link it under the name the Bun runtime itself uses.
        `-L${tmp}`, `-l:${ARCH_INFO[arch].muslLibc}`,
        crtend, crtn,
      ], { what: `link libstdc++.so.6 for ${arch}` });
      await rm(libcLink);
      await checkLibstdcxx(out, arch, need, musl);
    }));
  return join(dir, "libstdc++.so.6");
}

/** Refuses a library the musl loader would fail on, or that misses a symbol the runtime needs. */
async function checkLibstdcxx(so: string, arch: Arch, need: string[], musl: Set<string>): Promise<void> {
  const what = `check the linked libstdc++.so.6 for ${arch}`;
  checkElf(so, arch, what);
  const syms = await readSymbols(so, "--dyn-syms");
  const unresolved = syms.filter((s) => !s.defined && s.name && !musl.has(s.name) &&
    !(s.bind === "WEAK" && OPTIONAL_WEAK.test(s.name)));
  if (unresolved.length) throw new Error(`${what}: musl does not provide ${unresolved.map((s) => s.name).join(", ")}`);
  const exported = definedNames(syms);
  const absent = need.filter((n) => !exported.has(n));
  if (absent.length) throw new Error(`${what}: not exported: ${absent.join(", ")}`);
  const dynamic = await run("readelf", ["-W", "-d", so], { what });
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[(.*)\]/g)].map((m) => m[1]);
  if (needed.join() !== ARCH_INFO[arch].muslLibc) throw new Error(`${what}: NEEDED is [${needed.join(", ")}], want ${ARCH_INFO[arch].muslLibc}`);
  const phdrs = await run("readelf", ["-W", "-l", so], { what });
  if (!/GNU_EH_FRAME/.test(phdrs)) throw new Error(`${what}: no PT_GNU_EH_FRAME, exceptions could not unwind`);
  if (/\(TEXTREL\)/.test(dynamic)) throw new Error(`${what}: has text relocations (non-PIC archive member)`);
}

// ---------------------------------------------------------------- CLI

export interface Toolchain {
  arch: Arch;
  bunVersion: string;
  bunRuntime: string;
  kernel: Kernel;
  muslLoader: string;
  libstdcxx: string;
}

/** Everything for one architecture, fetched/built concurrently. */
export async function prepare(arch: Arch): Promise<Toolchain> {
  const [bunRuntime, k, loader, libstdcxx] = await Promise.all([
    bunMuslRuntime(arch), kernel(arch), muslLoader(arch), muslLibstdcxx(arch),
  ]);
  return { arch, bunVersion: bunVersion(), bunRuntime, kernel: k, muslLoader: loader, libstdcxx };
}

async function main(argv: string[]): Promise<void> {
  const which = argv[0] ?? "all";
  const arches = which === "all" ? ARCHES : [parseArch(which)];
  const start = performance.now();
  // Both arches at once: downloads overlap; output is printed in order after.
  for (const t of await Promise.all(arches.map(prepare))) {
    console.log(`${t.arch}:`);
    console.log(`  bun runtime     ${t.bunRuntime}  (bun ${t.bunVersion})`);
    console.log(`  kernel          ${t.kernel.version}`);
    console.log(`  vmlinuz         ${t.kernel.vmlinuz}`);
    console.log(`  modules         ${t.kernel.modulesDir}`);
    if (t.kernel.dtbDir) console.log(`  dtbs            ${t.kernel.dtbDir}`);
    console.log(`  musl loader     ${t.muslLoader}`);
    console.log(`  libstdc++.so.6  ${t.libstdcxx}`);
  }
  progress(`ready in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((e) => {
    progress(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
