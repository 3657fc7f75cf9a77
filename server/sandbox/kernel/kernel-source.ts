// The kernel program: Python source shipped from TypeScript and started with
// `python3 -u -c` (the container's root filesystem is read-only, and nothing
// has to be installed in runtime images). One process per sandbox; it reads
// JSON lines on stdin and writes JSON lines on stdout (protocol.ts). User code
// never sees those pipes: fd 0 is /dev/null, fds 1 and 2 go to unlinked files
// under /tmp that are read back as the run's output (so child processes are
// captured too), and sys.stdout/sys.stderr are capture objects.
// Keep this file free of backticks and dollar-brace sequences (it is a template literal).

export const KERNEL_SOURCE = String.raw`import ast
import base64
import builtins
import importlib.util
import io
import json
import linecache
import math
import os
import signal
import sys
import threading
import time
import traceback
import warnings

PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)

write_lock = threading.Lock()


def send(frame):
    data = (json.dumps(frame, default=str, allow_nan=False) + "\n").encode("utf-8", "replace")
    with write_lock:
        view = memoryview(data)
        while view:
            written = os.write(PROTO_OUT, view)
            view = view[written:]


class FdCapture:
    """fd 1 or 2 of this process and its children, written to an unlinked file and read back."""

    MAX_FILE_BYTES = 8 * 1024 * 1024

    def __init__(self, fd, name):
        self.name = name
        self.offset = 0
        try:
            path = "/tmp/.tidepool-kernel-%d-%d" % (os.getpid(), fd)
            self.writer = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
            self.reader = os.open(path, os.O_RDONLY)
            os.unlink(path)
            os.dup2(self.writer, fd)
        except OSError:
            self.writer = self.reader = None
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)

    def drain(self, capture):
        if self.reader is None:
            return
        size = os.fstat(self.reader).st_size
        if size < self.offset:
            self.offset = 0
        while self.offset < size:
            chunk = os.pread(self.reader, min(size - self.offset, 1 << 20), self.offset)
            if not chunk:
                break
            self.offset += len(chunk)
            capture.write(self.name, chunk.decode("utf-8", "replace"))
        if self.offset > self.MAX_FILE_BYTES:
            self.reset()

    def reset(self):
        if self.writer is not None:
            os.ftruncate(self.writer, 0)
            self.offset = 0


class Capture:
    """The current run's output: streamed to the host in batches, capped."""

    FLUSH_BYTES = 16 * 1024

    def __init__(self, run_id, max_bytes):
        self.run_id = run_id
        self.max_bytes = max_bytes
        self.kept = 0
        self.truncated = False
        self.pending = []
        self.pending_bytes = 0
        self.lock = threading.Lock()

    def write(self, name, text):
        if not text:
            return
        with self.lock:
            size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
            if self.kept >= self.max_bytes:
                self.truncated = True
                return
            if self.kept + size > self.max_bytes:
                text = text.encode("utf-8", "replace")[: self.max_bytes - self.kept].decode("utf-8", "ignore")
                size = self.max_bytes - self.kept
                self.truncated = True
            self.kept += size
            if self.pending and self.pending[-1][0] == name:
                self.pending[-1][1].append(text)
            else:
                self.pending.append((name, [text]))
            self.pending_bytes += size
            flush_now = self.pending_bytes >= self.FLUSH_BYTES
        if flush_now:
            self.flush()

    def flush(self):
        with self.lock:
            pending, self.pending, self.pending_bytes = self.pending, [], 0
        for name, texts in pending:
            send({"type": "stream", "id": self.run_id, "name": name, "text": "".join(texts)})


class StreamProxy(io.TextIOBase):
    """sys.stdout / sys.stderr for user code: writes go to the current run's capture."""

    def __init__(self, name, fd):
        self.name = name
        self._fd = fd

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    @property
    def buffer(self):
        proxy = self

        class _Bytes:
            def write(self, data):
                proxy.write(bytes(data).decode("utf-8", "replace"))
                return len(data)

            def flush(self):
                pass

        return _Bytes()

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        state.capture.write(self.name, text)
        return len(text)

    def flush(self):
        pass


class State:
    def __init__(self):
        self.capture = Capture(None, 0)
        self.active = threading.Event()
        self.cell = 0
        self.figure_counter = 0
        self.max_table_rows = 50
        self.tables = []
        self.written = set()


state = State()
fd_out = FdCapture(1, "stdout")
fd_err = FdCapture(2, "stderr")
sys.stdout = StreamProxy("stdout", 1)
sys.stderr = StreamProxy("stderr", 2)
sys.stdin = io.StringIO("")
warnings.filterwarnings("ignore", message=".*non-interactive.*")


# Files user code opens for writing (pandas, pathlib and matplotlib all go
# through open), so the host can point the user at what a run produced.
_builtin_open = builtins.open


def _tracking_open(file, mode="r", *args, **kwargs):
    handle = _builtin_open(file, mode, *args, **kwargs)
    if state.active.is_set() and isinstance(mode, str) and any(flag in mode for flag in "wax+"):
        try:
            if isinstance(file, (str, bytes, os.PathLike)):
                state.written.add(os.path.abspath(os.fsdecode(file)))
        except Exception:
            pass
    return handle


builtins.open = _tracking_open
io.open = _tracking_open


def flusher():
    # Only wakes while a run is in flight, so an idle kernel costs no CPU.
    while True:
        state.active.wait()
        time.sleep(0.05)
        if not state.active.is_set():
            continue
        try:
            fd_out.drain(state.capture)
            fd_err.drain(state.capture)
            state.capture.flush()
        except Exception:
            pass


threading.Thread(target=flusher, name="tidepool-flusher", daemon=True).start()


def _ignore_sigint(signum, frame):
    pass


signal.signal(signal.SIGINT, _ignore_sigint)

# ---- values -----------------------------------------------------------------

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


def display(*values):
    """Shows values like a notebook would: DataFrames/Series as tables, anything else printed."""
    for value in values:
        table = to_table(value, None, state.max_table_rows) if pandas_kind(value) else None
        if table is not None:
            state.tables.append(table)
            print(text_repr(value))
        elif not is_matplotlib(value):
            print(text_repr(value))


# ---- figures ----------------------------------------------------------------


def figure_path(figures_dir):
    state.figure_counter += 1
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime()) + "-%03d" % (int(time.time() * 1000) % 1000)
    return os.path.join(figures_dir, "%s-%d.png" % (stamp, state.figure_counter))


def save_figure(figure, figures_dir, out):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    data = buffer.getvalue()
    path = figure_path(figures_dir)
    os.makedirs(figures_dir, exist_ok=True)
    with _builtin_open(path, "wb") as handle:
        handle.write(data)
    out.append({"path": path, "pngBase64": base64.b64encode(data).decode("ascii")})


def collect_figures(figures_dir, last_value):
    out = []
    plt = sys.modules.get("matplotlib.pyplot")
    figures = []
    if plt is not None:
        figures = [plt.figure(num) for num in plt.get_fignums()]
    if type(last_value).__name__ == "Figure" and is_matplotlib(last_value) and last_value not in figures:
        figures.append(last_value)
    for figure in figures:
        try:
            save_figure(figure, figures_dir, out)
        except Exception as error:
            state.capture.write("stderr", "Could not save a figure: %s: %s\n" % (type(error).__name__, error))
    if plt is not None and figures:
        plt.close("all")
    return out


# ---- running code -----------------------------------------------------------

namespace = {"__name__": "__main__", "__builtins__": builtins, "display": display}
MAX_TRACEBACK = 12_000


def format_error(error):
    tb = error.__traceback__
    # Drop the kernel's own frames: the traceback starts in the user's cell.
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<cell-"):
        tb = tb.tb_next
    if isinstance(error, SyntaxError) or tb is None:
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, tb)
    text = "".join(lines)
    if len(text) > MAX_TRACEBACK:
        text = "... [traceback cut]\n" + text[-MAX_TRACEBACK:]
    return {"name": type(error).__name__, "value": str(error), "traceback": text}


def execute(code, filename):
    tree = ast.parse(code, filename=filename, mode="exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = tree.body.pop()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if tree.body:
            exec(compile(tree, filename, "exec"), namespace)
        if last is None:
            return None, None
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        return value, last
    finally:
        signal.signal(signal.SIGINT, _ignore_sigint)


def run(request):
    started = time.perf_counter()
    # Tells the host the code is about to run: a kernel that dies before this
    # frame never ran it, and the host can retry on a fresh kernel.
    send({"type": "started", "id": request["id"]})
    state.cell += 1
    filename = "<cell-%d>" % state.cell
    code = request["code"]
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    state.capture = Capture(request["id"], int(request.get("maxOutputBytes", 100_000)))
    state.max_table_rows = int(request.get("maxTableRows", 50))
    state.tables = []
    state.written = set()
    fd_out.reset()
    fd_err.reset()
    state.active.set()
    result_text = None
    error = None
    value = None
    try:
        value, node = execute(code, filename)
        if value is not None:
            namespace["_"] = value
            name = node.value.id if isinstance(node.value, ast.Name) else None
            table = to_table(value, name, state.max_table_rows) if pandas_kind(value) else None
            if table is not None:
                state.tables.append(table)
            if not is_matplotlib(value):
                result_text = text_repr(value)
    except KeyboardInterrupt as caught:
        error = format_error(caught)
    except BaseException as caught:  # SystemExit included: the kernel keeps running.
        error = format_error(caught)
    figures = []
    try:
        figures = collect_figures(request.get("figuresDir") or "/workspace/figures", value)
    except Exception as caught:
        state.capture.write("stderr", "Could not collect figures: %s\n" % caught)
    try:
        sys.stdout.flush()
        fd_out.drain(state.capture)
        fd_err.drain(state.capture)
    except Exception:
        pass
    state.active.clear()
    state.capture.flush()
    return {
        "type": "result",
        "id": request["id"],
        "result": result_text,
        "error": error,
        "figures": figures,
        "tables": state.tables,
        "files": sorted(state.written)[:200],
        "truncated": state.capture.truncated,
        "kernelMs": round((time.perf_counter() - started) * 1000, 3),
    }


def handle(request):
    op = request.get("op")
    if op == "run":
        return run(request)
    if op == "ping":
        return {"type": "pong", "id": request.get("id")}
    return {"type": "result", "id": request.get("id"), "error": {"name": "ProtocolError", "value": "unknown op %r" % op, "traceback": ""}}


def main():
    reader = io.open(PROTO_IN, "rb")
    send(
        {
            "type": "ready",
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "pandas": importlib.util.find_spec("pandas") is not None,
            "matplotlib": importlib.util.find_spec("matplotlib") is not None,
        }
    )
    while True:
        line = reader.readline()
        if not line:
            break  # The host closed stdin: nobody is listening any more.
        request = None
        try:
            request = json.loads(line)
            response = handle(request)
        except KeyboardInterrupt:
            # An interrupt that landed after the user's code had finished.
            state.active.clear()
            state.capture.flush()
            response = {
                "type": "result",
                "id": request.get("id") if isinstance(request, dict) else None,
                "error": {"name": "KeyboardInterrupt", "value": "", "traceback": "KeyboardInterrupt\n"},
                "figures": [],
                "tables": [],
            }
        except Exception as caught:
            response = {
                "type": "result",
                "id": request.get("id") if isinstance(request, dict) else None,
                "error": {"name": "KernelError", "value": "%s: %s" % (type(caught).__name__, caught), "traceback": traceback.format_exc()},
                "figures": [],
                "tables": [],
            }
        try:
            send(response)
        except ValueError as caught:
            send({"type": "result", "id": response.get("id"), "error": {"name": "KernelError", "value": str(caught), "traceback": ""}, "figures": [], "tables": []})
    os._exit(0)


main()
`;
