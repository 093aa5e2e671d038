// Debian packages as build inputs: resolve a name to a real package and its
// candidate version with apt-cache, `apt-get download` it (apt checks it against
// the signed archive), and unpack it with `dpkg-deb -x`. Nothing is installed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheDir, cachedDir, once, sha256 } from "./cache.ts";
import { run, timed } from "./progress.ts";

export type DebArch = "amd64" | "arm64";

export interface ResolvedPackage {
  name: string;
  version: string;
  /** Architecture-independent (Architecture: all): apt knows a foreign-arch one only as name:all. */
  all?: boolean;
}

const SETUP_HINT = "(run build/setup-host: it enables arm64 downloads and runs apt-get update)";

/** The version apt would pick for `name:arch`, or undefined for virtual packages. */
async function candidate(name: string, arch: DebArch): Promise<string | undefined> {
  const out = await run("apt-cache", ["policy", `${name}:${arch}`], {
    what: `look up Debian package ${name}:${arch}`,
  });
  if (!out.trim()) throw new Error(`Debian package ${name}:${arch} is unknown to apt ${SETUP_HINT}`);
  const m = /^\s*Candidate:\s*(\S+)/m.exec(out);
  return m && m[1] !== "(none)" ? m[1] : undefined;
}

/** A purely virtual name (e.g. "awk") resolves only if exactly one package provides it. */
async function provider(name: string, arch: DebArch): Promise<string> {
  const out = await run("apt-cache", ["showpkg", `${name}:${arch}`], {
    what: `find providers of Debian virtual package ${name}:${arch}`,
  });
  const section = out.split(/^Reverse Provides:.*$/m)[1] ?? "";
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    const pkg = line.trim().split(/\s+/)[0];
    if (!pkg) continue;
    const [base, qual] = pkg.split(":");
    if (!qual || qual === arch) names.add(base);
  }
  if (names.size === 1) return [...names][0];
  if (names.size === 0) throw new Error(`Debian package ${name}:${arch} has no installable candidate ${SETUP_HINT}`);
  throw new Error(`Debian package ${name}:${arch} is virtual; pick one of: ${[...names].sort().join(", ")}`);
}

/**
 * Kernel metapackages (linux-image-amd64, linux-image-arm64: a flavour, not a
 * version, after "linux-image-") contain only docs and depend on the real
 * linux-image-<abi>-<flavour>. Follow that dependency, which also skips the
 * -unsigned, -dbg, cloud and rt variants (they carry other suffixes).
 */
async function followKernelMeta(name: string, arch: DebArch): Promise<ResolvedPackage | undefined> {
  const m = /^linux-(image|headers)-([a-z][a-z0-9-]*)$/.exec(name);
  if (!m) return undefined;
  const [, kind, flavour] = m;
  const out = await run("apt-cache", ["show", "--no-all-versions", `${name}:${arch}`], {
    what: `read dependencies of Debian package ${name}:${arch}`,
  });
  const depends = /^Depends:\s*(.*)$/m.exec(out)?.[1] ?? "";
  const want = new RegExp(`^linux-${kind}-\\d[\\w.+~-]*-${flavour}$`);
  for (const dep of depends.split(",")) {
    const d = /^\s*(\S+)(?:\s*\(=\s*([^)\s]+)\))?/.exec(dep);
    if (d && want.test(d[1])) return { name: d[1], version: d[2] ?? (await mustCandidate(d[1], arch)) };
  }
  throw new Error(`Debian metapackage ${name}:${arch} does not depend on a linux-${kind}-<version>-${flavour} package (Depends: ${depends})`);
}

async function mustCandidate(name: string, arch: DebArch): Promise<string> {
  const v = await candidate(name, arch);
  if (!v) throw new Error(`Debian package ${name}:${arch} has no installable candidate ${SETUP_HINT}`);
  return v;
}

