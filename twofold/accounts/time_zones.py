"""The time zones a person can choose, named the way people say them.

Which zones are offered (:func:`offered`): the time zone database's own table of places,
``zone.tab``, lists one ``Area/City`` name for every region of every country (``Europe/London``,
``America/New_York``, ``America/Argentina/Buenos_Aires``), always in its current spelling
(``Europe/Kyiv``, ``Asia/Kolkata``). Those, plus ``UTC``, are the list. Everything else the
database holds is left out:

* names that are not places: ``Factory``, ``localtime``, ``posixrules``, and ``Etc/*`` (the
  fixed offsets such as ``Etc/GMT+5``, whose sign reads backwards; ``UTC`` stays);
* rules named after abbreviations: ``EST5EDT``, ``CET``, ``GMT+0``, ``GMT0``;
* old names kept for backward compatibility, where the database has a current one:
  ``US/Eastern`` (``America/New_York``), ``GB`` (``Europe/London``), ``Asia/Calcutta``.

Old names are not forgotten: :func:`canonical` follows the database's links (``tzdata.zi``),
so a browser that reports ``Asia/Calcutta`` and an account saved with ``US/Eastern`` land
on the zone the list offers. Where the tables cannot be found, the list falls back to the
names under the geographic areas, minus any known links.

Labels (:func:`label`) put the city first, then where it is, then the offset from UTC
today: ``London (Europe), UTC+01:00``. A list starting with the city answers a person who
types the first letters of it into the closed list, as every browser lets them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from twofold.lib import clock

UTC = "UTC"

AREAS: dict[str, Promise] = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}

Choice = tuple[str, str]
Group = tuple[str, list[Choice]]


def _tz_table(name: str) -> str | None:
    """A table of the time zone database, from where :mod:`zoneinfo` reads the zones."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError):
        return None


@cache
def _links() -> dict[str, str]:
    """Old name -> the name it stands for (``US/Eastern`` -> ``America/New_York``)."""
    links: dict[str, str] = {}
    for line in (_tz_table("tzdata.zi") or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


@cache
def offered() -> frozenset[str]:
    """Every zone the list offers (see the module's docstring for the rule)."""
    available = zoneinfo.available_timezones()
    table = _tz_table("zone.tab")
    if table:
        names = {
            columns[2]
            for line in table.splitlines()
            if line.strip() and not line.startswith("#")
            for columns in [line.split("\t")]
            if len(columns) >= 3
        }
    else:
        names = {name for name in available if name.split("/")[0] in AREAS} - _links().keys()
    return frozenset((names & available) | ({UTC} & available))


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Offered zone -> the old names that lead to it."""
    found: dict[str, list[str]] = {}
    for old in _links():
        target = canonical(old)
        if target and target != old:
            found.setdefault(target, []).append(old)
    return {zone: tuple(sorted(names)) for zone, names in found.items()}


def aliases(name: str) -> tuple[str, ...]:
    return _aliases().get(name, ())


def canonical(name: str | None) -> str | None:
    """The offered zone ``name`` is, or stands for; ``None`` when there is none."""
    seen: set[str] = set()
    while name and name not in offered():
        if name in seen:
            return None
        seen.add(name)
        name = _links().get(name)
    return name or None


def utc_offset(name: str, now: dt.datetime | None = None) -> str:
    """``UTC+01:00``, ``UTC-05:00``, ``UTC+05:45``: the zone's offset at ``now``."""
    moment = (now or clock.now()).astimezone(zoneinfo.ZoneInfo(name))
    minutes = int((moment.utcoffset() or dt.timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    # An ASCII minus, so that a person searching for "UTC-5" finds it.
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _words(part: str) -> str:
    return part.replace("_", " ")


def label(name: str, now: dt.datetime | None = None) -> str:
    """``Europe/London`` -> ``London (Europe), UTC+01:00``."""
    offset = utc_offset(name, now)
    if name == UTC:
        return gettext("UTC (universal time, never changes)")
    parts = name.split("/")
    if len(parts) < 2:
        return f"{_words(name)}, {offset}"
    area = str(AREAS.get(parts[0], _words(parts[0])))
    where = ", ".join([area, *(_words(part) for part in parts[1:-1])])
    return gettext("%(city)s (%(where)s), %(offset)s") % {
        "city": _words(parts[-1]),
        "where": where,
        "offset": offset,
    }


def _sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def choices(
    first: Iterable[str | None] = (), *, keep: str | None = None, now: dt.datetime | None = None
) -> list[Group]:
    """The list, grouped: the zones in ``first`` (old names followed, unknown ones
    dropped) under "Suggested", then every offered zone by area, each area by city.

    A suggested zone is in its area's group too, so the list can be read either way.
    ``keep`` is a zone an account already has: when the list no longer offers it, not even
    under a current name (``Etc/GMT+5``), it heads the suggestions, so that saving other
    details never changes a person's zone unasked.
    """
    moment = now or clock.now()
    suggested: list[Choice] = []
    if keep and keep in zoneinfo.available_timezones() and not canonical(keep):
        suggested.append((keep, f"{_words(keep)}, {utc_offset(keep, moment)}"))
    for name in first:
        zone = canonical(name)
        if zone and zone not in {value for value, _label in suggested}:
            suggested.append((zone, label(zone, moment)))
    by_area: dict[str, list[Choice]] = {}
    for zone in offered():
        area = zone.split("/")[0] if "/" in zone else UTC
        by_area.setdefault(area, []).append((zone, label(zone, moment)))
    groups: list[Group] = []
    if suggested:
        groups.append((gettext("Suggested"), suggested))
    # UTC first (it belongs to no area), then the areas in alphabetical order.
    for area in [UTC, *AREAS]:
        if area in by_area:
            name = gettext("Universal time") if area == UTC else str(AREAS[area])
            groups.append((name, sorted(by_area[area], key=lambda c: _sort_key(c[1]))))
    return groups
