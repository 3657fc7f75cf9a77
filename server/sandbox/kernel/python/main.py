# Running a cell and the main loop: the request loop, the result frame, and
# what runs last when the program starts.

import ast
import importlib.util
import inspect
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback

namespace = {
    "__name__": "__main__",
    "__builtins__": builtins,
    "display": display,
    "_tidepool_shell": run_shell,
    "_tidepool_pip": run_pip,
    "_tidepool_magic": run_magic,
}
event_loop = None
MAX_TRACEBACK = 12_000


def format_error(error):
    tb = error.__traceback__
    # Drop the kernel's own frames: the traceback starts in the user's cell.
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<cell-"):
        tb = tb.tb_next
    if isinstance(error, (SyntaxError, UsageError)) or tb is None:
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, tb)
    text = "".join(lines)
    if len(text) > MAX_TRACEBACK:
        text = "... [traceback cut]\n" + text[-MAX_TRACEBACK:]
    return {"name": type(error).__name__, "value": str(error), "traceback": text}


def run_code(code_object):
    """eval(), and for top-level await the coroutine run on the kernel's one event loop."""
    global event_loop
    result = eval(code_object, namespace)
    if code_object.co_flags & inspect.CO_COROUTINE:
        import asyncio

        if event_loop is None or event_loop.is_closed():
            event_loop = asyncio.new_event_loop()
        result = event_loop.run_until_complete(result)
    return result


def execute(code, filename):
    try:
        source = transform_cell(code)
        tree = ast.parse(source, filename=filename, mode="exec")
    except SyntaxError:
        if source is code:
            raise
        tree = ast.parse(code, filename=filename, mode="exec")  # The user's own error, not ours.
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = tree.body.pop()
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if tree.body:
            run_code(compile(tree, filename, "exec", flags=flags))
        if last is None:
            return None, None
        value = run_code(compile(ast.Expression(last.value), filename, "eval", flags=flags))
        return value, last
    finally:
        signal.signal(signal.SIGINT, _ignore_sigint)


def oom_kills():
    """How many processes the memory limit has killed in this container (cgroup v2, then v1)."""
    for path in ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"):
        try:
            with _builtin_open(path) as handle:
                for line in handle:
                    if line.startswith("oom_kill "):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
    return None


def run(request):
    started = time.perf_counter()
    # Tells the host the code is about to run: a kernel that dies before this
    # frame never ran it, and the host can retry on a fresh kernel.
    # oomKills lets the host tell, if the kernel dies, whether the memory limit killed it.
    send({"type": "started", "id": request["id"], "oomKills": oom_kills()})
    state.cell += 1
    filename = "<cell-%d>" % state.cell
    code = request["code"]
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    with streams.lock:
        # Output of background children between runs belongs to no run.
        streams.finish()
        state.capture = Capture(request["id"], int(request.get("maxOutputBytes", 100_000)))
    state.max_table_rows = int(request.get("maxTableRows", 50))
    state.tables = []
    state.displays = []
    state.figures = []
    state.shown_figures = set()
    state.figures_dir = request.get("figuresDir") or "/workspace/figures"
    state.written = set()
    state.active.set()
    result_text = None
    error = None
    value = None
    try:
        value, node = execute(code, filename)
        if value is not None:
            namespace["_"] = value
            name = node.value.id if isinstance(node.value, ast.Name) else None
            if not is_matplotlib(value):
                result_text = text_repr(value)
                try:
                    entry = build_display(value, "result", name)
                except Exception as caught:
                    entry = None
                    warn("Could not display the result: %s: %s" % (type(caught).__name__, caught))
                if entry is not None:
                    add_display(entry)
    except KeyboardInterrupt as caught:
        error = format_error(caught)
    except BaseException as caught:  # SystemExit included: the kernel keeps running.
        error = format_error(caught)
    figures = state.figures
    try:
        figures = collect_figures(state.figures_dir, value)
    except Exception as caught:
        state.capture.write("stderr", "Could not collect figures: %s\n" % caught)
    try:
        streams.finish()
    except Exception:
        pass
    state.active.clear()
    state.capture.flush()
    capture, state.capture = state.capture, Capture(None, 0)
    return {
        "type": "result",
        "id": request["id"],
        "result": result_text,
        "error": error,
        "figures": figures,
        "tables": state.tables,
        "displays": state.displays,
        "executionCount": state.cell,
        "files": sorted(state.written)[:200],
        "truncated": capture.truncated,
        "kernelMs": round((time.perf_counter() - started) * 1000, 3),
    }


def handle(request):
    op = request.get("op")
    if op == "run":
        return run(request)
    if op == "ping":
        return {"type": "pong", "id": request.get("id")}
    if op == "info":
        # A host that attached to this kernel after an app restart asks who it is talking to.
        return ready_frame()
    return {"type": "result", "id": request.get("id"), "error": {"name": "ProtocolError", "value": "unknown op %r" % op, "traceback": ""}}


def ready_frame():
    return {
        "type": "ready",
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "pandas": importlib.util.find_spec("pandas") is not None,
        "matplotlib": importlib.util.find_spec("matplotlib") is not None,
    }


def main():
    reader = io.open(PROTO_IN, "rb")
    send(ready_frame())
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


sys.meta_path.insert(0, PatchOnImport({"PIL.Image": patch_pil, "IPython.display": patch_ipython_display}))
sys.meta_path.append(IPythonStandIn())
main()
