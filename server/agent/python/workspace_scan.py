# The workspace scan (workspace-files.ts): run in the sandbox as the sandbox
# user with `python3 -c <this file> <config JSON>`. It lists the newest files
# under the root and describes data files (columns, dtypes, rows, nulls, a few
# sample rows). Phase "heads" returns the first bytes of delimited files for
# the host to sniff; phase "describe" reads them with the plans it made.
# Prints one JSON object on stdout.

import base64, csv, gzip, io, json, os, sys, zipfile
cfg = json.loads(sys.argv[1])
root = cfg["root"]
DATA = {".csv", ".tsv", ".xlsx", ".xls", ".parquet", ".json", ".jsonl", ".ndjson", ".zip"}
TEXT = {".txt", ".md", ".py", ".sql", ".log", ".yaml", ".yml", ".xml", ".html", ".js", ".ts", ".sh", ".r", ".ipynb"}
def walk():
    """Every file under the root, newest first (hidden folders, caches and figures/ left out)."""
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
    entries.sort(key=lambda e: -e[0])
    return entries

def kind(path):
    """The extension that decides how a file is read: ".csv.gz" reads as ".csv"."""
    lower = path.lower()
    for ext in (".csv.gz", ".tsv.gz"):
        if lower.endswith(ext):
            return ext[:4]
    return os.path.splitext(lower)[1]

def is_delimited(path):
    lower = path.lower()
    return lower.endswith((".csv", ".tsv", ".csv.gz", ".tsv.gz", ".zip"))

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

def open_text(path, plan):
    """The file as text the way the plan reads it (gzip, zip member, encoding)."""
    enc = plan.get("encoding", "utf-8")
    if plan.get("compression") == "gzip":
        return gzip.open(path, "rt", newline="", encoding=enc, errors="replace")
    if plan.get("compression") == "zip":
        archive = zipfile.ZipFile(path)
        return io.TextIOWrapper(archive.open(plan.get("member") or archive.namelist()[0]), newline="", encoding=enc, errors="replace")
    return open(path, newline="", encoding=enc, errors="replace")

def planned_lines(f, plan):
    comment = plan.get("comment")
    for number, line in enumerate(f):
        if number < plan.get("skipRows", 0):
            continue
        if comment and line.lstrip().startswith(comment):
            continue
        yield line

def csv_summary(info, path, plan):
    """Rows, dtypes, nulls and sample text as pandas would give them; False when the file needs pandas' parser."""
    with open_text(path, plan) as f:
        rows = [row for row in csv.reader(planned_lines(f, plan), delimiter=plan["delimiter"]) if row]
    if not rows:
        info["empty"] = True
        return True
    if plan.get("header", True):
        header, body = rows[0], rows[1:]
    else:
        header, body = [str(i) for i in range(max(len(r) for r in rows))], rows
    if "" in header or len(set(header)) != len(header) or any(len(row) > len(header) for row in body):
        return False
    columns = []
    for i, name in enumerate(header):
        values = [row[i] if i < len(row) else "" for row in body]
        present = [v for v in values if v not in NA]
        nulls = len(values) - len(present)
        if not body:
            kind, text = "object", lambda v: v
        elif not present or (all(is_float(v) for v in present) and (nulls or not all(is_int(v) for v in present))):
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

def count_lines(path, plan=None):
    n = 0
    last = b"\n"
    opener = gzip.open if plan and plan.get("compression") == "gzip" else open
    with opener(path, "rb") as f:
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
    plan = cfg["plans"].get(path)
    if plan is None and ext in (".csv", ".tsv"):
        plan = {"delimiter": "\t" if ext == ".tsv" else ","}
    if plan is not None:
        if size == 0:
            info["empty"] = True
            return
        if size <= SMALL_CSV and csv_summary(info, path, plan):
            return
        pd = pandas()
        if pd is not None:
            df = pd.read_csv(path, sep=plan["delimiter"], skiprows=plan.get("skipRows", 0), header=0 if plan.get("header", True) else None, comment=plan.get("comment"), encoding=plan.get("encoding", "utf-8"), nrows=20000 if big else None, low_memory=False, encoding_errors="replace")
            rows = None
            if big:
                rows = max(count_lines(path, plan) - 1 - plan.get("skipRows", 0), 0)
                info["rowsApproximate"] = True
            from_frame(info, df, rows)
            if big:
                for c in info["columns"]:
                    c.pop("nulls", None)
        else:
            with open_text(path, plan) as f:
                reader = csv.reader(planned_lines(f, plan), delimiter=plan["delimiter"])
                header = next(reader, [])
                info["columns"] = [{"name": h} for h in header[:30]]
                info["sample"] = [[short(v) for v in row[:30]] for _, row in zip(range(cfg["sampleRows"]), reader)]
            info["rows"] = max(count_lines(path, plan) - 1 - plan.get("skipRows", 0), 0)
            info["rowsApproximate"] = True
    elif ext in (".xlsx", ".xls"):
        pd = pandas()
        if pd is None:
            raise RuntimeError("pandas is not installed")
        if big:
            raise RuntimeError("too large to read for a summary")
        sheets = pd.read_excel(path, sheet_name=None)
        info["sheets"] = list(sheets)[:20]
        wanted = cfg["sheets"].get(path)
        name = wanted if wanted in sheets else next(iter(sheets), None)
        if name is not None:
            info["sheet"] = name
            from_frame(info, sheets[name])
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

def detailed_entries(entries):
    """The data files read in detail, in listing order."""
    chosen = []
    for mtime, path, size in entries:
        if kind(path) in DATA and len(chosen) < cfg["maxDetailed"]:
            chosen.append(path)
    return set(chosen)

entries = walk()
listed = entries[: cfg["maxFiles"]]
chosen = detailed_entries(listed)
if cfg["phase"] == "heads":
    heads = {}
    versions = {}
    for mtime, path, size in listed:
        if path in chosen:
            versions[path] = {"size": size, "modifiedMs": round(mtime * 1000)}
        if path in chosen and is_delimited(path):
            try:
                with open(path, "rb") as f:
                    heads[path] = base64.b64encode(f.read(cfg["headBytes"])).decode()
            except OSError:
                pass
    print(json.dumps({"heads": heads, "versions": versions}))
    sys.exit(0)

files = []
for mtime, path, size in listed:
    info = {"path": path, "size": size, "modifiedMs": int(mtime * 1000)}
    ext = kind(path)
    try:
        if path in chosen:
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
total = len(entries)
print(json.dumps({"files": files, "totalFiles": total}, default=str))
