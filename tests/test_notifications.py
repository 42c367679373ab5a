"""Partners kept in step: neutral news by e-mail, once, in each person's own hours.

The sources are in twofold/reminders/sources.py; the gentle reminders (check-in round,
practice, look-back day) have their own tests in test_reminders.py.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, make_couple
from tests.program_helpers import open_everything
from tests.test_reminders import SENSITIVE_WORDS, THEIR_WORDS
from twofold.accounts import reminder_kinds
from twofold.checkins import actions as checkin_actions
from twofold.couples import actions as couple_actions
from twofold.couples.models import Consent, Couple, Invitation
from twofold.cycles import actions as cycle_actions
from twofold.program import actions as program_actions
from twofold.reminders import planner, sources
from twofold.reminders.changes import changes_since
from twofold.reminders.models import Reminder
from twofold.reminders.planner import tick
from twofold.reminders.tasks import send_reminder

ANSWERS = {
    "openness": 2,
    "sexual_comfort": 1,
    "mutual_support": 3,
    "stress": 9,
    "sleep_quality": 7,
    "mood": 6,
    "appreciated": THEIR_WORDS["appreciated"],
    "talk_about": THEIR_WORDS["talk_about"],
    "private_items": [],
}
NEWS = "Something new is waiting for you in Twofold"
NUDGE = reverse("reminders_nudge")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _run(now: str, capture: Any) -> tuple[int, int]:
    with time_machine.travel(now, tick=False), capture(execute=True):
        return tick(_at(now))


def _to(kind_path: str) -> list[str]:
    """Who got an e-mail linking to a path starting with ``kind_path``."""
    return [m.to[0] for m in mail.outbox if re.search(rf"https?://[^/\s]+{kind_path}", m.body)]


def _checkin(couple: Any, user: Any, start: dt.date, when: str) -> None:
    with time_machine.travel(when, tick=False):
        checkin_actions.save_checkin(couple, start, dict(ANSWERS), acting_user=user)


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


@pytest.fixture
def schedule(couple: Any) -> Any:
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        return checkin_actions.ensure_schedule(couple)


# --- Your turn -----------------------------------------------------------------------


def test_your_turn_reaches_the_partner_who_has_not_checked_in_once(
    couple, schedule, partner_a, partner_b, capture
):
    _checkin(couple, partner_a, dt.date(2026, 11, 30), "2026-12-01 12:00:00+00:00")
    # Ten minutes to settle, in case Sam is checking in right now too.
    _run("2026-12-01T12:05:00+00:00", capture)
    assert _to("/check-in/") == []
    _run("2026-12-01T12:11:00+00:00", capture)
    assert _to("/check-in/") == [partner_b.email]
    for later in ("2026-12-01T12:30:00+00:00", "2026-12-01T17:00:00+00:00"):
        _run(later, capture)
    assert _to("/check-in/") == [partner_b.email]
    assert Reminder.objects.filter(kind="your_turn").count() == 1
    assert mail.outbox[0].subject == NEWS


def test_checking_in_close_together_tells_nobody_it_is_their_turn(
    couple, schedule, partner_a, partner_b, capture
):
    _checkin(couple, partner_a, dt.date(2026, 11, 30), "2026-12-01 12:00:00+00:00")
    _run("2026-12-01T12:01:00+00:00", capture)
    _checkin(couple, partner_b, dt.date(2026, 11, 30), "2026-12-01 12:04:00+00:00")
    for now in ("2026-12-01T12:05:00+00:00", "2026-12-01T12:20:00+00:00"):
        _run(now, capture)
    assert mail.outbox == []
    assert not Reminder.objects.filter(kind="your_turn", sent_at__isnull=False).exists()


# --- Your partner has joined ---------------------------------------------------------


@pytest.fixture
def jordan_and_riley(db):
    jordan = UserFactory(email="jordan@example.org", display_name="Jordan")
    riley = UserFactory(email="riley@example.org", display_name="Riley")
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        couple = couple_actions.start_couple(acting_user=jordan)
        couple_actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=jordan)
        _invitation, raw = Invitation.issue(
            email=riley.email, role=Invitation.Role.PARTNER, couple=couple, invited_by=jordan
        )
    return couple, jordan, riley, raw


def test_the_partner_who_was_there_first_hears_that_the_other_joined_and_agreed(
    jordan_and_riley, capture
):
    couple, jordan, riley, raw = jordan_and_riley
    with time_machine.travel("2026-12-01 19:00:00+00:00", tick=False):
        couple_actions.accept_invitation(raw, acting_user=riley)
    _run("2026-12-01T19:11:00+00:00", capture)
    assert [m.to for m in mail.outbox] == [[jordan.email]]
    with time_machine.travel("2026-12-01 19:30:00+00:00", tick=False):
        fresh = Couple.objects.get(pk=couple.pk)
        couple_actions.give_consent(fresh, Consent.Kind.PARTICIPATION, acting_user=riley)
    for now in ("2026-12-01T19:41:00+00:00", "2026-12-01T20:00:00+00:00", "2026-12-02T10:00Z"):
        _run(now, capture)
    assert [m.to for m in mail.outbox] == [[jordan.email], [jordan.email]]
    assert set(Reminder.objects.filter(kind="joined").values_list("kind", "occasion")) == {
        ("joined", f"joined:{couple.pk}"),
        ("joined", f"opened:{couple.pk}"),
    }


def test_joining_and_agreeing_at_once_sends_one_notice(jordan_and_riley, capture):
    couple, jordan, riley, raw = jordan_and_riley
    with time_machine.travel("2026-12-01 19:00:00+00:00", tick=False):
        couple_actions.accept_invitation(raw, acting_user=riley)
    _run("2026-12-01T19:01:00+00:00", capture)
    with time_machine.travel("2026-12-01 19:03:00+00:00", tick=False):
        fresh = Couple.objects.get(pk=couple.pk)
        couple_actions.give_consent(fresh, Consent.Kind.PARTICIPATION, acting_user=riley)
    for now in ("2026-12-01T19:11:00+00:00", "2026-12-01T19:20:00+00:00"):
        _run(now, capture)
    assert [m.to for m in mail.outbox] == [[jordan.email]]
    assert "/" in mail.outbox[0].body


# --- Waiting for your answer ---------------------------------------------------------


def test_a_proposed_goal_and_each_step_of_a_cycle_reach_the_partner_once(
    couple, partner_a, partner_b, capture
):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    # Seen by the scheduler's next tick, and sent ten minutes later.
    _run("2026-12-01T10:01:00+00:00", capture)
    assert mail.outbox == []
    _run("2026-12-01T10:11:00+00:00", capture)
    assert _to("/goals/") == [partner_b.email]

    with time_machine.travel("2026-12-01 11:00:00+00:00", tick=False):
        cycle = cycle_actions.raise_concern(
            couple, THEIR_WORDS["concern"], THEIR_WORDS["wish"], acting_user=partner_a
        )
    _run("2026-12-01T11:11:00+00:00", capture)
    with time_machine.travel("2026-12-01 12:00:00+00:00", tick=False):
        cycle_actions.reflect(cycle, THEIR_WORDS["reflection"], acting_user=partner_b)
    for now in ("2026-12-01T12:11:00+00:00", "2026-12-01T13:00:00+00:00", "2026-12-01T17:00Z"):
        _run(now, capture)
    assert _to(f"/adjustments/{cycle.pk}/") == [partner_b.email, partner_a.email]

    # Sam suggests other wording: now Alex's answer is awaited, once.
    with time_machine.travel("2026-12-01 14:00:00+00:00", tick=False):
        goal.refresh_from_db()
        program_actions.respond_to_goal(
            goal, "suggest", "Kiss goodnight slowly", acting_user=partner_b
        )
    for now in ("2026-12-01T14:01Z", "2026-12-01T14:11Z", "2026-12-01T15:00Z"):
        _run(now, capture)
    assert _to("/goals/") == [partner_b.email, partner_a.email]
    assert Reminder.objects.filter(kind="awaiting").count() == 4


def test_a_goal_answered_in_the_meantime_sends_nothing(couple, partner_a, partner_b, capture):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    _run("2026-12-01T10:01:00+00:00", capture)
    with time_machine.travel("2026-12-01 10:05:00+00:00", tick=False):
        goal.refresh_from_db()
        program_actions.respond_to_goal(goal, "accept", acting_user=partner_b)
    _run("2026-12-01T10:11:00+00:00", capture)
    assert mail.outbox == []
    assert Reminder.objects.get(kind="awaiting").skipped_at is not None


# --- A day to look back --------------------------------------------------------------


def test_a_shared_goals_look_back_day_reaches_both_partners_once(
    couple, partner_a, partner_b, capture
):
    with time_machine.travel("2026-11-20 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(
            couple, text=THEIR_WORDS["goal"], review_on=dt.date(2026, 12, 3), acting_user=partner_a
        )
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
        goal.refresh_from_db()
        program_actions.respond_to_goal(goal, "accept", acting_user=partner_b)
    _run("2026-12-02T18:05:00+00:00", capture)
    assert _to("/goals/") == []
    # On the day, at the reminder hour (18:00 in London).
    _run("2026-12-03T09:00:00+00:00", capture)
    assert _to("/goals/") == []
    _run("2026-12-03T18:05:00+00:00", capture)
    _run("2026-12-04T18:05:00+00:00", capture)
    assert sorted(_to("/goals/")) == [partner_a.email, partner_b.email]


# --- Quiet hours, time zones and the clocks changing --------------------------------


@pytest.mark.parametrize(
    ("zone", "event", "still_quiet", "over"),
    [
        # New York falls back on 1 November 2026: quiet hours end at 08:00 EST, 13:00 UTC
        # (it was 12:00 UTC the day before, in summer time).
        ("America/New_York", "2026-11-01 03:00Z", "2026-11-01T12:55Z", "2026-11-01T13:01Z"),
        # London springs forward on 29 March 2026: 08:00 BST is 07:00 UTC.
        ("Europe/London", "2026-03-29 00:30Z", "2026-03-29T06:55Z", "2026-03-29T07:01Z"),
    ],
)
def test_news_waits_until_quiet_hours_end_in_the_persons_own_zone_when_the_clocks_change(
    couple, partner_a, partner_b, capture, zone, event, still_quiet, over
):
    partner_b.time_zone = zone
    partner_b.save()
    with time_machine.travel(event, tick=False):
        goal = program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    _run(event.replace(" ", "T").replace("Z", ":00Z").replace(":00:00Z", ":01:00Z"), capture)
    _run(still_quiet, capture)
    assert _to("/goals/") == []
    _run(over, capture)
    assert _to("/goals/") == [partner_b.email]
    sent = Reminder.objects.get(kind="awaiting").sent_at
    assert sent is not None and not partner_b.in_quiet_hours(sent)


def test_partners_in_different_zones_each_hear_after_their_own_quiet_hours(
    couple, partner_a, partner_b, capture
):
    partner_b.time_zone = "America/New_York"
    partner_b.save()
    # Each proposes a goal at 03:00 UTC: 03:00 in London, 22:00 in New York.
    with time_machine.travel("2026-12-02 03:00:00+00:00", tick=False):
        for author in (partner_a, partner_b):
            goal = program_actions.create_goal(couple, text="A goal", acting_user=author)
            program_actions.propose_goal(couple, goal, acting_user=author)
    _run("2026-12-02T03:01:00+00:00", capture)
    _run("2026-12-02T07:55:00+00:00", capture)
    assert _to("/goals/") == []
    _run("2026-12-02T08:01:00+00:00", capture)  # 08:01 in London
    assert _to("/goals/") == [partner_a.email]
    _run("2026-12-02T12:55:00+00:00", capture)  # 07:55 in New York
    assert _to("/goals/") == [partner_a.email]
    _run("2026-12-02T13:01:00+00:00", capture)
    assert _to("/goals/") == [partner_a.email, partner_b.email]
    for reminder in Reminder.objects.filter(sent_at__isnull=False).select_related("user"):
        assert not reminder.user.in_quiet_hours(reminder.sent_at)


def test_a_task_that_runs_late_into_quiet_hours_waits_for_the_morning(
    couple, partner_a, partner_b, capture
):
    with time_machine.travel("2026-12-02 20:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text="A goal", acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
        planner.plan(_at("2026-12-02T20:15:00+00:00"))
        reminder = Reminder.objects.get(kind="awaiting")
        Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=_at("2026-12-02T20:15Z"))
    # The worker only gets to it at 22:00, in Sam's quiet hours.
    with time_machine.travel("2026-12-02 22:00:00+00:00", tick=False):
        assert send_reminder.call(reminder.pk) == "held for quiet hours"
    assert mail.outbox == []
    _run("2026-12-03T07:55:00+00:00", capture)
    assert _to("/goals/") == []
    _run("2026-12-03T08:01:00+00:00", capture)
    assert _to("/goals/") == [partner_b.email]


# --- Turning kinds off ---------------------------------------------------------------


def test_a_kind_turned_off_is_never_sent_and_the_others_still_are(
    couple, schedule, partner_a, partner_b, capture
):
    partner_b.reminders_off = ["awaiting"]
    partner_b.save()
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text="A goal", acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    _checkin(couple, partner_a, dt.date(2026, 11, 30), "2026-12-01 10:00:00+00:00")
    _run("2026-12-01T10:01:00+00:00", capture)
    _run("2026-12-01T10:11:00+00:00", capture)
    assert _to("/goals/") == []
    assert _to("/check-in/") == [partner_b.email]
    assert Reminder.objects.get(kind="awaiting").skipped_at is not None
    # Turning it on again later brings no old news.
    partner_b.reminders_off = []
    partner_b.save()
    _run("2026-12-01T11:00:00+00:00", capture)
    assert _to("/goals/") == []


def test_a_kind_turned_off_after_planning_is_not_sent(couple, partner_a, partner_b, capture):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text="A goal", acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    _run("2026-12-01T10:01:00+00:00", capture)
    partner_b.reminders_off = ["awaiting"]
    partner_b.save()
    _run("2026-12-01T10:11:00+00:00", capture)
    assert mail.outbox == []


def test_the_preferences_page_offers_each_kind_and_keeps_what_is_turned_off(client_for, partner_a):
    client = client_for(partner_a)
    page = client.get(reverse("preferences")).content.decode()
    for _key, label in reminder_kinds.choices():
        assert str(label).replace("'", "&#x27;") in page
    assert set(sources.REGISTRY) == reminder_kinds.keys()
    kept = sorted(reminder_kinds.keys() - {"nudge", "practice"})
    response = client.post(
        reverse("preferences"),
        {
            "display_name": "Alex",
            "time_zone": "Europe/London",
            "reminders_enabled": "on",
            "reminder_kinds": kept,
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:30",
        },
    )
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert partner_a.reminders_off == ["nudge", "practice"]
    assert (partner_a.quiet_hours_start, partner_a.quiet_hours_end) == (
        dt.time(22, 0),
        dt.time(7, 30),
    )
    assert not partner_a.wants_reminder("nudge") and partner_a.wants_reminder("joined")
    page = client.get(reverse("preferences")).content.decode()
    ticked = re.findall(
        r'<input type="checkbox" name="reminder_kinds" value="(\w+)"[^>]*checked', page
    )
    assert sorted(ticked) == kept


def test_a_new_user_is_quiet_from_nine_in_the_evening_until_eight(db):
    person = UserFactory()
    assert (person.quiet_hours_start, person.quiet_hours_end) == (dt.time(21), dt.time(8))
    assert person.reminders_off == [] and person.wants_reminder("joined")


# --- Nothing about health ------------------------------------------------------------


def test_news_and_nudges_say_nothing_about_health_or_what_anyone_wrote(
    client_for, couple, schedule, partner_a, partner_b, capture
):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        plan = open_everything(couple)
        goal = program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
        cycle_actions.raise_concern(
            couple, THEIR_WORDS["concern"], THEIR_WORDS["wish"], acting_user=partner_b
        )
        with capture(execute=True):
            client_for(partner_b).post(NUDGE)
    _checkin(couple, partner_b, dt.date(2026, 11, 30), "2026-12-01 10:00:00+00:00")
    _run("2026-12-01T10:01:00+00:00", capture)
    _run("2026-12-01T10:11:00+00:00", capture)

    titles = [str(exercise.title) for stage in plan.program.stages for exercise in stage.exercises]
    kinds = set(Reminder.objects.filter(sent_at__isnull=False).values_list("kind", flat=True))
    assert kinds == {"awaiting", "your_turn", "nudge"}
    # Sam: the goal. Alex: the nudge, their turn, and the step waiting in the cycle.
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        links = re.findall(r"https?://\S+", message.body)
        assert len(links) == 1
        text = (message.subject + "\n" + message.body.replace(links[0], "")).lower()
        assert not re.search(r"\d", text), f"a number in an e-mail:\n{text}"
        for word in SENSITIVE_WORDS:
            assert word not in text, f"{word!r} in an e-mail:\n{text}"
        for written in (*THEIR_WORDS.values(), goal.text):
            for piece in (written, *written.split()):
                if len(piece) > 4:
                    assert piece.lower() not in text, f"{piece!r} in an e-mail:\n{text}"
        for title in titles:
            assert title.lower() not in text, f"{title!r} in an e-mail:\n{text}"
        assert str(goal.pk) not in links[0]


def test_every_source_has_neutral_words(settings):
    for source in sources.REGISTRY.values():
        words = f"{source.subject}\n{source.line}".lower()
        for word in SENSITIVE_WORDS:
            assert word not in words, (source.kind, word)


# --- The task queue ------------------------------------------------------------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_news_and_nudges_wait_in_the_task_queue_until_a_worker_sends_them(
    database_queue, transactional_db, client_for
):
    from django_tasks_db.models import DBTaskResult

    a = UserFactory(email="alex@example.org", display_name="Alex")
    b = UserFactory(email="sam@example.org", display_name="Sam")
    with time_machine.travel("2026-11-30 09:00:00+00:00", tick=False):
        couple = make_couple(a, b)
    with time_machine.travel("2026-12-02 12:00:00+00:00", tick=False):
        response = client_for(a).post(NUDGE, {"next": "/check-in/"})
        assert response.status_code == 302
        assert mail.outbox == []  # nothing is sent inside the request
        assert DBTaskResult.objects.count() == 1
        goal = program_actions.create_goal(couple, text="A goal", acting_user=b)
        program_actions.propose_goal(couple, goal, acting_user=b)
    with time_machine.travel("2026-12-02 12:01:00+00:00", tick=False):
        tick(_at("2026-12-02T12:01:00+00:00"))
    with time_machine.travel("2026-12-02 12:11:00+00:00", tick=False):
        assert tick(_at("2026-12-02T12:11:00+00:00")) == (0, 1)  # the goal's notice
        assert mail.outbox == []
        assert DBTaskResult.objects.count() == 2
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == [a.email, b.email]


# --- Once, even with several schedulers and workers ----------------------------------


def test_two_schedulers_planning_the_same_event_make_one_reminder(
    couple, partner_a, monkeypatch, capture
):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        goal = program_actions.create_goal(couple, text="A goal", acting_user=partner_a)
        program_actions.propose_goal(couple, goal, acting_user=partner_a)
    # As if the other scheduler inserted the row between this one's look and its insert.
    monkeypatch.setattr(planner, "_already_planned", lambda source, dues: set())
    now, later = _at("2026-12-01T10:01:00+00:00"), _at("2026-12-01T10:11:00+00:00")
    with time_machine.travel(now, tick=False):
        assert planner.plan(now) == 1
        assert planner.plan(now) == 0
    with time_machine.travel(later, tick=False), capture(execute=True):
        assert planner.enqueue_due(later) == 1
        assert planner.enqueue_due(later) == 0
    assert Reminder.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_workers_sending_the_same_reminder_at_once_send_it_once(transactional_db):
    a = UserFactory(email="alex@example.org", display_name="Alex")
    b = UserFactory(email="sam@example.org", display_name="Sam")
    couple = make_couple(a, b)
    with time_machine.travel("2026-12-02 12:00:00+00:00", tick=False):
        reminder = Reminder.objects.create(
            user=b,
            kind="nudge",
            occasion=sources.nudge_key(couple, a, dt.date(2026, 12, 2)),
            path="/",
            due_at=_at("2026-12-02T12:00:00+00:00"),
        )
    results: list[str] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            with time_machine.travel("2026-12-02 12:01:00+00:00", tick=False):
                results.append(send_reminder.call(reminder.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already handled"] * 3 + ["sent"]
    assert len(mail.outbox) == 1


# --- The nudge -----------------------------------------------------------------------


def _nudges() -> list[str]:
    return [m.to[0] for m in mail.outbox if m.subject == "A gentle nudge from Twofold"]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _nudge(sender: Any, capture: Any, when: str) -> tuple[int, str, list[str]]:
    """Nudge as ``sender`` from a fresh sign-in, so only this answer's messages show."""
    with time_machine.travel(when, tick=False), capture(execute=True):
        client = Client()
        client.force_login(sender)
        response = client.post(NUDGE, {"next": "/check-in/"})
    return response.status_code, response["Location"], _messages(response)


