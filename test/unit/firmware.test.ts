// Firmware selection for an image's modules (build/firmware.ts): listed files
// that exist, and on a device tree board only the chips the board has.
import { describe, expect, it } from "vitest";
import { chooseFirmware, firmwarePackages } from "../../build/firmware.ts";

const BRCMFMAC = {
  module: "brcmfmac",
  firmware: [
    "brcm/brcmfmac*-sdio.*.bin", "brcm/brcmfmac*-sdio.*.txt",
    "brcm/brcmfmac43455-sdio.clm_blob", "brcm/brcmfmac43455-sdio.bin",
    "brcm/brcmfmac43430-sdio.clm_blob", "brcm/brcmfmac43430-sdio.bin",
    "brcm/brcmfmac4356-sdio.bin", "brcm/brcmfmac43456-sdio.bin",
  ],
};
const AVAILABLE = [
  "brcm/brcmfmac43455-sdio.bin", "brcm/brcmfmac43455-sdio.clm_blob",
  "brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.txt", "brcm/brcmfmac43455-sdio.raspberrypi,3-model-b-plus.txt",
  "brcm/brcmfmac43455-sdio.pine64,pinebook-pro.txt",
  "brcm/brcmfmac43430-sdio.bin", "brcm/brcmfmac43430-sdio.raspberrypi,3-model-b.txt",
  "brcm/brcmfmac4356-sdio.bin", "brcm/brcmfmac4356-sdio.AP6356S.txt",
  "regulatory.db", "rtl_nic/rtl8168h-2.fw",
];

describe("firmware selection", () => {
  it("keeps only the board's chips on a device tree board, with the board's nvram file", () => {
    const c = chooseFirmware([BRCMFMAC], AVAILABLE, ["raspberrypi,4-model-b", "raspberrypi,400"]);
    expect(c.files).toEqual([
      "brcm/brcmfmac43455-sdio.bin", "brcm/brcmfmac43455-sdio.clm_blob", "brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.txt",
    ]);
    expect(c.missing).toEqual([]);
    expect(c.noBoardFiles).toEqual([]);
  });

  it("covers every board of a family, and reports a listed file of a kept chip that no package has", () => {
    const c = chooseFirmware([BRCMFMAC], AVAILABLE, ["raspberrypi,3-model-b", "raspberrypi,3-model-b-plus"]);
    expect(c.files).toEqual([
      "brcm/brcmfmac43430-sdio.bin", "brcm/brcmfmac43430-sdio.raspberrypi,3-model-b.txt",
      "brcm/brcmfmac43455-sdio.bin", "brcm/brcmfmac43455-sdio.clm_blob", "brcm/brcmfmac43455-sdio.raspberrypi,3-model-b-plus.txt",
    ]);
    expect(c.missing).toEqual([{ module: "brcmfmac", file: "brcm/brcmfmac43430-sdio.clm_blob" }]);
  });

  it("without device trees ships every listed file that exists and matches the patterns", () => {
    const c = chooseFirmware([BRCMFMAC, { module: "cfg80211", firmware: ["regulatory.db", "regulatory.db.p7s"] }], AVAILABLE);
    expect(c.files).toEqual([...AVAILABLE.filter((f) => f.startsWith("brcm/")), "regulatory.db"].sort());
    expect(c.missing).toEqual([
      { module: "brcmfmac", file: "brcm/brcmfmac43430-sdio.clm_blob" },
      { module: "brcmfmac", file: "brcm/brcmfmac43456-sdio.bin" },
      { module: "cfg80211", file: "regulatory.db.p7s" },
    ]);
  });

  it("says when a board has none of a chip family's board files", () => {
    const c = chooseFirmware([BRCMFMAC], AVAILABLE, ["raspberrypi,model-zero-2-w"]);
    expect(c.files).toEqual([]);
    expect(c.noBoardFiles).toEqual(["brcmfmac"]);
  });

  it("looks files up in the Debian package of their directory", () => {
    expect(firmwarePackages("brcm/brcmfmac43455-sdio.bin")).toEqual(["firmware-brcm80211", "raspi-firmware"]);
    expect(firmwarePackages("rtl_nic/rtl8168h-2.fw")).toEqual(["firmware-realtek"]);
    expect(firmwarePackages("regulatory.db")).toEqual(["wireless-regdb"]);
    expect(firmwarePackages("i915/tgl_dmc_ver2_12.bin")).toEqual(["firmware-misc-nonfree"]);
  });
});
