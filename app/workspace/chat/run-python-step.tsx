import { Code2 } from "lucide-react";
import { formatBytes } from "../_lib/format";
import { orderedPieces, type RunOutputPiece } from "./_lib/run-outputs";
import { type RunPythonPart, type RunPythonOutput, stepStatus } from "./_lib/tool-parts";
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

const STDOUT_LABEL = "Output";
const STDERR_LABEL = "Warnings and errors (stderr)";

function FigureRow({ figures }: { figures: RunPythonOutput["figures"] }) {
  return (
    <div className="flex flex-wrap gap-3">
      {figures.map((figure) => (
        <FigureView key={figure.path} path={figure.path} summary={figure.summary} />
      ))}
    </div>
  );
}

/** One piece of the ordered output: text as printed, a chart row, a table or another rich output. */
function OutputPiece({ piece, tables }: { piece: RunOutputPiece; tables: RunPythonOutput["tables"] }) {
  if (piece.kind === "text") {
    return piece.stream === "stdout" ? (
      <OutputView label={STDOUT_LABEL} text={piece.text} testId="tool-stdout" />
    ) : (
      <OutputView label={STDERR_LABEL} text={piece.text} tone="stderr" testId="tool-stderr" />
    );
  }
  if (piece.kind === "figures") return <FigureRow figures={piece.figures} />;
  const table = piece.display.kind === "table" ? tables[piece.display.table] : undefined;
  return table ? <DataFrameView table={table} /> : <DisplayView display={piece.display} />;
}

/**
 * A run_python step: the code, its output (live while it runs), errors with
 * traceback; charts and tables underneath. When the code showed charts or
 * tables, its text, charts and tables come in the order it produced them.
 */
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
  const pieces = result ? orderedPieces(result) : null;
  const title = status === "preparing" ? "Writing Python" : live ? "Running Python" : "Ran Python";

  const details = (
    <>
      {code ? <CodeView code={code} language="python" label={result?.executionCount ? `Python · In [${result.executionCount}]` : "Python"} testId="tool-code" /> : null}
      {result?.stdout && !pieces ? <OutputView label={STDOUT_LABEL} text={result.stdout} live={live} testId="tool-stdout" /> : null}
      {result?.stderr && !pieces ? <OutputView label={STDERR_LABEL} text={result.stderr} tone="stderr" live={live && !result.stdout} testId="tool-stderr" /> : null}
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
      {pieces ? (
        pieces.map((piece, index) => <OutputPiece key={index} piece={piece} tables={result.tables} />)
      ) : (
        <>
          {result.figures.length > 0 ? <FigureRow figures={result.figures} /> : null}
          {shownDisplays.map((display, index) => (
            <DisplayView key={index} display={display} />
          ))}
          {result.tables.map((table, index) => (
            <DataFrameView key={index} table={table} />
          ))}
        </>
      )}
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
