"""Line charts drawn on the server as SVG: accessible, CSP-safe, no JavaScript.

:func:`line_chart` turns one or more series of dated numbers into a :class:`LineChart`,
every coordinate already worked out, which ``charts/_line_chart.html`` renders: an inline
``<svg role="img">`` with a ``<title>`` and a plain-language ``<desc>`` (first and last
value and the overall direction of each series), a legend, and the same numbers as a
table under "See the numbers". Nothing in it needs a ``style`` attribute: colours come
from classes in ``app.css`` (light and dark), shapes from SVG presentation attributes.

* Several series (e.g. two partners) differ by line style and point shape as well as
  colour, and the legend names them.
* A missing value (``Point(day, None)``) leaves a gap in the line; its ``note`` says why
  in the table. A day a series simply has no point for is not a gap: its line goes on
  from the point before to the point after (people answering on different days).
* ``bands`` shade ranges of the y axis (an instrument's severity bands, inclusive, as
  published: 0-4, 5-9), each with its label in the drawing, the legend and the
  description; parts outside ``y_min``..``y_max`` are cut off.
* A point's :class:`Marker` is drawn as a shape *and* a text label ("Improved"), never
  colour alone, and appears in the legend, the description and the table.
* Values outside the range are drawn at its edge (the table keeps the real value).

The work is linear in the number of points (each line and each series' point shapes are
a single path), so two years of weekly answers from two people are laid out and rendered,
table included, in about two milliseconds (``bench/charts.py``). ``key`` names the chart:
its ids (``chart-<key>``, ``-title``, ``-desc``) must be unique on the page, so give each
chart on a page its own key.

Example::

    from twofold.lib.charts import Band, Marker, Point, Series, line_chart

    chart = line_chart(
        key="phq-9",
        title=_("PHQ-9: low mood"),
        y_min=0,
        y_max=27,
        series=[
            Series(_("You"), [
                Point(date(2027, 1, 4), 15),
                Point(date(2027, 2, 1), None, note=_("not answered")),
                Point(date(2027, 3, 1), 8, marker=Marker(_("Reliable improvement"), "up")),
            ]),
            Series("Sam", [Point(date(2027, 1, 4), 6), Point(date(2027, 3, 1), 5)]),
        ],
        bands=[Band(0, 4, _("None")), Band(5, 9, _("Mild")), Band(10, 27, _("More"))],
        y_ticks=[0, 5, 10, 15, 20, 27],
    )

and in the template::

    {% include "charts/_line_chart.html" with chart=chart %}
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# The drawing's own units (the viewBox); the page scales it to the width it has.
WIDTH = 560
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 40, 68
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
# Text is up to this big (phones, see app.css); labels are placed to leave it room.
LARGE_TEXT = 24
# Closer than this, a series' points are drawn only where they stand alone (a line with a
# shape at every point would be a string of beads).
MIN_POINT_SPACING = 12
MAX_X_TICKS = 4

# Line styles and point shapes, one per series in turn (the legend shows the same).
DASHES = ("", "9 5", "2 5", "12 4 2 4")
SHAPES: tuple[Literal["circle", "square", "diamond", "triangle"], ...] = (
    "circle",
    "square",
    "diamond",
    "triangle",
)
# What a reader without the stylesheet sees (app.css sets the light and dark colours).
FALLBACK_COLOURS = ("#1c5a96", "#a2440c", "#5b3f8c", "#0b6e4f")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Marker:
    """Something to point out at a point: drawn as a shape with ``label`` beside it.

    ``shape``: "up" (a triangle pointing up), "down" (pointing down) or "ring".
    """

    label: str
    shape: Literal["up", "down", "ring"] = "up"


@dataclass(frozen=True)
class Point:
    when: date
    value: float | None
    marker: Marker | None = None
    # Shown in the table beside (or, for a missing value, instead of) the number.
    note: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[Point]


@dataclass(frozen=True)
class Band:
    """A shaded range of the y axis, ``low`` to ``high`` inclusive (an instrument's
    :class:`twofold.outcomes.instruments.Band` has the same three fields and will do).

    Bands that leave a step between them (whole-number scores: 0-4, 5-9) are shaded to
    the middle of the step, so that the shading has no seams.
    """

    low: float
    high: float
    label: str


class BandLike(Protocol):
    @property
    def low(self) -> float: ...

    @property
    def high(self) -> float: ...

    @property
    def label(self) -> str: ...


# What the template draws.


@dataclass(frozen=True)
class DrawnBand:
    y: str
    height: str
    label: str
    label_y: str
    show_label: bool
    css_class: str


@dataclass(frozen=True)
class YTick:
    y: str
    label: str


@dataclass(frozen=True)
class XTick:
    x: str
    label: str
    year: str
    anchor: str


@dataclass(frozen=True)
class DrawnMarker:
    path: str
    label: str
    text_x: str
    text_y: str
    anchor: str


@dataclass(frozen=True)
class DrawnSeries:
    label: str
    css_class: str
    colour: str
    dash: str
    line: str
    points: str
    markers: list[DrawnMarker]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    css_class: str
    dash: str
    shape: str
    line: bool
    band: bool = False


@dataclass(frozen=True)
class Cell:
    value: str
    note: str
    empty: bool


@dataclass(frozen=True)
class TableRow:
    when: date
    cells: list[Cell]
    # The row as HTML, every text escaped: put together here rather than in the template,
    # where a loop over a few hundred cells costs several milliseconds a chart.
    html: SafeString


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    desc: str
    period_label: str
    bands: list[DrawnBand]
    y_ticks: list[YTick]
    x_ticks: list[XTick]
    series: list[DrawnSeries]
    legend: list[LegendEntry]
    columns: list[str]
    rows: list[TableRow]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    band_label_x: int = WIDTH - RIGHT - 6
    tick_label_x: int = LEFT - 10
    x_label_y: int = HEIGHT - BOTTOM + 28
    year_label_y: int = HEIGHT - BOTTOM + 56

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def format_number(value: float) -> str:
    """A whole number as it is, anything else to one decimal place, in the page's locale."""
    if float(value).is_integer():
        return formats.number_format(int(value))
    return formats.number_format(round(value, 1), 1)


