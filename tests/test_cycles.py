"""Adjustment cycles: raise a concern, be heard, try a small change, look back together."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.audit.models import AccessEvent
from twofold.couples.models import Consent, Couple
from twofold.cycles import actions
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.cycles.reminders import reviews_due
from twofold.lib.errors import ActionError

State = AdjustmentCycle.State
NOON_1_DEC = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
IN_TWO_WEEKS = "2025-12-12"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _step(client, cycle, action, **data):
    return client.post(f"/adjustments/{cycle.pk}/step/", {"action": action, **data})


def _raise(client, concern="I miss our evening walks.", wish="Walk after dinner"):
    response = client.post("/adjustments/new/", {"concern": concern, "wish": wish})
    assert response.status_code == 302, response.content
    return AdjustmentCycle.objects.order_by("-created_at").first()


def _fresh(cycle) -> AdjustmentCycle:
    return AdjustmentCycle.objects.get(pk=cycle.pk)


def _understood(couple, a, b) -> AdjustmentCycle:
    cycle = actions.raise_concern(
        couple, "I'd like more time together.", "Sunday mornings", acting_user=a
    )
    actions.reflect(cycle, "You'd like us to spend more time together.", acting_user=b)
    actions.confirm(cycle, acting_user=a)
    return _fresh(cycle)


def _trying(couple, a, b, review_on=None) -> AdjustmentCycle:
    cycle = _understood(couple, a, b)
    review_on = review_on or timezone.localdate() + timedelta(days=7)
    actions.propose(cycle, "Breakfast together on Sundays", review_on, acting_user=a)
    actions.agree(cycle, acting_user=b)
    return _fresh(cycle)


def _closed(
    couple, a, b, decision="keep", learned="Small rituals matter to us."
) -> AdjustmentCycle:
    cycle = _trying(couple, a, b)
    actions.rate(cycle, "helped", acting_user=a)
    actions.rate(cycle, "no_change", "It was nice, but hard to fit in.", acting_user=b)
    actions.decide(cycle, decision, learned, acting_user=b)
    return _fresh(cycle)


# --- The whole way through ------------------------------------------------------------


@time_machine.travel(NOON_1_DEC, tick=False)
def test_the_couple_works_through_a_whole_cycle_and_keeps_what_they_learned(
    client_for, couple, partner_a, partner_b
):
    alex, sam = client_for(partner_a), client_for(partner_b)

    cycle = _raise(alex)
    assert cycle.state == State.RAISED and cycle.raised_by == partner_a
    assert "Waiting for Sam to say back what they heard" in _page(alex.get("/adjustments/"))
    assert "Your turn: say back what you heard from Alex" in _page(sam.get("/adjustments/"))
    assert "I miss our evening walks." in _page(sam.get(f"/adjustments/{cycle.pk}/"))

    assert _step(sam, cycle, "reflect", reflection="You miss our walks.").status_code == 302
    assert _fresh(cycle).state == State.REFLECTED
    assert "Your turn: check Sam understood you" in _page(alex.get("/adjustments/"))

    assert _step(alex, cycle, "confirm").status_code == 302
    assert _fresh(cycle).state == State.UNDERSTOOD
    page = _page(sam.get(f"/adjustments/{cycle.pk}/"))
    assert "Alex felt understood" in page and 'value="propose"' in page

    response = _step(
        sam, cycle, "propose", adjustment="A short walk twice a week", review_on=IN_TWO_WEEKS
    )
    assert response.status_code == 302
    assert "Your turn: Sam suggested a small adjustment" in _page(alex.get("/adjustments/"))

    assert _step(alex, cycle, "agree").status_code == 302
    cycle = _fresh(cycle)
    assert cycle.state == State.TRYING and cycle.review_on == date(2025, 12, 12)
    assert "Trying until 12 Dec" in _page(sam.get("/adjustments/"))

    with time_machine.travel(datetime(2025, 12, 12, 12, 0, tzinfo=UTC), tick=False):
        # Signed in afresh: sessions don't last eleven days.
        alex, sam = client_for(partner_a), client_for(partner_b)
        assert "Time to look back together" in _page(alex.get("/adjustments/"))
        assert _step(alex, cycle, "rate", rating="helped", note="Lovely.").status_code == 302
        assert _fresh(cycle).state == State.REVIEWING
        assert _step(sam, cycle, "rate", rating="no_change").status_code == 302
        response = _step(sam, cycle, "decide", decision="keep", learned="Fresh air helps us talk.")
        assert response.status_code == 302

    cycle = _fresh(cycle)
    assert cycle.state == State.CLOSED and cycle.outcome_decision == "keep"
    assert cycle.closed_at is not None and cycle.awaiting is None
    history = _page(alex.get("/adjustments/"))
    assert "What we learned" in history and "Fresh air helps us talk." in history
    assert "fail" not in history.lower()
    detail = _page(alex.get(f"/adjustments/{cycle.pk}/"))
    assert "Alex: It helped" in detail and "Sam: No real change" in detail
    assert "Lovely." in detail and 'name="action"' not in detail


def test_whose_turn_it_is_and_whether_a_review_is_due(couple, partner_a, partner_b):
    cycle = actions.raise_concern(couple, "Something on my mind.", acting_user=partner_a)
    assert cycle.awaiting_user(couple) == partner_b
    actions.reflect(cycle, "I heard you.", acting_user=partner_b)
    assert _fresh(cycle).awaiting_user(couple) == partner_a
    actions.confirm(cycle, acting_user=partner_a)
    assert _fresh(cycle).awaiting_user(couple) is None  # either of you may suggest
    cycle = _fresh(cycle)
    actions.propose(cycle, "Try this", date(2030, 1, 10), acting_user=partner_a)
    actions.agree(cycle, acting_user=partner_b)
    cycle = _fresh(cycle)
    assert not cycle.review_due(date(2030, 1, 9))
    assert cycle.review_due(date(2030, 1, 10)) and cycle.review_due(date(2030, 2, 1))


def test_the_page_offers_only_what_the_viewer_can_do_now(client_for, couple, partner_a, partner_b):
    cycle = _raise(client_for(partner_a))
    mine = _page(client_for(partner_a).get(f"/adjustments/{cycle.pk}/"))
    theirs = _page(client_for(partner_b).get(f"/adjustments/{cycle.pk}/"))
    assert 'value="reflect"' not in mine and "Set it aside" in mine
    assert 'value="reflect"' in theirs and "Set it aside" not in theirs
    assert 'value="confirm"' not in theirs and 'value="propose"' not in theirs


# --- Loops -----------------------------------------------------------------------------


def test_the_raiser_can_clarify_and_the_partner_says_it_back_again(
    client_for, couple, partner_a, partner_b
):
    alex, sam = client_for(partner_a), client_for(partner_b)
    cycle = _raise(alex)
    _step(sam, cycle, "reflect", reflection="You want more walks.")
    assert (
        _step(alex, cycle, "clarify", clarification="It's the talking I miss.").status_code == 302
    )
    cycle = _fresh(cycle)
    assert cycle.state == State.RAISED and cycle.awaiting == partner_b
    assert "Your turn: say back what you heard from Alex" in _page(sam.get("/adjustments/"))
    assert "It's the talking I miss." in _page(sam.get(f"/adjustments/{cycle.pk}/"))

    _step(sam, cycle, "reflect", reflection="You miss talking while we walk.")
    cycle = _fresh(cycle)
    assert cycle.state == State.REFLECTED and cycle.reflection_rounds == 2
    assert "said back what they heard again" in _page(alex.get(f"/adjustments/{cycle.pk}/"))
    _step(alex, cycle, "confirm")
    assert _fresh(cycle).state == State.UNDERSTOOD


def test_suggesting_a_change_goes_back_and_forth_until_one_agrees(
    client_for, couple, partner_a, partner_b
):
    alex, sam = client_for(partner_a), client_for(partner_b)
    cycle = _understood(couple, partner_a, partner_b)
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    _step(alex, cycle, "propose", adjustment="Breakfast together daily", review_on=later)
    assert _fresh(cycle).awaiting == partner_b

    _step(sam, cycle, "suggest", adjustment="Breakfast together on Sundays", review_on=later)
    cycle = _fresh(cycle)
    assert cycle.state == State.UNDERSTOOD
    assert (cycle.proposed_by, cycle.awaiting) == (partner_b, partner_a)
    assert cycle.adjustment == "Breakfast together on Sundays"
    assert "Your turn: Sam suggested a small adjustment" in _page(alex.get("/adjustments/"))
    # The one who suggested waits; they can't agree with themselves.
    assert _step(sam, cycle, "agree").status_code == 400
    assert _fresh(cycle).state == State.UNDERSTOOD

    _step(alex, cycle, "suggest", adjustment="Sundays and Wednesdays", review_on=later)
    assert _fresh(cycle).awaiting == partner_b
    _step(sam, cycle, "agree")
    cycle = _fresh(cycle)
    assert cycle.state == State.TRYING and cycle.adjustment == "Sundays and Wednesdays"


# --- Looking back ---------------------------------------------------------------------------


def test_each_partner_rates_once_and_the_decision_waits_for_both(
    client_for, couple, partner_a, partner_b
):
    alex, sam = client_for(partner_a), client_for(partner_b)
    cycle = _trying(couple, partner_a, partner_b)
    assert _step(alex, cycle, "rate", rating="helped").status_code == 302
    again = _step(alex, cycle, "rate", rating="harder")
    assert again.status_code == 400
    assert "already shared how it went" in _page(again)
    assert list(OutcomeRating.objects.filter(cycle=cycle).values_list("rating", flat=True)) == [
        "helped"
    ]

    early = _step(alex, cycle, "decide", decision="keep", learned="Too soon to say.")
    assert early.status_code == 400 and "both said how it went" in _page(early)
    assert _fresh(cycle).state == State.REVIEWING and not _fresh(cycle).learned
    assert 'value="decide"' not in _page(alex.get(f"/adjustments/{cycle.pk}/"))

    _step(sam, cycle, "rate", rating="harder", note="It felt rushed.")
    assert OutcomeRating.objects.filter(cycle=cycle).count() == 2
    assert 'value="decide"' in _page(alex.get(f"/adjustments/{cycle.pk}/"))
    assert (
        _step(alex, cycle, "decide", decision="drop", learned="Mornings are busy.").status_code
        == 302
    )
    assert _fresh(cycle).state == State.CLOSED


def test_either_partner_may_start_looking_back_before_the_day(couple, partner_a, partner_b):
    cycle = _trying(
        couple, partner_a, partner_b, review_on=timezone.localdate() + timedelta(days=20)
    )
    assert not cycle.review_due(timezone.localdate())
    actions.rate(cycle, "helped", acting_user=partner_b)
    cycle = _fresh(cycle)
    assert cycle.state == State.REVIEWING and cycle.awaiting == partner_a
    assert cycle.review_due(timezone.localdate())


def test_choosing_to_change_offers_a_new_round_prefilled_with_the_adjustment(
    client_for, couple, partner_a, partner_b
):
    alex = client_for(partner_a)
    cycle = _closed(couple, partner_a, partner_b, decision="change", learned="Sundays are better.")
    detail = _page(alex.get(f"/adjustments/{cycle.pk}/"))
    assert f"/adjustments/new/?follows={cycle.pk}" in detail

    form = _page(alex.get(f"/adjustments/new/?follows={cycle.pk}"))
    assert "Breakfast together on Sundays</textarea>" in form

    response = alex.post(
        f"/adjustments/new/?follows={cycle.pk}",
        {"concern": "Breakfast was hard to fit in.", "wish": "Breakfast together on Sundays"},
    )
    assert response.status_code == 302
    new = AdjustmentCycle.objects.exclude(pk=cycle.pk).get()
    assert new.follows == cycle and new.wish == "Breakfast together on Sundays"
    assert new.state == State.RAISED and new.awaiting == partner_b


def test_a_new_round_cannot_follow_another_couples_cycle(client_for, couple, partner_a, clinic):
    other_a, other_b = UserFactory(), UserFactory()
    theirs = _closed(make_couple(other_a, other_b), other_a, other_b, decision="change")
    page = _page(client_for(partner_a).get(f"/adjustments/new/?follows={theirs.pk}"))
    assert "Breakfast together on Sundays" not in page


# --- Setting aside ------------------------------------------------------------------------


def test_only_the_partner_who_raised_it_can_set_it_aside(client_for, couple, partner_a, partner_b):
    cycle = _understood(couple, partner_a, partner_b)
    response = client_for(partner_b).post(f"/adjustments/{cycle.pk}/withdraw/", follow=True)
    assert "Only the partner who raised this can set it aside" in _page(response)
    assert _fresh(cycle).state == State.UNDERSTOOD and _fresh(cycle).withdrawn_at is None

    response = client_for(partner_a).post(f"/adjustments/{cycle.pk}/withdraw/", follow=True)
    assert "raise it again" in _page(response)
    cycle = _fresh(cycle)
    assert cycle.state == State.WITHDRAWN and cycle.withdrawn_at is not None
    history = _page(client_for(partner_b).get("/adjustments/"))
    assert "Set aside" in history and "fail" not in history.lower()
    # Nothing more happens to a set-aside concern.
    assert (
        _step(
            client_for(partner_b), cycle, "propose", adjustment="x", review_on="2099-01-01"
        ).status_code
        == 400
    )


def test_a_closed_cycle_can_no_longer_be_set_aside(couple, partner_a, partner_b):
    cycle = _closed(couple, partner_a, partner_b)
    with pytest.raises(ActionError):
        actions.withdraw(cycle, acting_user=partner_a)
    assert _fresh(cycle).state == State.CLOSED


# --- Kind refusals -------------------------------------------------------------------------


def test_the_wrong_person_gets_a_kind_answer_and_nothing_changes(
    client_for, couple, partner_a, partner_b
):
    cycle = _raise(client_for(partner_a))
    response = _step(client_for(partner_a), cycle, "reflect", reflection="Talking to myself")
    page = _page(response)
    assert response.status_code == 400
    assert "your partner's moment to say back what they heard" in page
    assert "Talking to myself" in page  # what was typed is shown back, not lost
    cycle = _fresh(cycle)
    assert cycle.state == State.RAISED and cycle.reflection == ""

    actions.reflect(cycle, "I heard you.", acting_user=partner_b)
    response = _step(client_for(partner_b), cycle, "confirm")
    assert response.status_code == 400
    assert "Only the partner who raised this can say whether they felt understood" in _page(
        response
    )
    assert _fresh(cycle).state == State.REFLECTED


def test_a_step_out_of_turn_gets_a_kind_answer_and_nothing_changes(
    client_for, couple, partner_a, partner_b
):
    cycle = _raise(client_for(partner_a))
    response = _step(
        client_for(partner_b), cycle, "propose", adjustment="Walk daily", review_on="2099-01-01"
    )
    assert response.status_code == 400
    assert "isn't at the point of choosing an adjustment" in _page(response)
    assert "Walk daily" in _page(response)
    assert _fresh(cycle).adjustment == "" and _fresh(cycle).state == State.RAISED
    unknown = _step(client_for(partner_b), cycle, "shout")
    assert unknown.status_code == 400
    with pytest.raises(ActionError):
        actions.rate(cycle, "helped", acting_user=partner_a)
    assert not OutcomeRating.objects.exists()


def test_empty_required_text_is_refused_and_what_was_typed_is_kept(
    client_for, couple, partner_a, partner_b
):
    alex = client_for(partner_a)
    response = alex.post("/adjustments/new/", {"concern": "   ", "wish": "Walk after dinner"})
    assert response.status_code == 400
    assert "Walk after dinner</textarea>" in _page(response)
    assert not AdjustmentCycle.objects.exists()

    cycle = _raise(alex)
    response = _step(client_for(partner_b), cycle, "reflect", reflection="")
    assert response.status_code == 400 and _fresh(cycle).state == State.RAISED

    cycle = _understood(couple, partner_a, partner_b)
    response = _step(alex, cycle, "propose", adjustment="Hold hands on the sofa", review_on="")
    assert response.status_code == 400
    assert "Hold hands on the sofa</textarea>" in _page(response)
    assert _fresh(cycle).proposed_by is None

    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = _step(alex, cycle, "propose", adjustment="Hold hands", review_on=past)
    assert response.status_code == 400 and _fresh(cycle).adjustment == ""

    cycle = _trying(couple, partner_a, partner_b)
    actions.rate(cycle, "helped", acting_user=partner_a)
    actions.rate(cycle, "helped", acting_user=partner_b)
    response = _step(alex, cycle, "decide", decision="keep", learned="")
    assert response.status_code == 400
    assert re.search(r'value="keep"[^>]*checked', response.content.decode())
    assert _fresh(cycle).state == State.REVIEWING


# --- Privacy ---------------------------------------------------------------------------


def _raw(model, field, pk) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def test_what_the_couple_writes_is_encrypted_at_rest(couple, partner_a, partner_b):
    cycle = _closed(couple, partner_a, partner_b)
    for field in ("concern", "wish", "reflection", "adjustment", "learned"):
        stored = _raw(AdjustmentCycle, field, cycle.pk)
        assert stored.startswith("tf1:"), field
        assert getattr(cycle, field) not in stored
    note = OutcomeRating.objects.exclude(note="").get()
    assert _raw(OutcomeRating, "note", note.pk).startswith("tf1:")


def test_another_clinics_clinician_and_the_clinic_admin_get_a_plain_404(
    client_for, couple, partner_a, partner_b, other_clinician, clinic_admin
):
    cycle = _trying(couple, partner_a, partner_b)
    missing = "00000000-0000-0000-0000-000000000000"
    for person in (other_clinician, clinic_admin):
        client = client_for(person)
        for url in (
            "/adjustments/",
            "/adjustments/new/",
            f"/adjustments/{cycle.pk}/",
            f"/adjustments/care/{couple.pk}/",
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(f"/adjustments/{cycle.pk}/withdraw/").status_code == 404
        assert (
            client.get(f"/adjustments/care/{couple.pk}/").content
            == client.get(f"/adjustments/care/{missing}/").content
        )
    assert _fresh(cycle).state == State.TRYING


def test_the_care_team_reads_cycles_only_on_their_page(
    client_for, couple, partner_a, partner_b, clinician
):
    cycle = _trying(couple, partner_a, partner_b)
    assert client_for(clinician).get(f"/adjustments/{cycle.pk}/").status_code == 404
    page = _page(client_for(clinician).get(f"/adjustments/care/{couple.pk}/"))
    assert "I'd like more time together." in page and "Breakfast together on Sundays" in page
    assert "They agreed on a small adjustment" in page and "You agreed" not in page
    assert AccessEvent.objects.filter(actor=clinician, couple=couple, what="cycles").exists()
    # The care team can't take part in the couple's conversation.
    assert _step(client_for(clinician), cycle, "rate", rating="helped").status_code == 404


def test_the_care_team_sees_nothing_once_one_partner_stops_sharing(
    client_for, couple, partner_a, partner_b, clinician
):
    _closed(couple, partner_a, partner_b, learned="Small rituals matter to us.")
    Consent.objects.filter(couple=couple, user=partner_b, kind="care").update(
        withdrawn_at=timezone.now()
    )
    response = client_for(clinician).get(f"/adjustments/care/{couple.pk}/")
    page = _page(response)
    assert response.status_code == 200
    assert "Small rituals matter to us." not in page
    assert "I'd like more time together." not in page
    assert "only while both partners share" in page
    assert not AdjustmentCycle.objects.visible_to(clinician).exists()
    assert not OutcomeRating.objects.visible_to(clinician).exists()


def test_cycles_open_once_both_have_joined_and_agreed(client_for, partner_a):
    solo = make_couple(partner_a)
    page = _page(client_for(partner_a).get("/adjustments/"))
    assert "opens when you have both joined" in page
    with pytest.raises(ActionError):
        actions.raise_concern(solo, "Something", acting_user=partner_a)


def test_while_things_are_on_hold_only_setting_aside_is_possible(
    client_for, couple, partner_a, partner_b
):
    cycle = _understood(couple, partner_a, partner_b)
    Consent.objects.filter(couple=couple, user=partner_b, kind="participation").update(
        withdrawn_at=timezone.now()
    )
    page = _page(client_for(partner_a).get(f"/adjustments/{cycle.pk}/"))
    assert "opens when you have both joined" in page and "I'd like more time" not in page
    response = _step(
        client_for(partner_a), cycle, "propose", adjustment="Walk", review_on="2099-01-01"
    )
    assert response.status_code == 400 and _fresh(cycle).proposed_by is None
    client_for(partner_a).post(f"/adjustments/{cycle.pk}/withdraw/")
    assert _fresh(cycle).state == State.WITHDRAWN


# --- Reminders -------------------------------------------------------------------------------


def test_reviews_due_lists_the_partners_who_have_not_looked_back_yet(couple, partner_a, partner_b):
    with time_machine.travel(NOON_1_DEC, tick=False):
        cycle = _trying(couple, partner_a, partner_b, review_on=date(2025, 12, 8))
        _trying(couple, partner_a, partner_b, review_on=date(2025, 12, 20))  # not yet
        _closed(couple, partner_a, partner_b)  # finished
        assert reviews_due(date(2025, 12, 7)) == []

    with time_machine.travel(datetime(2025, 12, 8, 9, 0, tzinfo=UTC), tick=False):
        due = reviews_due(timezone.localdate())
        assert [(c.pk, sorted(ids)) for c, ids in due] == [
            (cycle.pk, sorted([partner_a.pk, partner_b.pk]))
        ]
        actions.rate(cycle, "helped", acting_user=partner_a)
        assert [(c.pk, ids) for c, ids in reviews_due(timezone.localdate())] == [
            (cycle.pk, [partner_b.pk])
        ]
        actions.rate(cycle, "helped", acting_user=partner_b)
        assert reviews_due(timezone.localdate()) == []


def test_reviews_due_costs_the_same_however_many_cycles(couple, partner_a, partner_b):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            reviews_due(date(2099, 1, 1))
        return len(ctx.captured_queries)

    _trying(couple, partner_a, partner_b)
    few = count()
    for _ in range(4):
        _trying(couple, partner_a, partner_b)
    other_a, other_b = UserFactory(), UserFactory()
    other = make_couple(other_a, other_b)
    _trying(other, other_a, other_b)
    assert count() == few
    assert len(reviews_due(date(2099, 1, 1))) == 6


def test_reviews_due_leaves_out_couples_no_longer_both_taking_part(couple, partner_a, partner_b):
    _trying(couple, partner_a, partner_b)
    Consent.objects.filter(couple=couple, user=partner_b, kind="participation").update(
        withdrawn_at=timezone.now()
    )
    assert reviews_due(date(2099, 1, 1)) == []


# --- The couple home fragment ----------------------------------------------------------


def _render_open_cycles(couple, user) -> str:
    template = Template("{% load cycles_tags %}{% open_cycles couple user %}")
    return html.unescape(template.render(Context({"couple": couple, "user": user})))


def test_the_home_fragment_shows_whose_turn_it_is_or_a_gentle_invitation(
    couple, partner_a, partner_b
):
    home_couple = Couple.objects.with_status().get(pk=couple.pk)
    assert "raise it gently" in _render_open_cycles(home_couple, partner_a)
    actions.raise_concern(couple, "Something on my mind.", acting_user=partner_a)
    _trying(couple, partner_a, partner_b, review_on=date(2099, 12, 12))
    _closed(couple, partner_a, partner_b)
    fragment = _render_open_cycles(home_couple, partner_b)
    assert "Your turn: say back what you heard from Alex" in fragment
    assert "Trying until 12 Dec 2099" in fragment
    assert "Small rituals" not in fragment


def test_the_home_fragment_costs_the_same_however_many_cycles(couple, partner_a, partner_b):
    home_couple = Couple.objects.with_status().get(pk=couple.pk)
    home_couple.seats()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _render_open_cycles(home_couple, partner_a)
        return len(ctx.captured_queries)

    _trying(couple, partner_a, partner_b)
    few = count()
    for _ in range(5):
        _trying(couple, partner_a, partner_b)
        actions.raise_concern(couple, "Another thing.", acting_user=partner_b)
    assert count() == few == 1


# --- Query counts ----------------------------------------------------------------------------


def _grow(couple, a, b, n):
    for _ in range(n):
        actions.raise_concern(couple, "On my mind.", acting_user=a)
        _understood(couple, a, b)
        cycle = _trying(couple, a, b)
        actions.rate(cycle, "helped", "Good.", acting_user=a)
        _closed(couple, a, b)
        actions.withdraw(actions.raise_concern(couple, "Never mind.", acting_user=b), acting_user=b)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_cycles_list_does_not_grow_with_rows(client_for, couple, partner_a, partner_b):
    _grow(couple, partner_a, partner_b, 1)
    few = _count(client_for(partner_b), "/adjustments/")
    _grow(couple, partner_a, partner_b, 5)
    assert _count(client_for(partner_b), "/adjustments/") == few


def test_the_care_cycles_page_does_not_grow_with_rows(
    client_for, couple, partner_a, partner_b, clinician
):
    url = f"/adjustments/care/{couple.pk}/"
    _grow(couple, partner_a, partner_b, 1)
    few = _count(client_for(clinician), url)
    _grow(couple, partner_a, partner_b, 5)
    assert _count(client_for(clinician), url) == few
