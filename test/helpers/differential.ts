// Table-driven differential tests: each case runs through pika and through
// busybox-static, in fresh copies of the same fixture, and must give the same
// stdout, exit status and first stderr line ("applet: message").
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUSYBOX, linkDir, PIKA, run, tempDir, type Result } from "./run.ts";

export interface Case {
  /** Shown in the test name; defaults to the command line. */
  name?: string;
  applet: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** Compare these files' contents after the run as well (relative to the fixture). */
  files?: string[];
  /** Compare the whole of stderr, not only its first line. */
  fullStderr?: boolean;
  /** A known, intended difference: say why; the case then only checks the status. */
  differs?: string;
}

/** Files to create in each fixture: path -> contents (string), or a function given the dir. */
export type Fixture = Record<string, string> | ((dir: string) => void);

function makeFixture(f: Fixture): string {
  const dir = tempDir("pika-fx-");
  if (typeof f === "function") f(dir);
  else {
    for (const [p, data] of Object.entries(f)) {
      const full = path.join(dir, p);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      if (p.endsWith("/")) fs.mkdirSync(full, { recursive: true });
      else fs.writeFileSync(full, data);
    }
  }
  return dir;
}

/**
 * The first stderr line, with the two differences that are not behaviour made
 * neutral: busybox's getopt names the applet by its full argv[0], and the
 * multi-call banner names the project.
 */
export function stderrShape(stderr: string, linkDirPath: string, full = false): string {
  const text = full ? stderr : stderr.split("\n")[0];
  return text
    .split(linkDirPath + "/").join("")
    .replace(/(BusyBox|Pika) v\S+.* multi-call binary\./g, "MULTI-CALL BANNER");
}

export interface Outcome { result: Result; files: Record<string, string | null> }

function runIn(bin: string, c: Case, fixture: Fixture): Outcome {
  const dir = makeFixture(fixture);
  try {
    const result = run(path.join(bin, c.applet), c.args, { cwd: dir, input: c.stdin, env: c.env });
    const files: Record<string, string | null> = {};
    for (const f of c.files ?? []) {
      try {
        files[f] = fs.readFileSync(path.join(dir, f), "latin1");
      } catch {
        files[f] = null;
      }
    }
    return { result, files };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Declare one vitest case per table row (call inside a describe). `oracle`
 * is the program run through links named after the applets: busybox, or
 * for applets Debian's busybox lacks, another reference such as "/usr/bin/join".
 */
export function differential(applets: string[], cases: Case[], fixture: Fixture = {}, oracle: string = BUSYBOX): void {
  let pikaLinks = "";
  let bbLinks = "";
  beforeAll(() => {
    pikaLinks = linkDir(PIKA, applets);
    bbLinks = linkDir(oracle, applets);
  });
  afterAll(() => {
    fs.rmSync(pikaLinks, { recursive: true, force: true });
    fs.rmSync(bbLinks, { recursive: true, force: true });
  });
  for (const c of cases) {
    it(c.name ?? `${c.applet} ${c.args.join(" ")}`.trim(), () => {
      const ours = runIn(pikaLinks, c, fixture);
      const theirs = runIn(bbLinks, c, fixture);
      expect(ours.result.status, "exit status").toBe(theirs.result.status);
      if (c.differs) return;
      expect(ours.result.stdout, "stdout").toBe(theirs.result.stdout);
      expect(stderrShape(ours.result.stderr, pikaLinks, c.fullStderr), "stderr").toBe(
        stderrShape(theirs.result.stderr, bbLinks, c.fullStderr),
      );
      expect(ours.files, "files").toEqual(theirs.files);
    });
  }
}
