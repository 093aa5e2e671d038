// YAML files checked against a small declarative schema (image recipes,
// native service files): parsed with `yaml`'s Document API so that every
// problem names its line, reported as `FILE:LINE: FIELD: message`, all of
// them at once rather than the first only.
import type * as Yaml from "yaml";

type Document = Yaml.Document;
type Node = Yaml.Node;
let loaded: typeof Yaml | undefined;
/** `yaml`, loaded on first use: the service tools import this module and mostly start without needing it. */
function Y(): typeof Yaml {
  return (loaded ??= require("yaml") as typeof Yaml);
}

export type Spec =
  | { kind: "string"; pattern?: RegExp; hint?: string }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "bool" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "scalar" } // string, number or boolean, kept as text (sysctl values, environment)
  | { kind: "list"; of: Spec }
  | { kind: "map"; key: RegExp; keyHint: string; value: Spec }
  | { kind: "object"; fields: Record<string, Spec>; required?: string[] }
  /** The first spec whose shape (scalar, list, mapping) fits the node; `hint` names them all. */
  | { kind: "either"; of: Spec[]; hint: string };

export const str = (pattern?: RegExp, hint?: string): Spec => ({ kind: "string", pattern, hint });
export const list = (of: Spec): Spec => ({ kind: "list", of });

export interface YamlIssue {
  line: number;
  field: string;
  message: string;
}

export class YamlError extends Error {
  constructor(readonly file: string, readonly issues: YamlIssue[]) {
    super(issues.map((i) => `${file}:${i.line}: ${i.field}: ${i.message}`).join("\n"));
  }
}

const typeName = (n: unknown): string => {
  if (Y().isMap(n)) return "a mapping";
  if (Y().isSeq(n)) return "a list";
  if (Y().isScalar(n)) {
    const v = n.value;
    return v === null ? "empty" : typeof v === "string" ? `the string "${v}"` : `${typeof v} ${String(v)}`;
  }
  return "something else";
};

/** Does the node have the shape (scalar, list, mapping) a spec wants? */
function shapeFits(node: unknown, spec: Spec): boolean {
  if (spec.kind === "list") return Y().isSeq(node);
  if (spec.kind === "map" || spec.kind === "object") return Y().isMap(node);
  if (spec.kind === "either") return spec.of.some((s) => shapeFits(node, s));
  return Y().isScalar(node);
}

/** Walks the YAML tree against the schema, collecting issues (never stopping at the first). */
export class Checker {
  issues: YamlIssue[] = [];
  constructor(private readonly lines: Yaml.LineCounter, private readonly topName: string) {}

