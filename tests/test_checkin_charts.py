"""The check-in history's charts: each shared item over time for "you" and the partner,
from revealed rounds only and never an item kept private, and the viewer's own safety
answers in a chart only they see, at a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_charts import tables
from twofold.accounts import actions as account_actions
from twofold.checkins.models import SCORED_ITEMS, CheckIn, CheckInSchedule, SafetyAnswer

TODAY = date(2026, 12, 2)  # a Wednesday
THIS_MONDAY = date(2026, 11, 30)
URL = "/check-in/history/"
SHARED = {"openness": 6, "sexual_comfort": 5, "mutual_support": 7, "stress": 4}


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel("2026-12-02 12:00:00+00:00", tick=False):
        yield


def monday(weeks_ago: int) -> date:
    return THIS_MONDAY - timedelta(weeks=weeks_ago)


def opened(couple: Any, weeks_ago: int) -> None:
    """The couple has checked in every week since ``weeks_ago`` weeks back."""
    CheckInSchedule.objects.filter(couple=couple).update(anchor=monday(weeks_ago))


def check_in(couple: Any, person: Any, weeks_ago: int, **answers: Any) -> CheckIn:
    values: dict[str, Any] = {**SHARED, "sleep_quality": 6, "mood": 6}
    values.update(answers)
    felt_safe = values.pop("felt_safe", None)
    checkin = CheckIn.objects.create(
        couple=couple,
        owner=person,
        period_start=monday(weeks_ago),
        talk_about="a-private-topic-8d1e",
        **values,
    )
    if felt_safe is not None:
        SafetyAnswer.objects.create(
            checkin=checkin,
            couple=couple,
            owner=person,
            period_start=checkin.period_start,
            felt_safe=felt_safe,
        )
    return checkin


def page(client_for: Any, person: Any) -> str:
    response = client_for(person).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def chart_of(html: str, key: str) -> str:
    """One chart's markup, from its section to the end of its table."""
    match = re.search(rf'<div class="chart" id="chart-checkin-{key}">.*?</details>', html, re.S)
    assert match, f"no chart {key}"
    return match.group(0)


def column(html: str, key: str, name: str) -> list[str]:
    """The cells of one person's column in a chart's table, oldest first."""
    (table,) = tables(chart_of(html, key))
    header, *rows = table["rows"]
    index = header.index(name)
    return [row[index] for row in rows]


def normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_each_shared_item_has_a_chart_of_both_partners(client_for, couple, partner_a, partner_b):
    opened(couple, 3)
    for weeks_ago, (mine, theirs) in enumerate([(8, 3), (7, 4), (6, 5)]):
        check_in(couple, partner_a, 2 - weeks_ago, openness=mine)
        check_in(couple, partner_b, 2 - weeks_ago, openness=theirs)
    html = page(client_for, partner_a)
    for item in SCORED_ITEMS:
        key = item.key.replace("_", "-")
        assert f'id="chart-checkin-{key}-heading">{item.short}</h3>' in html
    assert column(html, "openness", "You") == ["8", "7", "6"]
    assert column(html, "openness", "Sam") == ["3", "4", "5"]
    openness = chart_of(html, "openness")
    assert "You: 3 values, first 8 on 16 Nov 2026, last 6 on 30 Nov 2026, down by 2." in openness
    assert "Sam: 3 values, first 3 on 16 Nov 2026, last 5 on 30 Nov 2026, up by 2." in openness
    assert "0 is very hard, 10 is very easy." in html
    # Nothing written in a check-in is charted; nothing on the page needs an inline style.
    assert "a-private-topic-8d1e" not in html
    assert "style=" not in html and "<style" not in html


