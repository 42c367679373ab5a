"""Trajectory charts on the questionnaire pages: one's own totals over time with the
instrument's bands, reliable-change markers against the first result, the partner's
totals only where they shared them, never the safety screen (HARK) on a partner's page,
both partners (while each consents) on the care team's page, and a fixed query count."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.outcomes_helpers import answer, hark
from twofold.couples.models import Consent
from twofold.outcomes.charts import change_marker
from twofold.outcomes.instruments import instrument
from twofold.outcomes.models import QuestionnaireResult

MONDAY = "2026-11-30 10:00:00+00:00"
START = datetime.fromisoformat(MONDAY)
LIST = "/questionnaires/"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def _result(
    couple: Any,
    owner: Any,
    key: str,
    total: float | None,
    week: int,
    shared: bool = False,
    private_safety: bool = False,
) -> QuestionnaireResult:
    return QuestionnaireResult.objects.create(
        couple=couple,
        owner=owner,
        instrument_key=key,
        instrument_version="1",
        instrument_sha256="0" * 64,
        slot=f"week-{week}",
        submitted_at=START + timedelta(weeks=week),
        total=total,
        withheld_code="" if total is not None else "missing",
        scored_with="1",
        shared_with_partner=shared,
        private_safety=private_safety,
    )


def _charts(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    return {entry["definition"].key: entry["chart"] for entry in response.context["charts"]}


def _series(chart: Any) -> dict[str, Any]:
    return {one.label: one for one in chart.series}


def _markers(series: Any) -> list[str]:
    return [m.label for m in series.markers]


# --- Reliable change, by hand ---------------------------------------------------------


def test_phq9_reliable_change_is_six_points_either_way_in_its_direction():
    phq9 = instrument("phq-9")
    assert change_marker(phq9, 15, 10) is None  # 5 points: not reliable
    better = change_marker(phq9, 15, 9)  # 6 points down: lower is better
    assert better is not None
    assert (better.label, better.shape) == ("Reliable improvement", "down")
    worse = change_marker(phq9, 15, 21)
    assert worse is not None
    assert (worse.label, worse.shape) == ("Reliable worsening", "up")
    assert change_marker(phq9, None, 9) is None
    assert change_marker(phq9, 15, None) is None


def test_for_an_instrument_where_higher_is_better_going_up_is_the_improvement():
    csi4 = instrument("csi-4")
    assert csi4.higher_is_better
    # The CSI-4 has no published reliable change here: never a marker.
    assert change_marker(csi4, 0, 21) is None
    with_points = dataclasses.replace(csi4, reliable_change_points=5)
    up, down = change_marker(with_points, 8, 13), change_marker(with_points, 13, 8)
    assert up is not None and (up.label, up.shape) == ("Reliable improvement", "up")
    assert down is not None and (down.label, down.shape) == ("Reliable worsening", "down")
    assert change_marker(with_points, 8, 12) is None


# --- The partner's page ---------------------------------------------------------------


def test_the_chart_shows_ones_own_totals_with_bands_and_markers_where_reliable(
    couple: Any, partner_a: Any, client_for: Any
):
    for week, total in enumerate((15, 10, 9, 21, None)):
        _result(couple, partner_a, "phq-9", total, week)
    charts = _charts(client_for(partner_a).get(LIST))
    assert list(charts) == ["phq-9"]
    chart = charts["phq-9"]
    you = _series(chart)["You"]
    # Against the first (15): 10 is 5 points (not reliable), 9 and 21 are 6.
    assert _markers(you) == ["Reliable improvement", "Reliable worsening"]
    assert [b.label for b in chart.bands] == [
        "None or minimal",
        "Mild",
        "Moderate",
        "Moderately severe",
        "Severe",
    ]
    values = [[cell.value for cell in row.cells] for row in chart.rows]
    assert [v[0] for v in values][:4] == ["15", "10", "9", "21"]
    page = client_for(partner_a).get(LIST).content.decode()
    assert 'role="img"' in page and "Reliable improvement" in page
    assert "no score this time" in page


def test_the_partners_totals_appear_only_when_they_shared_them(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    _result(couple, partner_a, "csi-4", 10, 0)
    _result(couple, partner_a, "csi-4", 14, 4)
    kept = _result(couple, partner_b, "csi-4", 8, 0)
    _result(couple, partner_b, "phq-9", 12, 0)  # kept: no PHQ-9 chart for Alex
    alex = client_for(partner_a)
    charts = _charts(alex.get(LIST))
    assert list(charts) == ["csi-4"]
    assert list(_series(charts["csi-4"])) == ["You"]
    QuestionnaireResult.objects.filter(pk=kept.pk).update(shared_with_partner=True)
    _result(couple, partner_b, "csi-4", 20, 4, shared=True)
    charts = _charts(alex.get(LIST))
    assert list(charts) == ["csi-4"]
    series = _series(charts["csi-4"])
    assert list(series) == ["You", "Sam"]
    rows = [[cell.value for cell in row.cells] for row in charts["csi-4"].rows]
    assert rows == [["10", "8"], ["14", "20"]]
    # Sam's own page charts Sam as "You" and Alex not at all (nothing shared).
    sams = _charts(client_for(partner_b).get(LIST))
    assert list(sams) == ["csi-4", "phq-9"]
    assert list(_series(sams["csi-4"])) == ["You"]


def test_the_safety_screen_is_never_charted_on_a_partners_page(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    answer(couple, partner_a, "hark", values=hark(positive=True))
    answer(couple, partner_b, "hark", values=hark(positive=False))
    _result(couple, partner_b, "csi-4", 12, 1, shared=True)
    for user in (partner_a, partner_b):
        charts = _charts(client_for(user).get(LIST))
        assert "hark" not in charts
    page = client_for(partner_a).get(LIST).content.decode()
    assert "chart-questionnaire-hark" not in page


def test_the_care_team_sees_both_partners_while_each_consents(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    _result(couple, partner_a, "phq-9", 15, 0)
    _result(couple, partner_a, "phq-9", 8, 4)
    _result(couple, partner_b, "phq-9", 5, 0)
    answer(couple, partner_b, "hark", values=hark(positive=True))
    url = f"/care/couples/{couple.pk}/questionnaires/"
    charts = _charts(client_for(clinician).get(url))
    assert set(charts) == {"phq-9", "hark"}
    series = _series(charts["phq-9"])
    assert list(series) == ["Alex", "Sam"]
    assert _markers(series["Alex"]) == ["Reliable improvement"]
    Consent.objects.filter(couple=couple, user=partner_a, kind="care").update(
        withdrawn_at="2026-11-30T10:00:00+00:00"
    )
    charts = _charts(client_for(clinician).get(url))
    assert list(_series(charts["phq-9"])) == ["Sam"]


# --- Queries --------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_charts_cost_the_same_queries_with_3_and_40_results(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    many = 40
    alex, care = client_for(partner_a), client_for(clinician)
    urls = (LIST, f"/care/couples/{couple.pk}/questionnaires/")

    def add(weeks: range) -> None:
        for week in weeks:
            _result(couple, partner_a, "phq-9", (week * 5) % 28, week)
            _result(couple, partner_b, "csi-4", (week * 3) % 22, week, shared=True)

    add(range(3))
    alex.get(LIST)
    few = tuple(_count(c, u) for c, u in zip((alex, care), urls, strict=True))
    assert len(_charts(alex.get(LIST))) == 2
    add(range(3, many))
    lots = tuple(_count(c, u) for c, u in zip((alex, care), urls, strict=True))
    assert few == lots
    charts = _charts(alex.get(LIST))
    assert len(charts["phq-9"].rows) == many
