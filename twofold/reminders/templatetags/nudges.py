"""``{% nudged_today as done %}``: whether the viewer already nudged their partner today.

Used by ``reminders/_nudge.html``, which any partner page may include; it reads the
page's ``couple`` and ``user`` (one query), and is False on a page without a couple.
"""

from __future__ import annotations

from typing import Any

from django import template

from twofold.couples.models import Couple
from twofold.reminders.actions import nudged_today as _nudged_today

register = template.Library()


@register.simple_tag(takes_context=True)
def nudged_today(context: Any) -> bool:
    couple, user = context.get("couple"), context.get("user")
    if not isinstance(couple, Couple) or not getattr(user, "is_authenticated", False):
        return False
    return _nudged_today(couple, acting_user=user)
