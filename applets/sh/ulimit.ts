// ulimit, as BusyBox's shell_builtin_ulimit: the same options, table and
// messages. The limits belong to the shell context, as they would to a
// forked shell process: a subshell's ulimit stays in the subshell. They are
// never put on the shell's own process (Bun's address space and stack would
// not survive the limits one gives a program): every program the context
// starts gets them through pika's exec trampoline (lib/multicall.ts), and
// `exec` sets them before execve.
import * as fs from "node:fs";
import { describeErrno } from "../../lib/errors.ts";
import { getrlimit, RLIM_INFINITY, RLIMIT, type Rlimit } from "../../lib/syscalls.ts";
import type { Shell } from "./state.ts";

interface Limit {
  letter: string;
  resource: number;
  /** What a unit of the value is, as a shift: blocks (512 bytes) 9, kb 10. */
  shift: bigint;
  label: string;
}

const LIMITS: Limit[] = [
  ["c", RLIMIT.CORE, 9, "core file size (blocks)"],
  ["d", RLIMIT.DATA, 10, "data seg size (kb)"],
  ["e", RLIMIT.NICE, 0, "scheduling priority"],
  ["f", RLIMIT.FSIZE, 9, "file size (blocks)"],
  ["i", RLIMIT.SIGPENDING, 0, "pending signals"],
  ["l", RLIMIT.MEMLOCK, 10, "max locked memory (kb)"],
  ["m", RLIMIT.RSS, 10, "max memory size (kb)"],
  ["n", RLIMIT.NOFILE, 0, "open files"],
  ["q", RLIMIT.MSGQUEUE, 0, "POSIX message queues (bytes)"],
  ["r", RLIMIT.RTPRIO, 0, "real-time priority"],
  ["s", RLIMIT.STACK, 10, "stack size (kb)"],
  ["t", RLIMIT.CPU, 0, "cpu time (seconds)"],
  ["u", RLIMIT.NPROC, 0, "max user processes"],
  ["v", RLIMIT.AS, 10, "virtual memory (kb)"],
  ["x", RLIMIT.LOCKS, 0, "file locks"],
].map(([letter, resource, shift, label]) => ({ letter, resource, shift: BigInt(shift), label }) as Limit);

const MASK = (1n << 64n) - 1n;

/** A context's limit: its own setting, or the process's. */
export function currentLimit(sh: Shell, resource: number): Rlimit {
  return sh.limits?.get(resource) ?? getrlimit(resource);
}

/** The limits a context set, for the trampoline: [resource, soft, hard] with the numbers as text. */
export function limitArgs(sh: Shell): [number, string, string][] {
  return [...(sh.limits ?? [])].map(([r, l]) => [r, String(l.soft), String(l.hard)]);
}

/**
 * What setrlimit(2) would say to this change, without making it (lowering a
 * hard limit cannot be undone): EINVAL for soft above hard, EPERM for a hard
 * limit raised without privilege or past fs.nr_open.
 */
function refusal(resource: number, old: Rlimit, next: Rlimit): string | undefined {
  if (next.soft > next.hard) return "EINVAL";
  if (next.hard > old.hard && !mayRaiseHardLimits()) return "EPERM";
  if (resource === RLIMIT.NOFILE) {
    let nrOpen = 1n << 20n;
    try {
      nrOpen = BigInt(fs.readFileSync("/proc/sys/fs/nr_open", "latin1").trim());
    } catch {}
    if (next.hard > nrOpen || next.soft > nrOpen) return "EPERM";
  }
  return undefined;
}

/** CAP_SYS_RESOURCE (bit 24) among our effective capabilities: root in a container may lack it. */
function mayRaiseHardLimits(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync("/proc/self/status", "latin1"));
    return m !== null && ((BigInt("0x" + m[1]) >> 24n) & 1n) === 1n;
  } catch {
    return process.getuid?.() === 0;
  }
}

interface Token {
  /** A limit's letter, "H", "S", "a", or "f" for a bare operand. */
  c: string;
  value?: string;
  bad?: boolean;
}

/**
 * getopt(3) over "-HSac::d::...": clustered flags, a limit's value attached
 * (-n5); `lookahead` (ash's second pass) also takes the next word as the
 * value when it does not start with "-". A bare word stands for -f WORD.
 */
function tokens(args: string[], lookahead: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    if (a[0] !== "-" || a === "-") {
      out.push({ c: "f", value: a });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if ("HSa".includes(c)) {
        out.push({ c });
        continue;
      }
      if (!LIMITS.some((l) => l.letter === c)) {
        out.push({ c, bad: true });
        continue;
      }
      let value: string | undefined = a.slice(j + 1) || undefined;
      if (value === undefined && lookahead && args[i + 1] !== undefined && args[i + 1][0] !== "-") value = args[++i];
      out.push({ c, value });
      break;
    }
  }
  return out;
}

function show(l: Limit, limit: Rlimit, soft: boolean): string {
  const v = soft ? limit.soft : limit.hard;
  return v === RLIM_INFINITY ? "unlimited" : String(v >> l.shift);
}

export async function ulimit(sh: Shell, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  const name = sh.g.shellName;
  let hard = false, soft = false, all = false, count = 0;
  for (const t of tokens(args, false)) {
    if (t.bad) {
      await sh.write(2, `ulimit: invalid option -- '${t.c}'\n`);
      return 1;
    }
    if (t.c === "H") hard = true;
    else if (t.c === "S") soft = true;
    else if (t.c === "a") all = true;
    else count++;
  }
  // Neither -H nor -S: both are set, and the soft limit is shown.
  if (!hard && !soft) hard = soft = true;
  const label = (l: Limit) => `${l.label.padEnd(32)}(-${l.letter}) `;
  if (all) {
    await sh.out(LIMITS.map((l) => label(l) + show(l, currentLimit(sh, l.resource), soft) + "\n").join(""));
    return 0;
  }
  let out = "";
  for (const t of tokens(args, true)) {
    const l = LIMITS.find((x) => x.letter === t.c);
    if (!l) continue;
    const old = currentLimit(sh, l.resource);
    if (t.value === undefined) {
      out += (count > 1 ? label(l) : "") + show(l, old, soft) + "\n";
      continue;
    }
    let value = RLIM_INFINITY;
    if (t.value !== "unlimited") {
      if (!/^\d+$/.test(t.value) || BigInt(t.value) > MASK) {
        await sh.out(out);
        await sh.write(2, `${name}: invalid number '${t.value}'\n`);
        return 1;
      }
      value = (BigInt(t.value) << l.shift) & MASK;
    }
    const next = { soft: soft ? value : old.soft, hard: hard ? value : old.hard };
    const why = refusal(l.resource, old, next);
    if (why) {
      await sh.out(out);
      await sh.write(2, `${name}: error setting limit: ${describeErrno(why)}\n`);
      return 1;
    }
    sh.limits = new Map(sh.limits);
    sh.limits.set(l.resource, next);
  }
  if (count === 0) {
    const f = LIMITS.find((l) => l.letter === "f")!;
    out += show(f, currentLimit(sh, f.resource), soft) + "\n";
  }
  await sh.out(out);
  return 0;
}