def _n(value: float) -> str:
    """A coordinate, short: one decimal place, no trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _day(when: date) -> str:
    return _day_in(when, translation.get_language() or "")


@functools.lru_cache(maxsize=4096)
def _day_in(when: date, language: str) -> str:
    # Days repeat across the charts of a page (and across pages): format each once.
    return formats.date_format(when, "DATE_FORMAT")


def _remembering(fmt: Callable[[float], str]) -> Callable[[float], str]:
    """``fmt``, asked once per distinct value (a chart repeats the same few numbers)."""
    known: dict[float, str] = {}

    def remembered(value: float) -> str:
        if value not in known:
            known[value] = fmt(value)
        return known[value]

    return remembered


def nice_ticks(y_min: float, y_max: float, most: int = 6) -> list[float]:
    """Round numbers from ``y_min`` to ``y_max``, at most ``most`` of them."""
    span = y_max - y_min
    magnitude = 10 ** (len(str(int(span))) - 1) if span >= 1 else 0.1
    for step in (m * magnitude / 10 * scale for scale in (1, 10, 100) for m in (1, 2, 2.5, 5, 10)):
        if step > 0 and span / step <= most - 1:
            break
    first = -(-y_min // step) * step
    ticks = []
    value = first
    while value <= y_max + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _shape_path(shape: str, x: float, y: float, size: float) -> str:
    """One point's shape as a closed sub-path, centred on (x, y)."""
    s = size
    if shape == "circle":
        arc = f"a{_n(s)} {_n(s)} 0 1 0"
        return f"M{_n(x - s)} {_n(y)}{arc} {_n(2 * s)} 0{arc} {_n(-2 * s)} 0z"
    if shape == "square":
        side = s * 1.7
        return f"M{_n(x - side / 2)} {_n(y - side / 2)}h{_n(side)}v{_n(side)}h{_n(-side)}z"
    if shape == "diamond":
        d = s * 1.35
        return f"M{_n(x)} {_n(y - d)}l{_n(d)} {_n(d)}l{_n(-d)} {_n(d)}l{_n(-d)} {_n(-d)}z"
    if shape in ("triangle", "up"):
        h = s * 1.6
        return f"M{_n(x)} {_n(y - h)}l{_n(h)} {_n(h * 1.6)}h{_n(-2 * h)}z"
    if shape == "down":
        h = s * 1.6
        return f"M{_n(x)} {_n(y + h)}l{_n(h)} {_n(-h * 1.6)}h{_n(-2 * h)}z"
    # "ring": a circle with a hole (drawn with the even-odd rule).
    inner = s * 0.55
    return (
        _shape_path("circle", x, y, s)
        + f"M{_n(x - inner)} {_n(y)}a{_n(inner)} {_n(inner)} 0 1 1 {_n(2 * inner)} 0"
        + f"a{_n(inner)} {_n(inner)} 0 1 1 {_n(-2 * inner)} 0z"
    )


