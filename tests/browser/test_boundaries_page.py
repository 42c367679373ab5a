"""Browser: the boundaries page on a phone, one answer saved at a time, and the private
note about the finer list."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WCAG_22_AA, check_a11y
from tests.browser.test_program import signed_in_page
from tests.factories import PASSWORD
from tests.program_helpers import answer_all, open_everything
from twofold.accounts.actions import set_privacy_lock
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.program import actions, content
from twofold.program.models import BoundaryAnswer, ChangeNote

NOTE = "The list has finer items now"
CHEST_GIVING = "Touching your partner's chest"
SITTING_CLOSE = "Sitting close together"


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _kind(page: Page, name: str) -> Any:
    """A kind's <details> (its summary starts with the kind's name)."""
    return page.locator("details.boundary-group").filter(has=page.locator("summary", has_text=name))


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
    # Everything is answered, so every kind is folded; opening one shows its rows.
    closer = _kind(alex, "Closer touch")
    expect(closer.locator("summary")).to_contain_text("3 of 3 answered")
    chest = alex.get_by_role("group", name=CHEST_GIVING)
    expect(chest).to_be_hidden()
    closer.locator("summary").click()
    for choice in ("Yes", "Maybe", "Not now", "No"):
        expect(chest.get_by_label(choice, exact=True)).to_be_visible()
    shared = alex.get_by_role("region", name="Open to both of you")
    expect(shared).to_contain_text("never a promise")
    expect(shared).to_contain_text("take that as an answer, not a question to ask")
    _fits(alex, 320)
    check_a11y(alex, WCAG_22_AA)

    chest.get_by_label("No", exact=True).check()
    expect(chest.get_by_role("status")).to_have_text("Saved")
    alex.get_by_role("button", name="Save my answers").click()
    expect(alex.get_by_text("Saved. You can change these whenever you like.")).to_be_visible()
    expect(alex.get_by_role("heading", name=NOTE)).to_have_count(0)
    expect(shared.get_by_role("listitem").filter(has_text=CHEST_GIVING)).to_have_count(0)
    mine = shared.get_by_role("listitem").filter(has_text="Your partner touching your chest")
    expect(mine).to_have_count(1)
    _fits(alex, 320)

    sam = signed_in_page(new_context, base, partner_b)
    sam.goto(base + "/boundaries/")
    expect(sam.get_by_role("heading", name="Your boundaries")).to_be_visible()
    expect(sam.get_by_role("heading", name=NOTE)).to_have_count(0)


@pytest.mark.parametrize("width", [320, 390])
def test_each_answer_is_saved_as_it_is_chosen_with_the_keyboard(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
    width: int,
) -> None:
    base = live_server.url
    answer_all(partner_b, couple, "yes")
    talking = [k for k, a in content.activities().items() if a.group == "Talking"]
    actions.save_boundaries(couple, dict.fromkeys(talking, "yes"), acting_user=partner_a)
    affection = sum(1 for a in content.activities().values() if a.group == "Affection")

    alex = signed_in_page(new_context, base, partner_a)
    alex.set_viewport_size({"width": width, "height": 800})
    alex.goto(base + "/boundaries/")
    expect(alex.get_by_text("Each answer is saved as soon as you choose it")).to_be_visible()
    expect(alex.get_by_text("Your partner never sees your answers")).to_be_visible()
    # Answered kinds are folded, the others open, each saying how far along it is.
    expect(_kind(alex, "Talking")).not_to_have_attribute("open", "")
    kind = _kind(alex, "Affection")
    expect(kind).to_have_attribute("open", "")
    expect(kind.locator("summary")).to_contain_text(f"0 of {affection} answered")
    _fits(alex, width)
    # Every choice is a target of at least 44 by 24 px, the four side by side.
    close = alex.get_by_role("group", name=SITTING_CLOSE)
    boxes = [close.locator("label").nth(n).bounding_box() for n in range(4)]
    for box in boxes:
        assert box and box["height"] >= 44 and box["width"] >= 24, box
    assert len({round(box["y"]) for box in boxes if box}) == 1
    check_a11y(alex, WCAG_22_AA)

    # Tab from the kind's summary into its first row, then arrows choose.
    kind.locator("summary").focus()
    alex.keyboard.press("Tab")
    expect(close.get_by_label("Yes", exact=True)).to_be_focused()
    shared = alex.get_by_role("region", name="Open to both of you")
    with alex.expect_response(lambda r: r.url.endswith("/boundaries/sitting-close/")):
        alex.keyboard.press("ArrowRight")
    expect(close.get_by_label("Maybe", exact=True)).to_be_checked()
    expect(close.get_by_role("status")).to_have_text("Saved")
    expect(kind.locator("summary")).to_contain_text(f"1 of {affection} answered")
    expect(shared.get_by_role("listitem").filter(has_text=SITTING_CLOSE)).to_have_count(1)
    with alex.expect_response(lambda r: r.url.endswith("/boundaries/sitting-close/")):
        alex.keyboard.press("ArrowRight")
    expect(close.get_by_label("Not now", exact=True)).to_be_focused()
    expect(shared.get_by_role("listitem").filter(has_text=SITTING_CLOSE)).to_have_count(0)
    expect(close.get_by_role("status")).to_have_text("Saved")
    _fits(alex, width)
    check_a11y(alex, WCAG_22_AA)
    assert BoundaryAnswer.objects.get(owner=partner_a, activity_key="sitting-close").answer == (
        "not_now"
    )

    # A folded kind opens from the keyboard too.
    _kind(alex, "Talking").locator("summary").focus()
    alex.keyboard.press("Enter")
    expect(alex.get_by_role("group", name="Talking openly about sex")).to_be_visible()

    alex.reload()
    close = alex.get_by_role("group", name=SITTING_CLOSE)
    expect(close.get_by_label("Not now", exact=True)).to_be_checked()
    expect(_kind(alex, "Affection").locator("summary")).to_contain_text(
        f"1 of {affection} answered"
    )


def test_an_answer_that_is_not_saved_says_so_in_its_row(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
) -> None:
    base = live_server.url
    alex = signed_in_page(new_context, base, partner_a)
    alex.set_viewport_size({"width": 390, "height": 800})
    alex.goto(base + "/boundaries/")
    hugging = alex.get_by_role("group", name="Hugging")

    # A value that is not one of the four (sent by a changed page) is refused in the row.
    hugging.get_by_label("Maybe", exact=True).evaluate("radio => { radio.value = 'definitely'; }")
    hugging.get_by_label("Maybe", exact=True).check()
    expect(hugging.get_by_role("status")).to_have_text("Please choose Yes, Maybe, Not now or No.")
    assert not BoundaryAnswer.objects.exists()

    # The connection failing: the row says the choice is not saved yet.
    alex.route("**/boundaries/hugging/", lambda route: route.abort())
    hugging.get_by_label("Yes", exact=True).check()
    expect(hugging.get_by_role("status")).to_contain_text("Not saved yet.")
    alex.unroute("**/boundaries/hugging/")
    assert not BoundaryAnswer.objects.exists()
    check_a11y(alex, WCAG_22_AA)

    # The privacy lock turned on meanwhile: the page reloads to ask, and nothing is saved.
    set_privacy_lock(True, acting_user=partner_a, password=PASSWORD, ip="127.0.0.1")
    hugging.get_by_label("No", exact=True).check()
    expect(alex.get_by_role("heading", name="Enter your password to open this")).to_be_visible()
    assert not BoundaryAnswer.objects.exists()
