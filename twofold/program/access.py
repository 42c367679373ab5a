"""Program look-ups within the visibility policy; 404 for anything outside it."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from twofold.couples.models import Couple
from twofold.program.models import Goal, Plan


def get_plan(user: Any, couple: Couple) -> Plan:
    """The couple's plan as ``user`` may see it (404 otherwise).

    The plan is started when the couple opens, never by a page view. The care team sees
    it only while both partners share with them (the plan's audience).
    """
    plan = (
        Plan.objects.visible_to(user)
        .select_related("program_version")
        .filter(couple=couple)
        .first()
    )
    if plan is None:
        raise Http404
    plan.couple = couple
    return plan


def get_goal_for_user(user: Any, goal_id: Any) -> Goal:
    goal = Goal.objects.visible_to(user).filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal
