"""The two-step sign-in pages fit a phone and pass axe for care staff, and the time-zone
list can be searched with the keyboard (and chosen from without JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import CSP_WATCH, WCAG_22_AA, check_a11y, code_from_mail, sign_in
from tests.factories import PASSWORD, make_staff
from twofold.accounts.models import User

WIDTHS = (390, 320)


def _fits_and_passes_axe(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"
    check_a11y(page, WCAG_22_AA)


def test_the_two_step_pages_fit_a_phone_and_pass_axe_for_care_staff(
    transactional_db: None, live_server: Any, page: Page, clinician: User
) -> None:
    RecoveryCodes.activate(clinician)
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, base, clinician.email, PASSWORD, totp=True)  # checks the code page too
    page.goto(base + "/accounts/2fa/reauthenticate/")
    _fits_and_passes_axe(page, "Please confirm it's you")
    page.goto(base + "/accounts/reauthenticate/")
    _fits_and_passes_axe(page, "Please confirm it's you")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    for path, heading in [
        ("/accounts/2fa/", "Two-step sign-in"),
        ("/accounts/2fa/recovery-codes/", "Your recovery codes"),
        ("/accounts/2fa/recovery-codes/generate/", "Make new recovery codes"),
        ("/accounts/2fa/totp/deactivate/", "Turn off two-step sign-in"),
        ("/accounts/email/", "Your e-mail address"),
        ("/accounts/password/change/", "Change your password"),
    ]:
        page.goto(base + path)
        _fits_and_passes_axe(page, heading)


def test_a_new_care_team_member_sets_up_two_step_sign_in_on_a_phone(
    transactional_db: None, live_server: Any, page: Page, clinic: Any
) -> None:
    member = make_staff(clinic, "clinician", mfa=False, email="new@example.org")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, member.email, PASSWORD)
    page.goto(live_server.url + "/care/")  # sent to set it up first
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    _fits_and_passes_axe(page, "Set up two-step sign-in")
    expect(page.get_by_label("Can't scan it? Type in this key instead:")).not_to_have_value("")


@pytest.fixture
def in_new_york(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A page in a browser whose device is set to New York's time."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "America/New_York"})
    context.add_init_script(CSP_WATCH)
    yield context.new_page()
    context.close()


def test_finding_a_time_zone_with_the_keyboard(
    transactional_db: None, live_server: Any, in_new_york: Page
) -> None:
    page = in_new_york
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/accounts/signup/")
    zone = page.get_by_label("Your time zone")
    # The zone this device uses heads the list, marked, and is chosen.
    expect(zone).to_have_value("America/New_York")
    expect(zone.locator("option").first).to_have_text("New York (America), UTC-05:00 · this device")
    check_a11y(page, WCAG_22_AA)

    page.get_by_label("Name to show").fill("River")
    page.keyboard.press("Tab")  # on to the search box
    search = page.get_by_label("Find your city or region")
    expect(search).to_be_focused()
    page.keyboard.type("kathm")
    expect(page.get_by_role("status").filter(has_text="time zone")).to_have_text(
        "1 time zone matches."
    )
    expect(zone).to_have_value("Asia/Kathmandu")
    page.keyboard.press("Enter")  # on to the list, without sending the form
    expect(zone).to_be_focused()
    assert page.url.endswith("/accounts/signup/")

    # A search that finds nothing says so, and leaves the whole list to choose from.
    search.fill("atlantis")
    expect(page.get_by_text("No time zone matches that.")).to_be_visible()
    assert zone.locator("option").count() > 400
    search.fill("kathm")
    check_a11y(page, WCAG_22_AA)

    page.get_by_label("E-mail address").fill("river@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long and private phrase 42")
    page.get_by_label("Password (again)").fill("a long and private phrase 42")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_label("Code").fill(code_from_mail("river@example.org"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert User.objects.get(email="river@example.org").time_zone == "Asia/Kathmandu"


def test_the_time_zone_list_works_without_javascript(
    transactional_db: None, live_server: Any, new_context: Any, partner_a: User
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(partner_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/me/")
    expect(page.get_by_label("Find your city or region")).to_be_hidden()
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("Europe/London")
    zone.select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    partner_a.refresh_from_db()
    assert partner_a.time_zone == "Asia/Tokyo"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 320
