"""The boundaries overlap: the only code that reads both partners' answers.

An activity is in the couple's overlap when *both* partners answered yes or maybe.
"No", "not now" and "not answered yet" all keep it out, and are indistinguishable from
outside: callers get the overlap and nothing else.

Giving and receiving items (touching the partner's chest, the partner touching one's
chest) need more care in the *shared list* a person reads: "you touching your partner's
chest" is agreed when you are open to giving and your partner to receiving. The plain
overlap (both open to each key) is what gates exercises; a turn-taking exercise names
both directions, so it needs touch agreed both ways.
"""

from __future__ import annotations

from typing import Any

from twofold.program import content
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


def shared_from_answers(
    answers: dict[Any, dict[str, str]],
    seats: list[Any],
    viewer: Any,
    activities: dict[str, content.Activity],
) -> frozenset[str]:
    """Pure rule: the shared list as ``viewer`` reads it, keys labelled from their side.

    An item without a direction is shared when both are open to it. A giving item
    ("Touching your partner's chest") is shared when the viewer is open to giving and
    the partner to receiving; a receiving item ("Your partner touching your chest")
    when the partner is open to giving and the viewer to receiving.
    """
    if len(seats) < 2 or viewer not in seats:
        return frozenset()
    partner = next(seat for seat in seats if seat != viewer)

    def is_open(person: Any, key: str) -> bool:
        return answers.get(person, {}).get(key) in OPEN_ANSWERS

    opposite = {(a.pair, a.direction): a.key for a in activities.values() if a.pair and a.direction}
    shared = set()
    for key, activity in activities.items():
        if not activity.pair:
            if is_open(viewer, key) and is_open(partner, key):
                shared.add(key)
            continue
        other = opposite[
            (activity.pair, "receiving" if activity.direction == "giving" else "giving")
        ]
        if is_open(viewer, key) and is_open(partner, other):
            shared.add(key)
    return frozenset(shared)


def _answers(couple: Any) -> tuple[dict[Any, dict[str, str]], list[Any]]:
    seats = [p.user_id for p in couple.seats()]
    answers: dict[Any, dict[str, str]] = {}
    for owner_id, key, value in BoundaryAnswer.objects.filter(couple=couple).values_list(
        "owner_id", "activity_key", "answer"
    ):
        answers.setdefault(owner_id, {})[key] = value
    return answers, seats


def overlap(couple: Any) -> frozenset[str]:
    """Activities both partners are open to. Empty until both have joined and answered."""
    answers, seats = _answers(couple)
    return overlap_from_answers(answers, seats)


def shared_for(couple: Any, viewer: Any) -> frozenset[str]:
    """The shared list as ``viewer`` (a partner) reads it; see :func:`shared_from_answers`."""
    answers, seats = _answers(couple)
    return shared_from_answers(answers, seats, viewer.pk, content.activities())
