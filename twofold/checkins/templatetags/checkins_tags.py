"""The couple home's line about this round's check-in (who has checked in, never what)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from twofold.checkins.models import CheckIn, CheckInSchedule
from twofold.couples.visibility import participants

register = template.Library()


@register.inclusion_tag("checkins/_status.html")
def checkin_status(couple: Any, user: Any) -> dict[str, Any]:
    if couple is None or not couple.is_active:
        return {"show": False}
    schedule = CheckInSchedule.objects.visible_to(user).filter(couple=couple).first()
    if schedule is None:
        return {"show": True, "started": False}
    current = schedule.current_round(timezone.localdate())
    answered = participants(CheckIn, user, couple, period_start=current.start)
    partner = couple.partner_of(user)
    return {
        "show": True,
        "started": True,
        "round": current,
        "me_done": user.pk in answered,
        "partner": partner,
        "partner_done": partner is not None and partner.user_id in answered,
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]`` in a template (for the earlier answers of a check-in)."""
    return mapping.get(key, "")
