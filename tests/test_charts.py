"""The chart builder (twofold.lib.charts) and its template: gaps, bands, markers, words
for screen readers, the table of numbers, ids, and nothing the CSP would refuse."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from twofold.lib.charts import (
    HEIGHT,
    LARGE_TEXT,
    LEFT,
    PLOT_WIDTH,
    TOP,
    WIDTH,
    Band,
    Marker,
    Point,
    Series,
    line_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = date(2027, 1, 4)
PLOT_BOTTOM = HEIGHT - 68


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def weekly(values: list[float | None], first: date = MONDAY, **extra: Any) -> list[Point]:
    return [Point(first + timedelta(weeks=i), v, **extra) for i, v in enumerate(values)]


def chart(*series: Series, **options: Any) -> Any:
    options.setdefault("key", "test")
    options.setdefault("title", "Openness")
    options.setdefault("y_min", 0)
    options.setdefault("y_max", 10)
    return line_chart(series=list(series), **options)


def render(built: Any) -> str:
    return render_to_string("charts/_line_chart.html", {"chart": built})


def svg_of(html: str) -> ET.Element:
    """The chart's drawing, parsed as XML (so it is well-formed, too)."""
    match = re.search(r'<svg class="chart-svg".*?</svg>', html, re.S)
    assert match, html
    return ET.fromstring(  # noqa: S314 (our own output)
        match.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


class _Tables(HTMLParser):
    """Every table's caption and rows of cell texts (hidden text included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[dict[str, Any]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def line_paths(root: ET.Element) -> list[str]:
    return [p.get("d", "") for p in root.iter(f"{SVG}path") if p.get("class") == "chart-line"]


# Lines and gaps


def test_a_missing_value_leaves_a_gap_in_the_line():
    built = chart(Series("You", weekly([4, 5, None, 7, 8])))
    (line,) = line_paths(svg_of(render(built)))
    # Two pieces: the weeks before the gap and the weeks after it.
    assert line.count("M") == 2 and line.count("L") == 2


def test_a_value_alone_between_gaps_still_shows_as_a_point():
    built = chart(Series("You", weekly([None, 6, None] + [5] * 60)))
    points = built.series[0].points
    # Sixty-odd weekly points are too close for a shape each, but the lone one gets its own.
    assert points.count("M") == 1
    assert built.series[0].line.startswith("M")


def test_a_day_without_a_point_is_not_a_gap():
    built = chart(
        Series("You", weekly([4, 5, 6])),
        Series("Sam", [Point(MONDAY, 3), Point(MONDAY + timedelta(weeks=2), 5)]),
    )
    assert built.series[1].line.count("M") == 1
    # The table shows the day Sam had nothing, without a number.
    rows = tables(render(built))[0]["rows"]
    assert rows[2] == ["11 Jan 2027", "5", "\u2013no value"]


def test_values_outside_the_range_are_drawn_at_its_edge_and_kept_in_the_table():
    built = chart(Series("You", weekly([12, -3])))
    line = built.series[0].line
    assert line == f"M{LEFT} {TOP}L{LEFT + PLOT_WIDTH} {PLOT_BOTTOM}"
    rows = tables(render(built))[0]["rows"]
    assert [row[1] for row in rows[1:]] == ["12", "-3"]


def test_a_single_day_sits_in_the_middle():
    built = chart(Series("You", [Point(MONDAY, 5)]))
    assert built.series[0].line == f"M{LEFT + PLOT_WIDTH // 2} {TOP + (PLOT_BOTTOM - TOP) // 2}"
    assert len(built.x_ticks) == 1 and built.x_ticks[0].anchor == "middle"


def test_a_given_time_span_leaves_out_the_days_outside_it():
    built = chart(
        Series("You", weekly([1, 2, 3, 4, 5])),
        start=MONDAY + timedelta(weeks=1),
        end=MONDAY + timedelta(weeks=3),
    )
    assert [row.when for row in built.rows] == [MONDAY + timedelta(weeks=w) for w in (1, 2, 3)]
    assert (
        built.series[0].line
        == f"M{LEFT} 209.6L{LEFT + PLOT_WIDTH // 2} 188.4L{LEFT + PLOT_WIDTH} 167.2"
    )
    assert "first 2 on 11 Jan 2027, last 4 on 25 Jan 2027" in built.desc


def test_nothing_to_draw_says_so():
    built = chart(Series("You", []))
    assert built.series[0].line == "" and built.rows == []
    assert built.desc == "Openness: nothing to show yet. You: no values."
    assert 'class="chart-line"' not in render(built)


# Bands


def test_bands_are_shaded_only_within_the_range():
    built = chart(
        Series("You", weekly([5, 6])),
        bands=[Band(-5, 3, "Low"), Band(8, 15, "High"), Band(20, 30, "Off the scale")],
    )
    assert [b.label for b in built.bands] == ["Low", "High"]
    for band in built.bands:
        top, height = float(band.y), float(band.height)
        assert top >= TOP and top + height <= PLOT_BOTTOM
    low, high = built.bands
    assert float(low.y) + float(low.height) == PLOT_BOTTOM  # from 0 ...
    assert float(high.y) == TOP  # ... and up to 10, never beyond
    assert built.desc.endswith("Shaded ranges: Low, 0 to 3; High, 8 to 10.")
    assert [e.label for e in built.legend if e.band] == ["High, 8 to 10", "Low, 0 to 3"]


def test_whole_number_bands_are_shaded_without_seams():
    """PHQ-9's published bands are inclusive (0-4, 5-9, ...): the shading meets halfway."""
    bands = [Band(0, 4, "None"), Band(5, 9, "Mild"), Band(10, 14, "Moderate")]
    built = chart(Series("You", weekly([3, 12])), bands=bands, y_max=14)
    edges = [(float(b.y), float(b.y) + float(b.height)) for b in built.bands]
    assert edges[0][1] == PLOT_BOTTOM and edges[2][0] == TOP
    assert edges[0][0] == pytest.approx(edges[1][1], abs=0.1)
    assert edges[1][0] == pytest.approx(edges[2][1], abs=0.1)
    # The words say the published ranges, not the half-points.
    legend = [entry.label for entry in built.legend if entry.band]
    assert legend == ["Moderate, 10 to 14", "Mild, 5 to 9", "None, 0 to 4"]


def test_a_band_has_its_label_in_the_drawing_when_there_is_room():
    built = chart(Series("You", weekly([5])), bands=[Band(0, 5, "Roomy"), Band(6, 6.2, "Thin")])
    texts = [t.text for t in svg_of(render(built)).iter(f"{SVG}text")]
    assert "Roomy" in texts and "Thin" not in texts
    assert "Thin, 6 to 6.2" in built.desc  # still named for screen readers and the legend


# Markers


def test_a_marker_is_a_shape_with_a_text_label_and_named_everywhere():
    improved = Marker("Reliable improvement", "up")
    points = [*weekly([14, 12]), Point(MONDAY + timedelta(weeks=2), 6, marker=improved)]
    html = render(chart(Series("You", points), y_max=27))
    root = svg_of(html)
    shapes = [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-marker"]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-marker-label"]
    assert len(shapes) == 1 and labels == ["Reliable improvement"]
    # The legend shows the shape with its words; the description and the table say it too.
    assert re.search(r'<li class="chart-marker-key">.*?</svg>Reliable improvement</li>', html)
    assert "You, 18 Jan 2027: Reliable improvement." in html
    assert tables(html)[0]["rows"][3] == ["18 Jan 2027", "6 (Reliable improvement)"]


def test_up_and_down_markers_point_their_own_ways_and_find_room_for_their_labels():
    better, worse = Marker("Improved", "up"), Marker("Worse", "down")
    built = chart(
        Series(
            "You", [Point(MONDAY, 10, marker=better), Point(MONDAY + timedelta(7), 0, marker=worse)]
        )
    )
    top, bottom = built.series[0].markers
    # "Up" says so above its point (in the room left over the chart); "down" would say it
    # below, but at 0 that is the axis, so it goes above too.
    assert LARGE_TEXT <= float(top.text_y) < TOP
    assert float(bottom.text_y) < PLOT_BOTTOM
    assert top.path.startswith(f"M{LEFT} ") and "l9.6 15.4" in top.path  # apex up
    assert "l9.6 -15.4" in bottom.path  # apex down
    assert [e.label for e in built.legend] == ["You", "Improved", "Worse"]


# Words for screen readers


def test_the_description_gives_first_and_last_values_and_the_direction():
    built = chart(
        Series("You", weekly([3, None, 5, 8])),
        Series("Sam", weekly([6, 6, None, 6])),
        Series("Kim", weekly([9, 4])),
        Series("Lee", weekly([None, 2])),
    )
    assert built.desc == (
        "Openness, from 4 Jan 2027 to 25 Jan 2027, on a scale from 0 to 10. "
        "You: 3 values, first 3 on 4 Jan 2027, last 8 on 25 Jan 2027, up by 5. "
        "Sam: 3 values, first 6 on 4 Jan 2027, last 6 on 25 Jan 2027, the same as at the start. "
        "Kim: 2 values, first 9 on 4 Jan 2027, last 4 on 11 Jan 2027, down by 5. "
        "Lee: one value, 2 on 11 Jan 2027."
    )


def test_the_drawing_is_an_image_named_by_its_title_and_described():
    html = render(chart(Series("You", weekly([3, 4]))))
    root = svg_of(html)
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}" and root.get("width") == "100%"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Openness"
    assert desc is not None and desc.text is not None and desc.text.startswith("Openness, from")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


# The numbers as a table


def test_the_table_holds_every_value_with_its_notes():
    you = weekly([7, None, 4.26])
    you[1] = Point(you[1].when, None, note="There was no closeness this time")
    html = render(
        chart(Series("You", you), Series("Sam", weekly([5, 6, None])), period_label="Check-in")
    )
    (table,) = tables(html)
    assert table["caption"] == "Openness"
    assert table["rows"] == [
        ["Check-in", "You", "Sam"],
        ["4 Jan 2027", "7", "5"],
        ["11 Jan 2027", "There was no closeness this time", "6"],
        ["18 Jan 2027", "4.3", "\u2013no value"],
    ]
    assert re.search(r"<details[^>]*>\s*<summary>See the numbers</summary>", html)
    assert '<th scope="row"><time datetime="2027-01-04">4 Jan 2027</time></th>' in html


def test_every_text_in_the_chart_is_escaped():
    html = render(
        chart(
            Series("<b>You</b>", [Point(MONDAY, 3, note="<i>n</i>", marker=Marker("<m>"))]),
            title="<script>x</script>",
            bands=[Band(0, 5, "<u>band</u>")],
        )
    )
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "<m>" not in html and "<u>" not in html
    assert "&lt;i&gt;n&lt;/i&gt;" in html


# Ids, the CSP, two series