def _direction(first: float, last: float, fmt: Callable[[float], str]) -> str:
    if last > first:
        return gettext("up by %(change)s") % {"change": fmt(last - first)}
    if last < first:
        return gettext("down by %(change)s") % {"change": fmt(first - last)}
    return gettext("the same as at the start")


def _summary(
    title: str,
    series: Sequence[Series],
    bands: Sequence[BandLike],
    start: date | None,
    end: date | None,
    y_min: float,
    y_max: float,
    fmt: Callable[[float], str],
) -> str:
    parts = []
    if start is None or end is None:
        parts.append(gettext("%(title)s: nothing to show yet.") % {"title": title})
    else:
        parts.append(
            gettext("%(title)s, from %(start)s to %(end)s, on a scale from %(low)s to %(high)s.")
            % {
                "title": title,
                "start": _day(start),
                "end": _day(end),
                "low": fmt(y_min),
                "high": fmt(y_max),
            }
        )
    for one in series:
        known = sorted((p.when, p.value) for p in one.points if p.value is not None)
        if not known:
            parts.append(gettext("%(label)s: no values.") % {"label": one.label})
            continue
        (first_day, first), (last_day, last) = known[0], known[-1]
        if len(known) == 1:
            parts.append(
                gettext("%(label)s: one value, %(value)s on %(day)s.")
                % {"label": one.label, "value": fmt(first), "day": _day(first_day)}
            )
        else:
            parts.append(
                gettext(
                    "%(label)s: %(count)s values, first %(first)s on %(first_day)s, last "
                    "%(last)s on %(last_day)s, %(direction)s."
                )
                % {
                    "label": one.label,
                    "count": formats.number_format(len(known)),
                    "first": fmt(first),
                    "first_day": _day(first_day),
                    "last": fmt(last),
                    "last_day": _day(last_day),
                    "direction": _direction(first, last, fmt),
                }
            )
        for point in one.points:
            if point.marker is not None and point.value is not None:
                parts.append(
                    gettext("%(label)s, %(day)s: %(marker)s.")
                    % {"label": one.label, "day": _day(point.when), "marker": point.marker.label}
                )
    within = [band for band in bands if band.high > y_min and band.low < y_max]
    if within:
        ranges = "; ".join(_band_range(band, y_min, y_max, fmt) for band in within)
        parts.append(gettext("Shaded ranges: %(ranges)s.") % {"ranges": ranges})
    return " ".join(parts)


def _band_range(band: BandLike, y_min: float, y_max: float, fmt: Callable[[float], str]) -> str:
    return gettext("%(label)s, %(low)s to %(high)s") % {
        "label": band.label,
        "low": fmt(max(band.low, y_min)),
        "high": fmt(min(band.high, y_max)),
    }


def _x_ticks(
    days: list[date], start: date, end: date, x_of: Callable[[date], float]
) -> list[XTick]:
    """Up to MAX_X_TICKS of the charted days, evenly spread, the first and last included."""
    if not days:
        return []
    if len(days) <= MAX_X_TICKS:
        chosen = days
    else:
        last = len(days) - 1
        picks = sorted({round(i * last / (MAX_X_TICKS - 1)) for i in range(MAX_X_TICKS)})
        chosen = [days[i] for i in picks]
    ticks = []
    previous_year: int | None = None
    for i, day in enumerate(chosen):
        x = x_of(day)
        if len(chosen) == 1:
            anchor = "middle"
        elif i == 0:
            anchor = "start" if x - LEFT < 60 else "middle"
        elif i == len(chosen) - 1:
            anchor = "end" if WIDTH - RIGHT - x < 60 else "middle"
        else:
            anchor = "middle"
        ticks.append(
            XTick(
                x=_n(x),
                label=formats.date_format(day, "MONTH_DAY_FORMAT"),
                year=str(day.year) if day.year != previous_year else "",
                anchor=anchor,
            )
        )
        previous_year = day.year
    return ticks


