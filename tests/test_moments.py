"""Moments of closeness, appreciation notes, and the gentle weekly summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from twofold.couples import actions as couple_actions
from twofold.journal import actions
from twofold.journal.models import Appreciation, Moment

# Sunday 15 June 2025, 23:30 in Los Angeles (UTC-7) is already Monday 06:30 in UTC.
SUNDAY_NIGHT_IN_LA = datetime(2025, 6, 16, 6, 30, tzinfo=UTC)
# Monday 16 June 2025, 09:00 in Los Angeles.
MONDAY_MORNING_IN_LA = datetime(2025, 6, 16, 16, 0, tzinfo=UTC)
# Thursday 12 June 2025, midday in London.
THURSDAY = datetime(2025, 6, 12, 11, 0, tzinfo=UTC)


def _summary(couple, user):
    template = Template("{% load journal_tags %}{% moments_summary couple user %}")
    return template.render(Context({"couple": couple, "user": user}))


# Moments.


def test_one_tap_logs_a_moment_that_both_partners_see(client_for, couple, partner_a, partner_b):
    page = client_for(partner_a).get(reverse("moments")).content.decode()
    assert f'action="{reverse("moment_add")}"' in page and 'name="kind" value="humour"' in page

    response = client_for(partner_a).post(reverse("moment_add"), {"kind": "humour"})
    assert response.status_code == 302 and response["Location"] == reverse("moments")
    moment = Moment.objects.get()
    assert (moment.kind, moment.owner, moment.note) == ("humour", partner_a, "")

    for person in (partner_a, partner_b):
        page = client_for(person).get(reverse("moments")).content.decode()
        assert "Shared humour" in page
    assert "noted by Alex" in client_for(partner_b).get(reverse("moments")).content.decode()


def test_a_moment_with_a_note_and_a_day(client_for, couple, partner_a, partner_b):
    with time_machine.travel(THURSDAY, tick=False):
        client_for(partner_b).post(
            reverse("moment_add"),
            {
                "kind": "support",
                "note": "You waited with me at the clinic.",
                "happened_on": "2025-06-10",
            },
        )
        moment = Moment.objects.get()
        assert moment.happened_on == date(2025, 6, 10) and moment.owner == partner_b
        page = client_for(partner_a).get(reverse("moments")).content.decode()
    assert "You waited with me at the clinic." in page


def test_the_care_team_sees_moments_while_both_share_with_them(
    client_for, couple, partner_a, partner_b, clinician
):
    actions.log_moment(couple, Moment.Kind.TOUCH, acting_user=partner_a)
    assert Moment.objects.visible_to(clinician).count() == 1
    couple_actions.withdraw_consent(couple, "care", acting_user=partner_b)
    assert Moment.objects.visible_to(clinician).count() == 0


def test_a_note_over_280_characters_is_refused_keeping_what_was_typed(
    client_for, couple, partner_a
):
    long_note = "a" * 281
    response = client_for(partner_a).post(
        reverse("moment_add"), {"kind": "time", "note": long_note}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert long_note in page
    assert "Please keep this to 280 characters or fewer — you have 281." in page
    assert not Moment.objects.exists()


def test_an_unknown_kind_or_a_future_day_is_refused(client_for, couple, partner_a):
    client = client_for(partner_a)
    assert client.post(reverse("moment_add"), {"kind": "dancing"}).status_code == 400
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert (
        client.post(reverse("moment_add"), {"kind": "time", "happened_on": tomorrow}).status_code
        == 400
    )
    assert not Moment.objects.exists()


def test_a_moment_note_is_encrypted_at_rest(couple, partner_a):
    actions.log_moment(
        couple, Moment.Kind.HUMOUR, note="Giggling-at-the-cat-3b7", acting_user=partner_a
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM journal_moment")
        (stored,) = cursor.fetchone()
    assert stored.startswith("tf1:") and "Giggling" not in stored


# Appreciation notes.


def test_an_appreciation_reaches_the_partner_and_is_marked_seen_when_opened(
    client_for, couple, partner_a, partner_b
):
    response = client_for(partner_a).post(
        reverse("appreciation_send"), {"text": "Thank you for the tea this morning."}
    )
    assert response.status_code == 302
    note = Appreciation.objects.get()
    assert note.recipient == partner_b and note.seen_at is None

    # The sender opening their page does not mark it seen.
    sender_page = client_for(partner_a).get(reverse("appreciations")).content.decode()
    assert "Thank you for the tea this morning." in sender_page and "To Sam" in sender_page
    note.refresh_from_db()
    assert note.seen_at is None

    first = client_for(partner_b).get(reverse("appreciations")).content.decode()
    assert "Thank you for the tea this morning." in first and "From Alex" in first
    assert ">New<" in first
    # Viewing writes nothing: the page then tells the server the notes were seen (htmx
    # on load, or the button without scripts).
    note.refresh_from_db()
    assert note.seen_at is None
    assert reverse("appreciations_seen") in first
    seen = client_for(partner_b).post(reverse("appreciations_seen"), headers={"HX-Request": "true"})
    assert seen.status_code == 200 and seen.content == b""
    note.refresh_from_db()
    assert note.seen_at is not None
    again = client_for(partner_b).get(reverse("appreciations")).content.decode()
    assert ">New<" not in again and reverse("appreciations_seen") not in again


def test_marking_notes_seen_without_scripts_goes_back_to_the_notes(
    client_for, couple, partner_a, partner_b
):
    client_for(partner_a).post(reverse("appreciation_send"), {"text": "Thank you."})
    response = client_for(partner_b).post(reverse("appreciations_seen"))
    assert response.status_code == 302 and response["Location"] == reverse("appreciations")
    assert not Appreciation.objects.filter(seen_at__isnull=True).exists()
    # The sender cannot mark their own note as seen for the recipient.
    client_for(partner_b).post(reverse("appreciation_send"), {"text": "And you."})
    client_for(partner_b).post(reverse("appreciations_seen"))
    assert Appreciation.objects.get(owner=partner_b).seen_at is None


def test_opening_received_notes_marks_them_seen_in_one_update(couple, partner_a, partner_b):
    for i in range(3):
        actions.send_appreciation(couple, f"Note {i}", acting_user=partner_a)
    actions.send_appreciation(couple, "One back", acting_user=partner_b)
    with CaptureQueriesContext(connection) as ctx:
        assert actions.mark_received_seen(couple, acting_user=partner_b) == 3
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    assert Appreciation.objects.filter(seen_at__isnull=True).count() == 1


def test_the_care_team_never_sees_appreciation_notes(couple, partner_a, clinician):
    actions.send_appreciation(couple, "You make me laugh.", acting_user=partner_a)
    assert not Appreciation.objects.visible_to(clinician).exists()


def test_an_empty_or_too_long_note_is_refused(client_for, couple, partner_a):
    client = client_for(partner_a)
    assert client.post(reverse("appreciation_send"), {"text": "  "}).status_code == 400
    response = client.post(reverse("appreciation_send"), {"text": "b" * 501})
    assert response.status_code == 400 and "b" * 501 in response.content.decode()
    assert not Appreciation.objects.exists()


def test_an_appreciation_note_is_encrypted_at_rest(couple, partner_a):
    actions.send_appreciation(couple, "Proud-of-you-every-day-44e", acting_user=partner_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journal_appreciation")
        (stored,) = cursor.fetchone()
    assert stored.startswith("tf1:") and "Proud" not in stored


# The weekly summary on the couple home.


@pytest.fixture
def in_los_angeles(partner_a):
    partner_a.time_zone = "America/Los_Angeles"
    partner_a.save(update_fields=["time_zone"])
    return partner_a


def test_the_summary_counts_this_weeks_moments_and_the_kinds_that_came_up_most(
    couple, partner_a, partner_b
):
    with time_machine.travel(THURSDAY, tick=False):
        actions.log_moment(couple, Moment.Kind.HUMOUR, acting_user=partner_a)
        actions.log_moment(couple, Moment.Kind.HUMOUR, acting_user=partner_b)
        actions.log_moment(couple, Moment.Kind.TOUCH, acting_user=partner_b)
        # Last Sunday belongs to last week.
        actions.log_moment(
            couple, Moment.Kind.TIME, happened_on=date(2025, 6, 8), acting_user=partner_a
        )
        # Monday is the first day of this week.
        actions.log_moment(
            couple, Moment.Kind.SUPPORT, happened_on=date(2025, 6, 9), acting_user=partner_a
        )
        html = _summary(couple, partner_a)
    assert "noted 4 moments of closeness, most often shared humour." in html
    assert reverse("moments") in html and reverse("appreciations") in html


def test_the_summary_tells_the_viewer_about_unseen_notes(couple, partner_a, partner_b):
    actions.send_appreciation(couple, "Thank you", acting_user=partner_b)
    actions.send_appreciation(couple, "And again", acting_user=partner_b)
    assert "Sam has left you 2 notes of appreciation." in _summary(couple, partner_a)
    assert "notes of appreciation." not in _summary(couple, partner_b).split("Write a note")[0]
    actions.mark_received_seen(couple, acting_user=partner_a)
    assert "has left you" not in _summary(couple, partner_a)


def test_with_nothing_yet_the_summary_invites_rather_than_scolds(couple, partner_a):
    html = _summary(couple, partner_a)
    assert "A new week, a fresh page." in html
    for unkind in ("haven't", "no moments", "missed", "0 moments"):
        assert unkind not in html.lower()


def test_the_summary_is_empty_until_the_couple_is_active(db):
    from tests.factories import UserFactory, make_couple

    solo = UserFactory()
    assert _summary(make_couple(solo), solo).strip() == ""


def test_a_sunday_night_moment_counts_in_the_week_it_happened_for_the_viewer(
    client_for, couple, in_los_angeles, partner_b
):
    with time_machine.travel(SUNDAY_NIGHT_IN_LA, tick=False):
        client_for(in_los_angeles).post(reverse("moment_add"), {"kind": "touch"})
        assert Moment.objects.get().happened_on == date(2025, 6, 15)  # Sunday, in LA
        # Still Sunday for the viewer: the moment is part of this week.
        assert "noted one moment of closeness: gentle touch." in _summary(couple, in_los_angeles)
        # Already Monday in London: a new week has begun for Sam.
        assert "A new week, a fresh page." in _summary(couple, partner_b)
    with time_machine.travel(MONDAY_MORNING_IN_LA, tick=False):
        assert "A new week, a fresh page." in _summary(couple, in_los_angeles)


def test_the_summary_costs_the_same_queries_however_many_moments(couple, partner_a, partner_b):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            _summary(couple, partner_a)
        return len(ctx.captured_queries)

    from twofold.couples.models import Couple

    couple = Couple.objects.with_status().get(pk=couple.pk)  # as the couple home loads it
    actions.log_moment(couple, Moment.Kind.HUMOUR, acting_user=partner_a)
    few = count()
    for kind in Moment.Kind.values * 4:
        actions.log_moment(couple, kind, acting_user=partner_b)
        actions.send_appreciation(couple, "Thanks", acting_user=partner_b)
    assert count() == few == 2


# Query counts of the list pages.


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_moments_page_does_not_grow_with_moments(client_for, couple, partner_a, partner_b):
    def grow(n):
        for i in range(n):
            actions.log_moment(couple, Moment.Kind.HUMOUR, note=f"Joke {i}", acting_user=partner_a)
            actions.log_moment(couple, Moment.Kind.SUPPORT, acting_user=partner_b)

    grow(2)
    few = _count(client_for(partner_b), reverse("moments"))
    grow(20)
    assert _count(client_for(partner_b), reverse("moments")) == few


def test_the_appreciation_page_does_not_grow_with_notes(client_for, couple, partner_a, partner_b):
    def grow(n):
        for i in range(n):
            actions.send_appreciation(couple, f"Thanks {i}", acting_user=partner_a)
            actions.send_appreciation(couple, f"Back at you {i}", acting_user=partner_b)

    grow(2)
    few = _count(client_for(partner_b), reverse("appreciations"))
    grow(15)
    assert _count(client_for(partner_b), reverse("appreciations")) == few