def test_a_nudge_goes_once_a_day_and_the_sender_hears_when_they_already_sent_one(
    client_for, couple, partner_a, partner_b, capture
):
    status, location, said = _nudge(partner_a, capture, "2026-12-02 12:00:00+00:00")
    assert (status, location) == (302, "/check-in/")
    assert said == [
        "We've sent your partner a gentle nudge. It only says that something is waiting "
        "for them in Twofold."
    ]
    assert [m.to for m in mail.outbox] == [[partner_b.email]]
    assert mail.outbox[0].subject == "A gentle nudge from Twofold"
    _status, _location, said = _nudge(partner_a, capture, "2026-12-02 18:00:00+00:00")
    assert said == [
        "You've already sent your partner a nudge today. You can send another tomorrow."
    ]
    assert len(mail.outbox) == 1
    # Sam may nudge Alex the same day: each direction has its own.
    _nudge(partner_b, capture, "2026-12-02 18:00:00+00:00")
    _nudge(partner_a, capture, "2026-12-03 09:00:00+00:00")
    assert [m.to[0] for m in mail.outbox] == [partner_b.email, partner_a.email, partner_b.email]


def test_the_nudge_button_says_when_it_was_already_sent_today(
    client_for, couple, partner_a, capture
):
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template('{% include "reminders/_nudge.html" %}')

    def render() -> str:
        request = RequestFactory().get("/check-in/")
        request.user = partner_a
        return template.render(
            Context({"couple": couple, "user": partner_a, "request": request, "csrf_token": "x"})
        )

    with time_machine.travel("2026-12-02 12:00:00+00:00", tick=False):
        assert f'action="{NUDGE}"' in render()
        _nudge(partner_a, capture, "2026-12-02 12:00:00+00:00")
        shown = render()
    assert f'action="{NUDGE}"' not in shown
    assert "You've sent your partner a nudge today" in shown.replace("&#x27;", "'")


