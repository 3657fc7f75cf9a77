# What a matplotlib figure shows, as data: per axes its kind, title, labels
# and scales, and per series every plotted value (up to MAX_POINTS, evenly
# thinned beyond), its colour, and for box plots each box's five numbers. The
# browser redraws the chart from it; the model reads a few values of it
# (figure-summary.ts). Read after the figure was saved, so tick labels are drawn.

import json
import math

MAX_AXES = 8
MAX_SERIES = 8
# Values kept per series; a longer series keeps this many evenly spaced ones (first and last included).
MAX_POINTS = 1000
# The whole chart's data as JSON; past it every series is thinned further (halving) until it fits.
MAX_CHART_BYTES = 256 * 1024
# The fewest values thinning leaves in a series.
MIN_POINTS = 6


def plain_number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return json_cell(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else round(number, 6)


def thin(values, limit):
    """At most `limit` values, evenly spaced; the same indices for any two lists of one length."""
    values = list(values)
    count = len(values)
    if count <= limit:
        return values
    if limit < 2:
        return values[:limit]
    return [values[round(i * (count - 1) / (limit - 1))] for i in range(limit)]


def numbers_of(values):
    return [plain_number(value) for value in thin(values, MAX_POINTS)]


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


def hex_color(color):
    """#rrggbb for a matplotlib colour, or None."""
    try:
        from matplotlib.colors import to_hex

        return to_hex(color, keep_alpha=False)
    except (ValueError, TypeError):
        return None


def make_series(kind, label, xs, ys, color=None):
    entry = {"kind": kind, "label": label, "points": len(ys), "x": numbers_of(xs), "y": numbers_of(ys)}
    span = numeric_range(ys)
    if span is not None:
        entry["min"], entry["max"] = span
    if color is not None:
        entry["color"] = color
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
    color = hex_color(patches[0].get_facecolor()) if patches else None
    touching = len(patches) > 1 and not horizontal and all(
        abs(a.get_x() + a.get_width() - b.get_x()) < 1e-9 * max(1.0, abs(b.get_x())) for a, b in zip(patches, patches[1:])
    )
    if touching:
        edges = [p.get_x() for p in patches]
        return make_series("histogram", series_label(container), edges, values, color)
    categories = [names.get(round(center, 6), center) for center in centers]
    return make_series("barh" if horizontal else "bar", series_label(container), categories, values, color)


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def coordinates(artist):
    """An artist's points as two lists of floats, or None (a line, or a box drawn as a patch)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch

    try:
        if isinstance(artist, Line2D):
            return [float(v) for v in artist.get_xdata()], [float(v) for v in artist.get_ydata()]
        if isinstance(artist, PathPatch):
            vertices = artist.get_path().vertices
            return [float(v) for v in vertices[:, 0]], [float(v) for v in vertices[:, 1]]
    except (TypeError, ValueError):
        pass
    return None


def box_stats(ax):
    """ax.boxplot's boxes read back from what it drew: per box its position, five numbers and colour.
    A box is a rectangle (a 5-point line, or a patch with patch_artist=True); its whiskers
    run from its middle to the low and high values, its median crosses it."""
    rectangles = []
    segments = []
    for artist in list(ax.lines) + list(ax.patches):
        points = coordinates(artist)
        if points is None:
            continue
        xs, ys = points
        if len(xs) == 2:
            segments.append((xs, ys))
        elif len(xs) in (5, 6) and len(set(xs)) == 2 and len(set(ys)) == 2:  # A patch's path adds a closing vertex.
            color = artist.get_edgecolor() if hasattr(artist, "get_edgecolor") else artist.get_color()
            rectangles.append((xs, ys, hex_color(color)))
    boxes = []
    for xs, ys, color in rectangles:
        for vertical in (True, False):
            across, along = (xs, ys) if vertical else (ys, xs)
            middle = (min(across) + max(across)) / 2
            q1, q3 = min(along), max(along)
            whiskers = []
            median = None
            for sx, sy in segments:
                s_across, s_along = (sx, sy) if vertical else (sy, sx)
                if close(s_across[0], middle) and close(s_across[1], middle) and (close(min(s_along), q3) or close(max(s_along), q1)):
                    whiskers.extend(s_along)
                elif close(s_along[0], s_along[1]) and q1 <= s_along[0] <= q3 and close(min(s_across), min(across)) and close(max(s_across), max(across)):
                    median = s_along[0]
            if whiskers and median is not None:
                low, high = min(whiskers + [q1]), max(whiskers + [q3])
                boxes.append((vertical, middle, [low, q1, median, q3, high], color))
                break
    return sorted(boxes, key=lambda box: box[1])


def box_series(ax, boxes, lines):
    vertical = boxes[0][0]
    names = tick_names(ax, "x" if vertical else "y")
    entry = make_series("box", None, [names.get(round(middle, 6), middle) for _, middle, _, _ in boxes], [])
    entry["points"] = len(boxes)
    entry["boxes"] = [
        dict(zip(("low", "q1", "median", "q3", "high"), (plain_number(v) for v in five))) for _, _, five, _ in thin(boxes, MAX_POINTS)
    ]
    # The range of everything drawn, outliers included.
    span = numeric_range([v for line in lines for v in (line.get_ydata() if vertical else line.get_xdata())] + [v for _, _, five, _ in boxes for v in five])
    if span is not None:
        entry["min"], entry["max"] = span
    if boxes[0][3] is not None:
        entry["color"] = boxes[0][3]
    return entry


def first_color(colors):
    return hex_color(colors[0]) if len(colors) else None


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
                xs, ys = [p[0] for p in offsets], [p[1] for p in offsets]
                color = first_color(collection.get_facecolors()) or first_color(collection.get_edgecolors())
                series.append(make_series("scatter", series_label(collection), xs, ys, color))
                kinds.append("scatter")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 0]
    boxes = box_stats(ax) if not any(series_label(line) for line in lines) else []
    if boxes:
        series.append(box_series(ax, boxes, lines))
        kinds.append("box")
    else:
        for line in lines[: max(0, MAX_SERIES - len(series))]:
            series.append(make_series("line", series_label(line), line.get_xdata(), line.get_ydata(), hex_color(line.get_color())))
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


def fit_chart_data(summary):
    """Thins every series further until the chart's data fits in MAX_CHART_BYTES (x, y and boxes
    of a series stay aligned: they have one length, and thin() picks indices by length alone)."""
    limit = MAX_POINTS
    while len(json.dumps(summary, default=str)) > MAX_CHART_BYTES and limit > MIN_POINTS:
        limit = max(MIN_POINTS, limit // 2)
        for axes in summary["axes"]:
            for series in axes["series"]:
                for key in ("x", "y", "boxes"):
                    if key in series:
                        series[key] = thin(series[key], limit)
    return summary


def figure_summary(figure):
    suptitle = getattr(figure, "_suptitle", None)
    axes = [ax for ax in figure.get_axes() if ax.get_label() != "<colorbar>"]
    return fit_chart_data(
        {
            "title": suptitle.get_text() if suptitle is not None else "",
            "axes": [axes_summary(ax) for ax in axes[:MAX_AXES]],
            "totalAxes": len(axes),
        }
    )
