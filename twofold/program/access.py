"""Program look-ups within the visibility policy; 404 for anything outside it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from twofold.couples.access import get_care_couple_for_user, get_own_couple
from twofold.couples.models import Couple
from twofold.program import actions
from twofold.program.models import Goal, Plan


def get_partner_plan(request: HttpRequest) -> tuple[Couple, Plan | None]:
    """The viewer's couple and, once both have joined and consented, its plan."""
    couple = get_own_couple(request)
    if couple is None:
        raise Http404
    if not couple.is_active:
        return couple, None
    return couple, actions.ensure_plan(couple)


def get_care_plan(request: HttpRequest, couple_id: Any, what: str) -> tuple[Couple, Plan]:
    """A couple's plan for their care team: only while both partners share with them."""
    from twofold.couples.visibility import shared_care_couple_ids

    couple = get_care_couple_for_user(request, couple_id, what)
    if (
        not couple.is_active
        or not shared_care_couple_ids(request.user).filter(pk=couple.pk).exists()
    ):
        raise Http404
    plan = actions.ensure_plan(couple)
    plan.couple = couple
    return couple, plan


def get_goal_for_user(request: HttpRequest, goal_id: Any) -> Goal:
    goal = Goal.objects.visible_to(request.user).filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal
