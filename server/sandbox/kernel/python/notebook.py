# What models and analysts type in notebooks: "!cmd" and "%%bash" run in a
# shell, "%pip install" says where packages come from, "%matplotlib" and "%cd"
# work, top-level await runs on one event loop kept between runs. Only code
# that is not valid Python is rewritten, line for line (tracebacks keep their
# line numbers), so a "%" or "!" that Python accepts is never touched.

import ast
import os
import re
import subprocess
import sys

SHELL = "/bin/bash" if os.path.exists("/bin/bash") else "/bin/sh"
NO_NETWORK_PIP = (
    "Packages cannot be installed here: this sandbox has no network access. "
    "The runtime comes with its packages pre-installed (pandas, numpy, matplotlib... see the runtime's description); "
    "to add one, ask an admin to add it to the runtime (Admin -> Runtimes), then start a new sandbox."
)


class UsageError(Exception):
    """A notebook magic this kernel does not support."""


def run_shell(command, capture=False):
    """!cmd: runs in a shell, output captured in order; a non-zero exit is noted, not raised."""
    if capture:
        done = subprocess.run([SHELL, "-c", command], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        return done.stdout.decode("utf-8", "replace").splitlines()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    done = subprocess.run([SHELL, "-c", command], stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        warn("[exit code %d]" % done.returncode)
    return None


def has_network():
    try:
        return any(name != "lo" for name in os.listdir("/sys/class/net"))
    except OSError:
        return False


def run_pip(arguments):
    words = arguments.split()
    if words[:1] == ["install"] and not has_network():
        warn(NO_NETWORK_PIP)
        return None
    return run_shell("%s -m pip %s" % (sys.executable, arguments))


def run_magic(line):
    name, _, rest = line.partition(" ")
    rest = rest.strip()
    if name in ("pip", "pip3"):
        return run_pip(rest)
    if name in ("conda", "mamba"):
        warn(NO_NETWORK_PIP if not has_network() else "conda is not available here; use %pip.")
        return None
    if name == "matplotlib":
        return None  # Figures are always shown after each run.
    if name == "cd":
        os.chdir(os.path.expanduser(rest or "~"))
        return None
    if name == "pwd":
        return os.getcwd()
    raise UsageError("%%%s is not supported here. Supported: !command, %%%%bash, %%pip, %%cd, %%pwd, %%matplotlib." % name)


SHELL_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*!(.*)$")


def transform_line(line):
    body = line.lstrip()
    indent = line[: len(line) - len(body)]
    assigned = SHELL_ASSIGN.match(body)
    if assigned:
        return "%s%s = _tidepool_shell(%r, capture=True)" % (indent, assigned.group(1), assigned.group(2).strip())
    if body.startswith("!"):
        command = body[1:].strip()
        pip = re.match(r"^(?:pip3?|python3? -m pip)\s+(.*)$", command)
        if pip:
            return "%s_tidepool_pip(%r)" % (indent, pip.group(1))
        return "%s_tidepool_shell(%r)" % (indent, command)
    if body.startswith("%") and not body.startswith("%%"):
        return "%s_tidepool_magic(%r)" % (indent, body[1:].strip())
    return line


def transform_cell(code):
    """Notebook syntax as Python, or the code unchanged when it is Python already."""
    try:
        ast.parse(code)
        return code
    except SyntaxError:
        pass
    first, _, rest = code.lstrip("\n").partition("\n")
    cell_magic = first.strip().split()
    if cell_magic and cell_magic[0] in ("%%bash", "%%sh"):
        return "_tidepool_shell(%r)" % rest
    if cell_magic and cell_magic[0].startswith("%%"):
        raise UsageError("%s is not supported here. Supported cell magics: %%%%bash, %%%%sh." % cell_magic[0])
    return "\n".join(transform_line(line) for line in code.split("\n"))
