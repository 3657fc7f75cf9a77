# matplotlib figures: saved as PNG under the figures folder, with their data
# (charts.py), when displayed or at the end of a run.

import base64
import io
import os
import sys
import time

def figure_path(figures_dir, extension="png"):
    state.figure_counter += 1
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime()) + "-%03d" % (int(time.time() * 1000) % 1000)
    return os.path.join(figures_dir, "%s-%d.%s" % (stamp, state.figure_counter, extension))


def show_figure(figure):
    """display(fig): saved now (it may be closed before the run ends), not again at the end."""
    if id(figure) in state.shown_figures:
        return
    try:
        save_figure(figure, state.figures_dir, state.figures)
        state.shown_figures.add(id(figure))
    except Exception as error:
        warn("Could not save a figure: %s: %s" % (type(error).__name__, error))


def save_figure(figure, figures_dir, out):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    data = buffer.getvalue()
    path = figure_path(figures_dir)
    os.makedirs(figures_dir, exist_ok=True)
    with _builtin_open(path, "wb") as handle:
        handle.write(data)
    entry = {"path": path, "pngBase64": base64.b64encode(data).decode("ascii")}
    try:
        entry["summary"] = figure_summary(figure)
    except Exception:
        pass  # A chart we cannot read is still shown.
    out.append(entry)
    mark_output("figure", len(out) - 1)


def collect_figures(figures_dir, last_value):
    out = state.figures
    plt = sys.modules.get("matplotlib.pyplot")
    figures = []
    if plt is not None:
        figures = [plt.figure(num) for num in plt.get_fignums()]
    if type(last_value).__name__ == "Figure" and is_matplotlib(last_value) and last_value not in figures:
        figures.append(last_value)
    for figure in figures:
        if id(figure) in state.shown_figures:
            continue
        try:
            save_figure(figure, figures_dir, out)
        except Exception as error:
            state.capture.write("stderr", "Could not save a figure: %s: %s\n" % (type(error).__name__, error))
    if plt is not None and figures:
        plt.close("all")
    return out
