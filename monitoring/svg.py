"""Server-side SVG drawing of monitoring.charts.Chart: for PDFs (WeasyPrint) and browsers without scripts.

The drawing follows the same rules as static/js/charts.js, so a chart looks alike on the page and in
the report: lines with markers for measured values, hollow markers for estimates, a dashed line for
the target path; bars and stacked bars in the Okabe–Ito palette, each stacked series with its own
pattern as well, so the meaning never depends on colour alone. Numbers are formatted in the active
language (1.234,5 in German). Every text is escaped; nothing is loaded from elsewhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from monitoring.charts import BAR, LINE, STACKED, Chart, Series
from monitoring.formats import number as format_number

WIDTH = 720
PLOT_HEIGHT = 240
PAD = 8
FONT_SIZE = 12
CHAR_WIDTH = 6.8  # a generous average glyph width at 12 px, so estimated label widths do not overlap
LEGEND_ROW = 20
ROW_HEIGHT = 28  # horizontal bars
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
TEXT = "#1c2b22"
MUTED = "#4d5a52"
GRID = "#d5ddd8"
TARGET_COLOUR = "#333333"
# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical", "backdiagonal", "grid"]
MARKERS = ["circle", "square", "triangle", "diamond"]
MAX_BAR = 40  # px: bars on a time axis with few years stay bars, not blocks
LONG_LABEL = 6  # category labels longer than this (stage names) are drawn as horizontal bars

BAR_STYLE = "bar"
ESTIMATE = "estimate"
TARGET = "target"


def is_horizontal(chart: Chart) -> bool:
    """Bar charts of named categories (heat-planning stages) lie on their side, so their names fit."""
    return chart.kind == BAR and any(len(label) > LONG_LABEL for label in chart.labels)


def nice_ticks(low: float, high: float, count: int = 5, *, integers: bool = False) -> list[float]:
    """Round tick values covering low..high (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if integers and candidate != int(candidate):
            continue
        if candidate >= raw:
            step = candidate
            break
    if integers:
        step = max(step, 1)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    steps = round((end - start) / step)
    return [round(start + i * step, 10) for i in range(steps + 1)]


def _tick_decimals(ticks: list[float]) -> int:
    if len(ticks) < 2:
        return 0
    step = Decimal(str(round(ticks[1] - ticks[0], 10))).normalize()
    return max(0, -step.as_tuple().exponent)


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _f(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _uid(chart: Chart) -> str:
    return "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", chart.key or "x") + "-svg"


@dataclass
class _Look:
    """How a series is drawn: its colour, pattern (bars) or marker and dash (lines)."""

    series: Series
    colour: str
    pattern: str = "solid"
    marker: str = "circle"
    dashed: bool = False
    hollow: bool = False
    hollow_at: frozenset[int] = frozenset()  # measured points that are estimates


def _looks(chart: Chart) -> list[_Look]:
    looks: list[_Look] = []
    bar_index = line_index = 0
    last_line: _Look | None = None
    targets = [s for s in chart.series if s.style == TARGET]
    for series in chart.series:
        if series.style == BAR_STYLE and chart.kind in (BAR, STACKED):
            looks.append(_Look(series, PALETTE[bar_index % len(PALETTE)], pattern=PATTERNS[bar_index % len(PATTERNS)]))
            bar_index += 1
        elif series.style == ESTIMATE:
            base = last_line.colour if last_line else PALETTE[0]
            look = _Look(series, base, marker=last_line.marker if last_line else "circle", hollow=True)
            if last_line is not None:
                last_line.hollow_at = frozenset(i for i, v in enumerate(series.values) if v is not None)
            looks.append(look)
        elif series.style == TARGET:
            colour = TARGET_COLOUR if len(targets) == 1 or last_line is None else last_line.colour
            looks.append(_Look(series, colour, marker="square", dashed=True))
        else:
            look = _Look(series, PALETTE[line_index % len(PALETTE)], marker=MARKERS[line_index % len(MARKERS)])
            line_index += 1
            last_line = look
            looks.append(look)
    return looks


def _pattern_defs(uid: str, looks: list[_Look]) -> str:
    out = []
    for index, look in enumerate(looks):
        if look.series.style != BAR_STYLE or look.pattern == "solid":
            continue
        pid = f"{uid}-p{index}"
        c = look.colour
        stroke = 'stroke="#ffffff" stroke-width="1.6"'
        shape = {
            "diagonal": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" {stroke}/>',
            "backdiagonal": f'<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" {stroke}/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
            "cross": f'<path d="M0,0 l8,8 M8,0 l-8,8" {stroke}/>',
            "horizontal": f'<path d="M0,4 h8" {stroke}/>',
            "vertical": f'<path d="M4,0 v8" {stroke}/>',
            "grid": f'<path d="M0,4 h8 M4,0 v8" {stroke}/>',
        }[look.pattern]
        out.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{c}"/>{shape}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _fill(uid: str, index: int, look: _Look) -> str:
    return look.colour if look.pattern == "solid" else f"url(#{uid}-p{index})"


def _shape(shape: str, x: float, y: float, size: float = 4) -> str:
    """A marker's outline only: its colours come from the group around it (_markers) or are added (_marker)."""
    if shape == "square":
        return f'<rect x="{_f(x - size + 0.5)}" y="{_f(y - size + 0.5)}" width="{_f(2 * size - 1)}" height="{_f(2 * size - 1)}"'  # noqa: E501
    if shape == "triangle":
        return f'<path d="M{_f(x)},{_f(y - size - 1)} L{_f(x + size + 1)},{_f(y + size)} L{_f(x - size - 1)},{_f(y + size)} Z"'  # noqa: E501
    if shape == "diamond":
        return f'<path d="M{_f(x)},{_f(y - size - 1)} L{_f(x + size + 1)},{_f(y)} L{_f(x)},{_f(y + size + 1)} L{_f(x - size - 1)},{_f(y)} Z"'  # noqa: E501
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size)}"'