  line(node: unknown): number {
    const range = (node as Node | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  fail(node: unknown, field: string, message: string): void {
    this.issues.push({ line: this.line(node), field: field || this.topName, message });
  }

  check(node: unknown, spec: Spec, field: string): unknown {
    switch (spec.kind) {
      case "string": {
        if (!Y().isScalar(node) || typeof node.value !== "string") return this.fail(node, field, `expected a string, got ${typeName(node)}`);
        if (spec.pattern && !spec.pattern.test(node.value)) return this.fail(node, field, `"${node.value}" is not ${spec.hint ?? "valid"}`);
        return node.value;
      }
      case "int": {
        const v = Y().isScalar(node) ? node.value : undefined;
        if (typeof v !== "number" || !Number.isInteger(v)) return this.fail(node, field, `expected an integer, got ${typeName(node)}`);
        if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
          return this.fail(node, field, `${v} is out of range (${spec.min ?? ""}..${spec.max ?? ""})`);
        }
        return v;
      }
      case "bool": {
        const v = Y().isScalar(node) ? node.value : undefined;
        if (typeof v !== "boolean") return this.fail(node, field, `expected true or false, got ${typeName(node)}`);
        return v;
      }
      case "enum": {
        const v = Y().isScalar(node) ? node.value : undefined;
        if (typeof v !== "string" || !spec.values.includes(v)) {
          return this.fail(node, field, `${typeName(node)} is not one of ${spec.values.join(", ")}`);
        }
        return v;
      }
      case "scalar": {
        const v = Y().isScalar(node) ? node.value : undefined;
        if (!["string", "number", "boolean"].includes(typeof v)) return this.fail(node, field, `expected a value, got ${typeName(node)}`);
        return typeof v === "boolean" ? (v ? "1" : "0") : String(v);
      }
      case "either": {
        const fit = spec.of.find((s) => shapeFits(node, s));
        if (!fit) return this.fail(node, field, `expected ${spec.hint}, got ${typeName(node)}`);
        return this.check(node, fit, field);
      }
      case "list": {
        if (!Y().isSeq(node)) return this.fail(node, field, `expected a list, got ${typeName(node)}`);
        return node.items.map((item, i) => this.check(item, spec.of, `${field}[${i}]`));
      }
      case "map":
      case "object": {
        if (!Y().isMap(node)) return this.fail(node, field, `expected a mapping, got ${typeName(node)}`);
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          const key = Y().isScalar(pair.key) ? String(pair.key.value) : "";
          const sub = field ? `${field}.${key}` : key;
          if (spec.kind === "map") {
            if (!spec.key.test(key)) { this.fail(pair.key, sub, `"${key}" is not ${spec.keyHint}`); continue; }
            out[key] = this.check(pair.value, spec.value, sub);
          } else {
            const f = spec.fields[key];
            if (!f) { this.fail(pair.key, sub, `unknown field (known: ${Object.keys(spec.fields).join(", ")})`); continue; }
            out[key] = this.check(pair.value, f, sub);
          }
        }
        if (spec.kind === "object") {
          for (const r of spec.required ?? []) {
            if (!node.items.some((p) => Y().isScalar(p.key) && p.key.value === r)) this.fail(node, field ? `${field}.${r}` : r, "missing required field");
          }
        }
        return out;
      }
    }
  }
}

export interface Checked {
  /** The plain values, shaped by the schema (undefined where the top is not what the schema wants). */
  raw: Record<string, any> | undefined;
  doc: Document;
  checker: Checker;
  /** The node at a path, for reporting rules that span fields at the right line. */
  at(keys: (string | number)[]): unknown;
  /** The key of the field at a path (a mapping's value starts on the line after its key). */
  keyAt(keys: (string | number)[]): unknown;
}

/**
 * Parse YAML text and check it against `schema`. Throws a YamlError for
 * syntax errors or schema problems; rules the schema cannot say are the
 * caller's, through `checker.fail` and `finish`.
 */
export function parseChecked(text: string, file: string, schema: Spec, topName: string): Checked {
  const lines = new (Y().LineCounter)();
  const doc = Y().parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const issues: YamlIssue[] = doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, field: "(yaml)", message: e.message.split("\n")[0] }));
  if (issues.length) throw new YamlError(file, issues);
  const checker = new Checker(lines, topName);
  const raw = checker.check(doc.contents ?? undefined, schema, "") as Record<string, any> | undefined;
  if (!raw || checker.issues.length) throw new YamlError(file, checker.issues);
  const at = (keys: (string | number)[]) => doc.getIn(keys, true);
  const keyAt = (keys: (string | number)[]) => {
    const parent = keys.length > 1 ? at(keys.slice(0, -1)) : doc.contents;
    const pair = Y().isMap(parent) ? parent.items.find((p) => Y().isScalar(p.key) && p.key.value === keys[keys.length - 1]) : undefined;
    return pair?.key ?? at(keys);
  };
  return { raw, doc, checker, at, keyAt };
}

/** Throw what the caller's own rules found. */
export function finish(c: Checked, file: string): void {
  if (c.checker.issues.length) throw new YamlError(file, c.checker.issues);
}

/** Plain values of YAML text, without a schema (undefined when it does not parse). */
export function parseLoose(text: string): unknown {
  try {
    return Y().parseDocument(text).toJS();
  } catch {
    return undefined;
  }
}
