import { describe, expect, it } from "vitest";
import { commandLine, parseInittab } from "../../init/inittab.ts";

describe("inittab", () => {
  it("parses BusyBox lines, keeping tty and order", () => {
    const t = parseInittab(`
# comment
::sysinit:/etc/init.d/rcS
ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100
/dev/tty2::askfirst:-/bin/sh
::shutdown:/bin/umount -a -r
`);
    expect(t.problems).toEqual([]);
    expect(t.entries.map((e) => [e.tty, e.action, e.command])).toEqual([
      ["", "sysinit", "/etc/init.d/rcS"],
      ["ttyS0", "respawn", "/sbin/getty -L 115200 ttyS0 vt100"],
      ["tty2", "askfirst", "-/bin/sh"],
      ["", "shutdown", "/bin/umount -a -r"],
    ]);
  });

  it("reports garbage and unknown actions with line numbers, keeping the rest", () => {
    const t = parseInittab("garbage\n::explode:/bin/true\n::once:\n::once:/bin/true\n");
    expect(t.problems).toEqual([
      "line 1: expected id:runlevels:action:process: 'garbage'",
      "line 2: unknown action 'explode'",
      "line 3: no process to run",
    ]);
    expect(t.entries).toHaveLength(1);
  });

  it("keeps colons inside the process field", () => {
    expect(parseInittab("::once:/bin/echo a:b\n").entries[0].command).toBe("/bin/echo a:b");
  });

  it("splits plain commands and hands shell syntax to /bin/sh", () => {
    expect(commandLine("/bin/echo  a\tb")).toEqual({ argv: ["/bin/echo", "a", "b"], argv0: "/bin/echo" });
    expect(commandLine("-/bin/sh")).toEqual({ argv: ["/bin/sh"], argv0: "-sh" });
    expect(commandLine("/bin/echo $HOME > /tmp/x")).toEqual({
      argv: ["/bin/sh", "-c", "exec /bin/echo $HOME > /tmp/x"],
      argv0: "sh",
    });
  });
});
