# Output capture: fds 1 and 2 (so child processes are captured too, in order
# with prints), sys.stdout/sys.stderr as capture objects, files opened for
# writing, and the threads that drain and send output while a run is in flight.

import builtins
import codecs
import io
import os
import select
import signal
import sys
import threading
import time
import warnings

class Streams:
    """fds 1 and 2 of this process and its children: pipes, drained by a thread
    as data arrives and, before every write from Python code, by the writer
    itself, so child output and prints land in the order they were written.
    One lock covers both, and each stream has an incremental UTF-8 decoder, so
    a character split across reads is decoded whole and no byte is read twice."""

    def __init__(self):
        self.lock = threading.RLock()
        self.readers = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            read_end, write_end = os.pipe()
            os.set_blocking(read_end, False)
            os.dup2(write_end, fd)
            os.close(write_end)
            self.readers[read_end] = (name, codecs.getincrementaldecoder("utf-8")("replace"))
        # One syscall per print asks whether anything is waiting.
        self.waiting = select.poll()
        for reader in self.readers:
            self.waiting.register(reader, select.POLLIN)

    def drain(self):
        with self.lock:
            for reader, _event in self.waiting.poll(0):
                name, decoder = self.readers[reader]
                while True:
                    try:
                        chunk = os.read(reader, 1 << 16)
                    except BlockingIOError:
                        break
                    if not chunk:
                        break
                    state.capture.write(name, decoder.decode(chunk))

    def write(self, name, text):
        capture = state.capture
        if capture.kept >= capture.max_bytes:
            capture.truncated = True  # Past the cap: nothing to order, the pump discards the rest.
            return
        with self.lock:
            self.drain()
            state.capture.write(name, text)

    def finish(self):
        """End of a run: everything written so far, and the tail of a cut character as U+FFFD."""
        with self.lock:
            self.drain()
            for name, decoder in self.readers.values():
                state.capture.write(name, decoder.decode(b"", True))
                decoder.reset()

    def pump(self):
        # Blocks in poll while nothing is written, so an idle kernel costs no CPU.
        poller = select.poll()
        for reader in self.readers:
            poller.register(reader, select.POLLIN)
        while True:
            poller.poll()
            try:
                self.drain()
            except Exception:
                time.sleep(0.05)


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
        self.sending = threading.RLock()

    def write(self, name, text):
        if not text:
            return
        with self.lock:
            if self.kept >= self.max_bytes:
                self.truncated = True
                return
            size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
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
        # One sender at a time, so batches (and output marks) reach the host in the order written.
        with self.sending:
            with self.lock:
                pending, self.pending, self.pending_bytes = self.pending, [], 0
            for name, texts in pending:
                send({"type": "stream", "id": self.run_id, "name": name, "text": "".join(texts)})

    def mark(self, kind, index):
        """Tells the host that display or figure `index` came here: after the text sent so far, before what follows."""
        with self.sending:
            self.flush()
            send({"type": "output", "id": self.run_id, "kind": kind, "index": index})


class StreamProxy(io.TextIOBase):
    """sys.stdout / sys.stderr for user code: text goes to the current run's
    capture after whatever child processes wrote before it; bytes go down the
    fd itself, in order with everything else."""

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
                view = memoryview(bytes(data))
                while view:
                    view = view[os.write(proxy._fd, view):]
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
        streams.write(self.name, text)
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
        self.displays = []
        self.figures = []
        self.shown_figures = set()
        self.figures_dir = "/workspace/figures"
        self.written = set()


state = State()
streams = Streams()
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
    # Sends output in batches; only wakes while a run is in flight, so an idle kernel costs no CPU.
    while True:
        state.active.wait()
        time.sleep(0.05)
        if not state.active.is_set():
            continue
        try:
            state.capture.flush()
        except Exception:
            pass


threading.Thread(target=streams.pump, name="tidepool-streams", daemon=True).start()
threading.Thread(target=flusher, name="tidepool-flusher", daemon=True).start()


def _ignore_sigint(signum, frame):
    pass


signal.signal(signal.SIGINT, _ignore_sigint)


def mark_output(kind, index):
    """A display or figure was just shown: its place among the run's text, child processes' output included."""
    with streams.lock:
        streams.drain()
        state.capture.mark(kind, index)
