// Boot tests: the real image on Debian's kernel in QEMU (TCG), asserting on
// the serial console. Each layers a test inittab (and busybox-static, as an
// independent witness) on top of the built initramfs.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { debianPackage } from "../../build/debian.ts";
import { boot, imageExists } from "../helpers/qemu.ts";

// Orphans: each subshell exits at once, leaving its sleep to be adopted by
// PID 1; afterwards no zombie may remain anywhere.
const ORPHANS_SH = `
for i in 1 2 3 4 5 6 7 8; do ( /test/busybox sleep 0.2 & ) ; done
/test/busybox sleep 2
echo ZOMBIES=$(/test/busybox grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | /test/busybox wc -l)
`;

const TEST_INITTAB = `
::sysinit:/bin/echo PIKA-TEST sysinit ran
::wait:/bin/mount
::wait:/bin/uname -m
::wait:/test/busybox sh /test/orphans.sh
::wait:/bin/ls /dev/pts /proc/1
::once:/sbin/poweroff
`;

async function busyboxFor(debArch: "amd64" | "arm64"): Promise<Uint8Array> {
  const root = await debianPackage("busybox-static", debArch);
  return fs.readFileSync(`${root}/bin/busybox`);
}

function expectCleanPoweroff(r: { console: string; exitCode: number | null; timedOut: boolean }, arch: string) {
  const c = r.console;
  expect(c).toMatch(/Pika Linux [\d.]+ init \(PID 1\)/);
  expect(c).toContain("PIKA-TEST sysinit ran");
  for (const fs of [" on /proc type proc", " on /sys type sysfs", " on /dev type devtmpfs", " on /dev/pts type devpts", " on /run type tmpfs", " on /tmp type tmpfs"]) {
    expect(c).toContain(fs);
  }
  expect(c).toMatch(new RegExp(`^${arch}$`, "m"));
  expect(c).toContain("ZOMBIES=0");
  expect(c).toContain("The system is going down NOW!");
  expect(c).toContain("Requesting system poweroff");
  expect(c).toMatch(/reboot: Power down/);
  expect(c).not.toMatch(/Kernel panic|init: uncaught|init: unhandled/);
  expect(r.timedOut).toBe(false);
  expect(r.exitCode).toBe(0);
}

describe.runIf(imageExists("x86_64"))("x86_64 boot (QEMU pc, -cpu max)", () => {
  it("runs inittab, mounts, reaps orphans and powers off cleanly", async () => {
    const r = await boot({
      machine: "x86_64",
      overlay: {
        "/etc/inittab": TEST_INITTAB,
        "/test/orphans.sh": ORPHANS_SH,
        "/test/busybox": { data: await busyboxFor("amd64"), mode: 0o755 },
      },
      timeoutMs: 240_000,
    });
    expectCleanPoweroff(r, "x86_64");
  }, 300_000);
});

describe.runIf(imageExists("x86_64"))("x86_64 default image: the console shell", () => {
  it("runs what is typed on the serial console in pika's sh, and poweroff ends it cleanly", async () => {
    const r = await boot({
      machine: "x86_64",
      type: [
        [/Welcome to Pika Linux/, "\n"],
        [/# $|\$ $/m, "echo CONSOLE-$((6*7)) $(readlink /bin/sh); ls /proc/self/fd | wc -l\n"],
        [/CONSOLE-42/, "poweroff\n"],
      ],
      timeoutMs: 240_000,
    });
    expect(r.console).toMatch(/CONSOLE-42 \/bin\/pika|CONSOLE-42 pika/);
    expect(r.console).toMatch(/reboot: Power down/);
    expect(r.console).not.toMatch(/Kernel panic|init: uncaught/);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});

describe.runIf(imageExists("x86_64"))("x86_64 default image: OpenRC runlevels", () => {
  it("brings boot and default up, shows them in rc-status, restarts syslog, logs through logger, and stops them at shutdown", async () => {
    const r = await boot({
      machine: "x86_64",
      type: [
        [/Welcome to Pika Linux/, "\n"],
        [/[#$] $/m, "rc-status -a; rc-service syslog restart; echo RESTART=$?; logger -t boottest hello-from-logger; sleep 1; logread | grep -c hello-from-logger; echo DONE-RC\n"],
        [/DONE-RC/, "poweroff\n"],
      ],
      timeoutMs: 240_000,
    });
    const c = r.console.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    for (const step of ["Setting hostname to", "Mounting local filesystems", "Starting syslog", "Starting crond", "Starting klogd"]) expect(c).toContain(step);
    expect(c).toMatch(/Setting the system time from the hardware clock \(UTC\) \.\.\.\s*\[ ok \]/);
    expect(c).toMatch(/Runlevel: boot[\s\S]*hostname\s+\[\s+started\s+\]/);
    expect(c).toMatch(/Runlevel: default[\s\S]*syslog\s+\[\s+started\s+\]/);
    expect(c).toMatch(/Runlevel: default[\s\S]*klogd\s+\[\s+started\s+\]/);
    expect(c).toMatch(/Stopping syslog[\s\S]*Starting syslog/);
    expect(c).toContain("RESTART=0");
    expect(c).toMatch(/^1\n/m); // logread found the message once
    expect(c).toMatch(/Stopping crond[\s\S]*Remounting the root filesystem read-only/);
    expect(c).toMatch(/reboot: Power down/);
    expect(c).not.toMatch(/Kernel panic|init: uncaught|ERROR:/);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});

describe.runIf(imageExists("aarch64"))("aarch64 boot (QEMU virt, cortex-a72)", () => {
  it("runs inittab, mounts, reaps orphans and powers off cleanly", async () => {
    const r = await boot({
      machine: "aarch64",
      overlay: {
        "/etc/inittab": TEST_INITTAB,
        "/test/orphans.sh": ORPHANS_SH,
        "/test/busybox": { data: await busyboxFor("arm64"), mode: 0o755 },
      },
      timeoutMs: 240_000,
    });
    expectCleanPoweroff(r, "aarch64");
  }, 300_000);

  it("raspi3b reaches the init banner", async () => {
    const r = await boot({ machine: "raspi3b", timeoutMs: 240_000, until: /init \(PID 1\)/ });
    expect(r.console).toMatch(/Pika Linux [\d.]+ init \(PID 1\) on aarch64/);
    expect(r.console).not.toMatch(/Kernel panic/);
  }, 300_000);
});
