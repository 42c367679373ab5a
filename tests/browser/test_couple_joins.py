"""Two people, two browsers: one signs up and invites, the other joins, both consent, and
each is led on to the next step without a dead end."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import check_a11y, code_from_mail, latest_mail_to

PASSWORD = "a long and private phrase 42"
HEALTH_WORDS = ("sex", "rehabilitation", "therapy", "intimacy")
NOTE = "I'd love us to try this together, whenever you're ready."
PHONE = {"width": 320, "height": 740}


def fill_signup(page: Page, name: str, email: str | None = None) -> None:
    if email is not None:
        page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Name to show").fill(name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def agree_on_this_page(page: Page) -> None:
    expect(
        page.get_by_role("heading", level=1, name="Taking part in Twofold together")
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("I have read this and I agree").check()
    page.get_by_role("button", name="Record my consent").click()
    expect(page.get_by_text("Thank you. Your consent is recorded.")).to_be_visible()


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def next_step(page: Page) -> Any:
    return page.locator("article.next-step")


def test_a_couple_signs_up_invites_joins_and_consents(
    transactional_db: None, live_server: Any, new_context: Any
) -> None:
    alex_email, sam_email = "alex.k@example.org", "sam.k@example.org"

    # a. Alex signs up, confirms the e-mailed code and starts the couple's space.
    alex_context: BrowserContext = new_context()
    alex_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    alex = alex_context.new_page()
    alex.goto(live_server.url)
    expect(alex.get_by_role("heading", name="Work through it together")).to_be_visible()
    check_a11y(alex)

    alex.get_by_role("main").get_by_role("button", name="Create an account").click()
    expect(alex.get_by_label("Name to show")).to_be_visible()
    check_a11y(alex)
    fill_signup(alex, "Alex", alex_email)

    code_field = alex.get_by_label("Code")
    expect(code_field).to_be_visible()
    code_field.fill(code_from_mail(alex_email))
    alex.get_by_role("button", name="Confirm").click()

    expect(alex.get_by_role("heading", name="Welcome, Alex")).to_be_visible()
    alex.get_by_role("button", name="Start our space").click()
    expect(alex.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    expect(next_step(alex).get_by_role("heading", name="Invite your partner")).to_be_visible()
    next_step(alex).get_by_role("button", name="Write the invitation").click()
    alex.get_by_label("Your partner's e-mail address").fill(sam_email)
    alex.get_by_label("A few words for your partner (optional)").fill(NOTE)
    alex.get_by_role("button", name="Send invitation").click()
    expect(alex.get_by_text(f"Invitation sent to {sam_email}.")).to_be_visible()
    expect(alex.get_by_text("Waiting for your partner to accept the invitation")).to_be_visible()

    # The link, once, to send another way: copied with the button (shown by app.js).
    link_field = alex.get_by_label("Your invitation link")
    expect(link_field).to_be_visible()
    expect(link_field).not_to_be_editable()
    link = link_field.input_value()
    alex.get_by_role("button", name="Copy link").click()
    expect(alex.get_by_role("button", name="Copied")).to_be_visible()
    assert alex.evaluate("navigator.clipboard.readText()") == link
    check_a11y(alex)
    alex.set_viewport_size(PHONE)  # the long link scrolls inside its field, not the page
    fits(alex, PHONE["width"])
    check_a11y(alex)
    alex.set_viewport_size({"width": 1280, "height": 720})

    # b. The invitation e-mail: a link to this site, no word about health, not the note.
    invitation = latest_mail_to(sam_email)
    text = f"{invitation.subject}\n{invitation.body}".lower()
    for word in HEALTH_WORDS:
        assert word not in text, f"the invitation e-mail mentions {word!r}"
    assert "try this together" not in text
    match = re.search(re.escape(live_server.url) + r"/invitations/[\w-]+/", invitation.body)
    assert match, invitation.body
    invitation_url = match.group(0)
    assert invitation_url == link

    # c. Sam opens the link on a phone, reads what joining means, signs up without a code
    #    and joins; accepting leads straight to consent, consent to the next step.
    sam_context: BrowserContext = new_context(viewport=PHONE)
    sam = sam_context.new_page()
    sam.goto(invitation_url)
    expect(sam.get_by_text("Alex has invited you")).to_be_visible()
    expect(sam.get_by_text(NOTE)).to_be_visible()
    for heading in ("What Twofold is", "What you would agree to", "How your privacy works"):
        expect(sam.get_by_role("heading", name=heading)).to_be_visible()
    fits(sam, PHONE["width"])
    check_a11y(sam)

    sam.get_by_role("main").get_by_role("button", name="Create an account").click()
    expect(sam.get_by_label("E-mail address")).to_have_value(sam_email)
    fill_signup(sam, "Sam")

    # Opening the invitation proved Sam owns the address: no code to type, no e-mail.
    expect(sam).to_have_url(invitation_url)
    assert [m.subject for m in mail.outbox if sam_email in m.to] == [invitation.subject]
    sam.get_by_role("button", name="Accept and join").click()
    expect(sam.get_by_text("You've joined. Welcome to Twofold.")).to_be_visible()
    fits(sam, PHONE["width"])
    agree_on_this_page(sam)

    # Alex has not agreed yet: Sam is home, where the card says what Sam waits for.
    expect(sam.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    expect(next_step(sam).get_by_role("heading", name="Waiting for Alex to agree")).to_be_visible()
    fits(sam, PHONE["width"])
    check_a11y(sam)

    # d. Alex agrees from the card, and goes straight on to the first check-in.
    alex.goto(live_server.url)
    expect(
        next_step(alex).get_by_role("heading", name="Read how taking part works")
    ).to_be_visible()
    next_step(alex).get_by_role("button", name="Read and decide about taking part").click()
    agree_on_this_page(alex)
    expect(alex).to_have_url(live_server.url + "/check-in/")

    # e. Each home shows the first check-in as the next step; the setup list is folded
    #    away, and opening it shows the couple is complete.
    for page, other in ((alex, "Sam"), (sam, "Alex")):
        page.goto(live_server.url)
        expect(page.get_by_text("You're both here")).to_be_visible()
        expect(next_step(page).get_by_role("heading", name="Your first check-in")).to_be_visible()
        checklist = page.locator("details.setup-checklist")
        expect(checklist).not_to_have_attribute("open", "")
        expect(page.get_by_text(f"{other} has joined")).to_be_hidden()
        checklist.locator("summary").click()
        expect(page.get_by_text(f"{other} has joined")).to_be_visible()
        expect(page.get_by_text(f"{other} has agreed to take part")).to_be_visible()
        check_a11y(page)
    fits(sam, PHONE["width"])
