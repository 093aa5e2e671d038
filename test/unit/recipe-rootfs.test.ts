// A recipe's runlevels in the image (build/recipe-rootfs.ts): links named after
// the service, to its init script, or to its YAML file when it has no script.
import { describe, expect, it } from "vitest";
import type { CpioEntry } from "../../build/cpio.ts";
import { parseRecipe } from "../../build/recipe.ts";
import { applyRecipe } from "../../build/recipe-rootfs.ts";

const file = (path: string, text: string): CpioEntry => ({ type: "file", path, data: new TextEncoder().encode(text), mode: 0o644 });

const BASE = [
  file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
  file("/etc/group", "root:x:0:\n"),
  file("/etc/shadow", "root:*:0:0:99999:7:::\n"),
];
const MODULES = { entries: [file("/lib/modules/6.1/modules.dep", "kernel/fs/ext4/ext4.ko:\n")], load: ["virtio_blk", "ext4"] };
const runlevelLinks = (entries: CpioEntry[]) => entries.filter((e) => e.type === "symlink" && e.path.startsWith("/etc/runlevels/")).map((e) => e.path);
const text = (entries: CpioEntry[], p: string) => {
  const e = entries.find((x) => x.path === p);
  return e?.type === "file" ? new TextDecoder().decode(e.data) : undefined;
};

describe("recipe modules at boot", () => {
  it("lists the named modules in /etc/modules and starts the modules service in boot", () => {
    const out = applyRecipe(BASE, parseRecipe("board: x86_64\noutputs: [disk]\n", "/x/r.yaml"), { modules: MODULES });
    expect(text(out, "/etc/modules")).toBe("virtio_blk\next4\n");
    expect(out).toContainEqual({ type: "symlink", path: "/etc/runlevels/boot/modules", target: "/etc/init.d/modules" });
    expect(text(out, "/lib/modules/6.1/modules.dep")).toBe("kernel/fs/ext4/ext4.ko:\n");
  });

  it("leaves the service where the recipe puts it, and the recipe's own /etc/modules in place", () => {
    const r = parseRecipe("board: x86_64\noutputs: [disk]\nservices:\n  sysinit: [modules]\nfiles:\n  - path: /etc/modules\n    content: \"\"\n", "/x/r.yaml");
    const out = applyRecipe(BASE, r, { modules: MODULES });
    expect(runlevelLinks(out)).toEqual(["/etc/runlevels/sysinit/modules"]);
    expect(text(out, "/etc/modules")).toBe("");
  });

  it("adds nothing when no module is named (or all are built in)", () => {
    const out = applyRecipe(BASE, parseRecipe("board: x86_64\noutputs: [disk]\n", "/x/r.yaml"), { modules: { entries: [], load: [] } });
    expect(text(out, "/etc/modules")).toBeUndefined();
    expect(runlevelLinks(out)).toEqual([]);
  });
});

describe("recipe runlevels", () => {
  it("link init scripts, and YAML services that have no init script", () => {
    const base = [
      file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
      file("/etc/group", "root:x:0:\n"),
      file("/etc/shadow", "root:*:0:0:99999:7:::\n"),
      file("/etc/init.d/hostname", "#!/sbin/openrc-run\n"),
      file("/etc/pika/services/klogd.yaml", "command: /sbin/klogd\n"),
    ];
    const recipe = parseRecipe("board: x86_64\noutputs: [disk]\nservices:\n  boot: [hostname, klogd]\n", "/x/r.yaml");
    const links = applyRecipe(base, recipe).filter((e) => e.type === "symlink" && e.path.startsWith("/etc/runlevels/"));
    expect(links).toEqual([
      { type: "symlink", path: "/etc/runlevels/boot/hostname", target: "/etc/init.d/hostname" },
      { type: "symlink", path: "/etc/runlevels/boot/klogd", target: "/etc/pika/services/klogd.yaml" },
    ]);
  });
});
