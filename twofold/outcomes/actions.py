"""Writes for questionnaires: the schedule, answering (a draft, then submitting), sharing.

Every write takes ``acting_user`` and checks that the row is theirs; the care team's
change of a schedule also takes ``audit``. A refusal is a kind :class:`ActionError` and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.audit import AuditContext, What
from twofold.lib.errors import ActionError
from twofold.outcomes import schedules, scoring
from twofold.outcomes.catalogue import definition_of, schedulable
from twofold.outcomes.instruments import Instrument
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse, QuestionnaireResult


def ensure_schedule(couple: Couple) -> OutcomeSchedule:
    """The couple's questionnaire schedule, from the day they open (an opening step)."""
    schedule, _created = OutcomeSchedule.objects.get_or_create(
        couple=couple, defaults=default_schedule_fields(clock.localdate())
    )
    return schedule


def default_schedule_fields(starts_on: Any) -> dict[str, Any]:
    return {
        "starts_on": starts_on,
        "program_weeks": schedules.DEFAULT_PROGRAM_WEEKS,
        "booster_weeks": list(schedules.DEFAULT_BOOSTER_WEEKS),
        "rules": [rule.as_json() for rule in schedules.default_rules(schedulable())],
    }


def _seat_or_refuse(couple: Couple, user: User) -> None:
    if couple.seat_of(user) is None:
        raise ActionError(_("Only a partner in this couple can answer these questions."))


def _definition(key: str) -> Instrument:
    definition = definition_of(key)
    if definition is None:
        raise ActionError(
            _("This questionnaire is no longer offered here, so it can't be answered."),
            "unknown_instrument",
        )
    return definition


def valid_values(definition: Instrument, values: Mapping[str, Any]) -> dict[str, str]:
    """The answers that name an item of ``definition`` and one of its options."""
    kept: dict[str, str] = {}
    for item in definition.items:
        value = values.get(item.key)
        if value is not None and any(o.value == str(value) for o in item.options):
            kept[item.key] = str(value)
    return kept


def option_scores(definition: Instrument, values: Mapping[str, str]) -> dict[str, int | None]:
    """Item key -> the chosen option's score (what the scoring engine takes)."""
    scores: dict[str, int | None] = {}
    for item in definition.items:
        chosen = next((o for o in item.options if o.value == values.get(item.key)), None)
        scores[item.key] = chosen.score if chosen is not None else None
    return scores


def preview(definition: Instrument, values: Mapping[str, str]) -> scoring.Score:
    """The score these answers would have (for the page before submitting)."""
    return scoring.score(definition, option_scores(definition, valid_values(definition, values)))


def start_response(
    couple: Couple, instrument_key: str, slot: str, *, acting_user: User
) -> QuestionnaireResponse:
    """Begin (or come back to) one's answers to ``instrument_key`` in ``slot``.

    Only a questionnaire that is due or overdue for this person can be started; a draft
    already begun is returned as it is, whenever it was begun.
    """
    _seat_or_refuse(couple, acting_user)
    definition = _definition(instrument_key)
    existing = QuestionnaireResponse.objects.filter(
        couple=couple, owner=acting_user, instrument_key=instrument_key, slot=slot
    ).first()
    if existing is not None:
        if existing.is_draft:
            return existing
        raise ActionError(_("You've already answered this one. Thank you."), "answered")
    schedule = OutcomeSchedule.objects.filter(couple=couple).first()
    administration = (
        schedules.find(schedule.spec, slot, instrument_key) if schedule is not None else None
    )
    if administration is None:
        raise ActionError(_("This questionnaire isn't on your list."), "not_scheduled")
    state = administration.state(clock.localdate(), done=False)
    if state == schedules.State.UPCOMING:
        raise ActionError(_("This questionnaire isn't open yet. It will be on your list."), "early")
    if state == schedules.State.MISSED:
        raise ActionError(
            _("This questionnaire has closed. There's nothing to make up for."), "closed"
        )
    now = clock.now()
    try:
        with transaction.atomic():
            return QuestionnaireResponse.objects.create(
                couple=couple,
                owner=acting_user,
                instrument_key=instrument_key,
                instrument_version=definition.version,
                instrument_sha256=definition.sha256,
                slot=slot,
                started_at=now,
                updated_at=now,
            )
    except IntegrityError:  # the same person started it at the same moment elsewhere
        return QuestionnaireResponse.objects.get(
            couple=couple, owner=acting_user, instrument_key=instrument_key, slot=slot
        )


def _own_draft(response_id: Any, user: User) -> QuestionnaireResponse:
    response = (
        QuestionnaireResponse.objects.select_for_update().filter(pk=response_id, owner=user).first()
    )
    if response is None:
        raise ActionError(_("These answers can't be found."), "not_found")
    if not response.is_draft:
        raise ActionError(
            _("These answers are already sent, so they can't be changed."), "submitted"
        )
    _seat_or_refuse(response.couple, user)
    return response


