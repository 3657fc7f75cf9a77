import type { OutputChunk } from "../exec";

// What a kernel run returns. User-code failures (exceptions, timeouts, a
// kernel that died under the code) are data here; only infrastructure
// failures (Docker, a runtime without Python) throw.

export type KernelError = {
  /** Exception class, e.g. "ZeroDivisionError", "KeyboardInterrupt", or "KernelDied". */
  name: string;
  value: string;
  /** Formatted like Python prints it, starting at the user's cell. */
  traceback: string;
};

export type KernelFigure = {
  /** Where the PNG was saved in the sandbox (under the figures folder of the workspace). */
  path: string;
  pngBase64: string;
  /** What the chart shows, read from the figure (absent if it could not be read). */
  summary?: FigureSummary;
};

/**
 * One plotted series: its kind, label and values (categories or numbers). A
 * series keeps up to 1,000 values; a longer one keeps 1,000 evenly spaced ones
 * (first and last included) and `points` stays its true count. A figure's
 * data is kept under 256 KB of JSON by thinning every series further.
 */
export type FigureSeries = {
  kind: "line" | "scatter" | "bar" | "barh" | "histogram" | "pie" | "box";
  label: string | null;
  /** How many points (bars, wedges, boxes) it has, before any thinning. */
  points: number;
  /** Its x positions or categories (bin left edges for a histogram, labels for a pie, box names). */
  x: TableCell[];
  /** Its heights, y values, pie shares (0..1); empty for box plots. */
  y: TableCell[];
  /** The range of its values, over all of them (for a box plot: of everything drawn, outliers included). */
  min?: TableCell;
  max?: TableCell;
  /** Its colour as #rrggbb, when it could be read (for drawing it again in the browser). Pies have none: each wedge has its own. */
  color?: string;
  /** Box plots: the five numbers of each box, aligned with `x`. */
  boxes?: { low: number; q1: number; median: number; q3: number; high: number }[];
};

export type FigureAxes = {
  /** The kind of its series when they agree, "mixed" when not, "empty" without any. */
  kind: FigureSeries["kind"] | "mixed" | "empty";
  title: string;
  xlabel: string;
  ylabel: string;
  xscale: string;
  yscale: string;
  series: FigureSeries[];
};

/** A matplotlib figure as data: its title and, per axes (first 8), labels, scales and series. */
export type FigureSummary = { title: string; axes: FigureAxes[]; totalAxes: number };

export type TableCell = string | number | boolean | null;

export type KernelTable = {
  /** The variable name when the value was a bare name (`df`), else null. */
  name: string | null;
  /** Column names as text; a non-default index comes first as ordinary columns. */
  columns: string[];
  /** One dtype per column, aligned with `columns`. */
  dtypes: string[];
  /** The first rows (50 by default), JSON-safe values (NaN → null, dates → ISO text). */
  rows: TableCell[][];
  totalRows: number;
};

/** A raster image a display produced, saved beside the figures. */
export type KernelDisplayImage = {
  /** Where it was saved in the sandbox (the figures folder of the workspace). */
  path: string;
  mime: "image/png" | "image/jpeg";
  base64: string;
  /** Pixel size, when known (PIL images). */
  width?: number;
  height?: number;
};

/**
 * A rich output, like a notebook's display_data: from display(), PIL's
 * Image.show(), or a last expression with more than a text form (a DataFrame,
 * an image, an object with _repr_html_ and friends). `text` is always there
 * (what a terminal would print); the other fields are the forms the object
 * offered. HTML, SVG and markdown come from user code: render them sandboxed.
 */
export type KernelDisplay = {
  /** "result": the last expression (its text is also `result`); "display": display() or show(). */
  source: "display" | "result";
  /** The form to show: the richest the object offered. */
  kind: "table" | "image" | "svg" | "html" | "markdown" | "latex" | "json";
  text: string;
  /** For a DataFrame or Series: its index in `tables`. */
  table?: number;
  image?: KernelDisplayImage;
  svg?: string;
  html?: string;
  markdown?: string;
  latex?: string;
  json?: unknown;
};

/** One piece of a run's output, in the order it was produced: text, or a display or figure of the result by index. */
export type KernelOutput =
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; index: number }
  | { type: "figure"; index: number };

export type KernelRunResult = {
  stdout: string;
  stderr: string;
  /**
   * stdout, stderr, displays and figures interleaved as the code produced
   * them (print, display, print gives three entries). The stream texts joined
   * per stream are `stdout` and `stderr`.
   */
  outputs: KernelOutput[];
  /** Text repr of the last expression's value, like a notebook's Out[] (absent when None or a statement). */
  result?: string;
  error?: KernelError;
  figures: KernelFigure[];
  tables: KernelTable[];
  /** Rich outputs in the order they were shown (display(), images, HTML, DataFrames...). */
  displays: KernelDisplay[];
  /** The kernel's count of runs, like a notebook's In [n] (null when the kernel died under the code). */
  executionCount: number | null;
  /** Files under the work dir the code opened for writing (figures excluded), e.g. a saved CSV. */
  files: string[];
  /** Output went past the cap and was cut. */
  truncated: boolean;
  durationMs: number;
  /** The run was interrupted (timeout or abort). */
  interrupted: boolean;
  /** The interruption was the timeout. */
  timedOut: boolean;
  /**
   * Variables from earlier runs are gone: this run started on a fresh kernel
   * (the old one died or the sandbox was recreated), or it had to kill the
   * kernel. Each loss is reported once. Files in the workspace are intact.
   */
  restarted: boolean;
};

export type KernelRunOptions = {
  /** Interrupt (KeyboardInterrupt) after this long; variables are kept. Default 300 000. */
  timeoutMs?: number;
  /** Output as it arrives. */
  onOutput?: (chunk: OutputChunk) => void;
  /** Aborting interrupts the run like a timeout (a Stop button). */
  signal?: AbortSignal;
};

export type KernelState = "not-started" | "starting" | "idle" | "busy" | "dead";
