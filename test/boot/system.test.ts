// Devices and kernel modules on the real kernel: boot out/x86_64 with an
// inittab that loads Debian's loop module with
// modprobe (shipped in an overlay with kmod's depmod index, as build/modules.ts
// does for recipes), recreates removed nodes with mdev -s, lists it with lsmod, unloads it and powers off.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleEntries, selectModules } from "../../build/modules.ts";
import { kernel } from "../../build/toolchain.ts";
import { boot, imageExists } from "../helpers/qemu.ts";

const INITTAB = `
::sysinit:/bin/echo PIKA-SYS start
::wait:/sbin/modprobe -v loop max_loop=2
::wait:/bin/rm /dev/loop1 /dev/loop-control
::wait:/sbin/mdev -s
::wait:/bin/ls -l /dev/loop1 /dev/loop-control
::wait:/sbin/lsmod
::wait:/sbin/modinfo -F license loop
::wait:/sbin/sysctl kernel.ostype
::wait:/sbin/hwclock -r -u
::wait:/sbin/rmmod loop
::wait:/sbin/lsmod
::wait:/bin/echo PIKA-SYS done
::once:/sbin/poweroff
`;

describe.runIf(imageExists("x86_64"))("x86_64 devices and modules (QEMU)", () => {
  it("mdev -s, modprobe, lsmod, rmmod, then a clean poweroff", async () => {
    const k = await kernel("x86_64");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pika-mods-"));
    const overlay: Record<string, { data: Uint8Array; mode: number } | string> = { "/etc/inittab": INITTAB };
    try {
      for (const e of await moduleEntries(k, await selectModules(k, ["loop"]), tmp)) {
        if (e.type === "file") overlay[e.path] = { data: e.data as Uint8Array, mode: e.mode ?? 0o644 };
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const r = await boot({ machine: "x86_64", overlay, timeoutMs: 240_000 });
    const c = r.console;
    expect(c).toContain("PIKA-SYS start");
    // devtmpfs made them; mdev -s made them again after rm, from /sys.
    expect(c).toMatch(/^brw-rw---- +1 root +root +7, +1 .*\/dev\/loop1/m);
    expect(c).toMatch(/^crw-rw---- +1 root +root +10, +237 .*\/dev\/loop-control/m);
    expect(c).toContain(`insmod /lib/modules/${k.version}/kernel/drivers/block/loop.ko max_loop=2 `);
    expect(c).toMatch(/^Module {18}Size {2}Used by {4}(Not tainted|Tainted: \d+)$/m);
    expect(c).toMatch(/^loop {15} +\d+ +0 *$/m);
    expect(c).toMatch(/^GPL$/m);
    expect(c).toContain("kernel.ostype = Linux");
    expect(c).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}  0\.000000 seconds$/m);
    // After rmmod the second listing is the header alone.
    const after = c.slice(c.lastIndexOf("Module                  Size"));
    expect(after).not.toMatch(/^loop /m);
    expect(c).toContain("PIKA-SYS done");
    expect(c).toMatch(/reboot: Power down/);
    expect(c).not.toMatch(/Kernel panic|init: uncaught|can't load module|can't unload/);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});