def _paint(colour: str, hollow: bool) -> str:
    return f'fill="{"#ffffff" if hollow else colour}" stroke="{colour}" stroke-width="{2 if hollow else 1}"'


def _marker(shape: str, x: float, y: float, colour: str, *, hollow: bool = False, size: float = 4) -> str:
    return f"{_shape(shape, x, y, size)} {_paint(colour, hollow)}/>"


def _markers(shape: str, points: list[tuple[float, float]], colour: str, *, hollow: bool, size: float) -> str:
    """A series' markers in one group that carries their colours (a chart of 50 years draws 100 of them)."""
    if not points:
        return ""
    return f"<g {_paint(colour, hollow)}>" + "".join(f"{_shape(shape, x, y, size)}/>" for x, y in points) + "</g>"


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT_SIZE, colour: str = TEXT, extra: str = ""
) -> str:
    """A text; size, colour and anchor only where they differ from the defaults the <svg> element sets."""
    attributes = "" if size == FONT_SIZE else f' font-size="{size}"'
    attributes += "" if colour == TEXT else f' fill="{colour}"'
    attributes += "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{_f(x)}" y="{_f(y)}"{attributes}{extra}>{escape(text)}</text>'


def _labels(labels: list[tuple[float, float, str]], *, anchor: str, colour: str = MUTED) -> str:
    """Axis labels in one group that carries their colour and anchor."""
    texts = "".join(f'<text x="{_f(x)}" y="{_f(y)}">{escape(text)}</text>' for x, y, text in labels)
    return f'<g fill="{colour}" text-anchor="{anchor}">{texts}</g>' if labels else ""


def _ticks(lines: list[tuple[float, float, float, float]], colour: str = MUTED) -> str:
    """Tick marks in one group that carries their colour."""
    marks = "".join(f'<line x1="{_f(a)}" y1="{_f(b)}" x2="{_f(c)}" y2="{_f(d)}"/>' for a, b, c, d in lines)
    return f'<g stroke="{colour}">{marks}</g>' if lines else ""


