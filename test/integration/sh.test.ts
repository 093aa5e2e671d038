// The shell against busybox ash and dash: every script of test/sh-corpus runs
// as `sh t.sh` through pika sh, busybox ash and dash, each in a fresh
// directory. stdout and the exit status must match ash's (and dash's where
// the two agree); for err-*.sh scripts, stderr too (ash's wording).
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, PIKA, ROOT, tempDir } from "../helpers/run.ts";

const CORPUS = path.join(ROOT, "test", "sh-corpus");
const DASH = "/bin/dash";
const scripts = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".sh")).sort();

/** Scripts whose output depends on which shell runs them in ways POSIX leaves open. */
const KNOWN: Record<string, string> = {};

interface Out { stdout: string; stderr: string; status: number | null }

let bins: Record<string, string> = {};

function runScript(shell: string, script: string): Out {
  const dir = tempDir("pika-sh-");
  try {
    fs.copyFileSync(path.join(CORPUS, script), path.join(dir, "t.sh"));
    // PATH starts with a directory where "sh" is the shell under test.
    const r = spawnSync(path.join(bins[shell], "sh"), ["t.sh"], {
      cwd: dir,
      input: "",
      env: { PATH: `${bins[shell]}:/usr/bin:/bin`, LANG: "C", TZ: "UTC", HOME: dir },
      encoding: "latin1",
      timeout: 20_000,
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(() => {
  for (const [name, target] of [["pika", PIKA], ["ash", BUSYBOX], ["dash", DASH]]) {
    const d = tempDir(`pika-sh-${name}-`);
    fs.symlinkSync(target, path.join(d, "sh"));
    bins[name] = d;
  }
});

afterAll(() => {
  for (const d of Object.values(bins)) fs.rmSync(d, { recursive: true, force: true });
});

describe("sh corpus (pika vs busybox ash and dash)", () => {
  for (const script of scripts) {
    it(script, () => {
      const ours = runScript("pika", script);
      const ash = runScript("ash", script);
      if (KNOWN[script]) return;
      expect(ours.stdout, "stdout vs ash").toBe(ash.stdout);
      expect(ours.status, "status vs ash").toBe(ash.status);
      if (script.startsWith("err-")) expect(ours.stderr, "stderr vs ash").toBe(ash.stderr);
      const dash = runScript("dash", script);
      if (dash.stdout === ash.stdout && dash.status === ash.status) {
        expect(ours.stdout, "stdout vs dash").toBe(dash.stdout);
      }
    });
  }
});
