// OCI output: the root filesystem as one gzip layer, a config whose entrypoint
// is pika itself, as an OCI image layout directory (<name>.oci/, for umoci or
// skopeo) and as one tar (<name>.oci.tar) that holds both the OCI layout and
// Docker's manifest.json, so `docker load` and OCI tools read the same file.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { ARCH_INFO } from "./arch.ts";
import { manifest, timedStep, type Build } from "./image.ts";
import { sourceDateEpoch, writeAtomically } from "./initramfs.ts";
import { rootfsFiles } from "./manifest.ts";
import { boardArch } from "./recipe.ts";
import { tarEntries, tarFiles, type TarFile } from "./tar.ts";

const digest = (b: Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

export async function buildOci(b: Build): Promise<void> {
  const r = b.recipe;
  const arch = ARCH_INFO[boardArch(r.board)].debian;
  const epoch = sourceDateEpoch();
  // Containers get /dev from their runtime; device nodes in a layer only get in the way.
  const entries = b.entries.filter((e) => e.type !== "chardev" && e.type !== "blockdev" && e.path !== "/init");
  const { layer, diff } = await timedStep("root filesystem layer (tar.gz)", () => {
    const tar = tarEntries(entries, epoch);
    return { layer: gzipSync(tar, { level: 6 }), diff: digest(tar) };
  });
  const created = new Date(epoch * 1000).toISOString().replace(/\.000Z$/, "Z");
  const config = json({
    created, architecture: arch, os: "linux",
    config: {
      Entrypoint: ["/bin/pika"], Cmd: ["--list"],
      Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], WorkingDir: "/",
      Labels: { "org.opencontainers.image.title": `pika-${r.name}` },
    },
    rootfs: { type: "layers", diff_ids: [diff] },
    history: [{ created, created_by: `pika build/image.ts ${path.basename(r.file)}` }],
  });
  const manifestJson = json({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: digest(config), size: config.length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: digest(layer), size: layer.length }],
  });
  const tag = `pika-${r.name}:latest`;
  const index = json({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{
      mediaType: "application/vnd.oci.image.manifest.v1+json", digest: digest(manifestJson), size: manifestJson.length,
      annotations: { "org.opencontainers.image.ref.name": "latest", "io.containerd.image.name": tag },
    }],
  });
  const blob = (d: Uint8Array) => `blobs/sha256/${digest(d).slice(7)}`;
  const files: TarFile[] = [
    { name: "oci-layout", data: json({ imageLayoutVersion: "1.0.0" }) },
    { name: "index.json", data: index },
    { name: blob(config), data: config },
    { name: blob(manifestJson), data: manifestJson },
    { name: blob(layer), data: layer },
  ];
  // The layout directory, rebuilt from scratch so no stale blob stays behind.
  const dir = path.join(b.out, `${r.name}.oci`);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.name), f.data);
  }
  // docker load: manifest.json next to the OCI layout in the same archive.
  const docker = json([{ Config: blob(config), RepoTags: [tag], Layers: [blob(layer)] }]);
  const tarball = path.join(b.out, `${r.name}.oci.tar`);
  writeAtomically(tarball, tarFiles([...files, { name: "manifest.json", data: docker }], epoch));
  await manifest(b, tarball, rootfsFiles(entries));
}
