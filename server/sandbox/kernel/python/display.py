# display(), the _repr_*_ methods, PIL images and DataFrames become typed
# entries of the result ("displays"), like a notebook's display_data: every
# entry has a text form (what the model reads) and the richest forms the
# object offers. Images are saved beside the figures and sent as bytes.

import base64
import importlib.util
import io
import json
import os
import sys

MAX_RICH_TEXT = 200_000
MAX_IMAGE_BYTES = 8 * 1024 * 1024
REPR_METHODS = (
    ("html", "_repr_html_"),
    ("markdown", "_repr_markdown_"),
    ("svg", "_repr_svg_"),
    ("png", "_repr_png_"),
    ("jpeg", "_repr_jpeg_"),
    ("latex", "_repr_latex_"),
    ("json", "_repr_json_"),
)
MIME_KEYS = {
    "text/html": "html",
    "text/markdown": "markdown",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "text/latex": "latex",
    "application/json": "json",
    "text/plain": "text",
}
# The form the UI shows, richest first.
KIND_ORDER = ("png", "jpeg", "svg", "html", "markdown", "latex", "json")


def is_pil_image(value):
    return type(value).__module__.split(".")[0] == "PIL" and hasattr(value, "save") and hasattr(value, "mode")


def warn(text):
    state.capture.write("stderr", text + "\n")


def repr_bundle(value):
    """The forms an object offers through _repr_mimebundle_ and _repr_*_ (IPython's protocol)."""
    bundle = {}
    method = getattr(value, "_repr_mimebundle_", None)
    if callable(method) and not isinstance(value, type):
        try:
            data = method(include=None, exclude=None)
            if isinstance(data, tuple):
                data = data[0]
            for mime, content in (data or {}).items():
                if mime in MIME_KEYS and content is not None:
                    bundle[MIME_KEYS[mime]] = content
        except Exception as error:
            warn("_repr_mimebundle_ failed: %s: %s" % (type(error).__name__, error))
    for key, name in REPR_METHODS:
        method = getattr(value, name, None)
        if key in bundle or not callable(method) or isinstance(value, type):
            continue
        try:
            content = method()
        except Exception as error:
            warn("%s failed: %s: %s" % (name, type(error).__name__, error))
            continue
        if isinstance(content, tuple):
            content = content[0]
        if content is not None:
            bundle[key] = content
    return bundle


def image_entry(data, mime):
    if isinstance(data, str):
        data = base64.b64decode(data)
    if len(data) > MAX_IMAGE_BYTES:
        warn("An image of %d bytes was too large to show (limit %d)." % (len(data), MAX_IMAGE_BYTES))
        return None
    path = figure_path(state.figures_dir, "png" if mime == "image/png" else "jpg")
    os.makedirs(state.figures_dir, exist_ok=True)
    with _builtin_open(path, "wb") as handle:
        handle.write(data)
    return {"path": path, "mime": mime, "base64": base64.b64encode(data).decode("ascii")}


def pil_png(image):
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def rich_text(content):
    text = content if isinstance(content, str) else str(content)
    return text if len(text) <= MAX_RICH_TEXT else None


def build_display(value, source, name=None):
    """The display entry for a value, or None when it has no form beyond its repr."""
    entry = {"source": source, "text": text_repr(value)}
    if pandas_kind(value):
        table = to_table(value, name, state.max_table_rows)
        state.tables.append(table)
        entry["table"] = len(state.tables) - 1
        try:
            frame = value.to_frame() if pandas_kind(value) == "series" else value
            entry["html"] = rich_text(frame.head(state.max_table_rows).to_html(max_cols=50))
        except Exception:
            pass
        entry["kind"] = "table"
        return entry
    if is_pil_image(value):
        image = image_entry(pil_png(value), "image/png")
        if image is None:
            return None
        image["width"], image["height"] = value.size
        entry["image"] = image
        entry["kind"] = "image"
        return entry
    bundle = repr_bundle(value)
    if "text" in bundle and isinstance(bundle["text"], str):
        entry["text"] = cut(bundle["text"], MAX_REPR)
    for key in ("png", "jpeg"):
        if key in bundle and "image" not in entry:
            try:
                image = image_entry(bundle[key], "image/" + key)
            except Exception as error:
                warn("Could not read a %s image: %s" % (key, error))
                image = None
            if image is not None:
                entry["image"] = image
    for key in ("svg", "html", "markdown", "latex"):
        if key in bundle:
            text = rich_text(bundle[key])
            if text is None:
                warn("A %s output was too large to show (limit %d characters)." % (key, MAX_RICH_TEXT))
            else:
                entry[key] = text
    if "json" in bundle:
        try:
            encoded = json.dumps(bundle["json"], default=str, allow_nan=False)
            if len(encoded) <= MAX_RICH_TEXT:
                entry["json"] = json.loads(encoded)
        except (TypeError, ValueError) as error:
            warn("A JSON output could not be encoded: %s" % error)
    for key in KIND_ORDER:
        if key in entry or (key in ("png", "jpeg") and entry.get("image", {}).get("mime") == "image/" + key):
            entry["kind"] = "image" if key in ("png", "jpeg") else key
            return entry
    return None