def _legend(uid: str, looks: list[_Look], top: float) -> tuple[str, float]:
    """The legend as rows of swatches and labels; returns the markup and its height."""
    if len(looks) < 2:
        return "", 0
    out = []
    x, y = PAD, top
    for index, look in enumerate(looks):
        width = 30 + _text_width(look.series.label) + 18
        if x + width > WIDTH - PAD and x > PAD:
            x, y = PAD, y + LEGEND_ROW
        mid = y + LEGEND_ROW / 2
        if look.series.style == BAR_STYLE and look.pattern:
            out.append(
                f'<rect x="{_f(x)}" y="{_f(mid - 7)}" width="22" height="14" fill="{_fill(uid, index, look)}" '
                f'stroke="{look.colour}"/>'
            )
        elif look.hollow:
            out.append(_marker(look.marker, x + 11, mid, look.colour, hollow=True))
        else:
            dash = ' stroke-dasharray="6 4"' if look.dashed else ""
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(mid)}" x2="{_f(x + 22)}" y2="{_f(mid)}" stroke="{look.colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
            out.append(_marker(look.marker, x + 11, mid, look.colour, size=3 if look.dashed else 4))
        out.append(_text(x + 28, mid + 4, look.series.label))
        x += width
    return "".join(out), y + LEGEND_ROW - top + 6


def _value_range(chart: Chart, looks: list[_Look]) -> tuple[float, float]:
    values: list[float] = []
    if chart.kind == STACKED:
        bars = [look.series for look in looks if look.series.style == BAR_STYLE]
        for i in range(len(chart.labels)):
            column = [s.values[i] for s in bars if s.values[i] is not None]
            values.append(sum(v for v in column if v > 0))
            values.append(sum(v for v in column if v < 0))
        values += [v for look in looks if look.series.style != BAR_STYLE for v in look.series.values if v is not None]
    else:
        values = [v for s in chart.series for v in s.values if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    return min(low, 0.0), max(high, 0.0)


def _all_integers(chart: Chart) -> bool:
    return all(float(v).is_integer() for s in chart.series for v in s.values if v is not None)


def render(chart: Chart) -> SafeString:
    """The chart as an inline SVG (role="img", title and description; the data table is beside it)."""
    uid = _uid(chart)
    looks = _looks(chart)
    parts: list[str] = []
    legend, legend_height = _legend(uid, looks, PAD)
    if chart.is_empty:
        height = 80
        parts.append(_text(WIDTH / 2, 44, gettext("No values yet."), anchor="middle", colour=MUTED))
    elif is_horizontal(chart):
        body, height = _horizontal(chart, looks, uid, PAD + legend_height)
        parts.append(body)
    else:
        body, height = _vertical(chart, looks, uid, PAD + legend_height)
        parts.append(body)
    title = escape(chart.title)
    label = escape(f"{chart.title} ({chart.unit})" if chart.unit else chart.title)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" height="{_f(height)}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}" id="{uid}">'
        f"<title>{title}</title>"
        + (f"<desc>{escape(chart.caption)}</desc>" if chart.caption else "")
        + _pattern_defs(uid, looks)
        + '<rect width="100%" height="100%" fill="#ffffff"/>'
        + legend
        + "".join(parts)
        + "</svg>"
    )
    # Safe: built from escaped text and numbers only.
    return mark_safe(svg)  # noqa: S308  # nosec


