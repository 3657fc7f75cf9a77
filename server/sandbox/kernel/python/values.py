# Values as the host sees them: a capped text repr, JSON-safe cells, and
# DataFrames/Series as tables.

import math
import sys

MAX_REPR = 20_000
MAX_CELL_TEXT = 500


def cut(text, limit):
    if len(text) <= limit:
        return text
    return text[:limit] + "\n... [%d more characters cut]" % (len(text) - limit)


def is_matplotlib(value):
    return type(value).__module__.split(".")[0] == "matplotlib"


def pandas_kind(value):
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(value, pd.DataFrame):
        return "frame"
    if isinstance(value, pd.Series):
        return "series"
    return None


def text_repr(value):
    pd = sys.modules.get("pandas")
    if pd is not None and pandas_kind(value):
        with pd.option_context("display.max_rows", 20, "display.max_columns", 20, "display.width", 120):
            return cut(repr(value), MAX_REPR)
    return cut(repr(value), MAX_REPR)


def json_cell(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else (None if value != value else str(value))
    if isinstance(value, str):
        return cut(value, MAX_CELL_TEXT)
    module = type(value).__module__
    if module == "numpy" and hasattr(value, "item"):
        try:
            return json_cell(value.item())
        except Exception:
            pass
    pd = sys.modules.get("pandas")
    if pd is not None:
        try:
            if value is pd.NaT or value is pd.NA or (not hasattr(value, "__len__") and bool(pd.isna(value))):
                return None
        except Exception:
            pass
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except Exception:
            pass
    return cut(str(value), MAX_CELL_TEXT)


def column_name(column):
    if isinstance(column, tuple):
        return " / ".join(str(part) for part in column if str(part) != "")
    return str(column)


def to_table(value, name, max_rows):
    kind = pandas_kind(value)
    if kind is None:
        return None
    pd = sys.modules["pandas"]
    frame = value.to_frame(name=value.name if value.name is not None else (name or "value")) if kind == "series" else value
    head = frame.head(max_rows)
    index = head.index
    default_index = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    if not default_index:
        try:
            head = head.reset_index()
        except Exception:
            pass
    rows = [[json_cell(cell) for cell in row] for row in head.itertuples(index=False, name=None)]
    return {
        "name": name,
        "columns": [column_name(c) for c in head.columns],
        "dtypes": [str(t) for t in head.dtypes],
        "rows": rows,
        "totalRows": int(len(frame)),
    }
