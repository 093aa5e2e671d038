// init as PID 1 on the host: the compiled binary runs as the first process of
// a new pid namespace (unshare --pid --fork --mount --mount-proc --uts), with
// PIKA_INIT_SANDBOX=1 (the host's mounts stay as they are) and a test inittab
// in PIKA_INITTAB. busybox-static is the independent witness inside.
//
// When PID 1 of a pid namespace calls reboot(2), the kernel kills it: by
// SIGINT for halt and power-off, by SIGHUP for reboot. unshare re-raises its
// child's fatal signal, so that is what these tests see as the exit status.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { BUSYBOX, childrenOf, cmdline, INIT_BIN, pid1Unavailable, UNSHARE, withInit, type InitSandbox } from "../helpers/pid1.ts";

const unavailable = pid1Unavailable();
if (unavailable) console.warn(`test/integration/init.test.ts skipped: ${unavailable}`);

const require = createRequire(import.meta.url);
const pty = require("node-pty") as typeof import("node-pty");

const BB = BUSYBOX;
const PRESS_ENTER = "Please press Enter to activate this console. ";
/** Each behaviour checked on pika's init and on busybox-static's, the oracle. */
const INITS = [
  { who: "pika", busybox: false },
  { who: "busybox (oracle)", busybox: true },
];

