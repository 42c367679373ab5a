"""The service worker in a real browser: after a partner has used their private pages, the
caches hold static files and the offline page only, and none of it holds their words; with
no network, a page is answered by the offline page, which is accessible, fits 320 px and
still lets the person leave quickly."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_a11y, sign_in
from tests.factories import PASSWORD
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.journal import actions as journal_actions
from twofold.journal.models import Sharing

PRIVATE_TEXT = "Only-mine-journal-words-3c9a"
SIGNED_IN_PAGES = ("/", "/journal/", "/check-in/", "/program/", "/me/")

# Everything in every cache of this origin: each URL, and which bodies hold the given text.
LIST_CACHES = """
async (needles) => {
  const kept = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const body = await response.text();
      kept.push({
        cache: name,
        url: request.url,
        holds: needles.filter((needle) => body.includes(needle)),
      });
    }
  }
  return kept;
}
"""

WAIT_FOR_ACTIVE_WORKER = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state !== "activated") {
    await new Promise((resolve) => {
      worker.addEventListener("statechange", () => worker.state === "activated" && resolve());
    });
  }
  return registration.scope;
}
"""


def _fits_320_pixels(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at a 320px viewport"


def test_the_worker_keeps_no_page_and_the_offline_page_stands_in(
    transactional_db: None, live_server: Any, page: Page, couple: Couple, partner_a: User
) -> None:
    journal_actions.create_entry(
        couple, title="Kept", body=PRIVATE_TEXT, sharing=Sharing.ONLY_ME, acting_user=partner_a
    )
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in(page, live_server.url, partner_a.email, PASSWORD)

    scope = page.evaluate(WAIT_FOR_ACTIVE_WORKER)
    assert scope == live_server.url + "/"
    # Twice round the signed-in pages: the second time the worker answers every request.
    for path in SIGNED_IN_PAGES * 2:
        page.goto(live_server.url + path)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_text(PRIVATE_TEXT)).to_be_visible()

    kept = page.evaluate(LIST_CACHES, [PRIVATE_TEXT, partner_a.email, "csrfmiddlewaretoken"])
    paths = {urlsplit(entry["url"]).path for entry in kept}
    assert "/offline/" in paths
    assert "/static/vendor/htmx/htmx.min.js" in paths  # kept on the way, cache-first
    outside = sorted(p for p in paths if not (p.startswith("/static/") or p == "/offline/"))
    assert outside == [], f"the worker kept pages: {outside}"
    assert all(urlsplit(entry["url"]).query == "" for entry in kept)
    holding = [(entry["url"], entry["holds"]) for entry in kept if entry["holds"]]
    assert holding == [], f"cached answers hold private words: {holding}"
    assert len({entry["cache"] for entry in kept}) == 1

    # No network: a page is answered by the kept offline page, and nothing of theirs shows.
    page.context.set_offline(True)
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("heading", name="No connection right now", level=1)).to_be_visible()
    expect(page.get_by_text(PRIVATE_TEXT)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_role("link", name="Safety and support")).to_be_visible()
    check_a11y(page)
    _fits_320_pixels(page)
    page.get_by_text("Show people who can help").click()
    expect(page.get_by_role("button", name="Call 999")).to_be_visible()
    check_a11y(page)
    _fits_320_pixels(page)

    # Quick exit still leaves from here (settings.TWOFOLD_QUICK_EXIT_URL is /healthz).
    page.context.set_offline(False)
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(live_server.url + "/healthz")