def test_ids_are_unique_per_chart_and_every_reference_points_at_one():
    page = render(chart(Series("You", weekly([1, 2])), key="openness")) + render(
        chart(Series("You", weekly([1, 2])), key="mood")
    )
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 6
    for reference in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', page):
        assert all(one in ids for one in reference.split())


def test_a_chart_key_must_be_fit_for_an_id():
    with pytest.raises(ValueError, match="chart key"):
        chart(Series("You", []), key="Not an id")
    with pytest.raises(ValueError, match="y_max"):
        chart(Series("You", []), y_min=5, y_max=5)


def test_nothing_in_a_chart_needs_an_inline_style():
    html = render(
        chart(
            Series("You", weekly([1, None, 3], marker=Marker("Up", "up"))),
            Series("Sam", weekly([2, 4, 6], marker=Marker("Ring", "ring"))),
            bands=[Band(0, 4, "Low"), Band(5, 10, "High")],
        )
    )
    assert "style=" not in html.lower() and "<style" not in html.lower()
    assert "<script" not in html.lower()
    assert not re.search(r"\son\w+=", html)  # no event handler attributes either


def test_two_series_differ_by_line_style_and_point_shape_as_well_as_colour():
    built = chart(Series("You", weekly([1, 2, 3])), Series("Sam", weekly([3, 2, 1])))
    you, sam = built.series
    assert you.css_class != sam.css_class and you.colour != sam.colour
    assert you.dash != sam.dash
    # Circles (arcs) for one, squares (straight sides) for the other.
    assert "a" in you.points and "a" not in sam.points and "h" in sam.points
    legend = [(e.label, e.dash, e.shape) for e in built.legend]
    assert legend == [("You", you.dash, legend[0][2]), ("Sam", sam.dash, legend[1][2])]
    assert legend[0][2] != legend[1][2]


def test_the_drawing_has_as_many_elements_for_two_years_as_for_two_weeks():
    """Each line and each series' points are one path: the work grows with the points,
    the drawing's elements do not."""

    def elements(n: int) -> int:
        built = chart(Series("You", weekly([5] * n)), Series("Sam", weekly([6] * n)))
        return len(list(svg_of(render(built)).iter()))

    assert elements(60) == elements(104)


def test_two_years_of_weekly_dates_get_a_few_labels_with_their_years():
    built = chart(Series("You", weekly([5] * 104, first=date(2025, 12, 1))))
    # The first and last day, and two spread between them; a year where it changes.
    assert [(t.label, t.year, t.anchor) for t in built.x_ticks] == [
        ("1 Dec", "2025", "start"),
        ("27 Jul", "2026", "middle"),
        ("29 Mar", "2027", "middle"),
        ("22 Nov", "", "end"),
    ]
    assert built.x_ticks[0].x == str(LEFT) and built.x_ticks[-1].x == str(LEFT + PLOT_WIDTH)


def test_round_numbers_on_the_value_axis():
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 27) == [0, 10, 20]
    assert nice_ticks(0, 4) == [0, 1, 2, 3, 4]
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