def test_a_nudge_to_a_partner_who_turned_nudges_off_looks_the_same_to_the_sender(
    client_for, couple, partner_a, partner_b, capture
):
    first = _nudge(partner_a, capture, "2026-12-02 12:00:00+00:00")
    again = _nudge(partner_a, capture, "2026-12-02 12:30:00+00:00")
    assert _nudges() == [partner_b.email]
    for turned_off in ({"reminders_off": ["nudge"]}, {"reminders_enabled": False}):
        mail.outbox = []
        for field, value in turned_off.items():
            setattr(partner_b, field, value)
        partner_b.save()
        day = "2026-12-04" if "reminders_off" in turned_off else "2026-12-05"
        assert _nudge(partner_a, capture, f"{day} 12:00:00+00:00") == first
        assert _nudge(partner_a, capture, f"{day} 12:30:00+00:00") == again
        _run(f"{day}T13:00:00+00:00", capture)
        assert _nudges() == []
        partner_b.reminders_off, partner_b.reminders_enabled = [], True


def test_a_nudge_in_the_partners_quiet_hours_arrives_when_they_end(
    client_for, couple, partner_a, partner_b, capture
):
    partner_b.time_zone = "Asia/Tokyo"
    partner_b.save()
    # 14:00 in London is 23:00 in Tokyo.
    _nudge(partner_a, capture, "2026-12-02 14:00:00+00:00")
    _run("2026-12-02T22:55:00+00:00", capture)  # 07:55 in Tokyo
    assert _nudges() == []
    _run("2026-12-02T23:01:00+00:00", capture)
    assert _nudges() == [partner_b.email]


