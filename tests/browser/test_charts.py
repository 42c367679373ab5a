"""The check-in history's charts in a real browser: axe finds nothing, in light and dark
colours, with every table of numbers open; no sideways scrolling at 390 or 320 px; the
page's CSP refuses nothing (the charts carry no inline style)."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import WCAG_22_AA, check_a11y
from twofold.accounts.models import User
from twofold.checkins.models import CheckIn, CheckInSchedule, SafetyAnswer, monday_of
from twofold.couples.models import Couple

WEEKS = 40
SHOTS = os.environ.get("TWOFOLD_SCREENSHOTS", "")  # a folder, to look at the charts


def _history(couple: Couple, alex: User, sam: User) -> None:
    """Forty weeks of check-ins, with the gaps and private items real ones have."""
    this_monday = monday_of(timezone.localdate())
    CheckInSchedule.objects.filter(couple=couple).update(
        anchor=this_monday - timedelta(weeks=WEEKS)
    )
    for week in range(WEEKS):
        start = this_monday - timedelta(weeks=WEEKS - week)
        for person, shift in ((alex, 0), (sam, 3)):
            if person == sam and week % 9 == 4:
                continue  # Sam missed a round now and then
            checkin = CheckIn.objects.create(
                couple=couple,
                owner=person,
                period_start=start,
                openness=(week + shift) % 11,
                sexual_comfort=None if week % 7 == 3 else (week // 3 + shift) % 11,
                mutual_support=(week // 2 + shift) % 11,
                stress=(10 - week // 4 - shift) % 11,
                sleep_quality=(week + 2 * shift) % 11,
                mood=(week // 5 + shift) % 11,
                private_items=["mood"] if person == sam and week % 5 == 0 else [],
            )
            SafetyAnswer.objects.create(
                checkin=checkin,
                couple=couple,
                owner=person,
                period_start=start,
                felt_safe=(week // 3 + 2) % 11,
            )


def _signed_in_page(new_context: Any, base_url: str, user: User, scheme: str) -> Any:
    context = new_context(color_scheme=scheme)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context.new_page()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_history_charts_are_accessible_and_fit_a_phone(
    scheme: str,
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    _history(couple, partner_a, partner_b)
    base = live_server.url
    page = _signed_in_page(new_context, base, partner_a, scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/check-in/history/")
    expect(page.get_by_role("heading", name="Over time")).to_be_visible()
    expect(page.get_by_role("img", name="Openness")).to_be_visible()
    expect(page.get_by_role("heading", name="Just for you: how safe you have felt")).to_be_visible()
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    check_a11y(page, WCAG_22_AA)

    # Every table of numbers open, so that axe reads them too.
    summaries = page.get_by_text("See the numbers", exact=True)
    assert summaries.count() == 7
    for i in range(summaries.count()):
        summaries.nth(i).click()
    table = page.get_by_role("table", name="Openness")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(WEEKS + 1)  # a header and 40 weeks
    check_a11y(page, WCAG_22_AA)

    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        box = page.get_by_role("img", name="Openness").bounding_box()
        assert box is not None and box["width"] <= width and box["height"] > 100
        if SHOTS:
            page.get_by_role("heading", name="Openness").scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/history-{scheme}-{width}.png")
    if SHOTS:
        page.set_viewport_size({"width": 1200, "height": 900})
        page.get_by_role("heading", name="Over time").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/history-{scheme}-1200.png")
