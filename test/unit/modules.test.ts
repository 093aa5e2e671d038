// Module selection for an image (build/modules.ts): the named modules, their
// modules.dep dependencies and their soft dependencies (names or aliases), in load order.
import { describe, expect, it } from "vitest";
import { closure, type ModuleIndex } from "../../build/modules.ts";

const index = (): ModuleIndex => ({
  deps: new Map([
    ["kernel/fs/ext4/ext4.ko", ["kernel/fs/jbd2/jbd2.ko", "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko"]],
    ["kernel/fs/jbd2/jbd2.ko", []],
    ["kernel/fs/mbcache.ko", []],
    ["kernel/lib/crc16.ko", []],
    ["kernel/crypto/crc32c_generic.ko", []],
    ["kernel/arch/x86/crypto/crc32c-intel.ko", []],
    ["kernel/drivers/ipmi/ipmi_msghandler.ko", []],
    ["kernel/drivers/ipmi/ipmi_devintf.ko", ["kernel/drivers/ipmi/ipmi_msghandler.ko"]],
    ["kernel/drivers/block/loop.ko", []],
  ]),
  softdeps: new Map([
    // As lib/kmod.ts reads modules.softdep: '-' as '_'.
    ["ext4", { pre: ["crypto_crc32c"], post: [] }],
    ["jbd2", { pre: ["crypto_crc32c"], post: [] }],
    ["ipmi_msghandler", { pre: [], post: ["ipmi_devintf"] }],
    ["loop", { pre: ["no_such_module", "crypto_sha256"], post: [] }],
  ]),
  aliases: [["crypto-crc32c", "crc32c_intel"], ["crypto-crc32c", "crc32c_generic"], ["crypto-crc32c-*", "crc32c_generic"]],
  builtin: new Set(["sha256_generic", "unix"]),
});

describe("module selection", () => {
  it("follows a pre softdep through its alias to every provider, loaded before the module", () => {
    const s = closure(index(), ["ext4"]);
    expect(s.files).toEqual([
      "kernel/arch/x86/crypto/crc32c-intel.ko", "kernel/crypto/crc32c_generic.ko",
      "kernel/fs/jbd2/jbd2.ko", "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko", "kernel/fs/ext4/ext4.ko",
    ]);
    // /etc/modules: modprobe follows modules.dep, but the soft dependencies must be named.
    expect(s.load).toEqual(["crc32c_intel", "crc32c_generic", "ext4"]);
    expect(s.soft).toEqual(["crc32c_intel (softdep of ext4)", "crc32c_generic (softdep of ext4)"]);
  });

  it("loads post softdeps after the module, and does not loop on a dependency cycle", () => {
    // ipmi_devintf depends on ipmi_msghandler, whose post softdep it is.
    expect(closure(index(), ["ipmi_msghandler"]).files).toEqual([
      "kernel/drivers/ipmi/ipmi_msghandler.ko", "kernel/drivers/ipmi/ipmi_devintf.ko",
    ]);
  });

  it("skips soft dependencies the kernel lacks or has built in", () => {
    const s = closure(index(), ["loop", "unix", "crc32c-generic"]);
    expect(s.files).toEqual(["kernel/drivers/block/loop.ko", "kernel/crypto/crc32c_generic.ko"]);
    expect(s.builtin).toEqual(["unix"]);
    expect(s.load).toEqual(["loop", "crc32c_generic"]);
    expect(s.soft).toEqual([]);
  });

  it("names the kernel when a requested module does not exist", () => {
    expect(() => closure(index(), ["ext5"], "6.1.0-57-amd64")).toThrow('kernel.modules: no module named "ext5" in Debian\'s kernel 6.1.0-57-amd64');
  });
});
