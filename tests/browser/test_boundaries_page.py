"""Browser: the boundaries page at 320 px, with the private note about the finer list."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import check_a11y
from tests.browser.test_program import signed_in_page
from tests.program_helpers import open_everything
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.program.models import ChangeNote

NOTE = "The list has finer items now"
CHEST_GIVING = "Touching your partner's chest"


def test_the_boundaries_page_works_at_320_px_and_the_note_is_only_its_owners(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    base = live_server.url
    open_everything(couple)
    ChangeNote.objects.create(couple=couple, owner=partner_a, kind="finer_boundaries")

    alex = signed_in_page(new_context, base, partner_a)
    alex.set_viewport_size({"width": 320, "height": 740})
    alex.goto(base + "/boundaries/")
    expect(alex.get_by_role("heading", name=NOTE)).to_be_visible()
    chest = alex.get_by_role("group", name=CHEST_GIVING)
    for choice in ("Yes", "Maybe", "Not now", "No"):
        expect(chest.get_by_label(choice, exact=True)).to_be_visible()
    shared = alex.get_by_role("region", name="Open to both of you")
    expect(shared).to_contain_text("never a promise")
    expect(shared).to_contain_text("take that as an answer, not a question to ask")
    assert alex.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(alex)

    chest.get_by_label("No", exact=True).check()
    alex.get_by_role("button", name="Save my answers").click()
    expect(alex.get_by_text("Saved. You can change these whenever you like.")).to_be_visible()
    expect(alex.get_by_role("heading", name=NOTE)).to_have_count(0)
    expect(shared.get_by_role("listitem").filter(has_text=CHEST_GIVING)).to_have_count(0)
    mine = shared.get_by_role("listitem").filter(has_text="Your partner touching your chest")
    expect(mine).to_have_count(1)
    assert alex.evaluate("document.documentElement.scrollWidth") <= 320

    sam = signed_in_page(new_context, base, partner_b)
    sam.goto(base + "/boundaries/")
    expect(sam.get_by_role("heading", name="Your boundaries")).to_be_visible()
    expect(sam.get_by_role("heading", name=NOTE)).to_have_count(0)
