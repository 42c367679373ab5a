"""Reminders: planned once, sent at most once, in each person's own time and quiet hours."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail

from tests.program_helpers import open_everything
from twofold.checkins import actions as checkin_actions
from twofold.reminders.models import Reminder
from twofold.reminders.planner import tick
from twofold.reminders.tasks import send_reminder

HEALTH_WORDS = re.compile(r"sex|intima|therap|rehabilit|check-in|practi|concern|pain", re.I)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _run(now: str, capture) -> tuple[int, int]:
    with time_machine.travel(now, tick=False), capture(execute=True):
        return tick(_at(now))


def test_a_checkin_reminder_goes_out_once_at_the_persons_evening(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    # Monday and Tuesday: too early in the round.
    assert _run("2026-12-01T19:00:00+00:00", django_capture_on_commit_callbacks) == (0, 0)
    # Wednesday morning: planned for the evening, not sent yet.
    planned, sent = _run("2026-12-02T09:00:00+00:00", django_capture_on_commit_callbacks)
    assert (planned, sent) == (2, 0)
    assert len(mail.outbox) == 0
    # Wednesday 18:00 in London: both get one.
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [partner_a.email, partner_b.email]
    # Ticking again sends no more check-in reminders (Thursday's are about practice).
    _run("2026-12-02T18:30:00+00:00", django_capture_on_commit_callbacks)
    _run("2026-12-03T18:30:00+00:00", django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if "/check-in/" in m.body]) == 2


def test_reminders_carry_no_health_content(couple, partner_a, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    for message in mail.outbox:
        text = message.subject + message.body
        assert not HEALTH_WORDS.search(text.replace("/check-in/", "/")), text


def test_the_persons_own_time_zone_decides_when(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    partner_b.time_zone = "America/New_York"
    partner_b.save()
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [partner_a.email]
    # 18:00 in New York is 23:00 in London.
    _run("2026-12-02T23:05:00+00:00", django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [partner_a.email, partner_b.email]


def test_quiet_hours_hold_a_reminder_until_they_end(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    partner_a.quiet_hours_start = dt.time(17, 0)
    partner_a.quiet_hours_end = dt.time(9, 30)
    partner_a.save()
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert partner_a.email not in [m.to[0] for m in mail.outbox]
    _run("2026-12-03T09:35:00+00:00", django_capture_on_commit_callbacks)
    assert partner_a.email in [m.to[0] for m in mail.outbox]


def test_someone_who_already_checked_in_gets_nothing(
    client_for, couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
        checkin_actions.save_checkin(
            couple,
            dt.date(2026, 11, 30),
            {
                "openness": 5,
                "sexual_comfort": 5,
                "mutual_support": 5,
                "stress": 5,
                "sleep_quality": 5,
                "mood": 5,
                "appreciated": "",
                "talk_about": "",
                "private_items": [],
            },
            acting_user=partner_a,
        )
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    checkin = [m.to[0] for m in mail.outbox if m.subject == "A gentle reminder from Twofold"]
    assert checkin == [partner_b.email]
    assert Reminder.objects.get(user=partner_a, kind="checkin").skipped_at is not None


def test_sending_twice_after_a_worker_restart_sends_once(
    couple, partner_a, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    with time_machine.travel("2026-12-02T09:00:00+00:00", tick=False):
        tick(_at("2026-12-02T09:00:00+00:00"))
    reminder = Reminder.objects.filter(user=partner_a).get()
    with time_machine.travel("2026-12-02T18:05:00+00:00", tick=False):
        send_reminder.call(reminder.pk)
        send_reminder.call(reminder.pk)
    assert len(mail.outbox) == 1


def test_people_who_turned_reminders_off_get_none(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    partner_a.reminders_enabled = False
    partner_a.save()
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [partner_b.email]


def test_practice_reminder_from_thursday_unless_they_practised(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    from twofold.program.models import PracticeLog

    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        plan = open_everything(couple)
        PracticeLog.objects.create(
            plan=plan,
            couple=couple,
            owner=partner_b,
            exercise_key=plan.stage.exercises[0].key,
            stage_index=0,
            practised_on=dt.date(2026, 12, 1),
            comfort=5,
            anxiety=5,
            closeness=5,
            pleasure=5,
        )
    _run("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="practice").exists()
    _run("2026-12-03T18:05:00+00:00", django_capture_on_commit_callbacks)
    practice = [m.to[0] for m in mail.outbox if "/program/" in m.body]
    assert practice == [partner_a.email]


def test_a_paused_program_sends_no_practice_reminders(
    couple, partner_a, django_capture_on_commit_callbacks
):
    from twofold.program import actions as program_actions

    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        plan = open_everything(couple)
        program_actions.pause(plan, acting_user=partner_a)
    _run("2026-12-03T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="practice").exists()


def test_an_adjustment_review_reminder_goes_to_each_partner_who_has_not_looked_back(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    from twofold.cycles import actions as cycle_actions

    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        cycle = cycle_actions.raise_concern(
            couple, "Evenings feel rushed.", "Slow down", acting_user=partner_a
        )
        cycle_actions.reflect(cycle, "Evenings feel rushed for you.", acting_user=partner_b)
        cycle_actions.confirm(cycle, acting_user=partner_a)
        cycle_actions.propose(
            cycle, "Phones away after nine", dt.date(2026, 12, 4), acting_user=partner_a
        )
        cycle_actions.agree(cycle, acting_user=partner_b)
        cycle.refresh_from_db()
        cycle_actions.rate(cycle, "helped", "", acting_user=partner_b)
    _run("2026-12-03T18:05:00+00:00", django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="review").exists()
    _run("2026-12-04T18:05:00+00:00", django_capture_on_commit_callbacks)
    reviews = [m for m in mail.outbox if f"/adjustments/{cycle.pk}/" in m.body]
    assert [m.to[0] for m in reviews] == [partner_a.email]


# Words that must never appear in a reminder (its link aside): what a reminder is about
# stays inside the app.
SENSITIVE_WORDS = (
    "sex",
    "intima",
    "therap",
    "rehabilit",
    "erecti",
    "arous",
    "libido",
    "orgasm",
    "genital",
    "pain",
    "surgery",
    "cancer",
    "prostat",
    "menopaus",
    "medic",
    "clinic",
    "check-in",
    "check in",
    "practi",
    "exercise",
    "boundar",
    "touch",
    "massage",
    "concern",
    "adjustment",
    "review",
    "journal",
    "goal",
)
# What the partners wrote; none of it may travel in an e-mail.
THEIR_WORDS = {
    "concern": "Since the operation I flinch when touched",
    "wish": "Go back to slow mornings in bed",
    "adjustment": "Ten minutes of holding each other before sleep",
    "reflection": "You flinch and it worries you",
    "talk_about": "The medication makes me tired at night",
    "appreciated": "You held my hand at the hospital",
    "log_note": "Felt anxious halfway, stopped and breathed",
    "journal": "I am scared the numbness will not go away",
    "goal": "Kiss goodnight without rushing",
}


def test_every_kind_of_reminder_is_sent_without_health_content_and_outside_quiet_hours(
    couple, partner_a, partner_b, django_capture_on_commit_callbacks
):
    from twofold.checkins.models import CheckIn
    from twofold.cycles import actions as cycle_actions
    from twofold.journal import actions as journal_actions
    from twofold.program import actions as program_actions
    from twofold.program.models import PracticeLog

    # Alex's quiet hours run from 17:00 to 09:30, over the reminder hour (18:00).
    partner_a.quiet_hours_start, partner_a.quiet_hours_end = dt.time(17, 0), dt.time(9, 30)
    partner_a.save()
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        checkin_actions.ensure_schedule(couple)
        plan = open_everything(couple)
        program_actions.save_boundaries(couple, {"oral-sex-giving": "no"}, acting_user=partner_b)
        # Last week's check-in and practice, with words of their own.
        CheckIn.objects.create(
            couple=couple,
            owner=partner_b,
            period_start=dt.date(2026, 11, 23),
            openness=2,
            sexual_comfort=1,
            mutual_support=3,
            stress=9,
            sleep_quality=2,
            mood=2,
            talk_about=THEIR_WORDS["talk_about"],
            appreciated=THEIR_WORDS["appreciated"],
        )
        PracticeLog.objects.create(
            plan=plan,
            couple=couple,
            owner=partner_a,
            exercise_key=plan.stage.exercises[0].key,
            stage_index=0,
            practised_on=dt.date(2026, 11, 25),
            comfort=2,
            anxiety=9,
            closeness=4,
            pleasure=1,
            note=THEIR_WORDS["log_note"],
            shared_with_partner=True,
        )
        journal_actions.create_entry(couple, body=THEIR_WORDS["journal"], acting_user=partner_a)
        program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_b)
        cycle = cycle_actions.raise_concern(
            couple, THEIR_WORDS["concern"], THEIR_WORDS["wish"], acting_user=partner_a
        )
        cycle_actions.reflect(cycle, THEIR_WORDS["reflection"], acting_user=partner_b)
        cycle_actions.confirm(cycle, acting_user=partner_a)
        cycle_actions.propose(
            cycle, THEIR_WORDS["adjustment"], dt.date(2026, 12, 3), acting_user=partner_a
        )
        cycle_actions.agree(cycle, acting_user=partner_b)

    # Thursday 18:05 in London: every kind is due. Sam gets them now; Alex is in quiet
    # hours and gets nothing, also later that night.
    _run("2026-12-03T18:05:00+00:00", django_capture_on_commit_callbacks)
    _run("2026-12-03T23:30:00+00:00", django_capture_on_commit_callbacks)
    _run("2026-12-04T09:00:00+00:00", django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mail.outbox} == {partner_b.email}
    # Friday 09:35: quiet hours are over, Alex's reminders go out.
    _run("2026-12-04T09:35:00+00:00", django_capture_on_commit_callbacks)

    # The gentle reminders (the news of what a partner did has its own tests).
    kinds = {"checkin", "practice", "review"}
    for person in (partner_a, partner_b):
        sent = Reminder.objects.filter(user=person, sent_at__isnull=False)
        assert {r.kind for r in sent} == kinds, person
        for reminder in sent:
            assert not person.in_quiet_hours(reminder.sent_at), (reminder.kind, reminder.sent_at)
        bodies = [m.body for m in mail.outbox if m.to == [person.email]]
        assert len(bodies) == len(kinds)
        for reminder in sent:
            assert sum(reminder.path in body for body in bodies) == 1, reminder.kind

    for message in mail.outbox:
        links = re.findall(r"https?://\S+", message.body)
        assert len(links) == 1
        text = (message.subject + "\n" + message.body.replace(links[0], "")).lower()
        for word in SENSITIVE_WORDS:
            assert word not in text, f"{word!r} in a reminder:\n{text}"
        for written in THEIR_WORDS.values():
            for piece in (written, *written.split()):
                if len(piece) > 4:
                    assert piece.lower() not in text, f"{piece!r} in a reminder:\n{text}"
        assert "oral" not in links[0] and str(couple.pk) not in links[0]
