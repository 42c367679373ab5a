"""The couple home's line about the viewer's own questionnaires that are due or overdue."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from twofold.outcomes.due import own_standing

register = template.Library()


@register.inclusion_tag("outcomes/_due.html")
def questionnaires_due(couple: Any, user: Any) -> dict[str, Any]:
    """Only the viewer's own: nothing here depends on the partner's answers."""
    if couple is None or not couple.is_active:
        return {"show": False}
    _schedule, standing, _drafts = own_standing(user, couple)
    waiting = [s for s in standing if s.is_open]
    return {
        "show": True,
        "count": len(waiting),
        "overdue": any(s.state == "overdue" for s in waiting),
    }


@register.filter
def slot_label(key: str) -> str:
    """A slot's key ("week-8") in words ("Week 8")."""
    kind, _sep, number = key.partition("-")
    if key == "baseline":
        return _("At the start")
    if key == "end":
        return _("At the end of the program")
    if kind == "week" and number.isdigit():
        return _("Week %(n)s") % {"n": number}
    if kind == "booster" and number.isdigit():
        return _("Booster, %(n)s weeks after the end") % {"n": number}
    return key or _("Outside the schedule")