def line_chart(
    *,
    key: str,
    title: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    bands: Iterable[BandLike] = (),
    y_ticks: Sequence[float] | None = None,
    start: date | None = None,
    end: date | None = None,
    period_label: str = "",
    value_format: Callable[[float], str] = format_number,
) -> LineChart:
    """Lay out a line chart (see the module's docstring).

    ``y_min``..``y_max``: the value axis, fixed (an instrument's range), with ``y_ticks``
    labelled (round numbers unless given). ``start`` and ``end``: the time axis, by
    default the first and last day with a point; points outside it are left out.
    ``period_label`` heads the table's first column ("Date" unless given);
    ``value_format`` writes each number (whole numbers as they are, others to one decimal
    place). ``key`` must be fit for an id (lower-case letters, digits and hyphens).
    """
    if not KEY.match(key):
        raise ValueError(f"chart key {key!r}: use lower-case letters, digits and hyphens")
    if not y_max > y_min:
        raise ValueError(f"chart {key!r}: y_max ({y_max}) must be above y_min ({y_min})")
    bands = sorted(bands, key=lambda band: band.low)
    value_format = _remembering(value_format)
    if start is not None or end is not None:
        series = [
            Series(
                one.label,
                [
                    p
                    for p in one.points
                    if (start is None or p.when >= start) and (end is None or p.when <= end)
                ],
            )
            for one in series
        ]
    days = sorted({p.when for one in series for p in one.points})
    start = start or (days[0] if days else None)
    end = end or (days[-1] if days else None)
    span = (end - start).days if start and end else 0
    dense = PLOT_WIDTH / max(len(days) - 1, 1) < MIN_POINT_SPACING

    def x_of(day: date) -> float:
        if start is None or span <= 0:
            return LEFT + PLOT_WIDTH / 2
        return LEFT + (day - start).days / span * PLOT_WIDTH

    def y_of(value: float) -> float:
        value = min(max(value, y_min), y_max)
        return TOP + (y_max - value) / (y_max - y_min) * PLOT_HEIGHT

    drawn_bands = []
    band_keys = []
    for i, band in enumerate(bands):
        low, high = band.low, band.high
        if i > 0 and bands[i - 1].high < low:
            low = (bands[i - 1].high + low) / 2
        if i + 1 < len(bands) and bands[i + 1].low > high:
            high = (high + bands[i + 1].low) / 2
        low, high = max(low, y_min), min(high, y_max)
        if high <= low:
            continue
        top, bottom = y_of(high), y_of(low)
        css_class = f"chart-band-{i % 2}"
        drawn_bands.append(
            DrawnBand(
                y=_n(top),
                height=_n(bottom - top),
                label=band.label,
                label_y=_n((top + bottom) / 2),
                show_label=bottom - top >= LARGE_TEXT * 1.2,
                css_class=css_class,
            )
        )
        band_keys.append(
            LegendEntry(
                label=_band_range(band, y_min, y_max, value_format),
                css_class=css_class,
                dash="",
                shape="",
                line=False,
                band=True,
            )
        )

    drawn_series = []
    legend = []
    markers_seen: dict[tuple[str, str], LegendEntry] = {}
    for index, one in enumerate(series):
        css_class = f"chart-series-{index % len(DASHES)}"
        dash = DASHES[index % len(DASHES)]
        shape = SHAPES[index % len(SHAPES)]
        points = sorted(one.points, key=lambda p: p.when)
        line: list[str] = []
        shapes: list[str] = []
        markers: list[DrawnMarker] = []
        previous_known = False
        for i, point in enumerate(points):
            if point.value is None:
                previous_known = False
                continue
            x, y = x_of(point.when), y_of(point.value)
            line.append(f"{'L' if previous_known else 'M'}{_n(x)} {_n(y)}")
            next_known = i + 1 < len(points) and points[i + 1].value is not None
            if not dense or not (previous_known or next_known):
                shapes.append(_shape_path(shape, x, y, 4))
            previous_known = True
            if point.marker is not None:
                markers.append(_drawn_marker(point.marker, x, y))
                seen = (point.marker.label, point.marker.shape)
                if seen not in markers_seen:
                    markers_seen[seen] = LegendEntry(
                        label=point.marker.label,
                        css_class="chart-marker-key",
                        dash="",
                        shape=_shape_path(point.marker.shape, 18, 8, 3.5),
                        line=False,
                    )
        drawn_series.append(
            DrawnSeries(
                label=one.label,
                css_class=css_class,
                colour=FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)],
                dash=dash,
                line="".join(line),
                points="".join(shapes),
                markers=markers,
            )
        )
        legend.append(
            LegendEntry(
                label=one.label,
                css_class=css_class,
                dash=dash,
                shape=_shape_path(shape, 18, 8, 3.5),
                line=True,
            )
        )
    legend.extend(markers_seen.values())
    legend.extend(reversed(band_keys))  # top to bottom, as they are drawn

    tick_values = list(y_ticks) if y_ticks is not None else nice_ticks(y_min, y_max)
    ticks = [
        YTick(y=_n(y_of(v)), label=value_format(v)) for v in tick_values if y_min <= v <= y_max
    ]

    by_day: list[dict[date, Point]] = [{p.when: p for p in one.points} for one in series]
    no_value = format_html(
        '<span aria-hidden="true">&ndash;</span><span class="visually-hidden">{}</span>',
        gettext("no value"),
    )
    rows = []
    for day in days:
        cells = [_cell(column.get(day), value_format) for column in by_day]
        rows.append(TableRow(when=day, cells=cells, html=_row_html(day, cells, no_value)))

    return LineChart(
        id=f"chart-{key}",
        title=title,
        desc=_summary(title, series, bands, start, end, y_min, y_max, value_format),
        period_label=period_label or gettext("Date"),
        bands=drawn_bands,
        y_ticks=ticks,
        x_ticks=_x_ticks(days, start, end, x_of) if start and end else [],
        series=drawn_series,
        legend=legend,
        columns=[one.label for one in series],
        rows=rows,
    )


