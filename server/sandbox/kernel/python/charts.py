# What a matplotlib figure shows, for the model (which cannot see the PNG):
# per axes its kind, title, labels and scales, and per series a few values.
# Read after the figure was saved, so tick labels are drawn.

import math

MAX_AXES = 8
MAX_SERIES = 8
SAMPLE = 6


def plain_number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return json_cell(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else round(number, 6)


def sample(values):
    return [plain_number(value) for value in list(values)[:SAMPLE]]


def numeric_range(values):
    numbers = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            numbers.append(number)
    return (plain_number(min(numbers)), plain_number(max(numbers))) if numbers else None


def series_label(artist):
    label = artist.get_label() if hasattr(artist, "get_label") else None
    return None if not label or label.startswith("_") else str(label)


def make_series(kind, label, xs, ys):
    entry = {"kind": kind, "label": label, "points": len(ys), "x": sample(xs), "y": sample(ys)}
    span = numeric_range(ys)
    if span is not None:
        entry["min"], entry["max"] = span
    return entry


def tick_names(ax, axis):
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return {round(float(tick), 6): label.get_text() for tick, label in zip(ticks, labels) if label.get_text()}


def bar_series(ax, container):
    patches = list(container.patches)
    horizontal = getattr(container, "orientation", None) == "horizontal" or (
        patches and all(p.get_height() != 0 for p in patches[:1]) and len({round(p.get_x(), 9) for p in patches}) == 1 and len(patches) > 1
    )
    if horizontal:
        centers = [p.get_y() + p.get_height() / 2 for p in patches]
        values = [p.get_width() for p in patches]
        names = tick_names(ax, "y")
    else:
        centers = [p.get_x() + p.get_width() / 2 for p in patches]
        values = [p.get_height() for p in patches]
        names = tick_names(ax, "x")
    touching = len(patches) > 1 and not horizontal and all(
        abs(a.get_x() + a.get_width() - b.get_x()) < 1e-9 * max(1.0, abs(b.get_x())) for a, b in zip(patches, patches[1:])
    )
    if touching:
        edges = [p.get_x() for p in patches]
        return make_series("histogram", series_label(container), edges, values)
    categories = [names.get(round(center, 6), center) for center in centers]
    return make_series("barh" if horizontal else "bar", series_label(container), categories, values)


def axes_summary(ax):
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer
    from matplotlib.patches import Wedge

    series = []
    kinds = []
    wedges = [patch for patch in ax.patches if isinstance(patch, Wedge)]
    if wedges:
        texts = [text.get_text() for text in ax.texts if text.get_text() and "%" not in text.get_text()]
        shares = [round((wedge.theta2 - wedge.theta1) / 360.0, 4) for wedge in wedges]
        names = texts[: len(wedges)] if len(texts) >= len(wedges) else [series_label(w) or str(i) for i, w in enumerate(wedges)]
        series.append(make_series("pie", None, names, shares))
        kinds.append("pie")
    for container in ax.containers:
        if isinstance(container, BarContainer) and len(series) < MAX_SERIES:
            entry = bar_series(ax, container)
            series.append(entry)
            kinds.append(entry["kind"])
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and len(series) < MAX_SERIES:
            offsets = collection.get_offsets()
            if len(offsets):
                series.append(make_series("scatter", series_label(collection), [p[0] for p in offsets], [p[1] for p in offsets]))
                kinds.append("scatter")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 0]
    labelled = [line for line in lines if series_label(line)]
    # A box plot is many unlabelled short lines (whiskers, caps, medians).
    boxy = not labelled and len(lines) >= 5 and all(len(line.get_xdata()) <= 5 for line in lines)
    if boxy:
        names = [name for _, name in sorted(tick_names(ax, "x").items())]
        values = [value for line in lines for value in line.get_ydata()]
        entry = make_series("box", None, names, [])
        entry["points"] = len(names)
        span = numeric_range(values)
        if span is not None:
            entry["min"], entry["max"] = span
        series.append(entry)
        kinds.append("box")
    else:
        for line in lines[: max(0, MAX_SERIES - len(series))]:
            series.append(make_series("line", series_label(line), line.get_xdata(), line.get_ydata()))
            kinds.append("line")
    kind = kinds[0] if kinds and all(k == kinds[0] for k in kinds) else ("mixed" if kinds else "empty")
    return {
        "kind": kind,
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "xscale": ax.get_xscale(),
        "yscale": ax.get_yscale(),
        "series": series,
    }


def figure_summary(figure):
    suptitle = getattr(figure, "_suptitle", None)
    axes = [ax for ax in figure.get_axes() if ax.get_label() != "<colorbar>"]
    return {
        "title": suptitle.get_text() if suptitle is not None else "",
        "axes": [axes_summary(ax) for ax in axes[:MAX_AXES]],
        "totalAxes": len(axes),
    }
