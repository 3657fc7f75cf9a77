import type { DockerSandbox } from "~/server/sandbox";

// What the user has in /workspace, for the system prompt: one Python script
// run inside the sandbox (never reading the workspace from the host) lists
// the newest files and, for data files (CSV/TSV/Excel/Parquet/JSON), reads
// columns, dtypes, row counts, nulls and a few sample rows. Small CSV/TSV files
// are read with the csv module, reporting what pandas would (its dtypes, nulls
// and text): importing pandas costs most of a turn's CPU, and fifty people
// starting a chat at once paid it fifty times. pandas reads the rest, when it
// is installed; without Python the summary is a listing.

export type FileColumn = { name: string; dtype?: string; nulls?: number };

export type WorkspaceFileSummary = {
  /** Absolute path in the sandbox. */
  path: string;
  size: number;
  modifiedMs: number;
  rows?: number;
  /** Rows counted from lines (large file) rather than parsed. */
  rowsApproximate?: boolean;
  lines?: number;
  columns?: FileColumn[];
  /** A few rows, cells as short text. */
  sample?: string[][];
  sheets?: string[];
  jsonKeys?: string[];
  /** Why details are missing (e.g. "no parquet engine installed"). */
  error?: string;
};

export type WorkspaceDescription = { files: WorkspaceFileSummary[]; totalFiles: number };

export type DescribeOptions = {
  /** Files listed, newest first. Default 30. */
  maxFiles?: number;
  /** Data files read in detail. Default 8. */
  maxDetailed?: number;
  sampleRows?: number;
  /** Larger data files are read only in part (rows then come from a line count). Default 25 MB. */
  partialReadBytes?: number;
  timeoutMs?: number;
};

const SCRIPT = String.raw`
import csv, json, os, sys
cfg = json.loads(sys.argv[1])
root = cfg["root"]
DATA = {".csv", ".tsv", ".xlsx", ".xls", ".parquet", ".json", ".jsonl", ".ndjson"}
TEXT = {".txt", ".md", ".py", ".sql", ".log", ".yaml", ".yml", ".xml", ".html", ".js", ".ts", ".sh", ".r", ".ipynb"}
entries = []
for dirpath, dirnames, filenames in os.walk(root):
    dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("node_modules", "__pycache__") and not (dirpath == root and d == "figures"))
    for name in filenames:
        path = os.path.join(dirpath, name)
        if name.startswith(".") or os.path.islink(path):
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        entries.append((st.st_mtime, path, st.st_size))
    if len(entries) > 20000:
        break
total = len(entries)
entries.sort(key=lambda e: -e[0])
_pandas = []

def pandas():
    if not _pandas:
        try:
            import pandas as pd
        except Exception:
            pd = None
        _pandas.append(pd)
    return _pandas[0]

# pandas' default missing-value markers and boolean words, for small CSVs read without it.
NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
BOOLS = {"True": "True", "true": "True", "TRUE": "True", "False": "False", "false": "False", "FALSE": "False"}
SMALL_CSV = 2 * 1024 * 1024

def is_int(value):
    text = value.strip()
    return text.lstrip("+-").isdigit() and text.count("+") + text.count("-") <= 1

def is_float(value):
    try:
        float(value)
        return True
    except ValueError:
        return False

def csv_summary(info, path, sep):
    """Rows, dtypes, nulls and sample text as pandas would give them; False when the file needs pandas' parser."""
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        rows = [row for row in csv.reader(f, delimiter=sep) if row]
    if not rows:
        return False
    header, body = rows[0], rows[1:]
    if "" in header or len(set(header)) != len(header) or any(len(row) > len(header) for row in body):
        return False
    columns = []
    for i, name in enumerate(header):
        values = [row[i] if i < len(row) else "" for row in body]
        present = [v for v in values if v not in NA]
        nulls = len(values) - len(present)
        if not present or (all(is_float(v) for v in present) and (nulls or not all(is_int(v) for v in present))):
            kind, text = "float64", lambda v: "nan" if v in NA else str(float(v))
        elif all(is_int(v) for v in present):
            kind, text = "int64", lambda v: str(int(v))
        elif not nulls and all(v in BOOLS for v in present):
            kind, text = "bool", lambda v: BOOLS[v]
        else:
            kind, text = "object", lambda v: "nan" if v in NA else v
        columns.append((name, kind, nulls, values, text))
    info["rows"] = len(body)
    info["columns"] = [{"name": name, "dtype": kind, "nulls": nulls} for name, kind, nulls, _, _ in columns[:30]]
    if len(columns) > 30:
        info["columns"].append({"name": "… %d more columns" % (len(columns) - 30)})
    info["sample"] = [[short(text(values[r])) for _, _, _, values, text in columns[:30]] for r in range(min(cfg["sampleRows"], len(body)))]
    return True

def count_lines(path):
    n = 0
    last = b"\n"
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (0 if last == b"\n" else 1)

def short(value):
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"

def from_frame(info, df, rows=None):
    info["rows"] = int(len(df)) if rows is None else rows
    cols = list(df.columns)[:30]
    nulls = df.isna().sum()
    info["columns"] = [{"name": str(c), "dtype": str(df[c].dtype) if not hasattr(df[c], "columns") else "mixed", "nulls": int(nulls[c]) if not hasattr(nulls[c], "__len__") else None} for c in cols]
    if len(df.columns) > 30:
        info["columns"].append({"name": "… %d more columns" % (len(df.columns) - 30)})
    info["sample"] = [[short(v) for v in row[:30]] for row in df.head(cfg["sampleRows"]).itertuples(index=False, name=None)]

def describe(info, path, ext, size):
    big = size > cfg["partialBytes"]
    if ext in (".csv", ".tsv"):
        sep = "\t" if ext == ".tsv" else ","
        if size <= SMALL_CSV and csv_summary(info, path, sep):
            return
        pd = pandas()
        if pd is not None:
            df = pd.read_csv(path, sep=sep, nrows=20000 if big else None, low_memory=False, encoding_errors="replace")
            rows = None
            if big:
                rows = max(count_lines(path) - 1, 0)
                info["rowsApproximate"] = True
            from_frame(info, df, rows)
            if big:
                for c in info["columns"]:
                    c.pop("nulls", None)
        else:
            with open(path, newline="", encoding="utf-8", errors="replace") as f:
                reader = csv.reader(f, delimiter=sep)
                header = next(reader, [])
                info["columns"] = [{"name": h} for h in header[:30]]
                info["sample"] = [[short(v) for v in row[:30]] for _, row in zip(range(cfg["sampleRows"]), reader)]
            info["rows"] = max(count_lines(path) - 1, 0)
            info["rowsApproximate"] = True
    elif ext in (".xlsx", ".xls"):
        pd = pandas()
        if pd is None:
            raise RuntimeError("pandas is not installed")
        if big:
            raise RuntimeError("too large to read for a summary")
        sheets = pd.read_excel(path, sheet_name=None)
        info["sheets"] = list(sheets)[:20]
        if sheets:
            from_frame(info, next(iter(sheets.values())))
    elif ext == ".parquet":
        pd = pandas()
        if pd is None:
            raise RuntimeError("pandas is not installed")
        try:
            df = pd.read_parquet(path)
        except ImportError:
            raise RuntimeError("no parquet engine installed (pyarrow or fastparquet)")
        from_frame(info, df)
    elif ext in (".jsonl", ".ndjson"):
        pd = pandas()
        if pd is None:
            info["lines"] = count_lines(path)
            return
        df = pd.read_json(path, lines=True, nrows=20000 if big else None)
        rows = None
        if big:
            rows = count_lines(path)
            info["rowsApproximate"] = True
        from_frame(info, df, rows)
    elif ext == ".json":
        if big:
            raise RuntimeError("too large to read for a summary")
        with open(path, encoding="utf-8", errors="replace") as f:
            data = json.load(f)
        if isinstance(data, list) and data and all(isinstance(x, dict) for x in data[:100]) and pandas() is not None:
            from_frame(info, pandas().json_normalize(data[:100000]), len(data))
        elif isinstance(data, dict):
            info["jsonKeys"] = [str(k) for k in list(data)[:30]]
        elif isinstance(data, list):
            info["rows"] = len(data)

files = []
detailed = 0
for mtime, path, size in entries[: cfg["maxFiles"]]:
    info = {"path": path, "size": size, "modifiedMs": int(mtime * 1000)}
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in DATA and detailed < cfg["maxDetailed"]:
            detailed += 1
            describe(info, path, ext, size)
        elif ext in TEXT and size < 50 * 1024 * 1024:
            info["lines"] = count_lines(path)
    except Exception as error:
        info["error"] = ("%s: %s" % (type(error).__name__, error))[:200]
        if ext in (".csv", ".tsv", ".jsonl", ".ndjson") and "lines" not in info:
            try:
                info["lines"] = count_lines(path)
            except Exception:
                pass
    files.append(info)
print(json.dumps({"files": files, "totalFiles": total}, default=str))
`;

