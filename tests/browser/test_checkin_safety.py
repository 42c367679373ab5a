"""The private safety question in a real browser: support for the person, nothing for the
partner, accessible and narrow enough for a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import check_a11y
from tests.browser.test_talking import SAM_SCORES, fill_check_in, signed_in_page
from twofold.accounts.models import User
from twofold.checkins.models import CheckInSchedule
from twofold.couples.models import Couple

LOW = dict(SAM_SCORES) | {"How safe have you felt since your last check-in?": 3}


def test_a_low_safety_answer_brings_support_to_that_person_only(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    base = live_server.url
    alex = signed_in_page(new_context, base, partner_a)
    alex.set_viewport_size({"width": 320, "height": 740})
    start = CheckInSchedule.objects.get(couple=couple).anchor.isoformat()
    alex.goto(f"{base}/check-in/{start}/")
    expect(alex.get_by_text("Just for you and your care team.")).to_be_visible()
    check_a11y(alex)
    fill_check_in(alex, LOW, "Tea in the garden.", "")

    support = alex.get_by_role("region", name="You don't have to carry this alone")
    expect(support).to_be_visible()
    expect(support.get_by_role("link", name="More on Safety and support")).to_be_visible()
    assert alex.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(alex)

    sam = signed_in_page(new_context, base, partner_b)
    sam.goto(f"{base}/check-in/{start}/together/")
    expect(sam.get_by_role("heading", name="Your check-in together")).to_be_visible()
    expect(sam.get_by_role("main")).not_to_contain_text("carry this alone")
