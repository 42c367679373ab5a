"""The safety page's support services: one JSON file per deployment, checked when loaded.

The file (``TWOFOLD_SAFETY_RESOURCES_FILE``) is an object with a ``resources`` list and an
optional ``_comment``. Each resource has a ``kind`` (one of ``KINDS``), a ``name``, a
one-line ``description``, ``hours`` (when it can be reached) and at least one way to reach
it: ``phone``, ``text`` (a number to text, with ``text_message`` for what to send) or
``web`` (an https address). A broken file fails with its path, the field and the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The page shows the kinds in this order, each under its own heading.
KINDS: dict[str, Promise] = {
    "emergencies": _("In an emergency"),
    "domestic_abuse": _("Domestic abuse"),
    "sexual_violence": _("Rape and sexual violence"),
    "lgbtq": _("For LGBTQ+ people"),
    "men": _("For men"),
    "older_people": _("For older people"),
    "own_behaviour": _("If you are worried about your own behaviour"),
    "mental_health_crisis": _("If you are struggling to cope"),
}

_TEXT_FIELDS = ("name", "description", "hours", "phone", "text", "text_message", "web")
_REQUIRED = ("kind", "name", "description", "hours")
_WAYS = ("phone", "text", "web")


@dataclass(frozen=True)
class Resource:
    kind: str
    name: str
    description: str
    hours: str
    phone: str = ""
    text: str = ""
    text_message: str = ""
    web: str = ""


@dataclass(frozen=True)
class ResourceGroup:
    kind: str
    heading: Promise
    resources: list[Resource]


def _fail(path: str, field: str, reason: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Safety resources file {path}: {field}: {reason}")


def _resource(path: str, index: int, raw: Any) -> Resource:
    where = f"resources[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "must be an object")
    unknown = sorted(set(raw) - {"kind", *_TEXT_FIELDS})
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", "is not a known field")
    for field in ("kind", *_TEXT_FIELDS):
        if field in raw and not isinstance(raw[field], str):
            raise _fail(path, f"{where}.{field}", "must be text")
    for field in _REQUIRED:
        if not raw.get(field, "").strip():
            raise _fail(path, f"{where}.{field}", "is required")
    if raw["kind"] not in KINDS:
        raise _fail(path, f"{where}.kind", f"must be one of {', '.join(KINDS)}")
    if not any(raw.get(way, "").strip() for way in _WAYS):
        raise _fail(path, where, "needs at least one of phone, text or web")
    if raw.get("text_message") and not raw.get("text"):
        raise _fail(path, f"{where}.text_message", "needs a text number to send it to")
    web = raw.get("web", "")
    if web and not web.startswith("https://"):
        raise _fail(path, f"{where}.web", "must start with https://")
    return Resource(**{field: raw[field].strip() for field in raw})


@cache
def load_resources(path: str) -> tuple[Resource, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise _fail(path, "file", f"cannot be read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise _fail(path, "file", f"is not valid JSON ({error})") from error
    if not isinstance(data, dict):
        raise _fail(path, "file", 'must be an object with a "resources" list')
    unknown = sorted(set(data) - {"_comment", "resources"})
    if unknown:
        raise _fail(path, unknown[0], "is not a known field")
    resources = data.get("resources")
    if not isinstance(resources, list):
        raise _fail(path, "resources", "must be a list")
    return tuple(_resource(path, index, raw) for index, raw in enumerate(resources))


def grouped_resources(path: str) -> list[ResourceGroup]:
    """The file's resources under their kinds' headings, in KINDS order, empty kinds left out."""
    resources = load_resources(path)
    groups = [
        ResourceGroup(kind, heading, [r for r in resources if r.kind == kind])
        for kind, heading in KINDS.items()
    ]
    return [group for group in groups if group.resources]
