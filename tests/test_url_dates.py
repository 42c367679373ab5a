"""A date in a URL that no round could start on is not found (404), never a server error."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from twofold.lib.converters import IsoDateConverter

BAD_DAYS = [
    "0001-01-01",
    "0000-01-01",
    "1999-12-31",
    "2100-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-12-32",
    "99999-01-01",
    "2026-1-5",
    "20261201",
    "2026-W49-1",
    "not-a-date",
    "\uff12\uff10\uff12\uff16-12-01",  # fullwidth digits match \d but name no day
]


def _dated_routes() -> list[str]:
    """Every URL route that takes a date, with the date's place marked ``{day}``."""
    found = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                dated = [
                    name
                    for name, converter in entry.pattern.converters.items()
                    if isinstance(converter, IsoDateConverter)
                ]
                route = prefix + str(entry.pattern)
                for name in dated:
                    route = route.replace(f"<date:{name}>", "{day}")
                if dated:
                    found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def test_the_check_in_pages_take_their_round_as_a_checked_date():
    assert "check-in/{day}/" in _dated_routes()
    assert "check-in/{day}/together/" in _dated_routes()


@pytest.mark.parametrize("day", BAD_DAYS)
def test_a_date_out_of_range_or_impossible_is_not_found_on_every_dated_url(
    client_for, couple, partner_a, day
):
    client = client_for(partner_a)
    for route in _dated_routes():
        url = "/" + route.format(day=day)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url}"


def test_a_real_round_start_still_opens(client_for, couple, partner_a):
    from django.utils import timezone

    from twofold.checkins.models import CheckInSchedule, monday_of

    monday = monday_of(timezone.localdate())
    CheckInSchedule.objects.update_or_create(couple=couple, defaults={"anchor": monday})
    for route in _dated_routes():
        response = client_for(partner_a).get("/" + route.format(day=monday.isoformat()))
        assert response.status_code == 200, route


def test_the_converter_refuses_days_outside_the_range_and_gives_views_a_date():
    converter = IsoDateConverter()
    assert converter.to_python("2026-12-07") == date(2026, 12, 7)
    assert converter.to_url(date(2026, 12, 7)) == "2026-12-07"
    assert converter.to_url("2026-12-07") == "2026-12-07"
    for bad in ("0001-01-01", "9999-12-31", "2026-02-30"):
        with pytest.raises(ValueError):
            converter.to_python(bad)