def test_items_the_partner_kept_private_never_reach_the_charts(
    client_for, couple, partner_a, partner_b
):
    opened(couple, 4)
    for weeks_ago in range(4):
        check_in(couple, partner_a, weeks_ago, mood=9, mutual_support=1)
        check_in(couple, partner_b, weeks_ago, mood=2)
    # Alex kept mood private in every round, and support in one.
    CheckIn.objects.filter(owner=partner_a).update(private_items=["mood"])
    CheckIn.objects.filter(owner=partner_a, period_start=monday(1)).update(
        private_items=["mood", "mutual_support"]
    )
    sam = page(client_for, partner_b)
    assert column(sam, "mood", "Alex") == ["kept private"] * 4
    mood = chart_of(sam, "mood")
    assert "Alex: no values." in mood and ">9<" not in mood
    assert mood.count('class="chart-line"') == 1  # Sam's own line only
    assert column(sam, "mutual-support", "Alex") == ["1", "1", "kept private", "1"]
    # Alex still sees their own answers.
    alex = page(client_for, partner_a)
    assert column(alex, "mood", "You") == ["9"] * 4


def test_only_rounds_revealed_to_the_viewer_are_charted(client_for, couple, partner_a, partner_b):
    opened(couple, 5)
    for weeks_ago in range(5):
        check_in(couple, partner_a, weeks_ago, openness=9 if weeks_ago < 2 else 3)
    for weeks_ago in range(2, 5):  # Sam missed the last two rounds
        check_in(couple, partner_b, weeks_ago, openness=5)
    sam = page(client_for, partner_b)
    # Alex's answers from the rounds Sam has no answer of their own for stay closed.
    assert column(sam, "openness", "Alex") == ["3", "3", "3"]
    assert "9" not in "".join(column(sam, "openness", "Alex"))
    assert "first 3 on 2 Nov 2026, last 3 on 16 Nov 2026" in chart_of(sam, "openness")
    alex = page(client_for, partner_a)
    assert column(alex, "openness", "Sam") == ["5", "5", "5", "\u2013no value", "\u2013no value"]
    assert column(alex, "openness", "You") == ["3", "3", "3", "9", "9"]


def test_no_closeness_this_time_is_a_gap_with_a_note(client_for, couple, partner_a, partner_b):
    opened(couple, 3)
    for weeks_ago in range(3):
        check_in(couple, partner_a, weeks_ago, sexual_comfort=None if weeks_ago == 1 else 6)
        check_in(couple, partner_b, weeks_ago, sexual_comfort=None if weeks_ago == 2 else 4)
    alex = page(client_for, partner_a)
    assert column(alex, "sexual-comfort", "You") == ["6", "There was no closeness this time", "6"]
    assert column(alex, "sexual-comfort", "Sam") == ["There was no closeness this time", "4", "4"]
    comfort = chart_of(alex, "sexual-comfort")
    line = re.search(r'class="chart-line" d="([^"]+)"', comfort)
    assert line and line.group(1).count("M") == 2  # your line breaks where the gap is


def test_the_safety_chart_is_only_ever_for_the_person_who_answered(
    client_for, couple, partner_a, partner_b
):
    opened(couple, 3)
    for weeks_ago, felt in enumerate([2, 8, 3]):
        check_in(couple, partner_a, weeks_ago, felt_safe=felt)
        check_in(couple, partner_b, weeks_ago)
    alex = page(client_for, partner_a)
    assert "Just for you: how safe you have felt" in alex
    assert "Your partner never sees these answers" in alex
    assert column(alex, "felt-safe", "You") == ["3", "8", "2"]
    sam = page(client_for, partner_b)
    assert "chart-checkin-felt-safe" not in sam
    assert "Felt safe" not in sam and "how safe" not in sam.lower()


