import type { CodeHighlighterPlugin, HighlightResult } from "streamdown";
import { highlight, languageOf, TOKEN_COLORS } from "./highlight";

// Streamdown's code-highlighter slot, filled by our own scanner: fenced code in
// the agent's answers is coloured synchronously, with nothing loaded from the web.

const LANGUAGES = ["python", "py", "bash", "sh", "shell", "zsh", "console", "sql", "json"];

export const markdownHighlighter: CodeHighlighterPlugin = {
  name: "shiki",
  type: "code-highlighter",
  getSupportedLanguages: () => LANGUAGES,
  getThemes: () => ["tidepool-light", "tidepool-dark"],
  supportsLanguage: (language) => languageOf(language) !== "text",
  highlight: ({ code, language }): HighlightResult => ({
    tokens: highlight(code, languageOf(language)).map((line) =>
      line.map((token) => {
        if (token.kind === "plain") return { content: token.text };
        const colors = TOKEN_COLORS[token.kind];
        return { content: token.text, htmlStyle: { color: colors.light, "--shiki-dark": colors.dark } };
      }),
    ),
  }),
};