def _escape(text: object) -> str:
    # The standard library's escaping (what Django's does, without its lazy-text wrapper,
    # which costs more than the escaping itself at a few hundred cells a chart).
    return html.escape(str(text), quote=True)


def _row_html(day: date, cells: list[Cell], no_value: str) -> SafeString:
    parts = [
        f'<tr><th scope="row"><time datetime="{day.isoformat()}">{_escape(_day(day))}</time></th>'
    ]
    for cell in cells:
        if not cell.empty:
            text = _escape(cell.value) + (f" ({_escape(cell.note)})" if cell.note else "")
        else:
            text = _escape(cell.note) if cell.note else no_value
        parts.append(f"<td>{text}</td>")
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _cell(point: Point | None, fmt: Callable[[float], str]) -> Cell:
    if point is None or point.value is None:
        return Cell(value="", note=point.note if point else "", empty=True)
    notes = [n for n in (point.marker.label if point.marker else "", point.note) if n]
    return Cell(value=fmt(point.value), note=", ".join(notes), empty=False)


def _drawn_marker(marker: Marker, x: float, y: float) -> DrawnMarker:
    """The marker's shape on the point, its label above it ("down": below), or on the other
    side where there is no room (kept inside the drawing and clear of the x axis)."""
    above_y = y - 14
    below_y = y + 14 + LARGE_TEXT * 0.75
    fits_above = above_y - LARGE_TEXT * 0.75 >= 0
    fits_below = below_y <= HEIGHT - BOTTOM
    if marker.shape == "down":
        text_y = below_y if fits_below or not fits_above else above_y
    else:
        text_y = above_y if fits_above or not fits_below else below_y
    if x - LEFT < 70:
        anchor = "start"
    elif WIDTH - RIGHT - x < 70:
        anchor = "end"
    else:
        anchor = "middle"
    return DrawnMarker(
        path=_shape_path(marker.shape, x, y, 6),
        label=marker.label,
        text_x=_n(x - 6 if anchor == "start" else x + 6 if anchor == "end" else x),
        text_y=_n(text_y),
        anchor=anchor,
    )
