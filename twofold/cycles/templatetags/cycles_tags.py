"""Fragments about adjustment cycles for other pages (e.g. the couple home)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from twofold.cycles.models import AdjustmentCycle

register = template.Library()


@register.inclusion_tag("cycles/_open.html")
def open_cycles(couple: Any, user: Any) -> dict[str, Any]:
    """The couple's open cycles, whose turn it is and when to look back.

    One query (the status line needs no ratings; the couple's seats come from its
    prefetch when it was loaded with ``Couple.objects.with_status()``).
    """
    if couple is None or not couple.is_active:
        return {"active": False, "rows": []}
    today = timezone.localdate()
    cycles = AdjustmentCycle.objects.visible_to(user).filter(couple=couple).open()[:20]
    rows = [
        {
            "cycle": c,
            "status": c.status_for(user, couple, today),
            "my_turn": c.awaiting_id == getattr(user, "pk", None),
        }
        for c in cycles
    ]
    rows.sort(key=lambda row: not row["my_turn"])  # your turn first, then newest first
    return {"active": True, "rows": rows}
