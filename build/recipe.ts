// Image recipes: a YAML file that says what to build (board, outputs, users,
// services, files...). Parsed with `yaml`'s Document API so that every error can
// name the line it comes from: `FILE:LINE: FIELD: message` (lib/yamlschema.ts). The
// declarative schema below is both the validator and the list of what a recipe may contain.
import * as fs from "node:fs";
import * as path from "node:path";
import { finish, list, parseChecked, str, YamlError, type Spec, type YamlIssue } from "../lib/yamlschema.ts";

export const BOARDS = ["x86_64", "rpi3", "rpi4", "rpi-zero2w", "qemu-aarch64"] as const;
export const OUTPUTS = ["initramfs", "disk", "sdcard", "oci"] as const;
export const ROOT_MODES = ["ram", "squashfs"] as const;
export type Board = (typeof BOARDS)[number];
export type Output = (typeof OUTPUTS)[number];
export type RootMode = (typeof ROOT_MODES)[number];

export interface RecipeUser {
  name: string;
  uid?: number;
  gid?: number;
  groups: string[];
  /** A crypt(3) hash ($6$ SHA-512 or $5$ SHA-256); no hash means password login is locked. */
  password?: string;
  sshKeys: string[];
  shell: string;
  home?: string;
}

export interface RecipeFile {
  path: string;
  /** Inline text, or `source` (relative to the recipe) for a file on the build machine. */
  content?: string;
  source?: string;
  mode?: number;
  uid: number;
  gid: number;
}

export interface Recipe {
  /** The recipe file, and its name without .yaml (names the outputs). */
  file: string;
  name: string;
  board: Board;
  outputs: Output[];
  hostname: string;
  timezone?: string;
  kernel: { cmdline: string[]; modules: string[] };
  root: { mode: RootMode; dataSizeMiB: number };
  users: RecipeUser[];
  groups: { name: string; gid?: number; members: string[] }[];
  services: Record<string, string[]>;
  files: RecipeFile[];
  /** Directories (absolute, resolved against the recipe) copied over the root filesystem. */
  overlays: string[];
  sysctl: Record<string, string>;
}

// ------------------------------------------------------------------ schema

const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const HASH = /^\$(5|6)\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}$/;
const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S.*)?$/;
const ABS_PATH = /^\/[^\0]*$/;
const MODE = /^0?[0-7]{3,4}$/;

