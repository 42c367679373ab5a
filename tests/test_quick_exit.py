"""Quick exit leaves at once and ends the session on the way; a GET never signs anyone out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

EXIT_URL = "https://weather.example/today"


@pytest.fixture(autouse=True)
def _exit_url(settings):
    settings.TWOFOLD_QUICK_EXIT_URL = EXIT_URL


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _signed_in_client(user) -> Client:
    """A browser-like client: CSRF is checked, and it holds the token from a page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")  # a page, which sets the CSRF cookie
    return client


def _token(client: Client) -> str:
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("path", ["/", "/check-in/", "/safety/", "/me/"])
def test_every_page_has_a_quick_exit_link_and_the_form_that_ends_the_session(
    client_for, couple, partner_a, path
):
    body = client_for(partner_a).get(path).content.decode()
    assert f'href="{EXIT_URL}"' in body and "data-quick-exit " in body
    assert f'action="{reverse("quick_exit")}" data-quick-exit-form' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_the_page_script_posts_the_form_as_it_leaves():
    source = Path(finders.find("twofold/app.js")).read_text(encoding="utf-8")
    assert "form[data-quick-exit-form]" in source
    assert "navigator.sendBeacon" in source and "keepalive: true" in source
    assert source.index("endSession();") < source.index("window.location.replace(href);")


def test_the_beacon_signs_the_person_out_and_flushes_the_session(couple, partner_a):
    client = _signed_in_client(partner_a)
    session = client.session
    session["something_private"] = "a draft"
    session.save()
    response = client.post(
        reverse("quick_exit"), {"csrfmiddlewaretoken": _token(client), "leaving": "beacon"}
    )
    assert response.status_code == 204
    assert not _signed_in(client)
    assert "something_private" not in client.session
    assert client.get("/check-in/").url.startswith(reverse("account_login"))


def test_a_plain_post_signs_out_and_sends_the_person_on(couple, partner_a):
    client = _signed_in_client(partner_a)
    response = client.post(reverse("quick_exit"), {"csrfmiddlewaretoken": _token(client)})
    assert response.status_code == 302 and response.url == EXIT_URL
    assert not _signed_in(client)


def test_a_get_only_sends_the_person_on_and_never_signs_out(couple, partner_a):
    client = _signed_in_client(partner_a)
    response = client.get(reverse("quick_exit"))
    assert response.status_code == 302 and response.url == EXIT_URL
    assert _signed_in(client)


def test_another_site_cannot_sign_anyone_out_but_a_stale_token_still_leaves(couple, partner_a):
    client = _signed_in_client(partner_a)
    response = client.post(reverse("quick_exit"), {"csrfmiddlewaretoken": "x" * 32})
    assert response.status_code == 302 and response.url == EXIT_URL
    assert _signed_in(client)


def test_anyone_signed_out_can_use_quick_exit(client, db):
    response = client.post(reverse("quick_exit"))
    assert response.status_code == 302 and response.url == EXIT_URL


def test_a_deployment_can_keep_people_signed_in_on_quick_exit(couple, partner_a, settings):
    settings.TWOFOLD_QUICK_EXIT_SIGNS_OUT = False
    client = _signed_in_client(partner_a)
    body = client.get("/").content.decode()
    assert "data-quick-exit-form" not in body and f'href="{EXIT_URL}"' in body
    response = client.post(
        reverse("quick_exit"), {"csrfmiddlewaretoken": _token(client), "leaving": "beacon"}
    )
    assert response.status_code == 204
    assert _signed_in(client)


@pytest.mark.parametrize(("value", "expected"), [(None, "True"), ("false", "False")])
def test_the_setting_is_read_from_the_environment(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "TWOFOLD_QUICK_EXIT_SIGNS_OUT"}
    if value is not None:
        env["TWOFOLD_QUICK_EXIT_SIGNS_OUT"] = value
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import twofold.settings as s; print(s.TWOFOLD_QUICK_EXIT_SIGNS_OUT)",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert found.stdout.strip() == expected
