// The OCI output: a layout umoci accepts, a docker-loadable tar, and an
// unpacked root filesystem in which pika runs (chroot in fresh namespaces).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildImage, pikaFor } from "../helpers/image.ts";

const have = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

describe.runIf(fs.existsSync(pikaFor("x86_64")) && have("umoci"))("OCI image (x86_64)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = (await buildImage("ctr", "board: x86_64\noutputs: [oci]\nhostname: ctr\n", "x86_64", { SOURCE_DATE_EPOCH: "1700000000" })).dir;
  }, 240_000);

  it("is a layout umoci reads, with pika as the entrypoint", () => {
    const stat = spawnSync("umoci", ["stat", "--json", "--image", `${path.join(dir, "ctr.oci")}:latest`], { encoding: "utf8" });
    expect(stat.status, stat.stderr).toBe(0);
    expect(JSON.parse(stat.stdout).history).toHaveLength(1);
    const index = JSON.parse(fs.readFileSync(path.join(dir, "ctr.oci", "index.json"), "utf8"));
    const digest = index.manifests[0].digest.slice(7);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "ctr.oci", "blobs", "sha256", digest), "utf8"));
    const config = JSON.parse(fs.readFileSync(path.join(dir, "ctr.oci", "blobs", "sha256", manifest.config.digest.slice(7)), "utf8"));
    expect(config.config.Entrypoint).toEqual(["/bin/pika"]);
    expect(config.architecture).toBe("amd64");
    expect(config.created).toBe("2023-11-14T22:13:20Z");
  });

  it("is one tar with both the OCI layout and docker's manifest.json", () => {
    const list = spawnSync("tar", ["-tf", path.join(dir, "ctr.oci.tar")], { encoding: "utf8" });
    expect(list.status).toBe(0);
    const names = list.stdout.split("\n");
    for (const n of ["oci-layout", "index.json", "manifest.json"]) expect(names).toContain(n);
    const docker = JSON.parse(spawnSync("tar", ["-xOf", path.join(dir, "ctr.oci.tar"), "manifest.json"], { encoding: "utf8" }).stdout);
    expect(docker[0].RepoTags).toEqual(["pika-ctr:latest"]);
    expect(names).toContain(docker[0].Layers[0]);
  });

  it("unpacks to a root filesystem where bin/pika --list runs", () => {
    const bundle = path.join(dir, "bundle");
    const unpack = spawnSync("umoci", ["unpack", "--image", `${path.join(dir, "ctr.oci")}:latest`, bundle], { encoding: "utf8" });
    expect(unpack.status, unpack.stderr).toBe(0);
    const rootfs = path.join(bundle, "rootfs");
    expect(fs.readFileSync(path.join(rootfs, "etc", "hostname"), "utf8")).toBe("ctr\n");
    const r = spawnSync("unshare", ["--mount", "--pid", "--fork", "chroot", rootfs, "/bin/pika", "--list"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split(/\s+/)).toEqual(expect.arrayContaining(["ls", "cat", "mount"]));
  });
});
