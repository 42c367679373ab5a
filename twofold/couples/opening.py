"""What starts when a couple opens: both partners joined and both agreed to take part.

Features that need something in place from the first day (the program plan, the check-in
schedule) register a step here when their app loads. Steps run inside the transaction of
the write that opened the couple, so a page view never has to create anything (a GET
never writes). Every step must be safe to run again: a couple that pauses its consent and
gives it again opens a second time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twofold.couples.models import Couple

OpeningStep = Callable[[Couple], Any]

_steps: list[OpeningStep] = []


def on_opening(step: OpeningStep) -> OpeningStep:
    """Register ``step`` to run for every couple that opens (idempotent steps only)."""
    if step not in _steps:
        _steps.append(step)
    return step


def open_if_ready(couple: Couple) -> bool:
    """Run the opening steps if ``couple`` is open now; True when it is."""
    fresh = Couple.objects.with_status().select_related("clinic").get(pk=couple.pk)
    if not fresh.is_active:
        return False
    for step in _steps:
        step(fresh)
    return True
