# The Tidepool kernel: one Python process per sandbox, started by the host with
# `python3 -u -c <program>` (python-kernel.ts). The program is these files joined
# in the order scripts/lib/python-programs.ts lists them (one module, one
# namespace), so each file may use what the files before it define.
#
# This file: the protocol pipes. The kernel reads JSON lines on its stdin and
# writes JSON lines on its stdout (protocol.ts). User code never sees those
# pipes: fd 0 becomes /dev/null, and fds 1 and 2 become pipes the kernel reads
# as the run's output (capture.py).

import json
import os
import sys
import threading
import traceback

PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
# The kernel's own stderr, kept once fd 2 belongs to user code: a crash while
# starting shows up in the host's "exited while starting" message.
KERNEL_ERR = os.dup(2)
sys.excepthook = lambda kind, value, tb: os.write(KERNEL_ERR, "".join(traceback.format_exception(kind, value, tb)).encode("utf-8", "replace"))
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