/** Maps a requested name to the real package and version that will be fetched. */
export async function resolvePackage(name: string, arch: DebArch): Promise<ResolvedPackage> {
  const memo = resolutions();
  const key = `${name}:${arch}`;
  if (memo.map[key]) return memo.map[key];
  const pkg = await resolveWithApt(name, arch);
  // Re-read before writing: other resolutions may have landed meanwhile.
  const map = { ...resolutions().map, [key]: pkg };
  await mkdir(join(cacheDir(), "deb"), { recursive: true });
  const tmp = `${memo.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, JSON.stringify(map, null, 1));
  await rename(tmp, memo.file);
  return pkg;
}

/**
 * apt-cache takes over a second per call when apt's binary cache is disabled
 * (as in Debian's Docker images), so remember resolutions in a file keyed by
 * the state of apt's package lists: `apt-get update` changes the key.
 */
function resolutions(): { file: string; map: Record<string, ResolvedPackage> } {
  const lists = "/var/lib/apt/lists";
  const state = existsSync(lists)
    ? readdirSync(lists).filter((f) => f !== "lock" && f !== "partial").map((f) => {
      const st = statSync(join(lists, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    }).join("\n")
    : "";
  const file = join(cacheDir(), "deb", `resolved-${sha256(state).slice(0, 16)}.json`);
  try {
    return { file, map: JSON.parse(readFileSync(file, "utf8")) };
  } catch {
    return { file, map: {} };
  }
}

/** The candidate version when `name` is an "Architecture: all" package, else undefined. */
async function archAllVersion(name: string): Promise<string | undefined> {
  const out = await run("apt-cache", ["show", "--no-all-versions", name], { what: `look up Debian package ${name}` })
    .catch(() => "");
  if (!/^Architecture:\s*all$/m.test(out)) return undefined;
  return /^Version:\s*(\S+)/m.exec(out)?.[1];
}

async function resolveWithApt(name: string, arch: DebArch): Promise<ResolvedPackage> {
  const meta = await followKernelMeta(name, arch);
  if (meta) return meta;
  // raspi-firmware, tzdata...: apt knows a foreign arch's "Architecture: all" package
  // only by its bare name, so "raspi-firmware:arm64" would look unknown.
  const all = await archAllVersion(name);
  if (all) return { name, version: all, all: true };
  const version = await candidate(name, arch);
  if (version) return { name, version };
  const real = await provider(name, arch);
  return { name: real, version: await mustCandidate(real, arch) };
}

/**
 * Downloads and unpacks Debian package `name` for `arch`; returns the unpacked
 * tree (`<cache>/deb/<pkg>_<version>_<arch>/root`, next to its package.deb).
 * Cached per package version, so a newer candidate (e.g. a security
 * update after apt-get update) is fetched once and the old one is left alone.
 */
export function debianPackage(name: string, arch: DebArch): Promise<string> {
  return once(`deb:${name}:${arch}`, async () => {
    const pkg = await resolvePackage(name, arch);
    const key = `${pkg.name}_${pkg.version.replace(/:/g, "%3a")}_${pkg.all ? "all" : arch}`;
    const entry = await cachedDir(join("deb", key), (tmp) => fetchAndUnpack(pkg, arch, tmp));
    return join(entry, "root");
  });
}

async function fetchAndUnpack(pkg: ResolvedPackage, arch: DebArch, dest: string): Promise<void> {
  const spec = `${pkg.name}:${pkg.all ? "all" : arch}=${pkg.version}`;
  // As root apt drops to the _apt user, who cannot write into ~/.cache: keep root.
  const sandbox = process.getuid?.() === 0 ? ["-o", "APT::Sandbox::User=root"] : [];
  await timed(`downloading ${pkg.name} ${pkg.version} (${arch})`, () =>
    run("apt-get", ["download", "-q", ...sandbox, spec], { cwd: dest, what: `download Debian package ${spec}` }));
  const debs = readdirSync(dest).filter((f) => f.endsWith(".deb"));
  if (debs.length !== 1) throw new Error(`download Debian package ${spec}: expected one .deb, found ${debs.length}`);
  const deb = join(dest, "package.deb");
  await rename(join(dest, debs[0]), deb);
  await timed(`unpacking ${pkg.name}`, () =>
    run("dpkg-deb", ["-x", deb, join(dest, "root")], { what: `unpack Debian package ${spec}` }));
}
