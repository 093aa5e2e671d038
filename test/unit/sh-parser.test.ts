// The shell's parser: the tree it builds, and ash's syntax error wording.
import { describe, expect, it } from "vitest";
import { Parser, ShSyntaxError } from "../../applets/sh/parser.ts";
import type { Node } from "../../applets/sh/ast.ts";

const parse = (s: string) => new Parser(s).parseAll();
const first = (s: string): Node => {
  const n = parse(s);
  return n.k === "list" ? n.items[0].node : n;
};
const error = (s: string) => {
  try {
    parse(s);
  } catch (e) {
    if (e instanceof ShSyntaxError) return `${e.line}: ${e.message}`;
    throw e;
  }
  return "no error";
};

describe("sh parser", () => {
  it("parses simple commands with assignments and redirections", () => {
    const n = first("A=1 echo hi >out 2>&1") as any;
    expect(n.k).toBe("simple");
    expect(n.assigns[0].name).toBe("A");
    expect(n.words.map((w: any) => w.raw)).toEqual(["echo", "hi"]);
    expect(n.redirs.map((r: any) => [r.fd, r.op, r.target.raw])).toEqual([[undefined, ">", "out"], [2, ">&", "1"]]);
  });

  it("builds pipelines and and-or lists", () => {
    const n = first("! a | b && c || d") as any;
    expect(n.k).toBe("andor");
    expect(n.first.k).toBe("pipe");
    expect(n.first.bang).toBe(true);
    expect(n.rest.map((r: any) => r[0])).toEqual(["&&", "||"]);
  });

  it("parses compound commands", () => {
    expect(first("if a; then b; elif c; then d; else e; fi").k).toBe("if");
    expect(first("while a; do b; done").k).toBe("loop");
    expect((first("until a; do b; done") as any).until).toBe(true);
    expect((first("for x in 1 2; do :; done") as any).words.length).toBe(2);
    expect((first("case x in a|b) :;; *) ;; esac") as any).items.length).toBe(2);
    expect(first("f() { echo; }").k).toBe("func");
    expect(first("( a; b )").k).toBe("sub");
    expect(first("{ a; }").k).toBe("group");
  });

  it("keeps quoting structure in words", () => {
    const n = first(`echo "a $x" 'b' \\c $(d) $((1+2)) \${v:-w}`) as any;
    const kinds = n.words.slice(1).map((w: any) => w.parts.map((p: any) => p.k).join(","));
    expect(kinds).toEqual(["dq", "sq", "sq", "cmd", "arith", "param"]);
  });

  it("reads here-documents at the next newline", () => {
    const n = first("cat <<EOF; echo x\nbody $y\nEOF\n") as any;
    const list = parse("cat <<EOF; echo x\nbody $y\nEOF\n") as any;
    expect(list.items.length).toBe(2);
    expect(n.redirs[0].doc.raw).toBe("body $y\n");
    expect(n.redirs[0].docQuoted).toBe(false);
    const q = first("cat <<'E'\n$z\nE\n") as any;
    expect(q.redirs[0].docQuoted).toBe(true);
    const t = first("cat <<-E\n\tx\n\tE\n") as any;
    expect(t.redirs[0].doc.raw).toBe("x\n");
  });

  it("parses nested command substitutions", () => {
    const n = first("echo $(echo $(echo a) `echo b`)") as any;
    expect(n.words[1].parts[0].k).toBe("cmd");
  });

  it("words ash's syntax errors", () => {
    expect(error("if")).toBe('1: syntax error: unexpected end of file (expecting "then")');
    expect(error("fi")).toBe('1: syntax error: unexpected "fi"');
    expect(error("if true; then fi")).toBe('1: syntax error: unexpected "fi"');
    expect(error("{ echo")).toBe('1: syntax error: unexpected end of file (expecting "}")');
    expect(error("for 1 in a; do :; done")).toBe("1: syntax error: bad for loop variable");
    expect(error("echo ;;")).toBe('1: syntax error: unexpected ";;"');
    expect(error("a &&")).toBe("1: syntax error: unexpected end of file");
    expect(error("echo 'abc")).toBe("1: syntax error: unterminated quoted string");
    expect(error("echo ${x")).toBe("1: syntax error: missing '}'");
    expect(error("echo a\necho b\nfi")).toBe('3: syntax error: unexpected "fi"');
  });
});
