"""The boundaries overlap: the only code that reads both partners' answers.

An activity is in the couple's overlap when *both* partners answered yes or maybe.
"No", "not now" and "not answered yet" all keep it out, and are indistinguishable from
outside: callers get the overlap and nothing else.
"""

from __future__ import annotations

from typing import Any

from twofold.program.models import BoundaryAnswer

OPEN_ANSWERS = frozenset({BoundaryAnswer.Answer.YES, BoundaryAnswer.Answer.MAYBE})


def overlap_from_answers(answers: dict[Any, dict[str, str]], seats: list[Any]) -> frozenset[str]:
    """Pure rule: ``answers[person][activity]``; both seats must be open to the activity."""
    if len(seats) < 2:
        return frozenset()
    open_sets = [
        {key for key, value in answers.get(person, {}).items() if value in OPEN_ANSWERS}
        for person in seats
    ]
    return frozenset(set.intersection(*open_sets))


def overlap(couple: Any) -> frozenset[str]:
    """Activities both partners are open to. Empty until both have joined and answered."""
    seats = [p.user_id for p in couple.seats()]
    answers: dict[Any, dict[str, str]] = {}
    for owner_id, key, value in BoundaryAnswer.objects.filter(couple=couple).values_list(
        "owner_id", "activity_key", "answer"
    ):
        answers.setdefault(owner_id, {})[key] = value
    return overlap_from_answers(answers, seats)
