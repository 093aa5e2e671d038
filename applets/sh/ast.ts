// The shell's syntax tree: what the parser builds once and the executor walks
// (function bodies and loop bodies are never re-parsed).

/** A piece of a word, before expansion. */
export type Part =
  | { k: "lit"; s: string } // unquoted text
  | { k: "sq"; s: string } // quoted text: '...', \c, $'...'
  | { k: "dq"; parts: Part[] } // "..."
  | { k: "param"; name: string; op: string; colon: boolean; arg?: Word; arg2?: Word }
  | { k: "cmd"; node: Node }
  | { k: "arith"; w: Word }
  | { k: "tilde"; user: string };

export interface Word {
  parts: Part[];
  /** The source text, for keywords, aliases, and messages. */
  raw: string;
}

export interface Redir {
  /** The fd being redirected; undefined means the operator's default (0 or 1). */
  fd?: number;
  /** < > >> >| <> <& >& << <<- */
  op: string;
  target: Word;
  /** Here-document body (an unquoted delimiter's body is expanded). */
  doc?: Word;
  docQuoted?: boolean;
}

export interface Assign {
  name: string;
  value: Word;
}

export type Node =
  | { k: "simple"; assigns: Assign[]; words: Word[]; redirs: Redir[]; line: number }
  | { k: "pipe"; cmds: Node[]; bang: boolean; line: number }
  | { k: "andor"; first: Node; rest: [op: "&&" | "||", node: Node][] }
  | { k: "list"; items: ListItem[] }
  | { k: "sub"; body: Node; redirs: Redir[] }
  | { k: "group"; body: Node; redirs: Redir[] }
  | { k: "if"; clauses: [cond: Node, body: Node][]; else?: Node; redirs: Redir[] }
  | { k: "loop"; until: boolean; cond: Node; body: Node; redirs: Redir[] }
  | { k: "for"; name: string; words?: Word[]; body: Node; redirs: Redir[]; line: number }
  | { k: "case"; word: Word; items: CaseItem[]; redirs: Redir[] }
  | { k: "func"; name: string; body: Node; line: number }
  | { k: "dbrack"; words: Word[]; redirs: Redir[]; line: number };

export interface ListItem {
  node: Node;
  bg: boolean;
}

export interface CaseItem {
  pats: Word[];
  body?: Node;
  /** Ended by ";&": fall through into the next item's body. */
  fall: boolean;
}
