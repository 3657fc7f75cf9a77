import { Code2 } from "lucide-react";
import { formatBytes } from "../_lib/format";
import { type RunPythonPart, stepStatus } from "./_lib/tool-parts";
import { CodeView } from "./code-view";
import { DataFrameView } from "./data-frame-view";
import { DisplayView } from "./display-view";
import { FigureView } from "./figure-view";
import { FileLink } from "./file-link";
import { NoticeLine } from "./notice-line";
import { OutputView } from "./output-view";
import { PythonErrorView } from "./python-error-view";
import { ToolStepCard } from "./tool-step-card";

/** The line that says most about the code: the first that is not an import or a comment. */
function telltaleLine(code: string | undefined): string | undefined {
  const lines = (code ?? "").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  return lines.find((line) => !/^(import|from)\s/.test(line)) ?? lines[0];
}

/** A run_python step: the code, its output (live while it runs), errors with traceback; charts and tables underneath. */
export function RunPythonStep({ part, active }: { part: RunPythonPart; active: boolean }) {
  const status = stepStatus(part, active);
  const code = part.input?.code;
  const output = part.state === "output-available" ? part.output : undefined;
  const result = output?.ok ? output : undefined;
  const failure = output && !output.ok ? output : undefined;
  const live = status === "running";
  // Outputs stored before displays existed have none.
  const displays = result?.displays ?? [];
  const shownDisplays = displays.filter((display) => display.kind !== "table");
  const title = status === "preparing" ? "Writing Python" : live ? "Running Python" : "Ran Python";

  const details = (
    <>
      {code ? <CodeView code={code} language="python" label={result?.executionCount ? `Python · In [${result.executionCount}]` : "Python"} testId="tool-code" /> : null}
      {result?.stdout ? <OutputView label="Output" text={result.stdout} live={live} testId="tool-stdout" /> : null}
      {result?.stderr ? <OutputView label="Warnings and errors (stderr)" text={result.stderr} tone="stderr" live={live && !result.stdout} testId="tool-stderr" /> : null}
      {live && !result?.stdout && !result?.stderr ? <OutputView label="Output" text="" live /> : null}
      {/* A DataFrame or rich result is drawn below; its text form would repeat it. */}
      {result?.result && result.tables.length === 0 && !displays.some((display) => display.source === "result") ? (
        <OutputView label="Result" text={result.result} testId="tool-result" />
      ) : null}
      {result?.error ? <PythonErrorView error={result.error} /> : null}
      {failure ? <OutputView label="The step failed" text={failure.text} tone="error" testId="tool-error" /> : null}
      {part.state === "output-error" ? <OutputView label="The step failed" text={part.errorText} tone="error" testId="tool-error" /> : null}
      {result?.truncated ? (
        <NoticeLine tone="warning" testId="tool-truncated">
          {result.keptBytes ? `The output was cut: showing the first ${formatBytes(result.keptBytes)}, as much as one run keeps` : "The output was long and was cut"}; the agent saw the same cut.
        </NoticeLine>
      ) : null}
      {result?.hint ? (
        <NoticeLine testId="tool-network-hint">{result.hint}</NoticeLine>
      ) : null}
    </>
  );

  const hasAttachments = !!result && (result.restarted || result.figures.length > 0 || result.tables.length > 0 || shownDisplays.length > 0 || result.files.length > 0);
  const attachments = hasAttachments ? (
    <>
      {result.restarted ? (
        <NoticeLine tone="warning" testId="tool-restarted">
          Python was restarted: variables were reset, files are intact.
        </NoticeLine>
      ) : null}
      {result.figures.length > 0 ? (
        <div className="flex flex-wrap gap-3">
          {result.figures.map((figure) => (
            <FigureView key={figure.path} path={figure.path} summary={figure.summary} />
          ))}
        </div>
      ) : null}
      {shownDisplays.map((display, index) => (
        <DisplayView key={index} display={display} />
      ))}
      {result.tables.map((table, index) => (
        <DataFrameView key={index} table={table} />
      ))}
      {result.files.length > 0 ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
          <span>Saved</span>
          {result.files.map((file) => (
            <FileLink key={file} path={file} />
          ))}
        </div>
      ) : null}
    </>
  ) : null;

  return (
    <ToolStepCard
      tool="run_python"
      icon={Code2}
      title={title}
      hint={telltaleLine(code)}
      status={status}
      durationMs={result?.running ? undefined : result?.durationMs}
      details={details}
      attachments={attachments}
    />
  );
}
