"""When questionnaires are due: one pure function of the schedule, the day and what the
person has answered; the default schedule made at opening (and by a migration for couples
already open); the care team's changes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory, make_couple
from tests.outcomes_helpers import answer
from twofold.audit.models import AccessEvent
from twofold.couples import actions as couple_actions
from twofold.couples.models import Consent
from twofold.outcomes import actions
from twofold.outcomes.models import OutcomeSchedule
from twofold.outcomes.schedules import (
    DEFAULT_RULES,
    DUE_DAYS,
    OPEN_DAYS,
    Rule,
    Spec,
    State,
    administrations,
    by_slot,
    find,
    open_now,
    states,
)

START = date(2026, 11, 30)


def _spec(*rules: Rule, weeks: int = 12, boosters: tuple[int, ...] = (4, 13)) -> Spec:
    return Spec(starts_on=START, program_weeks=weeks, booster_weeks=boosters, rules=rules)


def _slots(spec: Spec, instrument: str) -> list[tuple[str, date]]:
    return [(a.slot.key, a.opens) for a in administrations(spec) if a.instrument == instrument]


def test_an_instrument_is_asked_at_the_start_every_n_weeks_at_the_end_and_at_boosters():
    spec = _spec(Rule("csi-4", baseline=True, every_weeks=4, end=True, boosters=True))
    assert _slots(spec, "csi-4") == [
        ("baseline", START),
        ("week-4", START + timedelta(weeks=4)),
        ("week-8", START + timedelta(weeks=8)),
        ("end", START + timedelta(weeks=12)),  # not also "week-12": the end is that week
        ("booster-4", START + timedelta(weeks=16)),
        ("booster-13", START + timedelta(weeks=25)),
    ]


def test_the_safety_screen_is_asked_at_the_start_and_periodically_by_default():
    spec = Spec(START, 24, (4, 13, 26, 52), DEFAULT_RULES)
    assert [key for key, _day in _slots(spec, "hark")][:4] == [
        "baseline",
        "week-12",
        "end",
        "booster-4",
    ]
    baseline = {a.instrument for a in administrations(spec) if a.slot.key == "baseline"}
    assert baseline == {"csi-4", "phq-9", "gad-7", "pss-10", "hark"}


def test_due_then_overdue_then_missed_and_done_once_answered():
    spec = _spec(Rule("phq-9", baseline=True, end=True))
    baseline = find(spec, "baseline", "phq-9")
    assert baseline is not None

    def state(day: date, done: Collection[tuple[str, str]] = ()) -> State:
        return next(s.state for s in states(spec, day, done) if s.slot.key == "baseline")

    assert state(START - timedelta(days=1)) == State.UPCOMING
    assert state(START) == State.DUE
    assert state(START + timedelta(days=DUE_DAYS - 1)) == State.DUE
    assert state(START + timedelta(days=DUE_DAYS)) == State.OVERDUE
    assert state(START + timedelta(days=OPEN_DAYS - 1)) == State.OVERDUE
    assert state(START + timedelta(days=OPEN_DAYS)) == State.MISSED
    assert state(START + timedelta(days=3), {("baseline", "phq-9")}) == State.DONE
    assert state(START + timedelta(days=90), {("baseline", "phq-9")}) == State.DONE


def test_a_questionnaire_closes_when_it_is_asked_again_sooner_than_the_usual_window():
    spec = _spec(Rule("phq-4", baseline=True, every_weeks=2, end=False))
    first = find(spec, "baseline", "phq-4")
    assert first is not None
    assert first.closes == START + timedelta(weeks=2)
    on_day_15 = {s.slot.key: s.state for s in states(spec, START + timedelta(days=15), set())}
    assert on_day_15["baseline"] == State.MISSED
    assert on_day_15["week-2"] == State.DUE


def test_what_is_open_now_is_grouped_by_slot_with_what_is_still_to_answer():
    spec = _spec(Rule("csi-4"), Rule("phq-9"), Rule("hark"))
    waiting = open_now(spec, START + timedelta(days=8), {("baseline", "phq-9")})
    assert [(s.instrument, s.state) for s in waiting] == [
        ("csi-4", State.OVERDUE),
        ("hark", State.OVERDUE),
    ]
    groups = by_slot(waiting)
    assert [g.slot.key for g in groups] == ["baseline"]
    assert groups[0].overdue


def test_a_rule_asking_nothing_and_an_instrument_missing_from_the_schedule_give_nothing():
    spec = _spec(Rule("csi-4", baseline=False, every_weeks=0, end=False, boosters=False))
    assert administrations(spec) == []
    assert find(spec, "baseline", "gad-7") is None


# --- The schedule in the database ------------------------------------------------------


def test_a_couple_gets_the_default_schedule_when_it_opens_from_that_day(db: None):
    a, b = UserFactory(), UserFactory()
    with time_machine.travel("2026-11-30 10:00:00+00:00", tick=False):
        couple = make_couple(a, b, consent=False)
        couple_actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=a)
        assert not OutcomeSchedule.objects.filter(couple=couple).exists()
        couple_actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=b)
    schedule = OutcomeSchedule.objects.get(couple=couple)
    assert schedule.starts_on == START
    assert {r.instrument for r in schedule.spec.rules} == {r.instrument for r in DEFAULT_RULES}


def test_opening_again_after_a_pause_keeps_the_same_schedule(couple: Any, partner_b: Any):
    schedule = OutcomeSchedule.objects.get(couple=couple)
    couple_actions.withdraw_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_b)
    couple_actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_b)
    assert list(OutcomeSchedule.objects.filter(couple=couple)) == [schedule]


def test_a_couple_still_waiting_for_a_partner_has_no_schedule(db: None):
    couple = make_couple(UserFactory())
    assert not OutcomeSchedule.objects.filter(couple=couple).exists()


@pytest.mark.django_db(transaction=True)
def test_couples_already_open_get_a_schedule_from_the_migration_starting_that_day() -> None:
    opened = make_couple(UserFactory(), UserFactory())
    waiting = make_couple(UserFactory())
    OutcomeSchedule.objects.filter(couple=opened).delete()

    executor = MigrationExecutor(connection)
    executor.migrate([("outcomes", "0001_initial")])
    executor = MigrationExecutor(connection)
    with time_machine.travel("2027-01-11 09:00:00+00:00", tick=False):
        executor.migrate([("outcomes", "0002_open_couples_get_a_questionnaire_schedule")])
        executor.loader.build_graph()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    schedule = OutcomeSchedule.objects.get(couple=opened)
    assert schedule.starts_on == date(2027, 1, 11)
    assert {r.instrument for r in schedule.spec.rules} == {r.instrument for r in DEFAULT_RULES}
    assert not OutcomeSchedule.objects.filter(couple=waiting).exists()


def _post_schedule(client: Any, couple: Any, **fields: str) -> Any:
    data = {"program_weeks": "12", "booster_weeks": "4, 13"} | fields
    return client.post(f"/care/couples/{couple.pk}/questionnaires/schedule/", data)


def test_the_care_team_changes_the_schedule_and_it_is_audited(
    couple: Any, clinician: Any, client_for: Any
):
    response = _post_schedule(
        client_for(clinician),
        couple,
        **{"csi-4__baseline": "on", "csi-4__every_weeks": "2", "hark__end": "on"},
    )
    assert response.status_code == 302
    schedule = OutcomeSchedule.objects.get(couple=couple)
    assert schedule.program_weeks == 12
    assert schedule.booster_weeks == [4, 13]
    assert [r.as_json() for r in schedule.spec.rules] == [
        Rule("csi-4", baseline=True, every_weeks=2, end=False).as_json(),
        Rule("hark", baseline=False, end=True).as_json(),
    ]
    assert schedule.changed_by == clinician
    event = AccessEvent.objects.get(action="write")
    assert (event.actor, event.what) == (clinician, "questionnaires.schedule")


def test_a_schedule_the_care_team_gets_wrong_changes_nothing(
    couple: Any, clinician: Any, client_for: Any
):
    before = OutcomeSchedule.objects.get(couple=couple).rules
    client = client_for(clinician)
    _post_schedule(client, couple, booster_weeks="soon")
    _post_schedule(client, couple, program_weeks="0")
    _post_schedule(client, couple, **{"csi-4__every_weeks": "99"})
    assert OutcomeSchedule.objects.get(couple=couple).rules == before
    assert not AccessEvent.objects.filter(action="write").exists()


def test_answers_already_given_keep_their_slot_when_the_schedule_changes(
    couple: Any, partner_a: Any, clinician: Any, client_for: Any
):
    answer(couple, partner_a, "csi-4")
    _post_schedule(client_for(clinician), couple, **{"csi-4__baseline": "on"})
    schedule = OutcomeSchedule.objects.get(couple=couple)
    today = schedule.starts_on
    assert [s.state for s in states(schedule.spec, today, {("baseline", "csi-4")})] == [State.DONE]


def test_actions_refuse_an_instrument_that_is_not_offered(couple: Any, clinician: Any):
    from twofold.audit.recording import context_for_background
    from twofold.lib.errors import ActionError

    with pytest.raises(ActionError):
        actions.set_schedule_by_care_team(
            couple,
            program_weeks=12,
            booster_weeks=[],
            rules=[Rule("fsfi")],
            acting_user=clinician,
            audit=context_for_background(),
        )
