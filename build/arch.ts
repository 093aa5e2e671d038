// The two architectures Pika is built for, and the names each tool uses for them.
export type Arch = "x86_64" | "aarch64";
export const ARCHES: readonly Arch[] = ["x86_64", "aarch64"];

export interface ArchInfo {
  arch: Arch;
  /** Debian's architecture name (dpkg, apt). */
  debian: "amd64" | "arm64";
  /** `bun build --compile --target=...` */
  bunTarget: string;
  /** npm package that carries the musl Bun runtime. */
  bunRuntimePackage: string;
  /** musl's dynamic loader name, installed as /lib/<loader>. */
  muslLoader: string;
  /** The name the Bun runtime asks for libc by (an alias of the loader). */
  muslLibc: string;
  /** Debian kernel flavour suffix (linux-image-<ver>-<flavour>). */
  kernelFlavour: string;
}

export const ARCH_INFO: Record<Arch, ArchInfo> = {
  x86_64: {
    arch: "x86_64",
    debian: "amd64",
    bunTarget: "bun-linux-x64-musl",
    bunRuntimePackage: "@oven/bun-linux-x64-musl",
    muslLoader: "ld-musl-x86_64.so.1",
    muslLibc: "libc.musl-x86_64.so.1",
    kernelFlavour: "amd64",
  },
  aarch64: {
    arch: "aarch64",
    debian: "arm64",
    bunTarget: "bun-linux-arm64-musl",
    bunRuntimePackage: "@oven/bun-linux-aarch64-musl",
    muslLoader: "ld-musl-aarch64.so.1",
    muslLibc: "libc.musl-aarch64.so.1",
    kernelFlavour: "arm64",
  },
};

export function parseArch(name: string): Arch {
  const aliases: Record<string, Arch> = {
    x86_64: "x86_64", amd64: "x86_64", x64: "x86_64",
    aarch64: "aarch64", arm64: "aarch64",
  };
  const arch = aliases[name];
  if (!arch) throw new Error(`unknown architecture '${name}' (use x86_64 or aarch64)`);
  return arch;
}
