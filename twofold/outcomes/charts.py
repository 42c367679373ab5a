"""Trajectory charts of questionnaire totals: one chart per instrument with a total, one
series per person, the instrument's bands shaded, and a marker on every result whose
change from that person's first (baseline) result is reliable (``scoring.reliable_change``).

Built from results the caller has already read through ``visible_to``: nothing here
reads the database, so a page's queries do not grow with its results. The marker's
shape follows the line (a triangle pointing up when the total went up); its words say
whether that is better or worse in the instrument's own direction (PHQ-9: lower is
better, CSI-4: higher is better).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _

from twofold.lib import clock
from twofold.lib.charts import LineChart, Marker, Point, Series, line_chart
from twofold.outcomes import scoring
from twofold.outcomes.instruments import Instrument
from twofold.outcomes.models import QuestionnaireResult


@dataclass(frozen=True)
class Person:
    """One series: ``label`` ("You", a name) and that person's results (any order)."""

    label: str
    results: Sequence[QuestionnaireResult]


def change_marker(
    definition: Instrument, baseline: float | None, total: float | None
) -> Marker | None:
    """The reliable-change marker for ``total`` against ``baseline`` (None when the
    change is not reliable, or either is missing)."""
    if baseline is None or total is None:
        return None
    change = scoring.reliable_change(definition, baseline, total)
    if not change.reliable or change.change is None:
        return None
    shape: Literal["up", "down"] = "up" if change.change > 0 else "down"
    if change.category == "deteriorated":
        return Marker(_("Reliable worsening"), shape)
    return Marker(_("Reliable improvement"), shape)


def _points(definition: Instrument, results: Iterable[QuestionnaireResult]) -> list[Point]:
    ordered = sorted(
        (r for r in results if r.instrument_key == definition.key),
        key=lambda r: (r.submitted_at, str(r.pk)),
    )
    baseline: float | None = None
    points = []
    for result in ordered:
        day = clock.localdate(result.submitted_at)
        if result.total is None:
            points.append(Point(day, None, note=_("no score this time")))
            continue
        marker = change_marker(definition, baseline, result.total)
        if baseline is None:
            baseline = result.total
        points.append(Point(day, result.total, marker=marker))
    return points


def trajectory_charts(
    definitions: Iterable[Instrument],
    people: Sequence[Person],
    *,
    key_prefix: str = "questionnaire",
) -> list[dict[str, Any]]:
    """One ``{"definition", "chart"}`` per instrument of ``definitions`` that has a total
    and at least one scored result among ``people``, in the order given."""
    charts = []
    for definition in definitions:
        if not definition.has_total:
            continue
        series = [Series(p.label, _points(definition, p.results)) for p in people]
        if not any(point.value is not None for one in series for point in one.points):
            continue
        low, high = definition.total_range
        chart: LineChart = line_chart(
            key=f"{key_prefix}-{definition.key}",
            title=definition.title,
            series=[one for one in series if one.points],
            y_min=low,
            y_max=high,
            bands=definition.bands,
            period_label=_("Sent"),
        )
        charts.append({"definition": definition, "chart": chart})
    return charts
