"""Talking things through: check in, see each other's answers, talk, adjust, look back.

Alex and Sam each use their own browser. Nothing here waits on a clock: the talk page's
own polling (every two seconds) is awaited with ``expect`` and a timeout of a few polls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import check_a11y, sign_in
from tests.factories import PASSWORD
from twofold.accounts.models import User
from twofold.checkins.models import CheckInSchedule
from twofold.couples.models import Couple

# A few htmx polls (every 2 s) on the talk page.
POLL_TIMEOUT_MS = 6000

ALEX_APPRECIATED = "You made dinner on Thursday when I was exhausted."
ALEX_TALK_ABOUT = "How we plan our evenings when one of us is tired."
SAM_APPRECIATED = "The walk we took on Saturday morning."
SAM_TALK_ABOUT = "Finding time for just the two of us."

# Scores in the order of the form; only comfort with closeness is 3 or more points apart.
# The private safety question is answered too, and Sam never meets Alex's answer.
ALEX_SCORES = {
    "How easy was it to be open with your partner since your last check-in?": 7,
    "How comfortable did you feel with closeness and intimacy since your last check-in?": 8,
    "How supported did you feel by your partner since your last check-in?": 7,
    "How stressed have you been since your last check-in?": 4,
    "How well have you slept since your last check-in?": 6,
    "How has your mood been since your last check-in?": 7,
    "How safe have you felt since your last check-in?": 9,
}
SAM_SCORES = {
    "How easy was it to be open with your partner since your last check-in?": 6,
    "How comfortable did you feel with closeness and intimacy since your last check-in?": 4,
    "How supported did you feel by your partner since your last check-in?": 6,
    "How stressed have you been since your last check-in?": 5,
    "How well have you slept since your last check-in?": 7,
    "How has your mood been since your last check-in?": 6,
    "How safe have you felt since your last check-in?": 8,
}

CONCERN = "When plans change at the last minute, I feel unsettled and a bit left out."
WISH = "Telling each other by lunchtime if the evening plan changes."
REFLECTION = (
    "I heard that last-minute changes leave you feeling unsettled and left out, "
    "and that a bit of notice would help."
)
ADJUSTMENT = "We text each other by 1pm if our evening plans change."
SAM_NOTE = "Knowing earlier made the evenings calmer for me."
ALEX_NOTE = "Mostly the same, but I liked that we tried."
LEARNED = "A small heads-up goes a long way, even when the plan itself doesn't change."


def signed_in_page(new_context: Callable[..., BrowserContext], base_url: str, user: User) -> Page:
    """A page in a browser of its own, signed in as ``user``."""
    page = new_context().new_page()
    sign_in(page, base_url, user.email, PASSWORD)
    return page


def short_day(day: date) -> str:
    """A day as the check-in pages show it (Django's "j M"), e.g. "30 Nov"."""
    return f"{day.day} {day:%b}"


def fill_check_in(page: Page, scores: dict[str, int], appreciated: str, talk_about: str) -> None:
    for question, score in scores.items():
        group = page.get_by_role("group", name=question)
        group.get_by_label(str(score), exact=True).check()
    page.get_by_label("Something I appreciated since our last check-in", exact=True).fill(
        appreciated
    )
    page.get_by_label("Something I'd like us to talk about", exact=True).fill(talk_about)
    page.get_by_role("button", name="Save my check-in").click()


def test_check_in_reveal_prompt_adjustment_and_review_loop(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    base = live_server.url
    alex = signed_in_page(new_context, base, partner_a)
    sam = signed_in_page(new_context, base, partner_b)

    # 1. Alex checks in first.
    alex.goto(base + "/check-in/")
    expect(alex.get_by_role("heading", name="Check-in", level=1)).to_be_visible()
    # The schedule starts with the week of the first visit, so its anchor is this round.
    start = CheckInSchedule.objects.get(couple=couple).anchor
    this_round = f"{short_day(start)} to {short_day(start + timedelta(days=6))}"
    alex.get_by_role("region", name=this_round).get_by_role("button", name="Check in now").click()
    expect(alex.get_by_role("heading", name="Your check-in", level=1)).to_be_visible()
    check_a11y(alex)
    fill_check_in(alex, ALEX_SCORES, ALEX_APPRECIATED, ALEX_TALK_ABOUT)
    expect(alex.get_by_text("Thank you. Your check-in is saved.")).to_be_visible()
    expect(alex.get_by_role("heading", name="Your check-in together")).to_be_visible()
    expect(
        alex.get_by_text(
            "Thank you for checking in. Sam hasn't checked in yet; "
            "their answers will appear here when they do."
        )
    ).to_be_visible()

    # 2. Sam sees that Alex has checked in, but none of Alex's answers.
    sam.goto(base + "/check-in/")
    sam_round = sam.get_by_role("region", name=this_round)
    expect(sam_round.get_by_role("listitem").filter(has_text="Alex")).to_have_text(
        "Alex: checked in"
    )
    expect(sam_round.get_by_role("listitem").filter(has_text="You")).to_have_text("You: not yet")
    expect(sam.get_by_role("main")).not_to_contain_text(ALEX_APPRECIATED)

    together_url = f"{base}/check-in/{start.isoformat()}/together/"
    sam.goto(together_url)
    expect(
        sam.get_by_text(
            "Alex has checked in. When you check in too, you'll see each other's answers."
        )
    ).to_be_visible()
    main = sam.get_by_role("main")
    for hidden in (ALEX_APPRECIATED, ALEX_TALK_ABOUT):
        expect(main).not_to_contain_text(hidden)
    expect(sam.get_by_role("table")).to_have_count(0)

    # 3. Sam checks in, four points apart from Alex on comfort: the reveal.
    main.get_by_role("button", name="Check in now").click()
    expect(sam.get_by_role("heading", name="Your check-in", level=1)).to_be_visible()
    fill_check_in(sam, SAM_SCORES, SAM_APPRECIATED, SAM_TALK_ABOUT)
    expect(sam.get_by_text("Thank you. Your check-in is saved.")).to_be_visible()
    expect(sam).to_have_url(together_url)

    side_by_side = sam.get_by_role("region", name="Your answers side by side")
    expect(side_by_side.get_by_role("columnheader")).to_have_text(["Question", "You", "Alex"])
    comfort = side_by_side.get_by_role("row").filter(has_text="How comfortable did you feel")
    expect(comfort).to_contain_text("worth talking about")
    expect(comfort.get_by_role("cell")).to_have_text(["4", "8"])
    expect(side_by_side).not_to_contain_text("How safe have you felt")
    expect(side_by_side.get_by_text("worth talking about")).to_have_count(1)
    expect(sam.get_by_text(f"Alex: {ALEX_APPRECIATED}")).to_be_visible()
    expect(sam.get_by_text(f"Alex: {ALEX_TALK_ABOUT}")).to_be_visible()
    expect(sam.get_by_text(f"You: {SAM_APPRECIATED}")).to_be_visible()

    talk = sam.get_by_role("region", name="For your talk")
    expect(talk.get_by_role("heading", level=3)).to_have_text(
        ["Comfort with closeness", "Something to talk about"]
    )
    check_a11y(sam)

    # Alex's reveal shows Sam's answers now too.
    alex.reload()
    expect(alex.get_by_text(f"Sam: {SAM_APPRECIATED}")).to_be_visible()
    expect(alex.get_by_text("worth talking about")).to_have_count(1)

    # 4. Sam starts the suggested talk; Alex joins it from /talk/.
    talk.get_by_role("article").filter(
        has=sam.get_by_role("heading", name="Comfort with closeness")
    ).get_by_role("button", name="Talk it through together").click()
    expect(sam.get_by_role("heading", name="Raising a concern", level=1)).to_be_visible()
    sam_step = sam.locator("#talk-step-heading")
    expect(sam_step).to_have_text("Step 1 of 9")
    expect(sam.get_by_text("Together: you both take part in this step.")).to_be_visible()

    alex.goto(base + "/talk/")
    in_progress = alex.get_by_role("region", name="A conversation in progress")
    expect(in_progress).to_contain_text("Raising a concern")
    expect(in_progress).to_contain_text("Step 1 of 9")
    in_progress.get_by_role("link", name="Join the conversation in progress").click()
    expect(alex.get_by_role("heading", name="Raising a concern", level=1)).to_be_visible()
    alex_step = alex.locator("#talk-step-heading")
    expect(alex_step).to_have_text("Step 1 of 9")
    first_prompt = "Agree how long you'll talk"
    expect(alex.locator(".talk-prompt")).to_contain_text(first_prompt)
    expect(sam.locator(".talk-prompt")).to_contain_text(first_prompt)
    check_a11y(alex)

    # Sam moves on; Alex's page follows by itself, without being reloaded.
    alex.evaluate("window.stillTheSamePage = true")
    sam.get_by_role("button", name="Next step").click()
    expect(sam_step).to_have_text("Step 2 of 9")
    expect(alex_step).to_have_text("Step 2 of 9", timeout=POLL_TIMEOUT_MS)
    expect(alex.locator(".talk-prompt")).to_contain_text(
        "Remind each other why you're talking", timeout=POLL_TIMEOUT_MS
    )
    assert alex.evaluate("window.stillTheSamePage === true"), "Alex's page was reloaded"
    check_a11y(sam)

    alex.get_by_role("button", name="End conversation").click()
    ended = "Thank you for talking together"
    expect(alex.get_by_role("heading", name=ended)).to_be_visible()
    expect(sam.get_by_role("heading", name=ended)).to_be_visible(timeout=POLL_TIMEOUT_MS)
    alex.goto(base + "/talk/")
    expect(alex.get_by_role("region", name="A conversation in progress")).to_have_count(0)

    # 5. Alex raises a concern.
    alex.goto(base + "/adjustments/new/")
    expect(alex.get_by_role("heading", name="Raise something gently", level=1)).to_be_visible()
    check_a11y(alex)
    alex.get_by_label("What's on your mind?").fill(CONCERN)
    alex.get_by_label("What would you like to try? (optional)").fill(WISH)
    alex.get_by_role("button", name="Share with Sam").click()
    expect(
        alex.get_by_text("Thank you for raising this. Your partner will say back what they heard.")
    ).to_be_visible()
    expect(alex.get_by_text("Waiting for Sam to say back what they heard")).to_be_visible()
    cycle_url = alex.url

    # Sam finds it on the list and says back what they heard.
    sam.goto(base + "/adjustments/")
    sam.get_by_role("region", name="In progress").get_by_role(
        "link", name="Raised by Alex on"
    ).click()
    expect(sam).to_have_url(cycle_url)
    expect(sam.get_by_text("Your turn: say back what you heard from Alex")).to_be_visible()
    expect(sam.get_by_role("region", name="So far")).to_contain_text(CONCERN)
    sam.get_by_label("What did you hear?").fill(REFLECTION)
    sam.get_by_role("button", name="Say it back").click()
    expect(
        sam.get_by_text("Thank you for listening. It's back with your partner to check.")
    ).to_be_visible()

    # Alex feels understood, then suggests the adjustment and a day to look back.
    alex.reload()
    expect(alex.get_by_text("Your turn: check Sam understood you")).to_be_visible()
    expect(alex.get_by_role("region", name="So far")).to_contain_text(REFLECTION)
    alex.get_by_role("button", name="Yes, I feel understood").click()
    expect(
        alex.get_by_text("Good to feel heard. Next, choose a small adjustment to try together.")
    ).to_be_visible()
    expect(alex.get_by_text(f"The first idea was: “{WISH}”")).to_be_visible()
    review_on = timezone.localdate() + timedelta(days=7)
    alex.get_by_label("The small adjustment").fill(ADJUSTMENT)
    alex.get_by_label("When shall we look back on it?").fill(review_on.isoformat())
    alex.get_by_role("button", name="Suggest this adjustment").click()
    expect(alex.get_by_text("Your suggestion is with your partner.")).to_be_visible()
    expect(alex.get_by_text("Waiting for Sam to answer the suggested adjustment")).to_be_visible()

    # Sam agrees.
    sam.reload()
    expect(sam.get_by_text("Your turn: Alex suggested a small adjustment")).to_be_visible()
    expect(sam.get_by_role("region", name="So far")).to_contain_text(ADJUSTMENT)
    sam.get_by_role("button", name="Yes, let's try it").click()
    expect(
        sam.get_by_text("Agreed. Enjoy trying it; you'll look back on it together.")
    ).to_be_visible()
    look_back = f"{review_on.day} {review_on:%b}"
    expect(sam.get_by_text(f"Trying until {look_back}")).to_be_visible()
    expect(
        sam.get_by_text(f"Look back on it together on {look_back} {review_on.year}.")
    ).to_be_visible()

    # Both look back early: Sam first, from the folded-away form.
    sam.get_by_text("Would you both like to look back early?").click()
    sam.get_by_label("It helped").check()
    sam.get_by_label("Anything you'd like to add? (optional)").fill(SAM_NOTE)
    sam.get_by_role("button", name="Share how it went").click()
    expect(sam.get_by_text("Thank you for sharing how it went.")).to_be_visible()
    expect(sam.get_by_text("Time to look back together: waiting for Alex")).to_be_visible()

    alex.reload()
    expect(
        alex.get_by_text("Time to look back together: your turn to say how it went")
    ).to_be_visible()
    so_far = alex.get_by_role("region", name="So far")
    expect(so_far).to_contain_text("Sam: It helped")
    expect(so_far).to_contain_text(SAM_NOTE)
    alex.get_by_label("No real change").check()
    alex.get_by_label("Anything you'd like to add? (optional)").fill(ALEX_NOTE)
    alex.get_by_role("button", name="Share how it went").click()
    expect(alex.get_by_text("Thank you for sharing how it went.")).to_be_visible()
    expect(alex.get_by_text("Time to look back together: decide what's next")).to_be_visible()
    check_a11y(alex)

    # Alex records the decision and what they learned.
    alex.get_by_label("Keep it").check()
    alex.get_by_label("What did we learn?").fill(LEARNED)
    alex.get_by_role("button", name="Save what we learned").click()
    expect(
        alex.get_by_text("Saved, with what you learned. Well done for looking back together.")
    ).to_be_visible()
    expect(alex.get_by_text("Looked back together, and kept it")).to_be_visible()
    so_far = alex.get_by_role("region", name="So far")
    expect(so_far).to_contain_text("Alex: No real change")
    expect(so_far).to_contain_text(ALEX_NOTE)
    expect(so_far).to_contain_text("You looked back together. Your choice: Keep it")
    expect(so_far.get_by_role("heading", name="What we learned")).to_be_visible()
    expect(so_far).to_contain_text(LEARNED)
    expect(alex.get_by_role("region", name="Your next step")).to_have_count(0)
    check_a11y(alex)

    # Both find it in the history of what they've learned.
    for page in (alex, sam):
        page.goto(base + "/adjustments/")
        expect(page.get_by_role("region", name="In progress")).to_contain_text(
            "Nothing in progress right now."
        )
        history = page.get_by_role("region", name="What you've learned together")
        expect(history.get_by_role("link", name="Looked back on")).to_be_visible()
        expect(history).to_contain_text("Looked back together, and kept it")
        expect(history).to_contain_text(f"You tried: {ADJUSTMENT}")
        expect(history.get_by_text("What we learned", exact=True)).to_be_visible()
        expect(history).to_contain_text(LEARNED)
    check_a11y(sam)


def test_journal_moments_and_appreciation_pages_are_accessible(
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    partner_a: User,
    partner_b: User,
) -> None:
    base = live_server.url
    alex = signed_in_page(new_context, base, partner_a)
    sam = signed_in_page(new_context, base, partner_b)

    # A journal entry Alex shares with Sam.
    title = "After our Sunday walk"
    body = "I felt closer to you than I have in weeks, and I wanted to write it down."
    alex.goto(base + "/journal/")
    expect(alex.get_by_role("heading", name="Your journal", level=1)).to_be_visible()
    check_a11y(alex)
    alex.get_by_role("main").get_by_role("button", name="Write something").click()
    expect(alex.get_by_role("heading", name="Write in your journal", level=1)).to_be_visible()
    check_a11y(alex)
    alex.get_by_label("Title (optional)").fill(title)
    alex.get_by_label("What's on your mind").fill(body)
    alex.get_by_label("My partner", exact=True).check()
    alex.get_by_role("button", name="Save entry").click()
    expect(
        alex.get_by_text("Saved. It's yours, and it stays with the people you chose.")
    ).to_be_visible()
    expect(alex.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(alex.get_by_text("Who can read it: You and your partner")).to_be_visible()
    check_a11y(alex)

    sam.goto(base + "/journal/")
    entries = sam.get_by_role("region", name="Entries")
    entry = entries.get_by_role("article").filter(has=sam.get_by_role("heading", name=title))
    expect(entry).to_contain_text(body)
    expect(entry).to_contain_text("Written by Alex")
    expect(entry).to_contain_text("Who can read it: Shared with you")
    check_a11y(sam)
    entry.get_by_role("link", name=title).click()
    expect(sam.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(sam.get_by_text(body)).to_be_visible()
    expect(sam.get_by_role("link", name="Edit or change who can read it")).to_have_count(0)
    check_a11y(sam)

    # A moment, noted with one tap.
    alex.goto(base + "/journal/moments/")
    expect(alex.get_by_role("heading", name="Moments of closeness", level=1)).to_be_visible()
    check_a11y(alex)
    alex.get_by_role("button", name="Shared humour").click()
    expect(alex.get_by_text("Noted: Shared humour. Small moments like this count.")).to_be_visible()
    recent = alex.get_by_role("region", name="Recent moments")
    expect(recent.get_by_role("listitem")).to_have_count(1)
    expect(recent).to_contain_text("noted by you")
    check_a11y(alex)

    sam.goto(base + "/journal/moments/")
    recent = sam.get_by_role("region", name="Recent moments")
    expect(recent.get_by_role("listitem")).to_have_count(1)
    expect(recent.get_by_role("listitem")).to_contain_text("Shared humour")
    expect(recent.get_by_role("listitem")).to_contain_text("noted by Alex")
    check_a11y(sam)

    # An appreciation note, waiting for Sam under the notes received.
    note = "Thank you for making tea this morning without being asked."
    alex.goto(base + "/journal/appreciation/")
    expect(alex.get_by_role("heading", name="Notes of appreciation", level=1)).to_be_visible()
    check_a11y(alex)
    alex.get_by_label("Your note").fill(note)
    alex.get_by_role("button", name="Send note").click()
    expect(alex.get_by_text("Sent. Sam will find it next time they open Twofold.")).to_be_visible()
    sent = alex.get_by_role("region", name="Notes you've sent")
    expect(sent).to_contain_text(note)
    expect(sent).to_contain_text("To Sam")
    check_a11y(alex)

    sam.goto(base + "/journal/appreciation/")
    received = sam.get_by_role("region", name="Notes you've received")
    expect(received.get_by_role("listitem")).to_have_count(1)
    expect(received).to_contain_text(note)
    expect(received).to_contain_text("From Alex")
    expect(received.get_by_text("New", exact=True)).to_be_visible()
    expect(sam.get_by_role("region", name="Notes you've sent")).not_to_contain_text(note)
    check_a11y(sam)

    # Opened once, the note is no longer new.
    sam.reload()
    received = sam.get_by_role("region", name="Notes you've received")
    expect(received).to_contain_text(note)
    expect(received.get_by_text("New", exact=True)).to_have_count(0)
