"""Every page a persona can reach fits a phone: no sideways scrolling at 390 or 320 px
(WCAG 2.2 reflow), and axe finds nothing at 390 px.

The pages come from the authorization matrix (each GET row a persona is served) and
the account pages (sign-in, sign-up, e-mail, two-step), so a new page is checked here as
soon as it has its row. Sessions are handed to the browser as cookies: signing in through
the form is tested elsewhere, and this keeps the walk quick.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import WCAG_22_AA, check_a11y
from tests.test_authorization_matrix import (
    MATRIX,
    THIRD_PARTY_PREFIXES,
    all_patterns,
    build_world,
)
from twofold.couples.models import Couple

WIDTHS = (390, 320)


def _pages_for(persona: str, world: dict[str, Any]) -> list[str]:
    urls = [
        reverse(name, kwargs=row.kwargs(world))
        for name, row in sorted(MATRIX.items())
        if row.method == "GET" and row.expect.get(persona) == 200
    ]
    if persona in ("anon", "partner_a"):
        urls += [
            reverse(name)
            for route, name in all_patterns()
            if route.startswith(THIRD_PARTY_PREFIXES) and name is not None and "<" not in route
        ]
    return urls


def _signed_in(new_context: Any, base_url: str, user: Any) -> BrowserContext:
    context: BrowserContext = new_context()
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
    return context


@pytest.mark.parametrize(
    "persona", ["partner_a", "partner_b", "clinician", "other_clinician", "clinic_admin", "anon"]
)
def test_every_page_fits_a_phone(
    persona: str,
    transactional_db: None,
    live_server: Any,
    new_context: Any,
    couple: Couple,
    clinician: Any,
    personas: dict[str, Any],
) -> None:
    world = build_world(couple, clinician)
    base = live_server.url
    page = _signed_in(new_context, base, personas[persona]).new_page()
    too_wide: list[str] = []
    not_accessible: list[str] = []
    served = 0
    for url in _pages_for(persona, world):
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        try:
            response = page.goto(base + url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file to download (the questionnaire exports), not a page
            raise
        assert response is not None and response.status < 500, f"{url}: {response}"
        if response.status >= 400 or not page.url.startswith(base + url.split("?")[0]):
            continue  # sent elsewhere (e.g. to sign in again): that page has its own row
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # not a page (the health check answers JSON)
        if not (response.text() or "").lstrip().lower().startswith("<!doctype html"):
            continue  # a fragment for htmx to swap into a page, checked with its page
        served += 1
        try:
            check_a11y(page, WCAG_22_AA)
        except AssertionError as failure:
            not_accessible.append(str(failure).split("\n+  where")[0][:3000])
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append(f"{url} is {scroll}px wide at {width}px")
    assert served, f"no page served to {persona}"
    assert not too_wide and not not_accessible, "\n".join(too_wide + not_accessible)