/** A terminal (node-pty) held open by a process that never reads it; init's entries use its /dev/pts/N. */
function terminal() {
  const t = pty.spawn(BB, ["sleep", "1000"], { env: { PATH: "/usr/bin:/bin" } });
  let screen = "";
  t.onData((d) => (screen += d));
  return {
    tty: (t as unknown as { ptsName: string }).ptsName.replace(/^\/dev\//, ""),
    screen: () => screen,
    type: (s: string) => t.write(s),
    count: (s: string) => screen.split(s).length - 1,
    async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
      const until = performance.now() + timeoutMs;
      while (!test(screen)) {
        if (performance.now() > until) throw new Error(`no ${what} on the terminal within ${timeoutMs} ms; it shows:\n${JSON.stringify(screen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => t.kill("SIGKILL"),
  };
}
const TEST_TIMEOUT = 30_000;

/** Console lines that must never appear: init caught something it did not expect. */
function expectNoInternalErrors(sb: InitSandbox): void {
  expect(sb.output()).not.toMatch(/init: (uncaught|unhandled|reaping failed|SIG[A-Z0-9]+:)/);
}

/** The lines matching, in console order, must be exactly these (as substrings). */
function expectInOrder(sb: InitSandbox, expected: string[]): void {
  let from = 0;
  for (const e of expected) {
    const i = sb.indexOf(e, from);
    if (i < 0) throw new Error(`'${e}' missing or out of order (after line ${from}); console:\n${sb.output()}`);
    from = i + 1;
  }
}

const SHUTDOWN_SEQUENCE = ["The system is going down NOW!", "Sent SIGTERM to all processes", "Sent SIGKILL to all processes"];

describe.skipIf(!!unavailable)(`init as PID 1 in a pid namespace${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  describe.concurrent("inittab", () => {
    it("runs sysinit, then wait, then once entries; waits for sysinit and wait, not for once", async () => {
      await withInit(async (sb) => {
        // once A only finishes after once B has run: had init waited for A, B
        // could not have started, and A would report a timeout.
        const onceA = sb.file(
          "once-a.sh",
          `echo ONCE-A-START
i=0
until [ -e ${sb.dir}/b-ran ]; do
  i=$((i+1)); [ $i -gt 100 ] && { echo ONCE-A-TIMEOUT; exit 1; }
  ${BB} sleep 0.05
done
echo ONCE-A-END
`,
        );
        // Written in mixed order: the action, not the position, decides.
        sb.start(`# test inittab
::once:${BB} sh ${onceA}
::wait:${BB} sh -c "${BB} sleep 0.3; echo WAIT-1"
::sysinit:${BB} sh -c "${BB} sleep 0.3; echo SYSINIT-1"
::wait:${BB} echo WAIT-2
::once:${BB} sh -c "echo ONCE-B; ${BB} touch ${sb.dir}/b-ran"
::sysinit:${BB} echo SYSINIT-2
::wait:${BB} sh -c 'echo "CHILD ppid=$PPID path=$PATH"'
`);
        await sb.waitFor("ONCE-A-END");
        await sb.waitFor("ONCE-B");
        expectInOrder(sb, ["init (PID 1)", "SYSINIT-1", "SYSINIT-2", "WAIT-1", "WAIT-2", "CHILD", "ONCE-B", "ONCE-A-END"]);
        expect(sb.indexOf("ONCE-A-START")).toBeGreaterThan(sb.indexOf("CHILD"));
        expect(sb.output()).toContain("CHILD ppid=1 path=/sbin:/usr/sbin:/bin:/usr/bin\n");
        expect(sb.output()).not.toContain("ONCE-A-TIMEOUT");
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    it("respawns a respawn entry that exits", async () => {
      await withInit(async (sb) => {
        const serve = sb.file("serve.sh", `echo SERVE-START $$\nexec ${BB} sleep 1000\n`);
        sb.start(`::respawn:${BB} sh ${serve}\n`);
        await sb.waitFor("SERVE-START");
        const init = await sb.initPid();
        // The entry runs as init's child (sh exec'd busybox sleep): kill it from outside.
        const [first] = childrenOf(init).filter((p) => cmdline(p)?.includes("sleep"));
        expect(first).toBeGreaterThan(0);
        process.kill(first, "SIGTERM");
        await sb.waitFor(/'.*serve\.sh' exited quickly; respawning in 1s/);
        const deadline = performance.now() + 5000;
        let second: number | undefined;
        while (!second && performance.now() < deadline) {
          second = childrenOf(init).find((p) => p !== first && cmdline(p)?.includes("sleep"));
          if (!second) await new Promise((r) => setTimeout(r, 20));
        }
        expect(second, `no second instance; console:\n${sb.output()}`).toBeGreaterThan(0);
        expect(sb.count("SERVE-START")).toBe(2);
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    it("backs off a respawn entry that keeps failing fast: 1s, 2s, 4s", async () => {
      await withInit(async (sb) => {
        const starts = `${sb.dir}/starts`;
        const fail = sb.file("fail.sh", `echo x >> ${starts}\necho FAIL-START\nexit 1\n`);
        sb.start(`::respawn:${BB} sh ${fail}\n`);
        const t0 = (await sb.waitFor("FAIL-START")).at;
        const m1 = await sb.waitFor(/'.*fail\.sh' exited quickly; respawning in 1s$/);
        const m2 = await sb.waitFor(/'.*fail\.sh' exited quickly; respawning in 2s$/);
        const m4 = await sb.waitFor(/'.*fail\.sh' exited quickly; respawning in 4s$/);
        // Started at about 0 s, 1 s and 3 s; the next start is due at about 7 s.
        expect(fs.readFileSync(starts, "utf8")).toBe("x\nx\nx\n");
        expect(sb.count("FAIL-START")).toBe(3);
        expectInOrder(sb, ["FAIL-START", "respawning in 1s", "FAIL-START", "respawning in 2s", "FAIL-START", "respawning in 4s"]);
        expect(m2.at - m1.at).toBeGreaterThan(900);
        expect(m4.at - m2.at).toBeGreaterThan(1800);
        expect(m4.at - t0).toBeGreaterThan(2700);
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    for (const { who, busybox } of INITS) {
      it(`${who}: reports garbage lines with their number and missing programs, runs the valid lines and keeps running`, async () => {
        await withInit(async (sb) => {
          sb.start(
            `# line 1 is a comment
this is garbage
::sysinit:${BB} echo VALID-SYSINIT
::explode:${BB} echo NEVER-RUN

::once:
::once:/nonexistent/program --flag
::wait:${BB} echo VALID-WAIT
::once:${BB} echo VALID-ONCE
`,
            { busybox },
          );
          await sb.waitFor("VALID-ONCE");
          await sb.waitFor("can't run '/nonexistent/program");
          const tab = `${sb.dir}/inittab`;
          const out = sb.output();
          if (busybox) {
            for (const n of [2, 4, 6]) expect(out).toContain(`Bad inittab entry at line ${n}\n`);
            expect(out).toContain("can't run '/nonexistent/program': No such file or directory");
          } else {
            expect(out).toContain(`init: ${tab}: line 2: expected id:runlevels:action:process: 'this is garbage'\n`);
            expect(out).toContain(`init: ${tab}: line 4: unknown action 'explode'\n`);
            expect(out).toContain(`init: ${tab}: line 6: no process to run\n`);
            expect(out).toContain("init: can't run '/nonexistent/program --flag': /nonexistent/program: No such file or directory\n");
          }
          expect(out).not.toContain("NEVER-RUN");
          expectInOrder(sb, ["VALID-SYSINIT", "VALID-WAIT", "VALID-ONCE"]);

          // Still alive and in charge: a clean power-off.
          await sb.signal("SIGUSR2");
          const st = await sb.waitExit(10_000);
          expectInOrder(sb, [...SHUTDOWN_SEQUENCE, "Requesting system poweroff"]);
          expect(st).toEqual({ code: null, signal: "SIGINT" });
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: without a usable /bin/sh, says so for commands with shell syntax and goes on with the others`, async () => {
        await withInit(async (sb) => {
          // /dev/null bound over /bin/sh (in the sandbox's mount namespace only): exec gives EACCES.
          sb.start(
            `::once:echo SHELL-RAN $HOME
::respawn:${BB} echo RESPAWNED; exit 1
::once:${BB} echo PLAIN-RAN
::ctrlaltdel:${BB} echo CAD-RAN
`,
            { busybox, setup: `${BB} mount --bind /dev/null /bin/sh` },
          );
          await sb.waitFor("PLAIN-RAN");
          const message = busybox ? "can't run '/bin/sh': Permission denied" : "init: can't run 'echo SHELL-RAN $HOME': /bin/sh: Permission denied";
          await sb.waitFor(message);
          if (!busybox) {
            await sb.waitFor(`init: can't run '${BB} echo RESPAWNED; exit 1': /bin/sh: Permission denied`);
            await sb.waitFor(`init: '${BB} echo RESPAWNED; exit 1' exited quickly; respawning in 1s`);
          }
          expect(sb.lines.filter((l) => /^(SHELL-RAN|RESPAWNED)/.test(l.text))).toEqual([]);
          await sb.signal("SIGINT");
          await sb.waitFor("CAD-RAN");
          await sb.signal("SIGUSR2");
          expect(await sb.waitExit(10_000)).toEqual({ code: null, signal: "SIGINT" });
          expectInOrder(sb, ["CAD-RAN", ...SHUTDOWN_SEQUENCE, "Requesting system poweroff"]);
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);
    }

    it("a respawn entry that fails fast is backed off, and the count starts over once it has stayed up a while", async () => {
      await withInit(async (sb) => {
        // Runs 1 and 2 fail at once, run 3 stays up longer than the 5 s window, run 4 fails at once.
        const runs = `${sb.dir}/runs`;
        const job = sb.file(
          "job.sh",
          `echo x >> ${runs}\nn=$(${BB} wc -l < ${runs})\necho "RUN-$n"\n[ "$n" = 3 ] && ${BB} sleep 5.5\n[ "$n" -ge 5 ] && exec ${BB} sleep 1000\nexit 1\n`,
        );
        sb.start(`::respawn:${BB} sh ${job}\n`);
        await sb.waitFor("RUN-5", 25_000);
        const backoffs = sb.lines.filter((l) => l.text.includes("exited quickly")).map((l) => /respawning in (\d+)s/.exec(l.text)?.[1]);
        expect(backoffs).toEqual(["1", "2", "1"]);
        expectInOrder(sb, ["RUN-1", "respawning in 1s", "RUN-2", "respawning in 2s", "RUN-3", "RUN-4", "respawning in 1s", "RUN-5"]);
        // Run 3 was restarted at once: no back-off message between it and run 4.
        expect(sb.indexOf("RUN-4") - sb.indexOf("RUN-3")).toBe(1);
        expectNoInternalErrors(sb);
      });
    }, 40_000);
  });

  describe.concurrent("askfirst", () => {
    for (const { who, busybox } of INITS) {
      it(`${who}: on the console, prompts, runs the command once input ends (stdin is /dev/null), and prompts again after it exits`, async () => {
        await withInit(async (sb) => {
          sb.start(`::askfirst:${BB} echo ASKED\n`, { busybox });
          await sb.waitFor(`${PRESS_ENTER}ASKED`);
          // Respawned: the prompt again, then the command again.
          await sb.waitUntil(() => sb.count(`${PRESS_ENTER}ASKED`) >= 2, "a second prompt");
          // The prompt starts on a line of its own.
          const first = sb.indexOf(`${PRESS_ENTER}ASKED`);
          expect(sb.lines[first].text).toBe(`${PRESS_ENTER}ASKED`);
          expect(sb.lines[first - 1].text).toBe("");
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: on a terminal, waits for Enter, leaves what follows to the command, and asks again once it exits`, async () => {
        const term = terminal();
        try {
          await withInit(async (sb) => {
            const ran = `${sb.dir}/ran`;
            const cmd = sb.file("cmd.sh", `${BB} touch ${ran}\necho ACTIVATED\nread line\necho "GOT=$line"\n`);
            sb.start(`${term.tty}::askfirst:${BB} sh ${cmd}\n`, { busybox });
            await term.waitFor((s) => s.includes(PRESS_ENTER), "prompt");
            expect(term.screen()).toMatch(/^\r?\n/);
            // Nothing runs before Enter (given a moment in which it could).
            await new Promise((r) => setTimeout(r, 700));
            expect(fs.existsSync(ran)).toBe(false);
            expect(term.screen()).not.toContain("ACTIVATED");
            // Enter, then a line the command must still find on the terminal.
            term.type("\rhello\r");
            await term.waitFor((s) => s.includes("GOT=hello"), "GOT=hello");
            expect(fs.existsSync(ran)).toBe(true);
            await term.waitFor((s) => s.indexOf(PRESS_ENTER, s.indexOf("GOT=hello")) > 0, "a second prompt");
            expect(term.count("ACTIVATED")).toBe(1);
            expect(sb.output()).not.toContain("ACTIVATED");
            expectNoInternalErrors(sb);
          });
        } finally {
          term.close();
        }
      }, TEST_TIMEOUT);
    }
  });

  describe.concurrent("reaping", () => {
    it("reaps 200 orphans: no zombie is left", async () => {
      await withInit(async (sb) => {
        // Each subshell exits at once; its sleep is re-parented to PID 1.
        // Then wait until every orphan has ended and count zombies (busybox
        // grep through /proc, the namespace's own), for up to 10 s.
        const script = sb.file(
          "orphans.sh",
          `for i in $(${BB} seq 200); do ( ${BB} sleep 0.5 & ) ; done
echo ADOPTED=$(${BB} grep -l '^PPid:[[:space:]]*1$' /proc/[0-9]*/status 2>/dev/null | ${BB} wc -l)
n=0
while :; do
  sleeping=$(${BB} grep -l 's[l]eep' /proc/[0-9]*/cmdline 2>/dev/null | ${BB} wc -l)
  zombies=$(${BB} grep -l '^State:[[:space:]]*Z' /proc/[0-9]*/status 2>/dev/null | ${BB} wc -l)
  [ "$sleeping" = 0 ] && [ "$zombies" = 0 ] && break
  n=$((n+1)); [ $n -ge 100 ] && break
  ${BB} sleep 0.1
done
echo SLEEPING=$sleeping ZOMBIES=$zombies
${BB} ps -o pid,ppid,stat,comm | ${BB} awk '{ print "PS", $0 }'
`,
        );
        sb.start(`::wait:${BB} sh ${script}\n::once:${BB} echo AFTER-WAIT\n`);
        await sb.waitFor("AFTER-WAIT", 20_000);
        const adopted = Number(/ADOPTED=(\d+)/.exec(sb.output())?.[1]);
        // The test means something only if PID 1 did adopt orphans.
        expect(adopted).toBeGreaterThan(10);
        expect(sb.output()).toContain("SLEEPING=0 ZOMBIES=0\n");
        // busybox ps agrees: nothing in state Z.
        const ps = sb.lines.filter((l) => l.text.startsWith("PS ")).map((l) => l.text);
        expect(ps.length).toBeGreaterThan(1);
        expect(ps.slice(1).filter((l) => / Z /.test(l))).toEqual([]);
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);
  });

  describe.concurrent("signals", () => {
    it("SIGUSR2 runs the shutdown entries, TERMs and KILLs everyone, and powers off", async () => {
      await withInit(async (sb) => {
        const trap = sb.file("trap.sh", `trap 'echo GOT-TERM; exit 0' TERM\necho TRAP-READY\nwhile :; do ${BB} sleep 0.1; done\n`);
        const daemon = sb.file("daemon.sh", `echo DAEMON-START\nexec ${BB} sleep 1000\n`);
        sb.start(`::once:${BB} sh ${trap}
::respawn:${BB} sh ${daemon}
::shutdown:${BB} echo SHUTDOWN-1
::shutdown:${BB} sh -c "${BB} sleep 0.3; echo SHUTDOWN-2"
`);
        await sb.waitFor("TRAP-READY");
        await sb.waitFor("DAEMON-START");
        await sb.signal("SIGUSR2");
        const st = await sb.waitExit(10_000);
        // Shutdown entries run one after the other, waited for, before anyone is signalled.
        expectInOrder(sb, ["SHUTDOWN-1", "SHUTDOWN-2", "The system is going down NOW!", "Sent SIGTERM to all processes", "Sent SIGKILL to all processes", "Requesting system poweroff"]);
        // The SIGTERM reached the trap, before the SIGKILL.
        const got = sb.indexOf("GOT-TERM");
        expect(got).toBeGreaterThan(sb.indexOf("SHUTDOWN-2"));
        expect(got).toBeLessThan(sb.indexOf("Sent SIGKILL to all processes"));
        // Nothing is respawned once the system is going down.
        expect(sb.count("DAEMON-START")).toBe(1);
        expect(sb.output()).not.toContain("respawning");
        expect(st).toEqual({ code: null, signal: "SIGINT" });
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    // In a pid namespace, reboot(2) from its init kills that init: SIGINT for
    // halt and power-off, SIGHUP for reboot (unshare passes the signal on).
    const SHUTDOWN_SIGNALS: [NodeJS.Signals, string, NodeJS.Signals][] = [
      ["SIGUSR1", "halt", "SIGINT"],
      ["SIGUSR2", "poweroff", "SIGINT"],
      ["SIGTERM", "reboot", "SIGHUP"],
    ];
    for (const { who, busybox } of INITS) {
      for (const [signal, word, death] of SHUTDOWN_SIGNALS) {
        it(`${who}: ${signal} runs the shutdown entries, stops everyone and requests ${word}`, async () => {
          await withInit(async (sb) => {
            sb.start(`::once:${BB} echo BOOTED\n::once:${BB} sleep 1000\n::shutdown:${BB} echo SHUTDOWN-RAN\n`, { busybox });
            await sb.waitFor("BOOTED");
            await sb.signal(signal);
            const st = await sb.waitExit(10_000);
            expectInOrder(sb, ["SHUTDOWN-RAN", ...SHUTDOWN_SEQUENCE, `Requesting system ${word}`]);
            expect(sb.count(/Requesting system/)).toBe(1);
            expect(st).toEqual({ code: null, signal: death });
            expectNoInternalErrors(sb);
          });
        }, TEST_TIMEOUT);
      }

      it(`${who}: SIGPWR ${busybox ? "halts" : "(differs: taken by JavaScriptCore) is survived, and init stays in charge"}`, async () => {
        await withInit(async (sb) => {
          sb.start(`::once:${BB} echo BOOTED\n::ctrlaltdel:${BB} echo CAD-RAN\n::shutdown:${BB} echo SHUTDOWN-RAN\n`, { busybox });
          await sb.waitFor("BOOTED");
          await sb.signal("SIGPWR");
          if (busybox) {
            expect(await sb.waitExit(10_000)).toEqual({ code: null, signal: "SIGINT" });
            expectInOrder(sb, ["SHUTDOWN-RAN", ...SHUTDOWN_SEQUENCE, "Requesting system halt"]);
            return;
          }
          await new Promise((r) => setTimeout(r, 300));
          await sb.signal("SIGINT");
          await sb.waitFor("CAD-RAN");
          expect(sb.output()).not.toContain("SHUTDOWN-RAN");
          await sb.signal("SIGUSR1");
          expect(await sb.waitExit(10_000)).toEqual({ code: null, signal: "SIGINT" });
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: SIGQUIT runs the shutdown entries, stops everyone and becomes the restart entry's command`, async () => {
        await withInit(async (sb) => {
          const daemon = sb.file("daemon.sh", `echo DAEMON-START\nexec ${BB} sleep 1001\n`);
          const restart = sb.file(
            "restart.sh",
            `echo "RESTARTED pid=$$"\n${BB} grep -E '^Sig(Ign|Blk)' /proc/self/status | ${BB} sed 's/^/RESTARTED-/'\nexec ${BB} sleep 1002\n`,
          );
          sb.start(`::respawn:${BB} sh ${daemon}\n::shutdown:${BB} echo SHUTDOWN-RAN\n::restart:${BB} sh ${restart}\n`, { busybox });
          await sb.waitFor("DAEMON-START");
          const init = await sb.initPid();
          await sb.signal("SIGQUIT");
          await sb.waitFor("RESTARTED pid=1");
          await sb.waitFor("RESTARTED-SigBlk");
          expectInOrder(sb, ["SHUTDOWN-RAN", ...SHUTDOWN_SEQUENCE, "RESTARTED pid=1"]);
          // Nothing inherited from the old init: no blocked or ignored signals.
          await sb.waitFor("RESTARTED-SigIgn");
          expect(sb.lines.filter((l) => l.text.startsWith("RESTARTED-Sig")).map((l) => l.text).sort()).toEqual([
            "RESTARTED-SigBlk:\t0000000000000000",
            "RESTARTED-SigIgn:\t0000000000000000",
          ]);
          // The namespace's PID 1 is now the restart command, and the daemon is gone for good.
          await sb.waitUntil(() => cmdline(init)?.join(" ") === `${BB} sleep 1002`, "PID 1 running sleep 1002");
          expect(sb.count("DAEMON-START")).toBe(1);
          expect(sb.output()).not.toContain("Requesting system");
          expect(sb.exitStatus).toBeUndefined();
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: SIGQUIT without a restart entry changes nothing`, async () => {
        await withInit(async (sb) => {
          sb.start(`::once:${BB} echo BOOTED\n::ctrlaltdel:${BB} echo CAD-RAN\n::shutdown:${BB} echo SHUTDOWN-RAN\n`, { busybox });
          await sb.waitFor("BOOTED");
          await sb.signal("SIGQUIT");
          // A moment in which a wrongly handled SIGQUIT would start the shutdown entries.
          await new Promise((r) => setTimeout(r, 300));
          await sb.signal("SIGINT");
          await sb.waitFor("CAD-RAN");
          expect(sb.output()).not.toMatch(/SHUTDOWN-RAN|going down/);
          await sb.signal("SIGUSR2");
          expect(await sb.waitExit(10_000)).toEqual({ code: null, signal: "SIGINT" });
          expectInOrder(sb, ["CAD-RAN", "SHUTDOWN-RAN", ...SHUTDOWN_SEQUENCE, "Requesting system poweroff"]);
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: SIGQUIT with a restart entry that cannot run halts`, async () => {
        await withInit(async (sb) => {
          sb.start(`::once:${BB} echo BOOTED\n::restart:/nonexistent/init\n`, { busybox });
          await sb.waitFor("BOOTED");
          await sb.signal("SIGQUIT");
          const st = await sb.waitExit(10_000);
          await sb.waitFor(/can't run '\/nonexistent\/init': /);
          expectInOrder(sb, [...SHUTDOWN_SEQUENCE, "can't run '/nonexistent/init'"]);
          expect(st).toEqual({ code: null, signal: "SIGINT" });
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);

      it(`${who}: SIGHUP re-reads the inittab: new respawn entries start, kept ones are not restarted, removed ones get SIGTERM and are not respawned`, async () => {
        await withInit(async (sb) => {
          const job = (name: string, n: number) => sb.file(`${name}.sh`, `echo ${name}-START\nexec ${BB} sleep ${n}\n`);
          const [keep, drop, added] = [job("KEEP", 1001), job("DROP", 1002), job("ADDED", 1003)];
          sb.start(`::respawn:${BB} sh ${keep}\n::respawn:${BB} sh ${drop}\n::shutdown:${BB} echo OLD-SHUTDOWN\n`, { busybox });
          await sb.waitFor("KEEP-START");
          await sb.waitFor("DROP-START");
          const init = await sb.initPid();
          const sleeper = (n: number) => childrenOf(init).find((p) => cmdline(p)?.join(" ") === `${BB} sleep ${n}`);
          const dropPid = sleeper(1002)!;
          expect(dropPid).toBeGreaterThan(0);
          // busybox reads /etc/inittab only: its copy is in the sandbox's /etc, seen through /proc/PID/root.
          const tab = busybox ? `/proc/${init}/root/etc/inittab` : `${sb.dir}/inittab`;
          fs.writeFileSync(tab, `::respawn:${BB} sh ${keep}\n::respawn:${BB} sh ${added}\n::shutdown:${BB} echo NEW-SHUTDOWN\n`);
          await sb.signal("SIGHUP");
          await sb.waitFor("ADDED-START");
          // The removed entry's process gets SIGTERM, and is not respawned.
          await sb.waitUntil(() => cmdline(dropPid) === undefined, "the removed entry's process to end");
          // A kept entry is still respawned: its restart shows that the dropped one had time to come back.
          process.kill(sleeper(1001)!, "SIGKILL");
          await sb.waitUntil(() => sb.count("KEEP-START") === 2, "KEEP respawned");
          await new Promise((r) => setTimeout(r, 1500));
          expect(sb.count("DROP-START")).toBe(1);
          expect(sb.count("ADDED-START")).toBe(1);
          await sb.signal("SIGUSR2");
          await sb.waitExit(10_000);
          expect(sb.output()).toContain("NEW-SHUTDOWN");
          expect(sb.output()).not.toContain("OLD-SHUTDOWN");
          expectNoInternalErrors(sb);
        });
      }, TEST_TIMEOUT);
    }

    it("shutdown order: shutdown entries, TERM, a bounded wait, KILL for a survivor, then unmounts newest first", async () => {
      await withInit(async (sb) => {
        // Three tmpfs mounts made inside the sandbox's mount namespace: outer, outer/inner
        // (on top of outer, so it must go first), then late.
        const [outer, inner, late] = [`${sb.dir}/outer`, `${sb.dir}/outer/inner`, `${sb.dir}/late`];
        const mounts = sb.file(
          "mounts.sh",
          `${BB} mkdir -p ${outer} ${late}\n${BB} mount -t tmpfs t1 ${outer}\n${BB} mkdir ${inner}\n${BB} mount -t tmpfs t2 ${inner}\n${BB} mount -t tmpfs t3 ${late}\necho MOUNTED\n`,
        );
        const polite = sb.file("polite.sh", `trap 'echo GOT-TERM; exit 0' TERM\necho POLITE-READY\nwhile :; do ${BB} sleep 0.1; done\n`);
        const stubborn = sb.file("stubborn.sh", `trap '' TERM\nwhile :; do echo BEAT; ${BB} sleep 0.1; done\n`);
        sb.start(
          `::sysinit:${BB} sh ${mounts}
::once:${BB} sh ${polite}
::once:${BB} sh ${stubborn}
::shutdown:${BB} sh -c "${BB} sleep 0.2; echo SHUTDOWN-1"
::shutdown:${BB} echo SHUTDOWN-2
`,
          { env: { PIKA_INIT_VERBOSE: "1" } },
        );
        await sb.waitFor("MOUNTED");
        await sb.waitFor("POLITE-READY");
        await sb.waitFor("BEAT");
        await sb.signal("SIGUSR2");
        const st = await sb.waitExit(15_000);
        expectInOrder(sb, [
          "SHUTDOWN-1",
          "SHUTDOWN-2",
          "The system is going down NOW!",
          "Sent SIGTERM to all processes",
          "Sent SIGKILL to all processes",
          `init: unmounted ${late}`,
          `init: unmounted ${inner}`,
          `init: unmounted ${outer}`,
          "Requesting system poweroff",
        ]);
        // The TERM reached the polite process (its answer may come before init's message).
        const term = sb.indexOf("Sent SIGTERM to all processes");
        const kill = sb.indexOf("Sent SIGKILL to all processes");
        expect(sb.indexOf("GOT-TERM")).toBeGreaterThan(sb.indexOf("The system is going down NOW!"));
        expect(sb.indexOf("GOT-TERM")).toBeLessThan(kill);
        // The survivor kept beating through the TERM grace, and stopped at the KILL.
        expect(sb.lines.slice(term, kill).filter((l) => l.text === "BEAT").length).toBeGreaterThanOrEqual(5);
        expect(sb.lines.slice(kill).filter((l) => l.text === "BEAT").length).toBeLessThanOrEqual(1);
        // Bounded: about two seconds of grace, not until the survivor gives up (it never does).
        expect(sb.lines[kill].at - sb.lines[term].at).toBeGreaterThan(1500);
        expect(sb.lines[kill].at - sb.lines[term].at).toBeLessThan(8000);
        // Each mount was unmounted, none left to a lazy detach.
        for (const m of [outer, inner, late]) expect(sb.lines.filter((l) => l.text === `init: unmounted ${m}`).length).toBe(1);
        expect(sb.output()).not.toMatch(/init: (detached|remounted|can't unmount) .*pika-init-/);
        expect(st).toEqual({ code: null, signal: "SIGINT" });
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    it("a process ignoring SIGTERM is killed by SIGKILL and shutdown still completes", async () => {
      await withInit(async (sb) => {
        // A heartbeat every 0.1 s shows when the process is alive: beats after
        // "Sent SIGTERM" prove it ignored the TERM; none after "Sent SIGKILL"
        // prove the KILL (init waits up to 1 s for everyone to be gone before
        // reboot(2), so a survivor would keep beating in that second).
        const stubborn = sb.file("stubborn.sh", `trap '' TERM\nwhile :; do echo BEAT; ${BB} sleep 0.1; done\n`);
        sb.start(`::once:${BB} sh ${stubborn}\n`);
        await sb.waitFor("BEAT");
        const t0 = performance.now();
        await sb.signal("SIGUSR2");
        const st = await sb.waitExit(15_000);
        const elapsed = sb.exitedAt! - t0;
        expectInOrder(sb, [...SHUTDOWN_SEQUENCE, "Requesting system poweroff"]);
        const term = sb.indexOf("Sent SIGTERM to all processes");
        const kill = sb.indexOf("Sent SIGKILL to all processes");
        const beatsAfterTerm = sb.lines.slice(term, kill).filter((l) => l.text === "BEAT").length;
        const beatsAfterKill = sb.lines.slice(kill).filter((l) => l.text === "BEAT").length;
        expect(beatsAfterTerm).toBeGreaterThanOrEqual(5);
        // One beat may race the "Sent SIGKILL" message itself.
        expect(beatsAfterKill).toBeLessThanOrEqual(1);
        expect(st).toEqual({ code: null, signal: "SIGINT" });
        // 2 s of TERM grace, then the KILL: well within a few seconds.
        expect(elapsed).toBeGreaterThan(1500);
        expect(elapsed).toBeLessThan(8000);
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    it("a shutdown signal during sysinit stops the boot: later entries never start", async () => {
      await withInit(async (sb) => {
        // The sysinit entry takes a moment to die of SIGTERM, so the rest of the
        // boot would have time to start before the SIGKILL if init let it.
        const slow = sb.file("slow.sh", `trap '${BB} sleep 0.3; exit 0' TERM\necho SYSINIT-RUNNING\n${BB} sleep 1000 &\nwait\n`);
        sb.start(`::sysinit:${BB} sh ${slow}
::sysinit:${BB} echo LATE-SYSINIT
::wait:${BB} echo LATE-WAIT
::once:${BB} echo LATE-ONCE
::respawn:${BB} echo LATE-RESPAWN
::shutdown:${BB} echo SHUTDOWN-RAN
`);
        await sb.waitFor("SYSINIT-RUNNING");
        await sb.signal("SIGUSR2");
        const st = await sb.waitExit(10_000);
        expectInOrder(sb, ["SHUTDOWN-RAN", "The system is going down NOW!", "Sent SIGTERM to all processes", "Sent SIGKILL to all processes", "Requesting system poweroff"]);
        expect(sb.output()).not.toMatch(/LATE-/);
        expect(st).toEqual({ code: null, signal: "SIGINT" });
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);

    it("SIGINT (Ctrl-Alt-Del) runs the ctrlaltdel entries and init carries on", async () => {
      await withInit(async (sb) => {
        sb.start(`::once:${BB} echo BOOTED\n::ctrlaltdel:${BB} echo CAD-RAN\n`);
        await sb.waitFor("BOOTED");
        await sb.signal("SIGINT");
        await sb.waitFor("CAD-RAN");
        expect(sb.output()).not.toContain("going down");
        await sb.signal("SIGUSR2");
        const st = await sb.waitExit(10_000);
        expectInOrder(sb, ["CAD-RAN", ...SHUTDOWN_SEQUENCE, "Requesting system poweroff"]);
        expect(sb.count("CAD-RAN")).toBe(1);
        expect(st).toEqual({ code: null, signal: "SIGINT" });
        expectNoInternalErrors(sb);
      });
    }, TEST_TIMEOUT);
  });

  describe("not PID 1", () => {
    // PIKA_INIT_SANDBOX and an empty inittab keep the host safe should the check ever fail.
    const env = { PATH: "/usr/bin:/bin", PIKA_INIT_SANDBOX: "1", PIKA_INITTAB: "/dev/null" };

    it("refuses to run on the host", () => {
      const r = spawnSync(INIT_BIN, ["init"], { env, encoding: "utf8", timeout: 10_000, killSignal: "SIGKILL" });
      expect(r.stderr).toBe("init: must be run as PID 1\n");
      expect(r.stdout).toBe("");
      expect(r.status).toBe(1);
    });

    it("refuses to run as PID 2 of a pid namespace", () => {
      const r = spawnSync(UNSHARE[0], [...UNSHARE.slice(1), BB, "sh", "-c", `echo "sh is PID $$"; ${INIT_BIN} init; echo "status $?"`], {
        env,
        encoding: "utf8",
        timeout: 10_000,
        killSignal: "SIGKILL",
      });
      expect(r.stdout).toBe("sh is PID 1\nstatus 1\n");
      expect(r.stderr).toBe("init: must be run as PID 1\n");
      expect(r.status).toBe(0);
    });
  });
});