const SCHEMA: Spec = {
  kind: "object",
  required: ["board", "outputs"],
  fields: {
    board: { kind: "enum", values: BOARDS },
    outputs: list({ kind: "enum", values: OUTPUTS }),
    hostname: str(/^(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, "a host name (letters, digits, '-', '.')"),
    timezone: str(/^(UTC|[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*)$/, "a zone name such as Europe/Paris or UTC"),
    kernel: {
      kind: "object",
      fields: {
        cmdline: str(/^[^\n]*$/, "one line of kernel parameters"),
        modules: list(str(/^[A-Za-z0-9_-]+$/, "a module name such as virtio_net")),
      },
    },
    root: {
      kind: "object",
      required: ["mode"],
      fields: {
        mode: { kind: "enum", values: ROOT_MODES },
        data_size: str(/^[1-9]\d*[MG]$/, "a size such as 64M or 1G"),
      },
    },
    users: list({
      kind: "object",
      required: ["name"],
      fields: {
        name: str(NAME, "a user name (lower case letters, digits, '_', '-')"),
        uid: { kind: "int", min: 0, max: 65534 },
        gid: { kind: "int", min: 0, max: 65534 },
        groups: list(str(NAME, "a group name")),
        password: str(HASH, "a crypt hash starting with $6$ (SHA-512) or $5$ (SHA-256), e.g. from `mkpasswd -m sha-512`"),
        ssh_keys: list(str(SSH_KEY, "an OpenSSH public key line (ssh-ed25519 AAAA... comment)")),
        shell: str(ABS_PATH, "an absolute path"),
        home: str(ABS_PATH, "an absolute path"),
      },
    }),
    groups: list({
      kind: "object",
      required: ["name"],
      fields: {
        name: str(NAME, "a group name"),
        gid: { kind: "int", min: 0, max: 65534 },
        members: list(str(NAME, "a user name")),
      },
    }),
    services: {
      kind: "map",
      key: /^(sysinit|boot|default|shutdown|nonetwork)$/,
      keyHint: "a runlevel: sysinit, boot, default, shutdown or nonetwork",
      value: list(str(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a service name")),
    },
    files: list({
      kind: "object",
      required: ["path"],
      fields: {
        path: str(ABS_PATH, "an absolute path in the image"),
        content: str(),
        source: str(/./, "a path relative to the recipe"),
        mode: str(MODE, 'an octal mode in quotes, such as "0644"'),
        uid: { kind: "int", min: 0, max: 65534 },
        gid: { kind: "int", min: 0, max: 65534 },
      },
    }),
    overlays: list(str(/./, "a directory relative to the recipe")),
    sysctl: { kind: "map", key: /^[a-z0-9_]+(\.[A-Za-z0-9_*-]+)+$/, keyHint: "a sysctl key such as net.ipv4.ip_forward", value: { kind: "scalar" } },
  },
};

// ------------------------------------------------------------------ errors

export type RecipeIssue = YamlIssue;
/** A recipe's problems, each as `FILE:LINE: FIELD: message`. */
export { YamlError as RecipeError };

// ------------------------------------------------------------------ loading

/** Parses and validates recipe text; throws a RecipeError listing every problem. */
export function parseRecipe(text: string, file: string): Recipe {
  const checked = parseChecked(text, file, SCHEMA, "(recipe)");
  const { checker: c, at } = checked;
  const raw = checked.raw!;

  // Rules that span fields, reported at the line of the field they are about.
  const board = raw.board as Board;
  const outputs = [...new Set(raw.outputs as Output[])];
  const isPi = board.startsWith("rpi");
  if (!outputs.length) c.fail(at(["outputs"]), "outputs", "list at least one output");
  outputs.forEach((o, i) => {
    if (o === "sdcard" && !isPi) c.fail(at(["outputs", i]), `outputs[${i}]`, `sdcard is for Raspberry Pi boards, not ${board}`);
    if (o === "disk" && board !== "x86_64" && board !== "qemu-aarch64") {
      c.fail(at(["outputs", i]), `outputs[${i}]`, `disk is for the x86_64 and qemu-aarch64 boards, not ${board} (use sdcard on a Pi)`);
    }
  });
  const mode = (raw.root?.mode ?? "ram") as RootMode;
  if (mode === "squashfs" && !outputs.includes("disk") && !outputs.includes("sdcard")) {
    c.fail(at(["root", "mode"]), "root.mode", "squashfs needs a disk or sdcard output (its partitions live on the disk image or SD card)");
  }
  if (raw.root?.data_size && mode !== "squashfs") c.fail(at(["root", "data_size"]), "root.data_size", "only a squashfs root has a data partition");
  const users = (raw.users ?? []) as Record<string, any>[];
  const seen = new Set<string>();
  users.forEach((u, i) => {
    if (seen.has(u.name)) c.fail(at(["users", i, "name"]), `users[${i}].name`, `user "${u.name}" is listed twice`);
    seen.add(u.name);
  });
  const files = (raw.files ?? []) as Record<string, any>[];
  files.forEach((f, i) => {
    if ((f.content === undefined) === (f.source === undefined)) c.fail(at(["files", i]), `files[${i}]`, "give exactly one of content or source");
  });
  const dir = path.dirname(path.resolve(file));
  files.forEach((f, i) => {
    if (f.source !== undefined && !fs.existsSync(path.resolve(dir, f.source))) c.fail(at(["files", i, "source"]), `files[${i}].source`, `${f.source}: no such file`);
  });
  const overlays = ((raw.overlays ?? []) as string[]).map((o) => path.resolve(dir, o));
  overlays.forEach((o, i) => {
    if (!fs.existsSync(o) || !fs.statSync(o).isDirectory()) c.fail(at(["overlays", i]), `overlays[${i}]`, `${raw.overlays[i]}: no such directory`);
  });
  finish(checked, file);

  return {
    file,
    name: path.basename(file).replace(/\.ya?ml$/, ""),
    board,
    outputs,
    hostname: raw.hostname ?? "pika",
    timezone: raw.timezone,
    kernel: { cmdline: (raw.kernel?.cmdline ?? "").split(/\s+/).filter(Boolean), modules: raw.kernel?.modules ?? [] },
    root: { mode, dataSizeMiB: sizeMiB(raw.root?.data_size ?? "64M") },
    users: users.map((u) => ({
      name: u.name, uid: u.uid, gid: u.gid, groups: u.groups ?? [], password: u.password,
      sshKeys: u.ssh_keys ?? [], shell: u.shell ?? "/bin/sh", home: u.home,
    })),
    groups: ((raw.groups ?? []) as Record<string, any>[]).map((g) => ({ name: g.name, gid: g.gid, members: g.members ?? [] })),
    services: raw.services ?? {},
    files: files.map((f) => ({
      path: f.path, content: f.content, source: f.source === undefined ? undefined : path.resolve(dir, f.source),
      mode: f.mode === undefined ? undefined : parseInt(f.mode, 8), uid: f.uid ?? 0, gid: f.gid ?? 0,
    })),
    overlays,
    sysctl: raw.sysctl ?? {},
  };
}

function sizeMiB(s: string): number {
  const n = parseInt(s, 10);
  return s.endsWith("G") ? n * 1024 : n;
}

export function loadRecipe(file: string): Recipe {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read recipe: ${(e as Error).message}`);
  }
  return parseRecipe(text, file);
}

/** The CPU architecture a board runs. */
export function boardArch(board: Board): "x86_64" | "aarch64" {
  return board === "x86_64" ? "x86_64" : "aarch64";
}