def display(*values, **options):
    """Shows values like a notebook would: images, HTML, markdown, tables; anything else printed."""
    for value in values:
        if value is None:
            continue
        if is_matplotlib(value) and type(value).__name__ == "Figure":
            show_figure(value)
            continue
        if is_matplotlib(value):
            continue
        entry = build_display(value, "display")
        if entry is None:
            print(text_repr(value))
        else:
            add_display(entry)


def add_display(entry):
    state.displays.append(entry)
    mark_output("display", len(state.displays) - 1)


def show_pil_image(image, *args, **kwargs):
    """PIL's Image.show(): shown in the chat instead of an external viewer."""
    display(image)


class PatchOnImport:
    """Patches a module right after its first import (PIL.Image's show), so
    importing it costs nothing until user code does."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module):
            original(module)
            try:
                patch(module)
            except Exception:
                pass

        loader.exec_module = exec_module
        return spec


def patch_pil(module):
    module.Image.show = show_pil_image


# ---- IPython.display stand-in -----------------------------------------------
# Code written for notebooks imports display, HTML, Markdown, Image... from
# IPython.display. Where IPython is not installed, a small stand-in module
# offers them; where it is, its display() is pointed at ours.


class DisplayObject:
    binary = False

    def __init__(self, data=None, url=None, filename=None, **metadata):
        if filename is not None:
            with _builtin_open(filename, "rb" if self.binary else "r") as handle:
                data = handle.read()
        self.data = data
        self.url = url
        self.metadata = metadata

    def __repr__(self):
        return "<IPython.core.display.%s object>" % type(self).__name__


class HTML(DisplayObject):
    def _repr_html_(self):
        return self.data


class Markdown(DisplayObject):
    def _repr_markdown_(self):
        return self.data


class Latex(DisplayObject):
    def _repr_latex_(self):
        return self.data


class Math(DisplayObject):
    def _repr_latex_(self):
        return "$$%s$$" % (self.data or "").strip("$")


class SVG(DisplayObject):
    def _repr_svg_(self):
        return self.data.decode("utf-8", "replace") if isinstance(self.data, bytes) else self.data


class JSON(DisplayObject):
    def _repr_json_(self):
        return json.loads(self.data) if isinstance(self.data, str) else self.data


class Image(DisplayObject):
    binary = True

    def _kind(self):
        data = self.data or b""
        return "jpeg" if isinstance(data, bytes) and data[:2] == b"\xff\xd8" else "png"

    def _repr_png_(self):
        return self.data if self._kind() == "png" else None

    def _repr_jpeg_(self):
        return self.data if self._kind() == "jpeg" else None


def clear_output(wait=False):
    pass  # Outputs are collected per run; there is nothing to clear.


class IPythonStandIn:
    """Last on sys.meta_path, so it only answers when IPython is not installed,
    and only once user code imports it (libraries such as matplotlib change
    behaviour when they see an IPython module loaded)."""

    def find_spec(self, name, path=None, target=None):
        if name not in ("IPython", "IPython.display"):
            return None
        return importlib.util.spec_from_loader(name, self, is_package=name == "IPython")

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ == "IPython":
            module.get_ipython = lambda: None  # "Not inside IPython", for code that asks.
            return
        for value in (display, clear_output, DisplayObject, HTML, Markdown, Latex, Math, SVG, JSON, Image):
            setattr(module, value.__name__, value)


def patch_ipython_display(module):
    module.display = display
