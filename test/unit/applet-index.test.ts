// applets/index.ts must name every applet module exactly as the module defines it.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import "../../applets/index.ts";
import { appletNames, findApplet, loadAllApplets } from "../../lib/applet.ts";

const dir = fileURLToPath(new URL("../../applets/", import.meta.url));

describe("applet index", () => {
  it("lists every module in applets/", () => {
    const indexText = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
      expect(indexText, `applets/${f} is missing from applets/index.ts`).toContain(`import("./${f}")`);
    }
  });

  it("names exactly the applets the modules define, each with usage and summary", async () => {
    const names = appletNames();
    await loadAllApplets();
    expect(appletNames()).toEqual(names);
    for (const n of names) {
      const a = findApplet(n);
      expect(a, `index names '${n}' but no module defines it`).toBeDefined();
      expect(a!.summary.length).toBeGreaterThan(0);
    }
  });
});
