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
};

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

export type KernelRunResult = {
  stdout: string;
  stderr: string;
  /** Text repr of the last expression's value, like a notebook's Out[] (absent when None or a statement). */
  result?: string;
  error?: KernelError;
  figures: KernelFigure[];
  tables: KernelTable[];
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
