// A recipe's runlevels in the image (build/recipe-rootfs.ts): links named after
// the service, to its init script, or to its YAML file when it has no script.
import { describe, expect, it } from "vitest";
import type { CpioEntry } from "../../build/cpio.ts";
import { parseRecipe } from "../../build/recipe.ts";
import { applyRecipe } from "../../build/recipe-rootfs.ts";

const file = (path: string, text: string): CpioEntry => ({ type: "file", path, data: new TextEncoder().encode(text), mode: 0o644 });

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
