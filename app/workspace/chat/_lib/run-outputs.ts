import type { DisplayOutput } from "~/server/agent/display-output";
import type { RunPythonOutput } from "~/server/agent/tool-output";

// A Python step's output in the order the code produced it, as a notebook
// shows a cell's output: text, then the table it displayed, then more text.
// Consecutive figures form one row.

export type RunOutputPiece =
  | { kind: "text"; stream: "stdout" | "stderr"; text: string }
  | { kind: "display"; display: DisplayOutput }
  | { kind: "figures"; figures: RunPythonOutput["figures"] };

type Ordered = Pick<RunPythonOutput, "stdout" | "stderr" | "outputs" | "displays" | "figures">;

/**
 * The pieces in order, or null when order says nothing (steps stored before
 * it was recorded, or text alone): then text and rich outputs are shown apart.
 */
export function orderedPieces(result: Ordered): RunOutputPiece[] | null {
  const outputs = result.outputs;
  if (!outputs?.some((output) => !("stream" in output))) return null;
  const offsets = { stdout: 0, stderr: 0 };
  const pieces: RunOutputPiece[] = [];
  const placed = { figures: new Set<number>(), displays: new Set<number>() };
  for (const output of outputs) {
    const last = pieces.at(-1);
    if ("stream" in output) {
      const start = offsets[output.stream];
      offsets[output.stream] += output.length;
      const text = result[output.stream].slice(start, start + output.length);
      if (text) pieces.push({ kind: "text", stream: output.stream, text });
    } else if ("figure" in output) {
      const figure = result.figures[output.figure];
      if (!figure) continue;
      placed.figures.add(output.figure);
      if (last?.kind === "figures") last.figures.push(figure);
      else pieces.push({ kind: "figures", figures: [figure] });
    } else {
      const display = result.displays[output.display];
      if (!display) continue;
      placed.displays.add(output.display);
      pieces.push({ kind: "display", display });
    }
  }
  // Anything the order does not mention still shows, last.
  const unplacedFigures = result.figures.filter((_, index) => !placed.figures.has(index));
  if (unplacedFigures.length > 0) pieces.push({ kind: "figures", figures: unplacedFigures });
  result.displays.forEach((display, index) => placed.displays.has(index) || pieces.push({ kind: "display", display }));
  return pieces;
}
