"""The program as a couple lives it: two partners, two browsers, and their care team."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import check_a11y, sign_in
from tests.factories import PASSWORD, UserFactory, make_couple
from tests.program_helpers import open_everything
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.program import actions as program_actions
from twofold.program.models import Assignment

# A stage-1 exercise whose activities include one no other stage-1 exercise involves.
STOP_SIGNAL = "practising-a-stop-signal"
STOP_SIGNAL_TITLE = "Choosing and practising a stop signal"
SITTING_CLOSE = "Sitting close together"  # the stop signal needs it; hands are optional
SET_ASIDE = "has been set aside, to stay within what feels right for both of you"


def signed_in_page(new_context: Callable[..., BrowserContext], base_url: str, user: User) -> Page:
    """A page in a browser of its own, signed in as ``user``, showing the program."""
    page = new_context().new_page()
    sign_in(page, base_url, user.email, PASSWORD)
    page.goto(base_url + "/program/")
    expect(page.get_by_role("heading", name="Your program", level=1)).to_be_visible()
    return page


@pytest.fixture
def self_guided(transactional_db: None) -> tuple[User, User, Couple]:
    """Jo and Kim, a couple working through the program on their own, open to everything."""
    jo = UserFactory(email="jo@example.org", display_name="Jo")
    kim = UserFactory(email="kim@example.org", display_name="Kim")
    couple = make_couple(jo, kim)
    open_everything(couple)
    return jo, kim, couple


def test_a_couple_moves_on_only_when_both_are_ready(
    live_server: Any, new_context: Any, self_guided: tuple[User, User, Couple]
) -> None:
    jo_user, kim_user, _couple = self_guided
    jo = signed_in_page(new_context, live_server.url, jo_user)
    kim = signed_in_page(new_context, live_server.url, kim_user)
    for page in (jo, kim):
        expect(page.get_by_text("Stage 1 of 6")).to_be_visible()
    check_a11y(jo)

    jo.get_by_role("button", name="I'm ready to move on").click()
    expect(jo.get_by_text("You'll move on when you're both ready")).to_be_visible()
    expect(jo.get_by_text("You've said you're ready to move on.")).to_be_visible()
    expect(jo.get_by_text("Stage 1 of 6")).to_be_visible()
    check_a11y(jo)

    # Kim sees no change: still stage 1, and nothing says Jo is ready.
    kim.reload()
    expect(kim.get_by_text("Stage 1 of 6")).to_be_visible()
    expect(kim.get_by_role("button", name="I'm ready to move on")).to_be_visible()
    pace = kim.get_by_role("region", name="Your pace")
    expect(pace).to_contain_text("Nothing changes until you both are.")
    expect(pace).not_to_contain_text("Jo")
    expect(kim.get_by_role("main")).not_to_contain_text("You've said you're ready")

    kim.get_by_role("button", name="I'm ready to move on").click()
    expect(kim.get_by_text("you've moved on together")).to_be_visible()
    expect(kim.get_by_text("Stage 2 of 6")).to_be_visible()
    expect(kim.get_by_role("heading", name="Affection and everyday touch")).to_be_visible()
    check_a11y(kim)

    jo.reload()
    expect(jo.get_by_text("Stage 2 of 6")).to_be_visible()
    expect(jo.get_by_role("button", name="I'm ready to move on")).to_be_visible()


def test_pausing_shows_the_other_partner_only_that_it_is_paused(
    live_server: Any, new_context: Any, self_guided: tuple[User, User, Couple]
) -> None:
    jo_user, kim_user, _couple = self_guided
    jo = signed_in_page(new_context, live_server.url, jo_user)
    kim = signed_in_page(new_context, live_server.url, kim_user)

    jo.get_by_role("button", name="Pause the program").click()
    expect(jo.get_by_role("heading", name="The program is paused")).to_be_visible()
    expect(jo.get_by_role("button", name="Resume the program")).to_be_visible()

    kim.reload()
    expect(kim.get_by_role("heading", name="The program is paused")).to_be_visible()
    expect(kim.get_by_text("It can be resumed by the partner who paused it")).to_be_visible()
    expect(kim.get_by_role("button", name="Resume the program")).to_have_count(0)
    expect(kim.get_by_text("Stage 1 of 6")).to_have_count(0)
    expect(kim.get_by_role("region", name="The program is paused")).not_to_contain_text("Jo")
    check_a11y(kim)

    jo.get_by_role("button", name="Resume the program").click()
    expect(jo.get_by_text("Welcome back. The program is running again.")).to_be_visible()
    expect(jo.get_by_text("Stage 1 of 6")).to_be_visible()

    kim.reload()
    expect(kim.get_by_text("Stage 1 of 6")).to_be_visible()
    expect(kim.get_by_role("heading", name="The program is paused")).to_have_count(0)


def test_narrowing_a_boundary_withdraws_an_assigned_exercise(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
    clinician: User,
) -> None:
    plan = open_everything(couple)
    Assignment.objects.create(
        plan=plan, couple=couple, exercise_key=STOP_SIGNAL, assigned_by=clinician
    )

    alex = signed_in_page(new_context, live_server.url, partner_a)
    suggested = alex.get_by_role("heading", name="Suggested by your care team")
    expect(suggested).to_be_visible()
    # The care team's pick is the first card, ahead of "Also in this stage".
    first_card = alex.locator(".card-grid").first.get_by_role("heading", level=4)
    expect(first_card).to_have_text([STOP_SIGNAL_TITLE])

    sam = new_context().new_page()
    sign_in(sam, live_server.url, partner_b.email, PASSWORD)
    sam.goto(live_server.url + "/boundaries/")
    sam.locator("summary", has_text="Affection").click()  # answered kinds start folded
    close = sam.get_by_role("group", name=SITTING_CLOSE)
    expect(close.get_by_label("Yes")).to_be_checked()
    close.get_by_label("Not now").check()
    sam.get_by_role("button", name="Save my answers").click()
    expect(sam.get_by_text("Saved. You can change these whenever you like.")).to_be_visible()
    sam.locator("summary", has_text="Affection").click()
    expect(sam.get_by_role("group", name=SITTING_CLOSE).get_by_label("Not now")).to_be_checked()
    overlap = sam.get_by_role("region", name="Open to both of you")
    expect(overlap.get_by_role("listitem").filter(has_text=SITTING_CLOSE)).to_have_count(0)
    check_a11y(sam)

    alex.reload()
    set_aside = alex.get_by_role("region", name="Set aside")
    expect(set_aside).to_contain_text(f"“{STOP_SIGNAL_TITLE}” {SET_ASIDE}")
    expect(set_aside).not_to_contain_text("Sam")
    expect(alex.get_by_role("heading", name="Suggested by your care team")).to_have_count(0)
    expect(alex.get_by_role("link", name=STOP_SIGNAL_TITLE)).to_have_count(0)
    check_a11y(alex)


def test_logging_a_practice_and_goals_pages_are_accessible(
    transactional_db: None, live_server: Any, new_context: Any, couple: Couple, partner_a: User
) -> None:
    open_everything(couple)
    alex = signed_in_page(new_context, live_server.url, partner_a)

    alex.get_by_role("link", name="Agreeing your ground rules").click()
    expect(alex.get_by_role("heading", name="Agreeing your ground rules", level=1)).to_be_visible()
    check_a11y(alex)

    alex.get_by_role("main").get_by_role("button", name="Log how it went").click()
    expect(alex.get_by_role("heading", name="How did it go?")).to_be_visible()
    check_a11y(alex)
    alex.get_by_label("How comfortable did you feel?").fill("7")
    alex.get_by_label("How worried or anxious did you feel?").fill("3")
    alex.get_by_label("How close did you feel to your partner?").fill("8")
    # A talk asks nothing about sensations, and no log asks about enjoyment.
    expect(alex.get_by_text("stay with the sensations")).to_have_count(0)
    expect(alex.get_by_text("enjoy")).to_have_count(0)
    alex.get_by_label("Note").fill("We agreed on three rules and wrote them down.")
    alex.get_by_role("button", name="Save my log").click()
    expect(alex.get_by_text("Thank you. Your log is saved.")).to_be_visible()
    expect(alex.get_by_text("You practised this week.")).to_be_visible()

    alex.goto(live_server.url + "/goals/")
    expect(alex.get_by_role("heading", name="Goals", level=1)).to_be_visible()
    check_a11y(alex)
    goal = "A slow walk together on Sunday mornings"
    alex.get_by_label("A goal you'd like to work towards").fill(goal)
    alex.get_by_role("button", name="Save as a draft").click()
    expect(alex.get_by_text("Saved as a private draft.")).to_be_visible()
    drafts = alex.get_by_role("region", name="Your private drafts")
    expect(drafts.get_by_text(f"“{goal}”")).to_be_visible()
    check_a11y(alex)


def test_clinician_program_page_is_accessible(
    transactional_db: None, live_server: Any, page: Page, couple: Couple, clinician: User
) -> None:
    plan = open_everything(couple)
    sign_in(page, live_server.url, clinician.email, PASSWORD, totp=True)

    page.goto(f"{live_server.url}/care/couples/{couple.pk}/program/")
    expect(page.get_by_role("heading", name="Program", level=1)).to_be_visible()
    expect(page.get_by_text("Stage 1: Foundations").first).to_be_visible()
    # Approving waits for both partners' own "ready".
    expect(page.get_by_role("button", name="Approve moving on")).to_have_count(0)
    check_a11y(page)

    for seat in couple.seats():
        program_actions.set_ready(plan, True, acting_user=seat.user)
    page.reload()
    page.get_by_role("button", name="Approve moving on").click()
    expect(page.get_by_text("Approved. They have moved on.")).to_be_visible()
    expect(page.get_by_text("Stage 2: ").first).to_be_visible()
    check_a11y(page)


def test_an_exercise_page_shows_its_safety_words_calmly_at_320_px(
    transactional_db: None, live_server: Any, new_context: Any, couple: Couple, partner_a: User
) -> None:
    plan = open_everything(couple)
    plan.stage_index = 3  # the genital stage: condition notes apply
    plan.save(update_fields=["stage_index"])
    alex = signed_in_page(new_context, live_server.url, partner_a)
    alex.set_viewport_size({"width": 320, "height": 740})

    earlier = alex.get_by_role("region", name="Exercises from earlier stages")
    earlier.get_by_text("Stage 3: Touch with nothing to achieve").click()
    expect(earlier.get_by_role("link", name="Texture and temperature")).to_be_visible()
    assert alex.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(alex)

    alex.goto(live_server.url + "/program/exercises/including-the-genitals/")
    stop = alex.get_by_role("region", name="When to stop and call for help")
    expect(stop.get_by_role("listitem")).to_have_count(len(plan.program.stop_and_call))
    expect(stop).to_contain_text("An erection that lasts more than four hours.")
    conditions = alex.get_by_role("region", name="If you have one of these health conditions")
    heart = conditions.locator("details").filter(has_text="heart attack").first
    expect(heart.get_by_text("two flights of stairs")).to_be_hidden()
    heart.locator("summary").click()
    expect(heart.get_by_text("two flights of stairs", exact=False)).to_be_visible()
    expect(alex.get_by_role("region", name="Keeping safe")).to_be_visible()
    expect(alex.get_by_role("region", name="If arousal comes")).to_have_count(0)
    assert alex.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(alex)
