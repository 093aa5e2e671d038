// Modules and firmware from Debian's real packages, without booting: the
// selection on Debian's kernels (soft dependencies included), and the firmware
// the Raspberry Pi appliance recipe gets for brcmfmac, as its manifest lists it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { selectModules } from "../../build/modules.ts";
import { boardCompatibles } from "../../build/rpi.ts";
import { kernel } from "../../build/toolchain.ts";
import { buildImage, pikaFor, ROOT } from "../helpers/image.ts";

describe("module selection on Debian's kernels", () => {
  it("x86_64: ext4 brings its crc32c providers, loaded before it", async () => {
    const s = await selectModules(await kernel("x86_64"), ["ext4"]);
    expect(s.load).toEqual(["crc32c_intel", "crc32c_generic", "ext4"]);
    expect(s.files.indexOf("kernel/crypto/crc32c_generic.ko")).toBeLessThan(s.files.indexOf("kernel/fs/ext4/ext4.ko"));
    expect(s.files).toContain("kernel/fs/jbd2/jbd2.ko");
  }, 120_000);

  it("arm64: vc4's soft dependency on the HDMI audio codec", async () => {
    const s = await selectModules(await kernel("aarch64"), ["vc4"]);
    expect(s.soft).toEqual(["snd_soc_hdmi_codec (softdep of vc4)"]);
    expect(s.load).toEqual(["snd_soc_hdmi_codec", "vc4"]);
  }, 120_000);

  it("the Pi 3 device trees' board names", async () => {
    expect(boardCompatibles("rpi3", await kernel("aarch64"))).toEqual([
      "raspberrypi,3-model-b", "raspberrypi,3-model-b-plus", "raspberrypi,3-model-a-plus", "raspberrypi,3-compute-module",
    ]);
  }, 120_000);
});

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe.runIf(fs.existsSync(pikaFor("aarch64")))("rpi-appliance recipe: modules and firmware in the image", () => {
  it("carries the Pi 3 Wi-Fi firmware for brcmfmac, and loads the modules at boot", async () => {
    const b = await buildImage("rpi-appliance", fs.readFileSync(path.join(ROOT, "recipes", "rpi-appliance.yaml"), "utf8")
      .replace("source: files/appliance.conf", `source: ${path.join(ROOT, "recipes", "files", "appliance.conf")}`), "aarch64");
    const m = JSON.parse(fs.readFileSync(path.join(b.dir, "rpi-appliance.sdcard.img.manifest.json"), "utf8"));
    const firmware = m.files.filter((f: any) => f.part === "firmware" && !f.path.startsWith("boot:")).map((f: any) => f.path);
    // Pi 3 B (BCM43430) and 3 B+/3 A+ (BCM43455, the Pi 4's chip): their firmware, the
    // boards' nvram (3 A+ is a link to 3 B+'s), and the regulatory database cfg80211 asks for.
    expect(firmware).toEqual([
      "/lib/firmware/brcm/brcmfmac43430-sdio.raspberrypi,3-model-b.txt",
      "/lib/firmware/brcm/brcmfmac43455-sdio.raspberrypi,3-model-b-plus.txt",
      "/lib/firmware/cypress/cyfmac43430-sdio.bin",
      "/lib/firmware/cypress/cyfmac43430-sdio.clm_blob",
      "/lib/firmware/cypress/cyfmac43455-sdio.bin",
      "/lib/firmware/cypress/cyfmac43455-sdio.clm_blob",
      "/lib/firmware/regulatory.db",
      "/lib/firmware/regulatory.db.p7s",
    ]);
    expect(m.totals.firmware).toBeGreaterThan(1_000_000);
    expect(Object.keys(m.packages)).toEqual(expect.arrayContaining(["firmware-brcm80211", "wireless-regdb", "raspi-firmware"]));
    expect(b.log).toMatch(/^\[image rpi-appliance\] firmware: 9 files/m);
    expect(b.log).not.toMatch(/warning/);
    const etcModules = m.files.find((f: any) => f.path === "/etc/modules");
    expect(etcModules.sha256).toBe(sha("bcm2835_wdt\nbrcmfmac\nsnd_soc_hdmi_codec\nvc4\n"));
  }, 600_000);
});