export async function describeWorkspaceFiles(
  sandbox: Pick<DockerSandbox, "execute" | "glob" | "workDir">,
  options: DescribeOptions = {},
): Promise<WorkspaceDescription> {
  const config = {
    root: sandbox.workDir,
    maxFiles: options.maxFiles ?? 30,
    maxDetailed: options.maxDetailed ?? 8,
    sampleRows: options.sampleRows ?? 3,
    partialBytes: options.partialReadBytes ?? 25 * 1024 * 1024,
  };
  const encoded = Buffer.from(SCRIPT).toString("base64");
  const command = `python3 -c 'import base64; exec(base64.b64decode("${encoded}"))' '${JSON.stringify(config).replace(/'/g, "'\\''")}'`;
  try {
    const result = await sandbox.execute(command, { timeoutMs: options.timeoutMs ?? 30_000 });
    if (result.exitCode === 0) {
      const parsed = JSON.parse(result.stdout) as WorkspaceDescription;
      if (Array.isArray(parsed.files)) return parsed;
    }
  } catch {
    // Fall through to a plain listing.
  }
  return listingOnly(sandbox, config.maxFiles);
}

/** Without Python (or if the script failed): names, sizes and dates only. */
async function listingOnly(sandbox: Pick<DockerSandbox, "glob">, maxFiles: number): Promise<WorkspaceDescription> {
  try {
    const listing = await sandbox.glob("**/*", { maxResults: 2000 });
    const files = listing.entries
      .filter((entry) => !/\/figures\//.test(entry.path))
      .sort((a, b) => b.modifiedMs - a.modifiedMs)
      .slice(0, maxFiles)
      .map((entry) => ({ path: entry.path, size: entry.size, modifiedMs: entry.modifiedMs }));
    return { files, totalFiles: listing.entries.length };
  } catch {
    return { files: [], totalFiles: 0 };
  }
}