def _vertical(chart: Chart, looks: list[_Look], uid: str, top: float) -> tuple[str, float]:
    out: list[str] = []
    low, high = _value_range(chart, looks)
    ticks = nice_ticks(low, high, integers=_all_integers(chart))
    decimals = _tick_decimals(ticks)
    tick_labels = [format_number(t, decimals) for t in ticks]
    if chart.unit:
        out.append(_text(PAD, top + 12, chart.unit, colour=MUTED))
        top += 22
    else:
        top += 8
    left = PAD + max(_text_width(t) for t in tick_labels) + 10
    right = WIDTH - PAD - 10
    plot_w = right - left
    bottom = top + PLOT_HEIGHT
    lo, hi = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * PLOT_HEIGHT

    for tick in ticks:
        y = y_of(tick)
        colour = MUTED if tick == 0 else GRID
        out.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(right)}" y2="{_f(y)}" stroke="{colour}"/>')
    out.append(
        _labels([(left - 6, y_of(t) + 4, text) for t, text in zip(ticks, tick_labels, strict=True)], anchor="end")
    )
    x_ticks: list[tuple[float, float, float, float]] = []
    x_labels: list[tuple[float, float, str]] = []

    n = len(chart.labels)
    years = chart.time_axis
    has_bars = chart.kind != LINE and any(look.series.style == BAR_STYLE for look in looks)
    if years:
        first, last = years[0], years[-1]
        closest = min(b - a for a, b in zip(years, years[1:], strict=False))
        inset = 14.0
        if has_bars:  # room for half the first and the last bar inside the plot
            inset = max(inset, min((plot_w - 28) / (last - first) * closest * 0.76, 2 * MAX_BAR) / 2 + 4)
        unit = (plot_w - 2 * inset) / (last - first)
        slot = unit * closest  # the room of one bar: the gap between the closest years

        def x_at(i: int) -> float:
            return left + inset + (years[i] - first) * unit

        label_w = _text_width("0000") + 10
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if unit * s >= label_w), 100)
        for year in range(first, last + 1):
            if year % step == 0 or (step > 1 and year == first and first % step > step // 2):
                x = left + inset + (year - first) * unit
                x_ticks.append((x, bottom, x, bottom + 4))
                x_labels.append((x, bottom + 17, str(year)))
    else:
        band = plot_w / max(n, 1)
        slot = band

        def x_at(i: int) -> float:
            return left + band * (i + 0.5)

        label_w = max(_text_width(label) for label in chart.labels) + 8
        every = max(1, math.ceil(label_w / band))
        for i, label in enumerate(chart.labels):
            if i % every:
                continue
            x = x_at(i)
            x_ticks.append((x, bottom, x, bottom + 4))
            x_labels.append((x, bottom + 17, label))
    out.append(_ticks(x_ticks) + _labels(x_labels, anchor="middle"))
    if chart.x_label:
        out.append(_text((left + right) / 2, bottom + 36, chart.x_label, anchor="middle", colour=MUTED))

    # bars first, lines on top
    bar_looks = [(i, look) for i, look in enumerate(looks) if look.series.style == BAR_STYLE and chart.kind != LINE]
    if bar_looks:
        band = min(slot, 2 * MAX_BAR) if years else slot
        if chart.kind == STACKED:
            width = band * 0.68
            for i in range(n):
                up = down = 0.0
                for index, look in bar_looks:
                    value = look.series.values[i]
                    if not value:
                        continue
                    base = up if value > 0 else down
                    y1, y2 = y_of(base), y_of(base + value)
                    if value > 0:
                        up += value
                    else:
                        down += value
                    out.append(
                        f'<rect x="{_f(x_at(i) - width / 2)}" y="{_f(min(y1, y2))}" width="{_f(width)}" '
                        f'height="{_f(abs(y1 - y2))}" fill="{_fill(uid, index, look)}" stroke="#ffffff" '
                        f'stroke-width="0.8"/>'
                    )
        else:
            group = band * 0.76
            width = group / len(bar_looks)
            single = len(bar_looks) == 1
            for position, (index, look) in enumerate(bar_looks):
                for i, value in enumerate(look.series.values):
                    if value is None:
                        continue
                    x = x_at(i) - group / 2 + position * width
                    y1, y2 = y_of(0), y_of(value)
                    out.append(
                        f'<rect x="{_f(x)}" y="{_f(min(y1, y2))}" width="{_f(width - 1)}" '
                        f'height="{_f(max(abs(y1 - y2), 0.5))}" fill="{_fill(uid, index, look)}"/>'
                    )
                    if single and _text_width(format_number(value)) < width + 6:
                        out.append(
                            _text(x + width / 2, min(y1, y2) - 4, format_number(value), anchor="middle", size=11)
                        )

    for look in looks:
        if look.series.style == BAR_STYLE and chart.kind != LINE:
            continue
        points = [(x_at(i), y_of(v), i) for i, v in enumerate(look.series.values) if v is not None]
        if not look.hollow and len(points) > 1:
            dash = ' stroke-dasharray="7 5"' if look.dashed else ""
            path = " ".join(f"{'M' if k == 0 else 'L'}{_f(x)},{_f(y)}" for k, (x, y, _i) in enumerate(points))
            out.append(
                f'<path d="{path}" fill="none" stroke="{look.colour}" stroke-width="{2 if look.dashed else 2.5}" '
                f'stroke-linejoin="round"{dash}/>'
            )
        if look.hollow:
            continue  # drawn as the measured series' hollow points
        many = len(points) > 30
        size = 3 if look.dashed else 4
        solid = [(x, y) for x, y, i in points if i not in look.hollow_at and not (many and look.dashed)]
        hollow = [(x, y) for x, y, i in points if i in look.hollow_at]
        out.append(_markers(look.marker, solid, look.colour, hollow=False, size=size))
        out.append(_markers(look.marker, hollow, look.colour, hollow=True, size=size))
    out.append(f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" stroke="{MUTED}"/>')
    height = bottom + (44 if chart.x_label else 26) + PAD
    return "".join(out), height


def _wrap(label: str, width: float) -> list[str]:
    """A category name in at most two lines of the given width."""
    if _text_width(label) <= width or " " not in label:
        return [label]
    words = label.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head = " ".join(words[:cut])
        if _text_width(head) <= width:
            return [head, " ".join(words[cut:])]
    return [words[0], " ".join(words[1:])]


def _horizontal(chart: Chart, looks: list[_Look], uid: str, top: float) -> tuple[str, float]:
    """Bars lying on their side: one row per category, the value at the end of the bar."""
    out: list[str] = []
    label_room = min(max(_text_width(label) for label in chart.labels), WIDTH * 0.38)
    left = PAD + label_room + 10
    right = WIDTH - PAD - 40
    low, high = _value_range(chart, looks)
    ticks = nice_ticks(low, high, integers=_all_integers(chart))
    decimals = _tick_decimals(ticks)
    lo, hi = ticks[0], ticks[-1]
    top += 6
    bottom = top + ROW_HEIGHT * len(chart.labels)

    def x_of(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (right - left)

    for tick in ticks:
        x = x_of(tick)
        colour = MUTED if tick == 0 else GRID
        out.append(f'<line x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(bottom)}" stroke="{colour}"/>')
        out.append(_text(x, bottom + 16, format_number(tick, decimals), anchor="middle", colour=MUTED))
    bar_looks = [(i, look) for i, look in enumerate(looks) if look.series.style == BAR_STYLE]
    height = ROW_HEIGHT * 0.7 / max(len(bar_looks), 1)
    for row, label in enumerate(chart.labels):
        y = top + row * ROW_HEIGHT
        lines = _wrap(label, label_room)
        for k, line in enumerate(lines):
            offset = ROW_HEIGHT / 2 + 4 + (k - (len(lines) - 1) / 2) * 12
            out.append(_text(left - 8, y + offset, line, anchor="end", size=FONT_SIZE if len(lines) == 1 else 11))
        for position, (index, look) in enumerate(bar_looks):
            value = look.series.values[row]
            if value is None:
                continue
            x1, x2 = x_of(0), x_of(value)
            by = y + ROW_HEIGHT * 0.15 + position * height
            out.append(
                f'<rect x="{_f(min(x1, x2))}" y="{_f(by)}" width="{_f(max(abs(x2 - x1), 0.5))}" '
                f'height="{_f(height - 1)}" fill="{_fill(uid, index, look)}"/>'
            )
            out.append(_text(max(x1, x2) + 5, by + height / 2 + 4, format_number(value), size=11))
    out.append(f'<line x1="{_f(left)}" y1="{_f(top)}" x2="{_f(left)}" y2="{_f(bottom)}" stroke="{MUTED}"/>')
    if chart.unit:
        out.append(_text((left + right) / 2, bottom + 34, chart.unit, anchor="middle", colour=MUTED))
    return "".join(out), bottom + (42 if chart.unit else 24) + PAD
