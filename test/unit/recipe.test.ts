// Recipe validation: every mistake is reported as FILE:LINE: FIELD: message.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRecipe, parseRecipe, RecipeError } from "../../build/recipe.ts";

const HASH6 = "$6$pikapika$j6l2Hu461HttKSdO5/J0s3w5Qo5gugK5IukxNFpEhe/OKFDn97iJ7.MaFjxYi1M0zm9uKycMWTGMCLhTYdb8k.";

/** The error lines for a recipe text, or [] when it is valid. */
function errors(text: string): string[] {
  try {
    parseRecipe(text, "r.yaml");
    return [];
  } catch (e) {
    if (!(e instanceof RecipeError)) throw e;
    return e.message.split("\n");
  }
}

describe("recipe validation", () => {
  it("accepts a minimal recipe and fills in defaults", () => {
    const r = parseRecipe("board: x86_64\noutputs: [disk]\n", "/x/min.yaml");
    expect(r.name).toBe("min");
    expect(r.hostname).toBe("pika");
    expect(r.root.mode).toBe("ram");
    expect(r.users).toEqual([]);
  });

  it("reports an unknown field with its line", () => {
    expect(errors("board: x86_64\noutputs: [disk]\nhostnme: box\n")).toEqual([
      expect.stringMatching(/^r\.yaml:3: hostnme: unknown field \(known: board, outputs, hostname/),
    ]);
  });

  it("reports unknown nested fields with their path", () => {
    expect(errors("board: x86_64\noutputs: [disk]\nusers:\n  - name: a\n    pasword: x\n")).toEqual([
      expect.stringMatching(/^r\.yaml:5: users\[0\]\.pasword: unknown field/),
    ]);
  });

  it("reports a missing required field", () => {
    expect(errors("outputs: [disk]\n")).toEqual(["r.yaml:1: board: missing required field"]);
    expect(errors("board: x86_64\noutputs: [disk]\nusers:\n  - uid: 3\n")).toEqual(["r.yaml:4: users[0].name: missing required field"]);
  });

  it("reports a bad enum value", () => {
    expect(errors("board: rpi5\noutputs: [disk]\n")).toEqual([
      'r.yaml:1: board: the string "rpi5" is not one of x86_64, rpi3, rpi4, rpi-zero2w, qemu-aarch64',
    ]);
    expect(errors("board: x86_64\noutputs: [disk, iso]\n")[0]).toMatch(/^r\.yaml:2: outputs\[1\]: the string "iso" is not one of initramfs, disk, sdcard, oci$/);
    expect(errors("board: x86_64\noutputs: [disk]\nroot:\n  mode: nfs\n")[0]).toMatch(/^r\.yaml:4: root\.mode: .*not one of ram, squashfs/);
  });

  it("reports wrong types", () => {
    expect(errors("board: x86_64\noutputs: disk\n")).toEqual(['r.yaml:2: outputs: expected a list, got the string "disk"']);
    expect(errors("board: x86_64\noutputs: [disk]\nhostname: 42\n")).toEqual(["r.yaml:3: hostname: expected a string, got number 42"]);
    expect(errors("board: x86_64\noutputs: [disk]\nusers:\n  - name: a\n    uid: abc\n")).toEqual([
      'r.yaml:5: users[0].uid: expected an integer, got the string "abc"',
    ]);
    expect(errors("board: x86_64\noutputs: [disk]\nkernel: [a]\n")).toEqual(["r.yaml:3: kernel: expected a mapping, got a list"]);
    // An unquoted 0644 is the decimal number 644 in YAML 1.2: insist on quotes.
    expect(errors("board: x86_64\noutputs: [disk]\nfiles:\n  - path: /a\n    content: x\n    mode: 0644\n")).toEqual([
      "r.yaml:6: files[0].mode: expected a string, got number 644",
    ]);
  });

  it("checks password hashes, SSH keys, names and runlevels", () => {
    const e = errors([
      "board: x86_64", "outputs: [disk]",
      "users:", "  - name: Admin", "    password: hunter2", "    ssh_keys: [not-a-key]",
      "services:", "  fast: [sshd]",
      "sysctl:", "  ip_forward: 1",
    ].join("\n"));
    expect(e).toEqual([
      expect.stringMatching(/^r\.yaml:4: users\[0\]\.name: "Admin" is not a user name/),
      expect.stringMatching(/^r\.yaml:5: users\[0\]\.password: "hunter2" is not a crypt hash starting with \$6\$/),
      expect.stringMatching(/^r\.yaml:6: users\[0\]\.ssh_keys\[0\]: "not-a-key" is not an OpenSSH public key/),
      expect.stringMatching(/^r\.yaml:8: services\.fast: "fast" is not a runlevel/),
      expect.stringMatching(/^r\.yaml:10: sysctl\.ip_forward: "ip_forward" is not a sysctl key/),
    ]);
    expect(errors(`board: x86_64\noutputs: [disk]\nusers:\n  - name: root\n    password: ${HASH6}\n`)).toEqual([]);
  });

  it("checks rules across fields", () => {
    expect(errors("board: x86_64\noutputs: [sdcard]\n")).toEqual(["r.yaml:2: outputs[0]: sdcard is for Raspberry Pi boards, not x86_64"]);
    expect(errors("board: rpi3\noutputs: [disk]\n")[0]).toMatch(/^r\.yaml:2: outputs\[0\]: disk is for the x86_64 and qemu-aarch64 boards, not rpi3/);
    expect(errors("board: qemu-aarch64\noutputs: [disk]\n")).toEqual([]);
    expect(errors("board: x86_64\noutputs: [disk]\nfiles:\n  - path: /a\n")).toEqual(["r.yaml:4: files[0]: give exactly one of content or source"]);
    expect(errors("board: x86_64\noutputs: [disk]\nfiles:\n  - path: /a\n    source: nope.txt\n")).toEqual(["r.yaml:5: files[0].source: nope.txt: no such file"]);
  });

  it("checks the root mode and the data partition size", () => {
    const sq = parseRecipe("board: x86_64\noutputs: [disk]\nroot:\n  mode: squashfs\n  data_size: 1G\n", "r.yaml");
    expect(sq.root).toEqual({ mode: "squashfs", dataSizeMiB: 1024 });
    expect(parseRecipe("board: rpi4\noutputs: [sdcard]\nroot:\n  mode: squashfs\n", "r.yaml").root).toEqual({ mode: "squashfs", dataSizeMiB: 64 });
    expect(errors("board: x86_64\noutputs: [oci]\nroot:\n  mode: squashfs\n")).toEqual([
      "r.yaml:4: root.mode: squashfs needs a disk or sdcard output (its partitions live on the disk image or SD card)",
    ]);
    expect(errors("board: x86_64\noutputs: [disk]\nroot:\n  mode: ram\n  data_size: 64M\n")).toEqual([
      "r.yaml:5: root.data_size: only a squashfs root has a data partition",
    ]);
    for (const bad of ["64", "0M", "64K", "-1G", "1.5G"]) {
      expect(errors(`board: x86_64\noutputs: [disk]\nroot:\n  mode: squashfs\n  data_size: ${bad}\n`)).toEqual([
        expect.stringMatching(/^r\.yaml:5: root\.data_size: .*(is not a size such as 64M or 1G|expected a string, got number)/),
      ]);
    }
    expect(errors("board: x86_64\noutputs: [disk]\nroot:\n  data_size: 64M\n")).toEqual(["r.yaml:4: root.mode: missing required field"]);
  });

  it("reports every problem at once, and YAML syntax errors with their line", () => {
    expect(errors("board: 3\noutputs: {}\nfoo: 1\n")).toHaveLength(3);
    expect(errors("board: x86_64\noutputs: [disk\n")[0]).toMatch(/^r\.yaml:\d+: \(yaml\): /);
  });

  it("loads the example recipes", () => {
    const dir = path.join(__dirname, "..", "..", "recipes");
    for (const f of ["qemu-x86_64.yaml", "rpi-appliance.yaml", "router.yaml"]) {
      expect(() => loadRecipe(path.join(dir, f))).not.toThrow();
    }
  });
});
