"""A cycle's story so far, as a short list of moments for the detail and care pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from twofold.couples.models import Couple
from twofold.cycles.models import AdjustmentCycle, OutcomeRating


@dataclass
class Moment:
    heading: str
    at: datetime | None = None
    quotes: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    review_on: date | None = None
    learned: str = ""
    learned_heading: str = ""
    kind: str = ""


def _name(cycle: AdjustmentCycle, couple: Couple, user_id: Any) -> str:
    person = cycle.person(couple, user_id)
    return person.display_name if person else _("A partner")


def timeline(cycle: AdjustmentCycle, couple: Couple, *, for_care: bool = False) -> list[Moment]:
    """What happened so far, oldest first. Reads the cycle's prefetched ratings.

    Worded for the partners ("you agreed"), or about them for the care team
    (``for_care``). Only the latest reflection and clarification are kept; while a
    clarification is waiting to be said back, the earlier reflection is shown before it.
    """
    raiser = _name(cycle, couple, cycle.raised_by_id)
    listener_user = cycle.other_partner(couple, cycle.raised_by_id)
    listener = listener_user.display_name if listener_user else _("Your partner")
    moments = [
        Moment(
            _("%(name)s raised something") % {"name": raiser},
            cycle.created_at,
            [(_("What's on their mind"), cycle.concern)]
            + ([(_("What they'd like to try"), cycle.wish)] if cycle.wish else []),
            kind="raised",
        )
    ]
    reflection = (
        Moment(
            _("%(name)s said back what they heard") % {"name": listener},
            cycle.reflected_at,
            [(_("What they heard"), cycle.reflection)],
            kind="reflected",
        )
        if cycle.reflection
        else None
    )
    clarification = (
        Moment(
            _("%(name)s added something") % {"name": raiser},
            cycle.clarified_at,
            [(_("What they added"), cycle.clarification)],
            kind="clarified",
        )
        if cycle.clarification
        else None
    )
    if clarification and cycle.state == AdjustmentCycle.State.RAISED:
        order = [reflection, clarification]
    else:
        order = [clarification, reflection]
        if reflection and clarification:
            reflection.heading = _("%(name)s said back what they heard again") % {"name": listener}
    moments += [m for m in order if m is not None]
    if cycle.understood_at:
        moments.append(
            Moment(
                _("%(name)s felt understood") % {"name": raiser},
                cycle.understood_at,
                kind="understood",
            )
        )
    if cycle.adjustment:
        if cycle.agreed_at:
            moments.append(
                Moment(
                    _("They agreed on a small adjustment")
                    if for_care
                    else _("You agreed on a small adjustment"),
                    cycle.agreed_at,
                    [(_("The adjustment"), cycle.adjustment)],
                    review_on=cycle.review_on,
                    kind="agreed",
                )
            )
        else:
            moments.append(
                Moment(
                    _("%(name)s suggested a small adjustment")
                    % {"name": _name(cycle, couple, cycle.proposed_by_id)},
                    None,
                    [(_("The adjustment"), cycle.adjustment)],
                    review_on=cycle.review_on,
                    kind="proposed",
                )
            )
    ratings: list[OutcomeRating] = list(cycle.ratings.all())
    for rating in ratings:
        moments.append(
            Moment(
                _("%(name)s: %(rating)s")
                % {
                    "name": _name(cycle, couple, rating.owner_id),
                    "rating": rating.get_rating_display(),
                },
                rating.created_at,
                [(_("In their words"), rating.note)] if rating.note else [],
                kind="rated",
            )
        )
    if cycle.closed_at:
        moments.append(
            Moment(
                (
                    _("They looked back together. Their choice: %(decision)s")
                    if for_care
                    else _("You looked back together. Your choice: %(decision)s")
                )
                % {"decision": cycle.get_outcome_decision_display()},
                cycle.closed_at,
                learned=cycle.learned,
                learned_heading=_("What they learned") if for_care else _("What we learned"),
                kind="closed",
            )
        )
    if cycle.withdrawn_at:
        moments.append(
            Moment(
                _("%(name)s set this aside for now") % {"name": raiser},
                cycle.withdrawn_at,
                kind="withdrawn",
            )
        )
    return moments
