import { FilePen, FilePlus2, FileSearch, FileText, FolderOpen, Search, type LucideIcon } from "lucide-react";
import { displayPath } from "../_lib/paths";
import { type FileToolPart, stepStatus, toolNameOf } from "./_lib/tool-parts";
import { CodeView } from "./code-view";
import { FileLink } from "./file-link";
import { languageOf } from "./_lib/highlight";
import { OutputView } from "./output-view";
import { ToolStepCard } from "./tool-step-card";

type Summary = { icon: LucideIcon; done: string; doing: string; hint?: string; path?: string };

function summarize(part: FileToolPart, outputPath: string | undefined): Summary {
  const input = (part.input ?? {}) as { path?: string; pattern?: string };
  const path = outputPath ?? input.path;
  switch (toolNameOf(part)) {
    case "ls":
      return { icon: FolderOpen, done: "Listed", doing: "Listing", hint: displayPath(path ?? "/workspace") };
    case "read_file":
      return { icon: FileText, done: "Read", doing: "Reading", path };
    case "write_file":
      return { icon: FilePlus2, done: "Wrote", doing: "Writing", path };
    case "edit_file":
      return { icon: FilePen, done: "Edited", doing: "Editing", path };
    case "glob":
      return { icon: FileSearch, done: "Found files", doing: "Finding files", hint: input.pattern };
    default:
      return { icon: Search, done: "Searched", doing: "Searching", hint: input.pattern };
  }
}

const extension = (path: string | undefined) => path?.match(/\.(\w+)$/)?.[1];

/** ls, read_file, write_file, edit_file, glob, grep: one line with the path as a link; the content when opened. */
export function FileToolStep({ part, active }: { part: FileToolPart; active: boolean }) {
  const status = stepStatus(part, active);
  const output = part.state === "output-available" ? part.output : undefined;
  const name = toolNameOf(part);
  const summary = summarize(part, output?.ok ? output.path : undefined);
  const finished = status !== "preparing" && status !== "running";
  const input = (part.input ?? {}) as { content?: string; old_string?: string; new_string?: string };

  const details = (
    <>
      {name === "write_file" && input.content !== undefined ? (
        <CodeView code={input.content} language={languageOf(extension(summary.path))} label="Content" />
      ) : null}
      {name === "edit_file" && input.old_string !== undefined ? <OutputView label="Replaced" text={input.old_string} tone="stderr" /> : null}
      {name === "edit_file" && input.new_string !== undefined ? <OutputView label="With" text={input.new_string} /> : null}
      {output?.ok && name !== "write_file" && name !== "edit_file" ? <OutputView label="Result" text={output.text} testId="tool-stdout" /> : null}
      {output && !output.ok ? <OutputView label="The step failed" text={output.text} tone="error" testId="tool-error" /> : null}
      {part.state === "output-error" ? <OutputView label="The step failed" text={part.errorText} tone="error" testId="tool-error" /> : null}
    </>
  );

  return (
    <ToolStepCard
      tool={name}
      icon={summary.icon}
      title={finished ? summary.done : summary.doing}
      hint={summary.hint ?? (summary.path && !(output?.ok && summary.path) ? displayPath(summary.path) : undefined)}
      link={summary.path && output?.ok ? <FileLink path={summary.path} /> : undefined}
      status={status}
      details={details}
    />
  );
}
