"""Every change to an adjustment cycle: right person, right state, one at a time.

Each transition locks the cycle row, checks who may do it now (:func:`refusal`, the one
rule both the pages and these writes use) and answers a refusal with a kind
:class:`ActionError`, changing nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.lib import clock
from twofold.lib.errors import ActionError

State = AdjustmentCycle.State

STEPS = ("reflect", "confirm", "clarify", "propose", "agree", "suggest", "rate", "decide")


def _partner_ids(couple: Couple) -> list[Any]:
    return [p.user_id for p in couple.seats()]


def refusal(
    cycle: AdjustmentCycle,
    step: str,
    user: Any,
    *,
    couple: Couple,
    rated_by: set[Any],
) -> str | None:
    """Why ``user`` can't take ``step`` on ``cycle`` right now, or None when they can.

    ``couple`` is the cycle's couple (its seats are read); ``rated_by`` holds the ids of
    the partners who already rated the outcome.
    """
    partners = _partner_ids(couple)
    if user.pk not in partners:
        return _("Only the two of you can take part in this conversation.")
    if not cycle.is_open:
        return _("This conversation has already come to a close, so there's nothing to add.")
    is_raiser = user.pk == cycle.raised_by_id
    if step == "withdraw":
        # Always possible for the one who raised it, even while things are on hold.
        if not is_raiser:
            return _(
                "Only the partner who raised this can set it aside. "
                "You could talk about it together instead."
            )
        return None
    if not couple.is_active:
        return _("This opens again once you have both agreed to take part.")
    state = cycle.state

    if step in ("reflect",):
        if state != State.RAISED:
            return _("This has already been said back, so there's nothing to add here now.")
        if is_raiser:
            return _(
                "This is your partner's moment to say back what they heard. "
                "You'll be able to check it when they have."
            )
    elif step in ("confirm", "clarify"):
        if state != State.REFLECTED:
            return _("There's nothing to check just now: it isn't waiting for your answer.")
        if not is_raiser:
            return _(
                "Only the partner who raised this can say whether they felt understood. "
                "It's with them now."
            )
    elif step == "propose":
        if state != State.UNDERSTOOD:
            return _("This isn't at the point of choosing an adjustment.")
        if cycle.proposed_by_id is not None:
            return _(
                "There's already a suggested adjustment waiting for an answer. "
                "You can agree to it or suggest a change."
            )
    elif step in ("agree", "suggest"):
        if not cycle.has_pending_proposal:
            return _("There's no suggested adjustment waiting for an answer just now.")
        if cycle.awaiting_id != user.pk:
            return _("Your suggestion is with your partner; it's their turn to answer.")
    elif step == "rate":
        if state not in (State.TRYING, State.REVIEWING):
            return _("It's not time to look back at this yet.")
        if user.pk in rated_by:
            return _("You've already shared how it went. Thank you.")
    elif step == "decide":
        if state != State.REVIEWING or not set(partners) <= rated_by:
            return _("You'll decide what's next together once you've both said how it went.")
    else:
        return _("That isn't something you can do here.")
    return None


def available_steps(cycle: AdjustmentCycle, user: Any, couple: Couple) -> list[str]:
    """The steps ``user`` may take now (reads the cycle's prefetched ratings)."""
    rated_by = cycle.rated_by()
    return [
        step
        for step in (*STEPS, "withdraw")
        if refusal(cycle, step, user, couple=couple, rated_by=rated_by) is None
    ]


def _locked(cycle: AdjustmentCycle) -> tuple[AdjustmentCycle, Couple, set[Any]]:
    locked = AdjustmentCycle.objects.select_for_update().get(pk=cycle.pk)
    couple = Couple.objects.with_status().get(pk=locked.couple_id)
    rated_by = set(OutcomeRating.objects.filter(cycle=locked).values_list("owner_id", flat=True))
    return locked, couple, rated_by


def _begin(
    cycle: AdjustmentCycle, step: str, user: Any
) -> tuple[AdjustmentCycle, Couple, set[Any]]:
    locked, couple, rated_by = _locked(cycle)
    reason = refusal(locked, step, user, couple=couple, rated_by=rated_by)
    if reason is not None:
        raise ActionError(reason, step)
    return locked, couple, rated_by


def _other(couple: Couple, user_id: Any) -> Any:
    partner = next((p for p in couple.seats() if p.user_id != user_id), None)
    return partner.user_id if partner else None


def _save(cycle: AdjustmentCycle, *fields: str) -> AdjustmentCycle:
    cycle.updated_at = clock.now()
    cycle.save(update_fields=[*fields, "updated_at"])
    return cycle


def _require_text(value: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ActionError(message, "empty")
    return text


def _check_review_date(review_on: date | None) -> date:
    if review_on is None or review_on < clock.localdate():
        raise ActionError(_("Please choose a day from today onwards to look back."), "date")
    return review_on


@transaction.atomic
def raise_concern(
    couple: Couple,
    concern: str,
    wish: str = "",
    follows: AdjustmentCycle | None = None,
    *,
    acting_user: User,
) -> AdjustmentCycle:
    """Start a cycle; it goes to the other partner to say back what they heard."""
    if acting_user.pk not in _partner_ids(couple):
        raise ActionError(_("Only the two of you can raise something here."), "not_partner")
    if not couple.is_active:
        raise ActionError(
            _("This opens once you have both joined and agreed to take part."), "inactive"
        )
    text = _require_text(concern, _("Please write a few words about what's on your mind."))
    if follows is not None and follows.couple_id != couple.pk:
        follows = None
    return AdjustmentCycle.objects.create(
        couple=couple,
        raised_by=acting_user,
        concern=text,
        wish=(wish or "").strip(),
        state=State.RAISED,
        awaiting_id=_other(couple, acting_user.pk),
        follows=follows,
    )


@transaction.atomic
def reflect(cycle: AdjustmentCycle, reflection: str, *, acting_user: User) -> AdjustmentCycle:
    """The other partner says back, in their own words, what they heard."""
    cycle, _couple, _rated = _begin(cycle, "reflect", acting_user)
    cycle.reflection = _require_text(
        reflection, _("Please write, in your own words, what you heard.")
    )
    cycle.state = State.REFLECTED
    cycle.reflection_rounds += 1
    cycle.reflected_at = clock.now()
    cycle.awaiting_id = cycle.raised_by_id
    return _save(cycle, "reflection", "state", "reflection_rounds", "reflected_at", "awaiting")


@transaction.atomic
def confirm(cycle: AdjustmentCycle, *, acting_user: User) -> AdjustmentCycle:
    """The raiser feels understood: on to choosing a small adjustment together."""
    cycle, _couple, _rated = _begin(cycle, "confirm", acting_user)
    cycle.state = State.UNDERSTOOD
    cycle.understood_at = clock.now()
    cycle.awaiting = None
    return _save(cycle, "state", "understood_at", "awaiting")


@transaction.atomic
def clarify(cycle: AdjustmentCycle, clarification: str, *, acting_user: User) -> AdjustmentCycle:
    """The raiser adds what was missed; it goes back to the other partner to say back."""
    cycle, couple, _rated = _begin(cycle, "clarify", acting_user)
    cycle.clarification = _require_text(
        clarification, _("Please write what you'd like your partner to hear.")
    )
    cycle.state = State.RAISED
    cycle.clarified_at = clock.now()
    cycle.awaiting_id = _other(couple, acting_user.pk)
    return _save(cycle, "clarification", "clarified_at", "state", "awaiting")


@transaction.atomic
def propose(
    cycle: AdjustmentCycle, adjustment: str, review_on: date | None, *, acting_user: User
) -> AdjustmentCycle:
    """Either partner suggests a small adjustment and a day to look back on it."""
    cycle, couple, _rated = _begin(cycle, "propose", acting_user)
    cycle.adjustment = _require_text(adjustment, _("Please describe the small adjustment."))
    cycle.review_on = _check_review_date(review_on)
    cycle.proposed_by = acting_user
    cycle.awaiting_id = _other(couple, acting_user.pk)
    return _save(cycle, "adjustment", "review_on", "proposed_by", "awaiting")


@transaction.atomic
def agree(cycle: AdjustmentCycle, *, acting_user: User) -> AdjustmentCycle:
    """The other partner agrees to the suggested adjustment: you start trying it."""
    cycle, _couple, _rated = _begin(cycle, "agree", acting_user)
    cycle.state = State.TRYING
    cycle.agreed_at = clock.now()
    cycle.awaiting = None
    return _save(cycle, "state", "agreed_at", "awaiting")


@transaction.atomic
def suggest(
    cycle: AdjustmentCycle, adjustment: str, review_on: date | None, *, acting_user: User
) -> AdjustmentCycle:
    """Answer a suggested adjustment with a change; it goes back to the first partner."""
    cycle, _couple, _rated = _begin(cycle, "suggest", acting_user)
    cycle.adjustment = _require_text(adjustment, _("Please describe the adjustment you suggest."))
    cycle.review_on = _check_review_date(review_on)
    previous = cycle.proposed_by_id
    cycle.proposed_by = acting_user
    cycle.awaiting_id = previous
    return _save(cycle, "adjustment", "review_on", "proposed_by", "awaiting")


@transaction.atomic
def rate(
    cycle: AdjustmentCycle, rating: str, note: str = "", *, acting_user: User
) -> OutcomeRating:
    """One partner says how it went; the first rating opens the look-back."""
    cycle, couple, rated_by = _begin(cycle, "rate", acting_user)
    if rating not in OutcomeRating.Rating.values:
        raise ActionError(_("Please choose how it went for you."), "rating")
    result = OutcomeRating.objects.create(
        cycle=cycle,
        couple_id=cycle.couple_id,
        owner=acting_user,
        rating=rating,
        note=(note or "").strip(),
    )
    rated_by = rated_by | {acting_user.pk}
    waiting = [pk for pk in _partner_ids(couple) if pk not in rated_by]
    cycle.state = State.REVIEWING
    cycle.awaiting_id = waiting[0] if waiting else None
    _save(cycle, "state", "awaiting")
    return result


@transaction.atomic
def decide(
    cycle: AdjustmentCycle, decision: str, learned: str, *, acting_user: User
) -> AdjustmentCycle:
    """Once both rated, either partner records what you chose and what you learned."""
    cycle, _couple, _rated = _begin(cycle, "decide", acting_user)
    if decision not in AdjustmentCycle.Decision.values:
        raise ActionError(_("Please choose what you'd like to do next."), "decision")
    cycle.learned = _require_text(learned, _("Please write a few words about what you learned."))
    cycle.outcome_decision = decision
    cycle.decided_by = acting_user
    cycle.state = State.CLOSED
    cycle.closed_at = clock.now()
    cycle.awaiting = None
    return _save(
        cycle, "learned", "outcome_decision", "decided_by", "state", "closed_at", "awaiting"
    )


@transaction.atomic
def withdraw(cycle: AdjustmentCycle, *, acting_user: User) -> AdjustmentCycle:
    """The partner who raised it sets it aside, at any time before it closes."""
    cycle, _couple, _rated = _begin(cycle, "withdraw", acting_user)
    cycle.state = State.WITHDRAWN
    cycle.withdrawn_at = clock.now()
    cycle.awaiting = None
    return _save(cycle, "state", "withdrawn_at", "awaiting")
