"""Helpers for program tests: open boundaries and a started plan."""

from __future__ import annotations

from typing import Any

from twofold.program import actions, content
from twofold.program.models import Plan


def answer_all(user: Any, couple: Any, answer: str = "yes") -> None:
    actions.save_boundaries(couple, dict.fromkeys(content.activities(), answer), acting_user=user)


def open_everything(couple: Any) -> Plan:
    """Both partners open to every activity, and the plan started."""
    for seat in couple.seats():
        answer_all(seat.user, couple)
    return actions.ensure_plan(couple)