def test_the_partners_history_is_the_same_whatever_the_other_partners_safety_answers(
    client_for, couple, partner_a, partner_b
):
    """Low, high or none at all: byte for byte the same page for Sam (who answered in
    some rounds, so that Sam's own safety chart is there, with gaps Alex's answers must
    never fill)."""
    opened(couple, 6)
    for weeks_ago in range(6):
        check_in(couple, partner_a, weeks_ago, felt_safe=9)
        check_in(couple, partner_b, weeks_ago, felt_safe=6 if weeks_ago % 2 else None)
    client_b = client_for(partner_b)

    def sams_page() -> str:
        response = client_b.get(URL)
        assert response.status_code == 200
        return normalised(response.content.decode())

    high = sams_page()
    assert "chart-checkin-felt-safe" in high  # Sam's own
    SafetyAnswer.objects.filter(owner=partner_a).update(felt_safe=1)
    assert sams_page() == high
    SafetyAnswer.objects.filter(owner=partner_a, period_start=monday(2)).update(felt_safe=None)
    assert sams_page() == high
    SafetyAnswer.objects.filter(owner=partner_a).delete()
    assert sams_page() == high


def test_the_charts_wait_behind_the_privacy_lock(client_for, couple, partner_a, partner_b):
    opened(couple, 2)
    check_in(couple, partner_a, 1, openness=8, felt_safe=3)
    check_in(couple, partner_b, 1, openness=2)
    account_actions.set_privacy_lock(True, acting_user=partner_a, password=PASSWORD, ip="1.2.3.4")
    client = client_for(partner_a)
    locked = client.get(URL).content.decode()
    assert "Your charts are behind your privacy lock" in locked
    assert 'class="chart"' not in locked and "Felt safe" not in locked
    assert "23 Nov 2026 to 29 Nov" in locked  # who checked in is not behind it
    response = client.post(
        reverse("privacy_unlock"), {"password": PASSWORD, "next": URL, "what": "checkin_answers"}
    )
    assert response.status_code == 302, response.content.decode()
    opened_page = client.get(URL).content.decode()
    assert "chart-checkin-openness" in opened_page and "chart-checkin-felt-safe" in opened_page


def test_the_list_keeps_half_a_year_while_the_charts_cover_two_years(
    client_for, couple, partner_a, partner_b
):
    opened(couple, 110)
    for weeks_ago in range(110):
        check_in(couple, partner_a, weeks_ago, openness=weeks_ago % 11)
        check_in(couple, partner_b, weeks_ago)
    html = page(client_for, partner_a)
    # From the round 104 weeks back (2 Dec 2024) to this week's, which Alex has answered;
    # the list below the charts keeps its 26 weeks (27 rounds, this one included).
    assert len(column(html, "openness", "You")) == 105
    assert len(re.findall(r"<h2>\d+ \w+ \d{4} to ", html)) == 27
    assert re.search(r"You: 105 values, first \d+ on 2 Dec 2024, last 0 on 30 Nov 2026", html)


def test_a_couple_with_no_answers_yet_sees_no_empty_charts(client_for, couple, partner_a):
    html = page(client_for, partner_a)
    assert 'class="chart"' not in html and "Over time" not in html


# Session, the viewer, roles (2), the couple with its seats, consents and invitations, the
# schedule, who checked in for the listed rounds; then the charts: the check-ins the viewer
# may read, and their own safety answers; and the session's activity time saved (3).
HISTORY_QUERIES = 15


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_history_costs_the_same_queries_with_5_rounds_as_with_100(
    client_for, couple, partner_a, partner_b
):
    opened(couple, 100)
    client = client_for(partner_a)
    for weeks_ago in range(5):
        check_in(couple, partner_a, weeks_ago, felt_safe=7)
        check_in(couple, partner_b, weeks_ago)
    client.get(URL)  # once, so nothing first-time is counted
    few = _queries(client)
    for weeks_ago in range(5, 100):
        check_in(couple, partner_a, weeks_ago, felt_safe=7)
        check_in(couple, partner_b, weeks_ago)
    many = _queries(client)
    assert few == many == HISTORY_QUERIES, few
    assert len(column(client.get(URL).content.decode(), "mood", "Sam")) == 100
