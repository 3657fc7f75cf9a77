import { memo, type CSSProperties } from "react";
import { cn } from "../../_lib/cn";
import { highlight, TOKEN_COLORS, type Language } from "./_lib/highlight";
import { CopyButton } from "./copy-button";

type CodeViewProps = { code: string; language: Language; label?: string; className?: string; testId?: string };

/** Code the agent ran, coloured, with line numbers and a copy button. */
export const CodeView = memo(function CodeView({ code, language, label, className, testId }: CodeViewProps) {
  const lines = highlight(code.replace(/\n$/, ""), language);
  return (
    <figure className={cn("group/code relative overflow-hidden rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950", className)} data-testid={testId}>
      {label ? <figcaption className="border-b border-slate-200 px-3 py-1 text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">{label}</figcaption> : null}
      <CopyButton text={code} label="Copy code" className="absolute right-1.5 top-1.5 opacity-0 focus-visible:opacity-100 group-hover/code:opacity-100" />
      <pre className="max-h-96 overflow-auto py-2 font-mono text-[12.5px] leading-5">
        <code className="grid min-w-max grid-cols-[auto_1fr]">
          {lines.map((line, index) => (
            <span key={index} className="contents">
              <span aria-hidden className="select-none pl-3 pr-3 text-right tabular-nums text-slate-400 dark:text-slate-600">
                {index + 1}
              </span>
              <span className="pr-10 text-slate-800 dark:text-slate-200">
                {line.length === 0 ? "\u200b" : null}
                {line.map((token, position) =>
                  token.kind === "plain" ? (
                    token.text
                  ) : (
                    <span
                      key={position}
                      className={cn("text-[var(--tok-light)] dark:text-[var(--tok-dark)]", token.kind === "comment" && "italic")}
                      style={{ "--tok-light": TOKEN_COLORS[token.kind].light, "--tok-dark": TOKEN_COLORS[token.kind].dark } as CSSProperties}
                    >
                      {token.text}
                    </span>
                  ),
                )}
              </span>
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
});
