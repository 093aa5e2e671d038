// BusyBox-format /etc/inittab: "id:runlevels:action:process", one per line.
// The id field names the tty the process runs on; runlevels are ignored, as
// BusyBox ignores them.

export const ACTIONS = ["sysinit", "wait", "once", "respawn", "askfirst", "ctrlaltdel", "shutdown", "restart"] as const;
export type Action = (typeof ACTIONS)[number];

export interface InittabEntry {
  /** Terminal under /dev, or "" for the console. */
  tty: string;
  action: Action;
  /** The command as written (a leading "-" asks for a login shell). */
  command: string;
  line: number;
}

export interface Inittab {
  entries: InittabEntry[];
  /** Lines that could not be understood, with why, to show on the console. */
  problems: string[];
}

export function parseInittab(text: string): Inittab {
  const entries: InittabEntry[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const fields = line.split(":");
    if (fields.length < 4) {
      problems.push(`line ${i + 1}: expected id:runlevels:action:process: '${line}'`);
      return;
    }
    const [id, , action, ...rest] = fields;
    const command = rest.join(":").trim();
    if (!(ACTIONS as readonly string[]).includes(action)) {
      problems.push(`line ${i + 1}: unknown action '${action}'`);
      return;
    }
    if (!command) {
      problems.push(`line ${i + 1}: no process to run`);
      return;
    }
    entries.push({ tty: id.replace(/^\/dev\//, ""), action: action as Action, command, line: i + 1 });
  });
  return { entries, problems };
}

/** What BusyBox init runs when there is no /etc/inittab. */
export const DEFAULT_INITTAB = `
::sysinit:/etc/init.d/rcS
::askfirst:-/bin/sh
tty2::askfirst:-/bin/sh
tty3::askfirst:-/bin/sh
tty4::askfirst:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
::restart:/sbin/init
`;

// Characters that make BusyBox hand a command to /bin/sh instead of splitting it.
const SHELL_CHARS = /[~`!$^&*()=|\\{}[\];"'<>?]/;

export interface CommandLine {
  /** argv to execute; argv[0] is the program path. */
  argv: string[];
  /** argv[0] as the program should see it ("-sh" for a login shell). */
  argv0: string;
}

/** How BusyBox init turns an inittab process field into an exec. */
export function commandLine(command: string): CommandLine {
  const login = command.startsWith("-");
  const cmd = login ? command.slice(1) : command;
  if (SHELL_CHARS.test(cmd)) {
    return { argv: ["/bin/sh", "-c", `exec ${cmd}`], argv0: login ? "-sh" : "sh" };
  }
  const argv = cmd.split(/[ \t]+/).filter(Boolean);
  const base = argv[0].slice(argv[0].lastIndexOf("/") + 1);
  return { argv, argv0: login ? `-${base}` : argv[0] };
}
