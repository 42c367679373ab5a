"""The private safety item, read for its author alone (never for the partner).

Only the person who answered ever gets support shown from here; the partner's pages are
built without calling this module at all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from twofold.checkins.models import SafetyAnswer, needs_support


def own_answer(viewer: Any, couple: Any, start: date) -> SafetyAnswer | None:
    return (
        SafetyAnswer.objects.visible_to(viewer)
        .filter(couple=couple, owner_id=viewer.pk, period_start=start)
        .first()
    )


def previous_value(viewer: Any, couple: Any, before: date) -> int | None:
    """The viewer's last safety answer before the round starting ``before`` (the earlier
    "safe with each other" answer where no newer one exists)."""
    earlier = (
        SafetyAnswer.objects.visible_to(viewer)
        .filter(couple=couple, owner_id=viewer.pk, period_start__lt=before)
        .exclude(felt_safe=None, safe_with_each_other=None)
        .order_by("-period_start")
        .values_list("felt_safe", "safe_with_each_other")
        .first()
    )
    if earlier is None:
        return None
    felt_safe, safe_with_each_other = earlier
    return felt_safe if felt_safe is not None else safe_with_each_other


def support_due(viewer: Any, couple: Any, start: date) -> bool:
    """True when the viewer's own answer for this round is low or clearly lower."""
    answer = own_answer(viewer, couple, start)
    if answer is None or answer.felt_safe is None:
        return False
    return needs_support(answer.felt_safe, previous_value(viewer, couple, start))
