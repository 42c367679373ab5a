"""No browser or proxy keeps a page; no page may use the camera, microphone and the like."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from twofold.front.middleware import DENIED_FEATURES

PARTNER_PAGES = ["/", "/check-in/", "/check-in/history/", "/journal/", "/program/", "/me/"]
PUBLIC_PAGES = [
    "/",
    "/safety/",
    "/accounts/login/",
    "/healthz",
    "/offline/",
    "/manifest.webmanifest",
    "/sw.js",
]
STATIC_FILE = "/static/twofold/app.js"


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return "no-store" in directives


@pytest.mark.parametrize("path", PARTNER_PAGES)
def test_pages_with_partner_data_are_never_stored(client_for, couple, partner_a, path):
    response = client_for(partner_a).get(path)
    assert response.status_code == 200, path
    assert _no_store(response), f"{path}: {response.headers.get('Cache-Control')}"
    assert "private" in response.headers["Cache-Control"]


def test_a_redirect_for_a_signed_in_person_is_not_stored_either(client_for, clinician):
    response = client_for(clinician).get("/")
    assert response.status_code == 302
    assert _no_store(response)


def test_a_fragment_polled_by_the_talk_page_is_not_stored(client_for, couple, partner_a):
    from django.urls import reverse

    client = client_for(partner_a)
    client.post(reverse("talk_start", args=["weekly-check-in"]))
    from twofold.conversations.models import TalkSession

    session = TalkSession.objects.get()
    response = client.get(reverse("talk_state", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_not_stored(client, db, path):
    assert _no_store(client.get(path)), path


def test_static_files_keep_their_long_cache(client_for, partner_a):
    assert finders.find("twofold/app.js")
    response = client_for(partner_a).get(STATIC_FILE)
    assert response.status_code == 200
    assert not _no_store(response)
    assert "max-age=" in response.headers["Cache-Control"]
    assert "max-age=0" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, STATIC_FILE, "/no-such-page/"])
def test_every_response_denies_powerful_browser_features(client, db, path):
    policy = client.get(path).headers["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert features[feature] == "()", feature
    assert set(features) == set(DENIED_FEATURES)


def test_signed_in_pages_deny_powerful_browser_features_too(client_for, couple, partner_a):
    assert "camera=()" in client_for(partner_a).get("/check-in/").headers["Permissions-Policy"]
