"""Where reminders about adjustment cycles come from (the reminders feature sends them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch

from twofold.couples.models import Consent, Partner
from twofold.cycles.models import AdjustmentCycle, OutcomeRating


def reviews_due(today: date) -> list[tuple[AdjustmentCycle, list[Any]]]:
    """Cycles whose look-back day has come, with the partners who haven't rated yet.

    That is TRYING cycles with ``review_on <= today`` (nobody has rated: both partners),
    and REVIEWING ones past that day where one partner has rated and the other hasn't.
    Only couples who are still both taking part are included. One query for the cycles
    plus a fixed number of prefetches, whatever the number of cycles.
    """
    prefetches: list[Any] = [
        Prefetch("ratings", queryset=OutcomeRating.objects.only("id", "cycle_id", "owner_id")),
        # The same names Couple.with_status() uses, so seats() and is_active read them.
        Prefetch(
            "couple__partners",
            queryset=Partner.objects.filter(left_at__isnull=True).select_related("user"),
            to_attr="active_partners",
        ),
        Prefetch(
            "couple__consents",
            queryset=Consent.objects.filter(withdrawn_at__isnull=True),
            to_attr="active_consents",
        ),
    ]
    cycles = (
        AdjustmentCycle.objects.filter(
            state__in=[AdjustmentCycle.State.TRYING, AdjustmentCycle.State.REVIEWING],
            review_on__lte=today,
        )
        .select_related("couple")
        .prefetch_related(*prefetches)
        .order_by("review_on", "created_at")
    )
    due = []
    for cycle in cycles:
        if not cycle.couple.is_active:
            continue
        rated = cycle.rated_by()
        waiting = [p.user_id for p in cycle.couple.seats() if p.user_id not in rated]
        if waiting:
            due.append((cycle, waiting))
    return due
