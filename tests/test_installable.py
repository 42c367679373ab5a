"""Adding Twofold to a home screen: a neutral manifest, calm icons, an offline page that is
the same for everyone, and a service worker that can only ever keep static files and that
offline page (tests/browser/test_installable.py checks the caches in a real browser)."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from twofold.front import installable
from twofold.journal import actions as journal_actions
from twofold.journal.models import Sharing

PRIVATE_TEXT = "Only-mine-journal-words-7e1f"


def _png_size(path: str) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _directives(response: Any) -> set[str]:
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}


# --- The manifest ---------------------------------------------------------------------


def test_the_manifest_is_served_as_a_manifest_to_anyone(client, db) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Twofold"
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    assert manifest["lang"] == "en"
    assert "description" not in manifest  # nothing on a home screen says what this is for


def test_the_name_on_the_home_screen_comes_from_a_setting(client, db, settings) -> None:
    settings.TWOFOLD_APP_NAME = "Notes"
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == manifest["short_name"] == "Notes"
    assert "Twofold" not in json.dumps(manifest)
    page = client.get("/").content.decode()
    assert '<meta name="apple-mobile-web-app-title" content="Notes">' in page
    assert '<meta name="application-name" content="Notes">' in page


def test_the_manifest_icons_are_pngs_of_the_sizes_they_claim(client, db) -> None:
    icons = client.get("/manifest.webmanifest").json()["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png"
        assert icon["src"].startswith(django_settings.STATIC_URL)
        found = finders.find(icon["src"].removeprefix(django_settings.STATIC_URL))
        assert isinstance(found, str), icon["src"]
        size = int(icon["sizes"].split("x")[0])
        assert _png_size(found) == (size, size)
        assert client.get(icon["src"]).status_code == 200


def test_every_page_names_its_icons_manifest_and_theme_colours(client, db) -> None:
    page = client.get("/safety/").content.decode()
    assert 'href="data:,"' not in page
    icon = static("twofold/icons/icon-192.png")
    assert f'<link rel="icon" type="image/png" sizes="192x192" href="{icon}">' in page
    apple = static("twofold/icons/apple-touch-icon-180.png")
    assert f'<link rel="apple-touch-icon" sizes="180x180" href="{apple}">' in page
    assert _png_size(str(finders.find("twofold/icons/apple-touch-icon-180.png"))) == (180, 180)
    assert '<link rel="manifest" href="/manifest.webmanifest" data-service-worker="/sw.js">' in page
    themes = re.findall(r'<meta name="theme-color" media="([^"]+)" content="(#[0-9a-f]{6})">', page)
    assert [media for media, _colour in themes] == [
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]


def test_the_policy_lets_the_page_load_its_manifest_and_worker(client, db) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["manifest-src"] == "'self'"
    assert directives["worker-src"] == "'self'"


# --- The service worker ---------------------------------------------------------------


def test_the_worker_is_served_from_the_root_as_javascript_and_never_pinned(client, db) -> None:
    assert reverse("service_worker") == "/sw.js"  # its scope is then the whole site
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "Service-Worker-Allowed" not in response.headers
    directives = _directives(response)
    assert "no-cache" in directives
    assert not any(d.startswith("max-age=") and d != "max-age=0" for d in directives)


def test_the_worker_is_the_same_for_a_signed_in_partner(client_for, couple, partner_a) -> None:
    anonymous = client_for(None).get("/sw.js")
    signed_in = client_for(partner_a).get("/sw.js")
    assert signed_in.status_code == 200
    assert signed_in.content == anonymous.content


def _worker_source(client: Any) -> str:
    return client.get("/sw.js").content.decode()


def _precache(source: str) -> list[str]:
    match = re.search(r"^const PRECACHE = (\[.*?\]);$", source, re.MULTILINE | re.DOTALL)
    assert match, "no PRECACHE list in the worker"
    return json.loads(match.group(1))


def _block_after(source: str, opening: str) -> str:
    """The text between the brace that follows ``opening`` and its matching brace."""
    start = source.index(opening)
    brace = source.index("{", start + len(opening) - 1)
    depth = 0
    for index in range(brace, len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return source[brace + 1 : index]
    raise AssertionError(f"unbalanced braces after {opening!r}")


def test_the_worker_precaches_only_static_files_and_the_offline_page(client, db) -> None:
    precache = _precache(_worker_source(client))
    assert precache[0] == reverse("offline")
    static_urls = precache[1:]
    assert static_urls
    assert all(url.startswith(django_settings.STATIC_URL) for url in static_urls)
    for url in static_urls:
        assert client.get(url).status_code == 200, url
    # Everything the offline page loads is kept with it, so it works with no network.
    offline_page = client.get(reverse("offline")).content.decode()
    used = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', offline_page))
    assert used
    assert used <= set(static_urls)


def test_nothing_but_a_static_file_can_reach_the_cache(client, db) -> None:
    source = _worker_source(client)
    writes = re.findall(r"\.(put|add|addAll|putAll)\(", source)
    assert sorted(writes) == ["addAll", "put"], writes

    # The one addAll is the install step, and it adds the PRECACHE list (checked above).
    install = _block_after(source, 'self.addEventListener("install", (event) => {')
    assert "cache.addAll(requests)" in install
    assert "PRECACHE.map(" in install
    assert 'credentials: "omit"' in install  # kept without cookies, the same for everyone

    # The one put is in the cache-first path for static files, behind keepsStatic ...
    cache_first = _block_after(source, "function staticCacheFirst(request) {")
    assert "cache.put(" in cache_first
    guarded = _block_after(cache_first, "if (keepsStatic(request, response)) {")
    assert "cache.put(request, response.clone())" in guarded
    # ... which says yes only for a successful, unredirected answer to a static request ...
    keeps = _block_after(source, "function keepsStatic(request, response) {")
    for condition in (
        "isStaticAsset(request) &&",
        "response.ok &&",
        'response.type === "basic" &&',
        "!response.redirected &&",
        "response.url.startsWith(STATIC_URL)",
    ):
        assert condition in keeps, condition
    is_static = _block_after(source, "function isStaticAsset(request) {")
    assert 'request.method === "GET" && request.url.startsWith(STATIC_URL)' in is_static
    assert f"const STATIC_URL = new URL({json.dumps(django_settings.STATIC_URL)}, " in source

    # ... and the cache-first path is only taken for static requests.
    fetch = _block_after(source, 'self.addEventListener("fetch", (event) => {')
    calls = [m.start() for m in re.finditer(r"staticCacheFirst\(", source)]
    assert len(calls) == 2  # its definition and one call
    assert "event.respondWith(staticCacheFirst(request))" in _block_after(
        fetch, "if (isStaticAsset(request)) {"
    )
    # Pages go to the network only, with the kept offline page when there is none.
    navigation = _block_after(
        fetch, 'if (request.mode === "navigate" && request.method === "GET") {'
    )
    assert "event.respondWith(fetch(request).catch(offlinePage));" in navigation
    assert "cache" not in navigation.replace("a cache", "")


def test_a_new_worker_clears_out_the_old_caches(client, db) -> None:
    source = _worker_source(client)
    activate = _block_after(source, 'self.addEventListener("activate", (event) => {')
    assert "name !== CACHE_NAME" in activate
    assert "caches.delete(name)" in activate
    assert re.search(r'^const CACHE_NAME = "twofold-static-[0-9a-f]{16}";$', source, re.MULTILINE)


def test_the_cache_name_changes_with_any_static_file(db, settings, tmp_path) -> None:
    settings.DEBUG = True  # worked out afresh each time
    settings.STATICFILES_DIRS = [tmp_path]
    extra = tmp_path / "twofold-test-extra.txt"
    extra.write_text("first", encoding="utf-8")
    first = installable.cache_version()
    assert installable.cache_version() == first
    extra.write_text("second", encoding="utf-8")
    assert installable.cache_version() != first


def test_the_cache_name_changes_with_the_offline_page(db, settings) -> None:
    settings.DEBUG = True
    first = installable.cache_version()
    settings.TWOFOLD_APP_NAME = "Notes"
    assert installable.cache_version() != first


# --- The offline page -----------------------------------------------------------------


def test_the_offline_page_is_public_warm_and_lets_anyone_leave(client, db, settings) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and "No connection right now" in body
    assert "Everything you have already saved is kept safe." in body
    assert f'href="{reverse("safety")}"' in body
    quick_exit = re.search(r"<a class=\"quick-exit\" href=\"([^\"]+)\"[^>]*data-quick-exit", body)
    assert quick_exit and quick_exit.group(1) == settings.TWOFOLD_QUICK_EXIT_URL
    assert static("twofold/app.js") in body  # the Esc-three-times exit works here too
    assert 'href="tel:' in body  # support can be phoned without the internet


def test_the_offline_page_is_the_same_for_a_partner_and_holds_nothing_of_theirs(
    client_for, couple, partner_a
) -> None:
    journal_actions.create_entry(
        couple, title="Kept", body=PRIVATE_TEXT, sharing=Sharing.ONLY_ME, acting_user=partner_a
    )
    partner = client_for(partner_a)
    assert PRIVATE_TEXT in partner.get("/journal/").content.decode()

    signed_in = partner.get("/offline/")
    anonymous = client_for(None).get("/offline/")
    assert signed_in.status_code == 200
    assert signed_in.content == anonymous.content
    body = signed_in.content.decode()
    assert PRIVATE_TEXT not in body
    assert partner_a.email not in body
    assert "Sign out" not in body
    assert "csrf" not in body.lower()
    assert "nonce" not in body
    assert "csrftoken" not in signed_in.cookies


@pytest.mark.parametrize("path", ["/offline/", "/sw.js", "/manifest.webmanifest"])
def test_what_a_home_screen_needs_is_never_stored_by_the_browser(client, db, path) -> None:
    assert "no-store" in _directives(client.get(path))
