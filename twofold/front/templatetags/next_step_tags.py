"""The partner home's "next step" card (see :mod:`twofold.front.next_step`)."""

from __future__ import annotations

from typing import Any

from django import template

from twofold.front.next_step import facts_for, next_step, url_for

register = template.Library()


@register.inclusion_tag("front/_next_step.html")
def next_step_card(couple: Any, user: Any) -> dict[str, Any]:
    step = next_step(facts_for(couple, user))
    return {
        "step": step.value,
        "url": url_for(step),
        "partner": couple.partner_of(user),
    }
