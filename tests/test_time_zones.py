"""The time-zone choice: places people know, named as people say them, the likely ones
first, and a clear answer for a zone that isn't on the list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from twofold.accounts import time_zones
from twofold.accounts.forms import PreferencesForm, SignupExtraForm

SIGNUP = {
    "email": "river@example.org",
    "display_name": "River",
    "time_zone": "Asia/Tokyo",
    "password1": "a long enough passphrase",
    "password2": "a long enough passphrase",
}
WINTER = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC)


def _options(body: str) -> list[str]:
    select = body.split('<select name="time_zone"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', select)


def _selected(body: str) -> list[str]:
    select = body.split('<select name="time_zone"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"[^>]*selected', select)


# --- Which zones ---------------------------------------------------------------------


def test_the_list_offers_places_people_know():
    offered = time_zones.offered()
    for zone in (
        "Europe/London",
        "America/New_York",
        "America/Argentina/Buenos_Aires",
        "Asia/Kolkata",
        "Europe/Kyiv",
        "Europe/Oslo",
        "Pacific/Auckland",
        "UTC",
    ):
        assert zone in offered


@pytest.mark.parametrize(
    "oddity",
    [
        "Factory",
        "localtime",
        "posixrules",
        "EST5EDT",
        "CET",
        "GMT+0",
        "GMT0",
        "Etc/GMT+5",
        "Etc/UTC",
        "US/Eastern",
        "GB",
        "Asia/Calcutta",
        "Europe/Kiev",
    ],
)
def test_the_list_leaves_out_names_that_are_not_places_or_are_old(oddity):
    assert oddity not in time_zones.offered()


def test_old_names_lead_to_the_current_ones():
    assert time_zones.canonical("US/Eastern") == "America/New_York"
    assert time_zones.canonical("Asia/Calcutta") == "Asia/Kolkata"
    assert time_zones.canonical("GB") == "Europe/London"
    assert time_zones.canonical("Europe/London") == "Europe/London"
    assert time_zones.canonical("Factory") is None
    assert time_zones.canonical("Mars/Olympus") is None
    assert "US/Eastern" in time_zones.aliases("America/New_York")


@pytest.fixture
def without_tz_tables(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    caches = (time_zones.offered, time_zones._links, time_zones._aliases)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(time_zones, "_tz_table", lambda name: None)
    yield
    for cached in caches:
        cached.cache_clear()


def test_without_the_tables_the_list_still_keeps_to_places(without_tz_tables):
    offered = time_zones.offered()
    assert {"Europe/London", "America/New_York", "UTC"} <= offered
    assert not {"Factory", "EST5EDT", "US/Eastern", "GB", "Etc/GMT+5"} & offered


# --- How they read -------------------------------------------------------------------


def test_a_zone_reads_city_first_then_where_then_the_offset_today():
    assert time_zones.label("Europe/London", WINTER) == "London (Europe), UTC+00:00"
    assert time_zones.label("Europe/London", SUMMER) == "London (Europe), UTC+01:00"
    assert time_zones.label("America/New_York", WINTER) == "New York (America), UTC-05:00"
    assert time_zones.label("Asia/Kathmandu", WINTER) == "Kathmandu (Asia), UTC+05:45"
    assert (
        time_zones.label("America/Argentina/Buenos_Aires", WINTER)
        == "Buenos Aires (America, Argentina), UTC-03:00"
    )
    assert time_zones.label("Indian/Maldives", WINTER) == "Maldives (Indian Ocean), UTC+05:00"


def test_the_list_is_grouped_by_area_and_each_area_sorted_by_city():
    groups = dict(time_zones.choices(now=WINTER))
    assert list(groups)[:3] == ["Universal time", "Africa", "America"]
    for zones in groups.values():
        cities = [label.casefold() for _zone, label in zones]
        assert cities == sorted(cities)
    assert sum(len(zones) for zones in groups.values()) == len(time_zones.offered())


def test_suggested_zones_come_first_once_each_and_unknown_ones_are_skipped():
    groups = time_zones.choices(["US/Eastern", "America/New_York", "Factory", "Europe/London"])
    name, zones = groups[0]
    assert name == "Suggested"
    assert [zone for zone, _label in zones] == ["America/New_York", "Europe/London"]


# --- On the forms --------------------------------------------------------------------


def test_sign_up_suggests_twofolds_default_zone_first(client, db, settings):
    body = client.get("/accounts/signup/").content.decode()
    options = _options(body)
    assert options[0] == settings.TWOFOLD_DEFAULT_USER_TIME_ZONE
    assert "Europe/London" in options and "America/New_York" in options
    assert not {"Factory", "localtime", "EST5EDT", "US/Eastern", "Etc/GMT+5"} & set(options)
    assert _selected(body) == [settings.TWOFOLD_DEFAULT_USER_TIME_ZONE]
    assert "London (Europe), UTC+" in body
    # The search box waits, hidden, for the script; the list works without it.
    assert re.search(r'<div class="time-zone-search" data-time-zone-search-row hidden>', body)
    assert 'data-aliases="US/Eastern"' in body


def test_the_zone_this_device_uses_comes_first_when_the_page_comes_back(client, db):
    response = client.post(
        "/accounts/signup/",
        {**SIGNUP, "password2": "something else", "time_zone_guess": "America/New_York"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert _options(body)[:2] == ["America/New_York", "Europe/London"]
    assert _selected(body) == ["Asia/Tokyo"]  # the choice made stays chosen


def test_a_device_reporting_an_old_name_gets_the_current_one_first(db):
    form = SignupExtraForm(data={"time_zone": "Asia/Tokyo", "time_zone_guess": "Asia/Calcutta"})
    assert form.fields["time_zone"].choices[0][1][0][0] == "Asia/Kolkata"


def test_preferences_suggest_the_persons_own_zone_first(client_for, partner_a, couple):
    partner_a.time_zone = "Asia/Tokyo"
    partner_a.save(update_fields=["time_zone"])
    body = client_for(partner_a).get("/me/").content.decode()
    assert _options(body)[:2] == ["Asia/Tokyo", "Europe/London"]
    assert _selected(body) == ["Asia/Tokyo"]
    assert "accounts/time_zones.js" in body


@pytest.mark.parametrize("path", ["signup", "preferences"])
def test_an_unknown_zone_is_refused_clearly_and_the_rest_is_kept(
    path, client, client_for, partner_a, couple
):
    if path == "signup":
        response = client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Factory"})
    else:
        response = client_for(partner_a).post(
            "/me/", {"display_name": "Alexa", "time_zone": "US/Eastern"}
        )
    assert response.status_code in (200, 400)
    body = response.content.decode()
    unknown = "Factory" if path == "signup" else "US/Eastern"
    assert f"We don&#x27;t know a time zone called “{unknown}”" in body
    assert "Please choose yours from the list" in body
    assert 'value="River"' in body or 'value="Alexa"' in body
    assert 'aria-invalid="true"' in body.split('<select name="time_zone"')[1].split(">")[0]


def test_an_account_saved_with_an_old_name_shows_the_current_one(client_for, partner_a, couple):
    partner_a.time_zone = "US/Eastern"
    partner_a.save(update_fields=["time_zone"])
    body = client_for(partner_a).get("/me/").content.decode()
    assert _selected(body) == ["America/New_York"]


def test_a_zone_the_list_no_longer_offers_is_kept_when_saving_other_details(
    client_for, partner_a, couple
):
    partner_a.time_zone = "Etc/GMT+5"
    partner_a.save(update_fields=["time_zone"])
    client = client_for(partner_a)
    body = client.get("/me/").content.decode()
    assert _selected(body) == ["Etc/GMT+5"]
    form = PreferencesForm(instance=partner_a)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post("/me/", {**data, "display_name": "Alexa"})
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert (partner_a.display_name, partner_a.time_zone) == ("Alexa", "Etc/GMT+5")
