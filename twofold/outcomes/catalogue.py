"""The instruments a couple can be asked to fill in here, by key.

Every loaded instrument except the weekly check-in, which is answered on the check-in's
own pages (its scores are charted from there).
"""

from __future__ import annotations

from twofold.outcomes.instruments import Instrument, instruments

# Answered on their own pages, never as a questionnaire here.
ANSWERED_ELSEWHERE = frozenset({"twofold-checkin"})


def schedulable() -> dict[str, Instrument]:
    return {key: i for key, i in instruments().items() if key not in ANSWERED_ELSEWHERE}


def definition_of(key: str) -> Instrument | None:
    """The current definition of ``key``, or None when this deployment has none."""
    return schedulable().get(key)
