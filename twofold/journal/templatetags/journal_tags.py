"""Fragments of the journal app for other pages (the couple home)."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
from typing import Any

from django import template
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twofold.journal.models import Appreciation, Moment

register = template.Library()


def viewer_today(user: Any) -> date:
    """Today in the viewer's own time zone (else the active one)."""
    try:
        tz: Any = zoneinfo.ZoneInfo(user.time_zone)
    except (AttributeError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        tz = timezone.get_current_timezone()
    return timezone.localdate(timezone=tz)


def _moments_sentence(per_kind: list[dict[str, Any]]) -> str:
    total = sum(row["n"] for row in per_kind)
    if total == 0:
        return _(
            "A new week, a fresh page. When a small moment of closeness comes along, a shared "
            "laugh, a kind word, a cup of tea together, you can note it here in one tap."
        )
    phrases = Moment.IN_A_SENTENCE
    top = [str(phrases.get(r["kind"], r["kind"])) for r in per_kind if r["n"] == per_kind[0]["n"]]
    if total == 1:
        return _("This week the two of you have noted one moment of closeness: %(kind)s.") % {
            "kind": top[0]
        }
    if len(top) == 1:
        return ngettext(
            "This week the two of you have noted %(n)d moment of closeness, most often %(kind)s.",
            "This week the two of you have noted %(n)d moments of closeness, most often %(kind)s.",
            total,
        ) % {"n": total, "kind": top[0]}
    if len(top) == 2:
        return ngettext(
            "This week the two of you have noted %(n)d moment of closeness, most often "
            "%(first)s and %(second)s.",
            "This week the two of you have noted %(n)d moments of closeness, most often "
            "%(first)s and %(second)s.",
            total,
        ) % {"n": total, "first": top[0], "second": top[1]}
    return ngettext(
        "This week the two of you have noted %(n)d moment of closeness, of many kinds.",
        "This week the two of you have noted %(n)d moments of closeness, of many kinds.",
        total,
    ) % {"n": total}


@register.inclusion_tag("journal/_summary.html")
def moments_summary(couple: Any, user: Any) -> dict[str, Any]:
    """This week (Monday to today in the viewer's time zone): moments and unseen notes.

    Two queries, however many moments and notes there are. Renders nothing until the
    couple is active.
    """
    if couple is None or not getattr(user, "is_authenticated", False) or not couple.is_active:
        return {"show": False}
    today = viewer_today(user)
    monday = today - timedelta(days=today.weekday())
    per_kind = list(
        Moment.objects.visible_to(user)
        .filter(couple=couple, happened_on__gte=monday, happened_on__lte=today)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n", "kind")
    )
    unseen = (
        Appreciation.objects.visible_to(user)
        .filter(couple=couple, recipient=user, seen_at__isnull=True)
        .count()
    )
    partner = couple.partner_of(user)
    name = partner.user.display_name if partner else _("Your partner")
    notes = (
        ngettext(
            "%(name)s has left you a note of appreciation.",
            "%(name)s has left you %(n)d notes of appreciation.",
            unseen,
        )
        % {"name": name, "n": unseen}
        if unseen
        else ""
    )
    return {
        "show": True,
        "total": sum(row["n"] for row in per_kind),
        "per_kind": per_kind,
        "unseen": unseen,
        "moments_sentence": _moments_sentence(per_kind),
        "notes_sentence": notes,
    }