@transaction.atomic
def save_answers(
    response_id: Any,
    values: Mapping[str, str | None],
    *,
    acting_user: User,
    position: int | None = None,
) -> QuestionnaireResponse:
    """Keep ``values`` (item key -> option value; None takes an answer back) in the
    draft, and where the person is (``position``) so they can come back to it.

    Values that are not one of an item's options are refused and nothing is saved.
    """
    response = _own_draft(response_id, acting_user)
    definition = _definition(response.instrument_key)
    given = {key: value for key, value in values.items() if value is not None}
    if set(valid_values(definition, given)) != set(given):
        raise ActionError(_("Please choose one of the answers shown."), "invalid_answer")
    kept = valid_values(definition, response.answer_values())
    kept.update({key: str(value) for key, value in given.items()})
    for key in (k for k, value in values.items() if value is None):
        kept.pop(key, None)
    response.set_answer_values(kept)
    response.instrument_version, response.instrument_sha256 = (
        definition.version,
        definition.sha256,
    )
    if position is not None:
        response.position = max(0, min(position, len(definition.items)))
    response.updated_at = clock.now()
    response.save()
    return response


@transaction.atomic
def submit_response(response_id: Any, *, acting_user: User) -> QuestionnaireResult:
    """Send one's answers: score them, keep the score with the definition it used, and
    flag risk answers and a positive safety screen for the care team's safety rules."""
    response = _own_draft(response_id, acting_user)
    definition = _definition(response.instrument_key)
    values = valid_values(definition, response.answer_values())
    scored = scoring.score(definition, option_scores(definition, values))
    now = clock.now()
    result = QuestionnaireResult.objects.create(
        couple_id=response.couple_id,
        owner=acting_user,
        instrument_key=definition.key,
        instrument_version=definition.version,
        instrument_sha256=definition.sha256,
        slot=response.slot,
        submitted_at=now,
        total=scored.total,
        subscales=dict(scored.subscales),
        band=scored.band or "",
        above_cutoff=scored.above_cutoff,
        withheld_code=scored.withheld_code or ("withheld" if scored.withheld else ""),
        withheld=str(scored.withheld or "")[:300],
        answered=scored.answered,
        prorated=scored.prorated,
        scored_with=definition.version,
        private_safety=definition.private_safety,
    )
    response.set_answer_values(values)
    response.instrument_version, response.instrument_sha256 = (
        definition.version,
        definition.sha256,
    )
    response.critical = list(scored.critical)
    response.safety_positive = definition.private_safety and (
        bool(scored.critical) or scored.above_cutoff is True
    )
    response.submitted_at = response.updated_at = now
    response.result = result
    response.save()
    return result


@transaction.atomic
def set_result_sharing(result_id: Any, share: bool, *, acting_user: User) -> QuestionnaireResult:
    """Share one's own result with one's partner, or stop sharing it (never a private
    safety screen's)."""
    result = (
        QuestionnaireResult.objects.select_for_update()
        .filter(pk=result_id, owner=acting_user)
        .first()
    )
    if result is None:
        raise ActionError(_("This result can't be found."), "not_found")
    if share and result.private_safety:
        raise ActionError(
            _("These answers stay private to you. They can't be shared."), "private_safety"
        )
    if result.shared_with_partner != share:
        result.shared_with_partner = share
        result.shared_at = clock.now() if share else None
        result.save(update_fields=["shared_with_partner", "shared_at"])
    return result


def _checked_rules(rules: Iterable[schedules.Rule]) -> list[schedules.Rule]:
    known = set(schedulable())
    checked = []
    for rule in rules:
        if rule.instrument not in known:
            raise ActionError(_("That questionnaire isn't offered here."), "unknown_instrument")
        if not 0 <= rule.every_weeks <= schedules.MAX_EVERY_WEEKS:
            raise ActionError(
                _("Ask at most every %(weeks)d weeks.") % {"weeks": schedules.MAX_EVERY_WEEKS},
                "every_weeks",
            )
        if rule.is_asked:
            checked.append(rule)
    return checked


@transaction.atomic
def set_schedule_by_care_team(
    couple: Couple,
    *,
    program_weeks: int,
    booster_weeks: Iterable[int],
    rules: Iterable[schedules.Rule],
    acting_user: User,
    audit: AuditContext,
) -> OutcomeSchedule:
    """The care team sets which questionnaires the couple is asked, and when.

    Answers already given keep the slot they answered, so nothing moves or reopens.
    """
    if not 1 <= program_weeks <= schedules.MAX_PROGRAM_WEEKS:
        raise ActionError(
            _("The program lasts from 1 to %(weeks)d weeks.")
            % {"weeks": schedules.MAX_PROGRAM_WEEKS},
            "program_weeks",
        )
    boosters = sorted(set(booster_weeks))
    if any(not 1 <= week <= schedules.MAX_BOOSTER_WEEKS for week in boosters):
        raise ActionError(
            _("Boosters come 1 to %(weeks)d weeks after the end of the program.")
            % {"weeks": schedules.MAX_BOOSTER_WEEKS},
            "booster_weeks",
        )
    checked = _checked_rules(rules)
    schedule = OutcomeSchedule.objects.select_for_update().get(pk=ensure_schedule(couple).pk)
    schedule.program_weeks = program_weeks
    schedule.booster_weeks = boosters
    schedule.rules = [rule.as_json() for rule in checked]
    schedule.changed_by, schedule.changed_at = acting_user, clock.now()
    schedule.save()
    audit.write(acting_user, couple, What.QUESTIONNAIRE_SCHEDULE)
    return schedule
