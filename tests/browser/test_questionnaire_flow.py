"""A partner answers a questionnaire (the CSI-4) in a real browser, all on one page, sees
their result, shares it, and finds it on their chart with their earlier one and the score
their partner shared: axe finds nothing, and nothing scrolls sideways at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import WCAG_22_AA, check_a11y
from tests.browser.test_talking import signed_in_page
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.outcomes.models import QuestionnaireResult

ANSWERS = {
    "Please indicate the degree of happiness": "Very happy",
    "I have a warm and comfortable relationship": "Mostly true",
    "How rewarding is your relationship": "Mostly",
    "In general, how satisfied are you": "Almost completely",
}


def _earlier(couple: Couple, owner: User, total: float, shared: bool) -> None:
    QuestionnaireResult.objects.create(
        couple=couple,
        owner=owner,
        instrument_key="csi-4",
        instrument_version="1",
        instrument_sha256="0" * 64,
        slot="",
        submitted_at=timezone.now() - timedelta(weeks=8),
        total=total,
        scored_with="1",
        shared_with_partner=shared,
    )


def _fits(page: Any, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_partner_answers_the_csi4_and_sees_their_result_and_chart(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    _earlier(couple, partner_a, 9, shared=False)
    _earlier(couple, partner_b, 15, shared=True)
    base = live_server.url
    page = signed_in_page(new_context, base, partner_a)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{base}/questionnaires/")
    expect(page.get_by_role("heading", name="Questionnaires", exact=True)).to_be_visible()
    check_a11y(page, WCAG_22_AA)
    _fits(page)
    page.get_by_role("button", name=re.compile(r"^Start\W+Couples Satisfaction Index")).click()
    page.get_by_label("All the questions on one page").check()
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CSI-4")
    check_a11y(page, WCAG_22_AA)
    _fits(page)
    for question, choice in ANSWERS.items():
        group = page.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    # 4 + 3 + 3 + 4: a reliable change is not known for the CSI-4, so no marker.
    expect(page.get_by_text("14", exact=False).first).to_be_visible()
    check_a11y(page, WCAG_22_AA)
    _fits(page)
    page.get_by_role("button", name="Share this result with Sam").click()
    expect(page.get_by_text("Shared.", exact=False)).to_be_visible()

    page.goto(f"{base}/questionnaires/")
    expect(page.get_by_role("heading", name="Over time")).to_be_visible()
    chart = page.locator("#chart-questionnaire-csi-4").get_by_role(
        "img", name="Couples Satisfaction Index (CSI-4)"
    )
    expect(chart).to_be_visible()
    page.get_by_text("See the numbers", exact=True).first.click()
    table = page.get_by_role("table", name=re.compile("CSI-4"))
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(3)  # a header, eight weeks ago and today
    expect(table.get_by_role("columnheader", name="Sam")).to_be_visible()
    check_a11y(page, WCAG_22_AA)
    _fits(page)
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 100
