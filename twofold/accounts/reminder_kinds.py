"""The kinds of e-mail reminder a person can turn off, one by one.

Reminders are planned and sent by the reminders app, a higher layer than accounts; it
registers each kind it sends here when it starts (``RemindersConfig.ready``), so the
preferences form can offer a choice per kind without importing it. A person's own
choice is kept in ``User.reminders_off`` (the kinds they turned off), so a kind added
later starts on, like the others did.
"""

from __future__ import annotations

from django.utils.functional import Promise

_KINDS: dict[str, str | Promise] = {}


def register(key: str, label: str | Promise) -> None:
    """Offer ``key`` on the preferences page as "send me e-mail …" ``label``."""
    _KINDS[key] = label


def choices() -> list[tuple[str, str | Promise]]:
    return list(_KINDS.items())


def keys() -> set[str]:
    return set(_KINDS)
