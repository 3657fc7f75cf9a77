// A small, synchronous syntax highlighter for the languages the agent writes
// (Python, shell, SQL, JSON). No grammar downloads, no web requests: a regex
// scanner that splits code into lines of coloured tokens. Good enough to read
// code at a glance; not a parser.

export type TokenKind = "plain" | "keyword" | "constant" | "builtin" | "function" | "string" | "comment" | "number" | "decorator" | "property" | "variable";
export type Token = { kind: TokenKind; text: string };

/** Colours per token kind, light and dark (GitHub-like), shared by every code view. */
export const TOKEN_COLORS: Record<Exclude<TokenKind, "plain">, { light: string; dark: string }> = {
  keyword: { light: "#cf222e", dark: "#ff7b72" },
  constant: { light: "#0550ae", dark: "#79c0ff" },
  builtin: { light: "#953800", dark: "#ffa657" },
  function: { light: "#8250df", dark: "#d2a8ff" },
  string: { light: "#0a3069", dark: "#a5d6ff" },
  comment: { light: "#6e7781", dark: "#8b949e" },
  number: { light: "#0550ae", dark: "#79c0ff" },
  decorator: { light: "#8250df", dark: "#d2a8ff" },
  property: { light: "#0550ae", dark: "#79c0ff" },
  variable: { light: "#953800", dark: "#ffa657" },
};

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

const PYTHON_KEYWORDS = words(
  "and as assert async await break class continue def del elif else except finally for from global if import in is lambda match case nonlocal not or pass raise return try while with yield",
);
const PYTHON_CONSTANTS = words("True False None self cls");
const PYTHON_BUILTINS = words(
  "abs all any bool dict dir enumerate filter float format getattr hasattr int isinstance len list map max min next open print range repr reversed round set sorted str sum super tuple type zip Exception ValueError KeyError TypeError",
);
const SHELL_KEYWORDS = words("if then else elif fi for in do done while until case esac function return export local set unset");
const SQL_KEYWORDS = words(
  "select from where and or not in is null as join left right inner outer full on group by order having limit offset union all distinct insert into values update delete create table drop alter with case when then else end asc desc count sum avg min max like between exists",
);

type Rule = { kind: TokenKind | "word"; pattern: RegExp };

const STRING_DOUBLE = String.raw`"(?:[^"\\\n]|\\.)*"?`;
const STRING_SINGLE = String.raw`'(?:[^'\\\n]|\\.)*'?`;
const NUMBER = String.raw`(?:0[xX][\da-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?j?|\.\d+(?:[eE][+-]?\d+)?)`;

const sticky = (source: string) => new RegExp(source, "y");

const RULES: Record<Language, Rule[]> = {
  python: [
    { kind: "comment", pattern: sticky("#[^\\n]*") },
    { kind: "string", pattern: sticky(String.raw`(?:[rRbBuUfF]{1,2}(?=["']))?(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|${STRING_DOUBLE}|${STRING_SINGLE})`) },
    { kind: "decorator", pattern: sticky(String.raw`@[A-Za-z_][\w.]*`) },
    { kind: "number", pattern: sticky(NUMBER) },
    { kind: "word", pattern: sticky(String.raw`[A-Za-z_]\w*`) },
  ],
  shell: [
    { kind: "comment", pattern: sticky(String.raw`(?:^|(?<=\s))#[^\n]*`) },
    { kind: "string", pattern: sticky(`${STRING_DOUBLE}|${STRING_SINGLE}`) },
    { kind: "variable", pattern: sticky(String.raw`\$(?:\{[^}\n]*\}?|[A-Za-z_]\w*|[0-9@#?*$!-])`) },
    { kind: "property", pattern: sticky(String.raw`(?<=\s)--?[A-Za-z][\w-]*`) },
    { kind: "number", pattern: sticky(String.raw`\b\d+\b`) },
    { kind: "word", pattern: sticky(String.raw`[A-Za-z_][\w.-]*`) },
  ],
  sql: [
    { kind: "comment", pattern: sticky("--[^\\n]*") },
    { kind: "string", pattern: sticky(STRING_SINGLE) },
    { kind: "property", pattern: sticky(STRING_DOUBLE) },
    { kind: "number", pattern: sticky(NUMBER) },
    { kind: "word", pattern: sticky(String.raw`[A-Za-z_]\w*`) },
  ],
  json: [
    { kind: "property", pattern: sticky(String.raw`${STRING_DOUBLE}(?=\s*:)`) },
    { kind: "string", pattern: sticky(STRING_DOUBLE) },
    { kind: "number", pattern: sticky(String.raw`-?${NUMBER}`) },
    { kind: "word", pattern: sticky("[A-Za-z_]\\w*") },
  ],
  text: [],
};

export type Language = "python" | "shell" | "sql" | "json" | "text";

const ALIASES: Record<string, Language> = {
  python: "python",
  py: "python",
  python3: "python",
  ipython: "python",
  bash: "shell",
  sh: "shell",
  shell: "shell",
  zsh: "shell",
  console: "shell",
  sql: "sql",
  json: "json",
  jsonc: "json",
};

export function languageOf(name: string | undefined): Language {
  return (name && ALIASES[name.toLowerCase()]) || "text";
}

function classifyWord(language: Language, word: string, rest: string, previous: string | null): TokenKind {
  const calls = /^\s*\(/.test(rest);
  if (language === "python") {
    if (previous === "def" || previous === "class") return "function";
    if (PYTHON_KEYWORDS.has(word)) return "keyword";
    if (PYTHON_CONSTANTS.has(word)) return "constant";
    if (PYTHON_BUILTINS.has(word)) return calls || /^[A-Z]/.test(word) ? "builtin" : "plain";
    return calls ? "function" : "plain";
  }
  if (language === "shell") {
    if (SHELL_KEYWORDS.has(word)) return "keyword";
    return previous === null ? "function" : "plain";
  }
  if (language === "sql") return SQL_KEYWORDS.has(word.toLowerCase()) ? "keyword" : calls ? "function" : "plain";
  if (language === "json") return word === "true" || word === "false" || word === "null" ? "constant" : "plain";
  return "plain";
}

/** Tokens of one piece of code, line by line (a token never spans lines). */
export function highlight(code: string, language: Language): Token[][] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens.at(-1);
    if (last && last.kind === kind && kind === "plain") last.text += text;
    else tokens.push({ kind, text });
  };
  const rules = RULES[language];
  // The previous word on this line (shell: a command starts a line; python: the name after def/class).
  let previous: string | null = null;
  let index = 0;
  scan: while (index < code.length) {
    const char = code[index]!;
    if (char === "\n" || char === ";" || char === "|" || char === "&") {
      if (language === "shell") previous = null;
      if (char === "\n" && language !== "shell") previous = null;
    }
    for (const rule of rules) {
      rule.pattern.lastIndex = index;
      const match = rule.pattern.exec(code);
      if (!match || match[0].length === 0) continue;
      const text = match[0];
      if (rule.kind === "word") {
        push(classifyWord(language, text, code.slice(index + text.length, index + text.length + 8), previous), text);
        previous = text;
      } else {
        push(rule.kind, text);
      }
      index += text.length;
      continue scan;
    }
    push("plain", char);
    index += 1;
  }
  return splitLines(tokens);
}

function splitLines(tokens: Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const token of tokens) {
    const pieces = token.text.split("\n");
    pieces.forEach((piece, position) => {
      if (position > 0) lines.push([]);
      if (piece) lines.at(-1)!.push({ kind: token.kind, text: piece });
    });
  }
  return lines;
}