def test_a_nudge_from_someone_outside_the_couple_is_not_found(
    client_for, couple, clinician, other_clinician, clinic_admin, partner_a
):
    for outsider in (clinician, other_clinician, clinic_admin, UserFactory()):
        assert client_for(outsider).post(NUDGE).status_code == 404
    assert not Reminder.objects.exists()


def test_a_nudge_is_sent_by_post_only(client_for, couple, partner_a):
    assert client_for(partner_a).get(NUDGE).status_code == 405
    assert not Reminder.objects.exists()


def test_a_nudge_before_the_couple_is_open_explains_and_sends_nothing(client_for, partner_a):
    make_couple(partner_a)
    response = client_for(partner_a).post(NUDGE)
    assert response.status_code == 400
    assert "gentle nudge" in response.content.decode()
    assert not Reminder.objects.exists()


def test_a_nudge_goes_back_only_to_a_page_of_this_site(client_for, couple, partner_a):
    response = client_for(partner_a).post(NUDGE, {"next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- What changed since a given time -------------------------------------------------


def test_what_changed_lists_what_the_partner_did_and_nothing_private(
    partner_a, partner_b, clinic, clinician, django_assert_num_queries
):
    from twofold.journal import actions as journal_actions
    from twofold.journal.models import Sharing

    with time_machine.travel("2026-11-30 10:00:00+00:00", tick=False):
        couple = make_couple(partner_a, partner_b, clinic=clinic, clinician=clinician)
        plan = open_everything(couple)
    since = _at("2026-12-01T00:00:00+00:00")
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        journal_actions.create_entry(
            couple, body=THEIR_WORDS["journal"], sharing=Sharing.ONLY_ME, acting_user=partner_b
        )
        journal_actions.create_entry(
            couple, body="We walked by the river.", sharing=Sharing.BOTH, acting_user=partner_b
        )
        journal_actions.send_appreciation(couple, "Thank you", acting_user=partner_b)
        program_actions.set_ready(plan, True, acting_user=partner_b)
        program_actions.pause(plan, acting_user=partner_b)
        goal = program_actions.create_goal(couple, text=THEIR_WORDS["goal"], acting_user=partner_b)
        program_actions.propose_goal(couple, goal, acting_user=partner_b)
        cycle_actions.raise_concern(couple, THEIR_WORDS["concern"], acting_user=partner_b)
        # Alex's own doings are not news to Alex.
        journal_actions.create_entry(
            couple, body="Mine", sharing=Sharing.BOTH, acting_user=partner_a
        )
        journal_actions.log_moment(couple, "humour", acting_user=partner_a)
    _checkin(couple, partner_b, dt.date(2026, 11, 30), "2026-12-01 11:00:00+00:00")

    couple.refresh_from_db()
    with django_assert_num_queries(10):
        changes = changes_since(partner_a, couple, since)
    kinds = sorted(change.kind for change in changes)
    assert kinds == [
        "adjustment",
        "appreciation",
        "checked_in",
        "goal",
        "journal",
        "program",
    ]
    said = " ".join(change.text for change in changes)
    assert "Sam checked in" in said and "paused" in said
    assert "Sam paused" not in said and "ready" not in said.lower()
    for written in THEIR_WORDS.values():
        assert written not in said
    assert [c.for_you for c in changes if c.kind in ("goal", "adjustment")] == [True, True]

    assert changes_since(partner_a, couple, _at("2026-12-02T00:00:00+00:00")) == []
    assert changes_since(clinician, couple, since) == []
    assert {c.kind for c in changes_since(partner_b, couple, since)} == {"journal", "moment"}
