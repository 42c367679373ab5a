"""The first evening, measured: two people on phones (390 px), from "Create an account" to
both first check-ins and the reveal, counting every click and every filled field.

Clicks are buttons and links pressed; fields are answers given (typed text, a tick, one
tap on a 0-10 scale). The budget: at most 10 clicks for the one who starts, at most 8 for
the one invited (from opening the invitation link), before their first check-in is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import code_from_mail, latest_mail_to

PASSWORD = "a long and private phrase 42"
PHONE = {"width": 390, "height": 844}
CLICKS_BUDGET = {"Alex": 10, "Sam": 8}
SCORES = {
    "How easy was it to be open with your partner since your last check-in?": 7,
    "How comfortable did you feel with closeness and intimacy since your last check-in?": 6,
    "How supported did you feel by your partner since your last check-in?": 8,
    "How stressed have you been since your last check-in?": 4,
    "How well have you slept since your last check-in?": 6,
    "How has your mood been since your last check-in?": 7,
}


@dataclass
class Person:
    """One person's browser, counting what they do."""

    name: str
    page: Page
    clicks: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def click(self, target: Locator, what: str) -> None:
        target.click()
        self.clicks.append(what)

    def fill(self, target: Locator, value: str, what: str) -> None:
        target.fill(value)
        self.fields.append(what)

    def tick(self, target: Locator, what: str) -> None:
        target.check()
        self.fields.append(what)

    def button(self, name: str) -> None:
        self.click(self.page.get_by_role("main").get_by_role("button", name=name), name)

    def check_in(self) -> None:
        for question, score in SCORES.items():
            group = self.page.get_by_role("group", name=question)
            self.tick(group.get_by_label(str(score), exact=True), question)
        self.button("Save my check-in")
        expect(self.page.get_by_text("Thank you. Your check-in is saved.")).to_be_visible()

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.page.url} is {width}px wide"


def sign_up(person: Person, email: str | None) -> None:
    page = person.page
    if email is not None:
        person.fill(page.get_by_label("E-mail address"), email, "e-mail")
    person.fill(page.get_by_label("Name to show"), person.name, "name")
    person.fill(page.get_by_label(re.compile(r"^Password:?$")), PASSWORD, "password")
    person.fill(page.get_by_label("Password (again)"), PASSWORD, "password again")
    person.button("Sign up")


def agree(person: Person) -> None:
    person.tick(person.page.get_by_label("I have read this and I agree"), "agree")
    person.button("Record my consent")


def test_the_first_evening_takes_few_steps_on_a_phone(
    transactional_db: None, live_server: Any, new_context: Any
) -> None:
    base = live_server.url
    alex = Person("Alex", new_context(viewport=PHONE).new_page())
    sam = Person("Sam", new_context(viewport=PHONE).new_page())
    alex_email, sam_email = "alex.first@example.org", "sam.first@example.org"

    # Alex signs up, confirms the code, starts the space and invites Sam.
    alex.page.goto(base)
    alex.button("Create an account")
    sign_up(alex, alex_email)
    alex.fill(alex.page.get_by_label("Code"), code_from_mail(alex_email), "code")
    alex.button("Confirm")
    alex.button("Start our space")
    alex.button("Write the invitation")
    alex.fill(alex.page.get_by_label("Your partner's e-mail address"), sam_email, "e-mail")
    alex.button("Send invitation")
    alex.fits()

    # Sam opens the link, signs up, accepts and agrees.
    link = re.search(re.escape(base) + r"/invitations/[\w-]+/", latest_mail_to(sam_email).body)
    assert link
    sam.page.goto(link.group(0))
    sam.fits()
    sam.button("Create an account")
    sign_up(sam, None)
    sam.button("Accept and join")
    agree(sam)
    sam.fits()

    # Alex agrees from the next-step card and goes straight on to the first check-in.
    alex.page.goto(base)
    card = alex.page.locator("article.next-step")
    alex.click(card.locator("a, button").first, "the next step: agree")
    agree(alex)
    expect(alex.page).to_have_url(base + "/check-in/")
    alex.button("Check in now")
    alex.fits()
    alex.check_in()

    # Sam's home now offers the first check-in as the next step.
    sam.page.goto(base)
    card = sam.page.locator("article.next-step")
    expect(card).to_contain_text("check-in")
    sam.click(card.locator("a, button").first, "the next step: check in")
    if sam.page.url.rstrip("/").endswith("/check-in"):
        sam.button("Check in now")  # the card led to the check-in home, not the form
    sam.check_in()

    counts = {p.name: (len(p.clicks), len(p.fields)) for p in (alex, sam)}
    print(f"\nfirst evening at 390 px (clicks, fields): {counts}")
    for person in (alex, sam):
        assert len(person.clicks) <= CLICKS_BUDGET[person.name], (person.name, person.clicks)

    # Both see the reveal.
    for person, other in ((alex, "Sam"), (sam, "Alex")):
        person.page.reload()
        expect(person.page.get_by_role("heading", name="Your check-in together")).to_be_visible()
        side_by_side = person.page.get_by_role("region", name="Your answers side by side")
        expect(side_by_side.get_by_role("columnheader")).to_have_text(["Question", "You", other])
        person.fits()
