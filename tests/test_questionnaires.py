"""Each partner fills questionnaires privately: one question at a time or all on one page,
resumable, with validation that never loses an answer; the result in kind words; sharing
it (never the safety screen); the care team's page; reminders; and the partner's pages,
which never change with anything the other partner answered."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.outcomes_helpers import answer, draft, hark, values_for
from twofold.audit.models import AccessEvent
from twofold.couples.models import Consent
from twofold.lib.errors import ActionError
from twofold.outcomes import actions
from twofold.outcomes.instruments import instrument
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse, QuestionnaireResult
from twofold.reminders.models import Reminder
from twofold.reminders.planner import tick

MONDAY = "2026-11-30 10:00:00+00:00"
SUPPORT = "carry this alone"
SAFETY = "Thank you for telling us"


@pytest.fixture(autouse=True)
def _monday():
    # The couple fixture opens on this day, so the baseline questionnaires are due.
    with time_machine.travel(MONDAY, tick=False):
        yield


def _html(response: Any) -> str:
    return response.content.decode()


def _start(client: Any, key: str, mode: str = "one", slot: str = "baseline") -> str:
    response = client.post(f"/questionnaires/{key}/{slot}/", {"mode": mode})
    assert response.status_code == 302, response.status_code
    return response["Location"]


def _own(user: Any, key: str) -> QuestionnaireResponse:
    return QuestionnaireResponse.objects.get(owner=user, instrument_key=key)


# --- The list and the home page -------------------------------------------------------


def test_the_baseline_questionnaires_are_waiting_on_the_list_and_the_home_page(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    page = _html(client.get("/questionnaires/"))
    for key in ("csi-4", "phq-9", "gad-7", "pss-10", "hark"):
        assert instrument(key).title in page
        assert f"/questionnaires/{key}/baseline/" in page
    assert "5 short questionnaires are waiting for you" in _html(client.get("/"))


def test_a_questionnaire_answered_leaves_the_list_and_its_result_appears(
    couple: Any, partner_a: Any, client_for: Any
):
    result = answer(couple, partner_a, "csi-4")
    page = _html(client_for(partner_a).get("/questionnaires/"))
    assert "/questionnaires/csi-4/baseline/" not in page
    assert f"/questionnaires/results/{result.pk}/" in page
    assert "4 short questionnaires are waiting for you" in _html(client_for(partner_a).get("/"))


def test_late_questionnaires_are_marked_gently_and_missed_ones_are_not_asked_again(
    couple: Any, partner_a: Any, client_for: Any
):
    with time_machine.travel("2026-12-08 10:00:00+00:00", tick=False):
        client = client_for(partner_a)
        assert "a little late, and that" in _html(client.get("/questionnaires/"))
    with time_machine.travel("2026-12-28 10:00:00+00:00", tick=False):
        client = client_for(partner_a)
        page = _html(client.get("/questionnaires/"))
        assert "/questionnaires/phq-9/baseline/" not in page
        assert "/questionnaires/csi-4/week-4/" in page  # the next one, four weeks on
        assert client.get("/questionnaires/phq-9/baseline/").status_code == 404


def test_the_list_is_the_kind_explanation_until_the_couple_is_open(db: None, client_for: Any):
    from tests.factories import UserFactory, make_couple

    solo = UserFactory()
    make_couple(solo)
    page = _html(client_for(solo).get("/questionnaires/"))
    assert "begin when you have both joined" in page


# --- One question at a time -----------------------------------------------------------


def test_one_question_at_a_time_from_start_to_result(couple: Any, partner_a: Any, client_for: Any):
    client = client_for(partner_a)
    first = _start(client, "gad-7")
    response = _own(partner_a, "gad-7")
    assert first == f"/questionnaires/answers/{response.pk}/1/"
    definition = instrument("gad-7")
    for number, item in enumerate(definition.items, start=1):
        page = client.get(f"/questionnaires/answers/{response.pk}/{number}/")
        assert item.text in _html(page)
        done = client.post(
            f"/questionnaires/answers/{response.pk}/{number}/",
            {"go": "next", item.key: item.options[1].value},
        )
        assert done.status_code == 302
    assert done["Location"] == f"/questionnaires/answers/{response.pk}/check/"
    check = _html(client.get(done["Location"]))
    assert "Check your answers" in check
    sent = client.post(f"/questionnaires/answers/{response.pk}/send/")
    result = QuestionnaireResult.objects.get(owner=partner_a, instrument_key="gad-7")
    assert sent["Location"] == f"/questionnaires/results/{result.pk}/"
    assert result.total == 7 and result.band == "Mild"
    assert (result.instrument_version, result.scored_with) == (definition.version,) * 2
    assert result.instrument_sha256 == definition.sha256
    page = _html(client.get(sent["Location"]))
    assert "7 on a scale from 0 to 21" in page and "Mild" in page


def test_answers_are_sealed_at_rest(couple: Any, partner_a: Any):
    response = draft(couple, partner_a, "gad-7", values=values_for("gad-7"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers FROM outcomes_questionnaireresponse WHERE id = %s", [response.pk.hex]
        )
        stored = cursor.fetchone()
    if stored is None:  # PostgreSQL keeps the uuid as a uuid
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT answers FROM outcomes_questionnaireresponse WHERE id = %s",
                [str(response.pk)],
            )
            stored = cursor.fetchone()
    assert stored[0].startswith("tf1:")
    assert "not_at_all" not in stored[0] and '"0"' not in stored[0]


def test_next_without_an_answer_asks_kindly_and_keeps_what_was_answered(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    _start(client, "gad-7")
    response = _own(partner_a, "gad-7")
    first = instrument("gad-7").items[0]
    client.post(
        f"/questionnaires/answers/{response.pk}/1/",
        {"go": "next", first.key: first.options[2].value},
    )
    page = client.post(f"/questionnaires/answers/{response.pk}/2/", {"go": "next"})
    assert page.status_code == 400
    html = _html(page)
    second = instrument("gad-7").items[1]
    assert 'href="#item-' + second.key + '"' in html  # the error summary links to it
    assert f'aria-describedby="item-{second.key}-error"' in html
    assert "Skip this question" in html
    _own(partner_a, "gad-7").refresh_from_db()
    assert _own(partner_a, "gad-7").answer_values() == {first.key: first.options[2].value}


def test_an_answer_that_is_not_one_of_the_options_is_refused_and_changes_nothing(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    _start(client, "gad-7")
    response = _own(partner_a, "gad-7")
    key = instrument("gad-7").items[0].key
    page = client.post(f"/questionnaires/answers/{response.pk}/1/", {"go": "next", key: "99"})
    assert page.status_code == 400
    assert "Please choose one of the answers shown" in _html(page)
    assert _own(partner_a, "gad-7").answer_values() == {}


def test_back_keeps_the_answer_given_and_skip_leaves_a_question_out(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    _start(client, "gad-7")
    response = _own(partner_a, "gad-7")
    items = instrument("gad-7").items
    url = f"/questionnaires/answers/{response.pk}"
    client.post(f"{url}/1/", {"go": "next", items[0].key: items[0].options[1].value})
    back = client.post(f"{url}/2/", {"go": "back", items[1].key: items[1].options[3].value})
    assert back["Location"] == f"{url}/1/"
    assert "checked" in _html(client.get(f"{url}/1/"))
    skipped = client.post(f"{url}/2/", {"go": "skip", items[1].key: items[1].options[3].value})
    assert skipped["Location"] == f"{url}/3/"
    assert _own(partner_a, "gad-7").answer_values() == {items[0].key: items[0].options[1].value}


def test_a_draft_is_resumed_where_the_person_left_it(couple: Any, partner_a: Any, client_for: Any):
    client = client_for(partner_a)
    _start(client, "phq-9")
    response = _own(partner_a, "phq-9")
    items = instrument("phq-9").items
    url = f"/questionnaires/answers/{response.pk}"
    client.post(f"{url}/1/", {"go": "next", items[0].key: items[0].options[1].value})
    later = client.post(f"{url}/2/", {"go": "later", items[1].key: items[1].options[2].value})
    assert later["Location"] == "/questionnaires/"
    # Another day, another device: the list carries on from question 2.
    elsewhere = client_for(partner_a)
    page = _html(elsewhere.get("/questionnaires/"))
    assert "Carry on where you left off" in page
    assert f"{url}/2/" in page
    assert f'value="{items[1].options[2].value}" checked' in _html(elsewhere.get(f"{url}/2/"))
    # Starting again from the start page goes back to the same draft.
    assert _start(elsewhere, "phq-9") == f"{url}/2/"
    assert QuestionnaireResponse.objects.filter(owner=partner_a).count() == 1


def test_changing_an_answer_from_the_check_page_comes_back_to_it(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    response = draft(couple, partner_a, "gad-7", values=values_for("gad-7"))
    url = f"/questionnaires/answers/{response.pk}"
    assert f"{url}/3/?from=check" in _html(client.get(f"{url}/check/"))
    item = instrument("gad-7").items[2]
    page = _html(client.get(f"{url}/3/?from=check"))
    assert 'name="from" value="check"' in page
    back = client.post(
        f"{url}/3/", {"go": "next", "from": "check", item.key: item.options[3].value}
    )
    assert back["Location"] == f"{url}/check/"
    assert _own(partner_a, "gad-7").answer_values()[item.key] == item.options[3].value


# --- All on one page ------------------------------------------------------------------


def test_all_on_one_page_sends_straight_to_the_result(couple: Any, partner_a: Any, client_for: Any):
    client = client_for(partner_a)
    url = _start(client, "csi-4", mode="all")
    response = _own(partner_a, "csi-4")
    assert url == f"/questionnaires/answers/{response.pk}/"
    html = _html(client.get(url))
    assert html.count("<fieldset") == len(instrument("csi-4").items)
    assert html.count("<legend>") == len(instrument("csi-4").items)
    data = {"go": "send"} | values_for("csi-4", default=-1)
    sent = client.post(url, data)
    result = QuestionnaireResult.objects.get(owner=partner_a)
    assert sent["Location"] == f"/questionnaires/results/{result.pk}/"
    assert result.total == 21
    assert result.band == "No relationship distress"


def test_a_wrong_answer_on_the_one_page_form_keeps_every_other_answer(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    url = _start(client, "gad-7", mode="all")
    items = instrument("gad-7").items
    data = {"go": "send"} | values_for("gad-7", default=2) | {items[3].key: "nonsense"}
    page = client.post(url, data)
    assert page.status_code == 400
    html = _html(page)
    assert f'href="#item-{items[3].key}"' in html
    assert html.count(" checked") == len(items) - 1
    saved = _own(partner_a, "gad-7").answer_values()
    assert set(saved) == {item.key for item in items} - {items[3].key}
    assert not QuestionnaireResult.objects.exists()


def test_gaps_on_the_one_page_form_lead_to_the_check_page_which_says_why_no_score(
    couple: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    url = _start(client, "phq-9", mode="all")
    items = instrument("phq-9").items
    values = values_for("phq-9", default=1)
    del values[items[0].key], values[items[1].key]
    sent = client.post(url, {"go": "send"} | values)
    response = _own(partner_a, "phq-9")
    assert sent["Location"] == f"/questionnaires/answers/{response.pk}/check/"
    check = _html(client.get(sent["Location"]))
    assert "2 questions have no answer" in check
    assert "be a score this time" in check
    assert "at most 1 may be left out" in check
    result_url = client.post(f"/questionnaires/answers/{response.pk}/send/")["Location"]
    result = QuestionnaireResult.objects.get(owner=partner_a)
    assert result.total is None and result.withheld_code == "too_many_missing"
    page = _html(client.get(result_url))
    assert "no score this time" in page and "at most 1 may be left out" in page


def test_one_gap_the_rules_allow_is_prorated(couple: Any, partner_a: Any):
    values = values_for("phq-9", default=1)
    del values[instrument("phq-9").items[0].key]
    result = answer(couple, partner_a, "phq-9", values=values)
    assert (result.total, result.prorated, result.withheld_code) == (9, True, "")


def test_answers_once_sent_cannot_be_changed(couple: Any, partner_a: Any, client_for: Any):
    result = answer(couple, partner_a, "gad-7")
    response = _own(partner_a, "gad-7")
    with pytest.raises(ActionError):
        actions.save_answers(response.pk, {"nervous": "3"}, acting_user=partner_a)
    page = client_for(partner_a).get(f"/questionnaires/answers/{response.pk}/")
    assert page["Location"] == f"/questionnaires/results/{result.pk}/"


# --- The result, sharing it, and what the partner sees ----------------------------------


def test_sharing_a_result_shows_the_score_to_the_partner_never_the_answers(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    result = answer(couple, partner_a, "csi-4", values=values_for("csi-4", default=2))
    alex, sam = client_for(partner_a), client_for(partner_b)
    assert "Shared with you by Alex" in _html(sam.get("/questionnaires/"))
    assert (
        "Couples Satisfaction" not in _html(sam.get("/questionnaires/")).split("Shared with you")[1]
    )
    alex.post(f"/questionnaires/results/{result.pk}/share/", {"share": "yes"})
    shared = _html(sam.get("/questionnaires/")).split("Shared with you by Alex")[1]
    assert instrument("csi-4").title in shared and f"score {result.total:g}" in shared
    assert sam.get(f"/questionnaires/results/{result.pk}/").status_code == 404
    response = _own(partner_a, "csi-4")
    assert sam.get(f"/questionnaires/answers/{response.pk}/check/").status_code == 404
    alex.post(f"/questionnaires/results/{result.pk}/share/", {"share": "no"})
    after = _html(sam.get("/questionnaires/")).split("Shared with you")[1]
    assert instrument("csi-4").title not in after


def test_the_safety_screen_can_never_be_shared(couple: Any, partner_a: Any, client_for: Any):
    result = answer(couple, partner_a, "hark", values=hark(positive=False))
    page = _html(client_for(partner_a).get(f"/questionnaires/results/{result.pk}/"))
    assert "questionnaire_share" not in page and "/share/" not in page
    client_for(partner_a).post(f"/questionnaires/results/{result.pk}/share/", {"share": "yes"})
    with pytest.raises(ActionError):
        actions.set_result_sharing(result.pk, True, acting_user=partner_a)
    assert not QuestionnaireResult.objects.get(pk=result.pk).shared_with_partner
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireResult.objects.filter(pk=result.pk).update(shared_with_partner=True)


def test_a_positive_safety_screen_is_flagged_and_met_with_support_for_the_person_alone(
    couple: Any, partner_a: Any, client_for: Any
):
    result = answer(couple, partner_a, "hark", values=hark(positive=True))
    response = _own(partner_a, "hark")
    assert response.safety_positive and response.critical == ["afraid"]
    page = _html(client_for(partner_a).get(f"/questionnaires/results/{result.pk}/"))
    assert SAFETY in page and "kind-domestic_abuse" in page
    assert "Your care team can see them" in page


def test_a_negative_safety_screen_thanks_the_person_and_points_to_support(
    couple: Any, partner_a: Any, client_for: Any
):
    result = answer(couple, partner_a, "hark", values=hark(positive=False))
    assert not _own(partner_a, "hark").safety_positive
    page = _html(client_for(partner_a).get(f"/questionnaires/results/{result.pk}/"))
    assert SAFETY not in page and "Thank you for answering" in page and "/safety/" in page


def test_thoughts_of_self_harm_are_flagged_and_met_with_crisis_support(
    couple: Any, partner_a: Any, client_for: Any
):
    values = values_for(
        "phq-9", {"self_harm": instrument("phq-9").item("self_harm").options[1].value}
    )
    result = answer(couple, partner_a, "phq-9", values=values)
    assert _own(partner_a, "phq-9").critical == ["self_harm"]
    page = _html(client_for(partner_a).get(f"/questionnaires/results/{result.pk}/"))
    assert SUPPORT in page and "kind-mental_health_crisis" in page
    calm = answer(couple, partner_a, "gad-7")
    assert SUPPORT not in _html(client_for(partner_a).get(f"/questionnaires/results/{calm.pk}/"))


def _partner_pages(client: Any) -> str:
    pages = []
    for url in ("/", "/questionnaires/", "/questionnaires/hark/baseline/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    html = "\n".join(pages)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_the_partner_gets_the_same_bytes_whether_the_safety_screen_was_positive_or_not(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    sam = client_for(partner_b)
    seen = []
    for positive in (True, False):
        with transaction.atomic():
            answer(couple, partner_a, "hark", values=hark(positive=positive))
            seen.append(_partner_pages(sam))
            transaction.set_rollback(True)
    with transaction.atomic():
        seen.append(_partner_pages(sam))  # and as if Alex had not answered at all
        transaction.set_rollback(True)
    assert seen[0] == seen[1] == seen[2]


# --- The care team --------------------------------------------------------------------


def test_the_care_team_sees_both_partners_results_and_what_needs_following_up(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    answer(couple, partner_a, "hark", values=hark(positive=True))
    values = values_for("phq-9", {"self_harm": "several_days"})
    answer(couple, partner_b, "phq-9", values=values)
    page = _html(client_for(clinician).get(f"/care/couples/{couple.pk}/questionnaires/"))
    assert "Alex" in page and "Sam" in page
    assert "positive safety screen" in page
    assert "risk answer: follow up today" in page
    reads = AccessEvent.objects.filter(what="questionnaires", action="read")
    assert {e.subject_id for e in reads} == {partner_a.pk, partner_b.pk}


def test_the_care_team_no_longer_sees_a_partners_results_once_they_stop_sharing(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    answer(couple, partner_a, "hark", values=hark(positive=True))
    answer(couple, partner_b, "csi-4")
    Consent.objects.filter(couple=couple, user=partner_a, kind="care").update(
        withdrawn_at="2026-11-30T10:00:00+00:00"
    )
    page = _html(client_for(clinician).get(f"/care/couples/{couple.pk}/questionnaires/"))
    assert "positive safety screen" not in page and "Negative" not in page
    assert "CSI-4" in page
    reads = AccessEvent.objects.filter(what="questionnaires", action="read")
    assert {e.subject_id for e in reads} == {partner_b.pk}


def test_a_care_page_with_nothing_shared_still_shows_the_schedule(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    Consent.objects.filter(couple=couple, kind="care").update(
        withdrawn_at="2026-11-30T10:00:00+00:00"
    )
    page = _html(client_for(clinician).get(f"/care/couples/{couple.pk}/questionnaires/"))
    assert "No results shared with you yet." in page and "Save the schedule" in page


# --- Query counts ---------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _many_results(couple: Any, people: list[Any], n: int) -> None:
    for i in range(n):
        for person in people:
            QuestionnaireResult.objects.create(
                couple=couple,
                owner=person,
                instrument_key="csi-4",
                instrument_version="1",
                instrument_sha256="0" * 64,
                slot=f"week-{i + 100}",
                total=10,
                scored_with="1",
                shared_with_partner=True,
            )


def test_the_list_and_care_pages_cost_the_same_queries_however_many_results(
    couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    alex, care = client_for(partner_a), client_for(clinician)
    answer(couple, partner_a, "csi-4")
    answer(couple, partner_b, "csi-4")  # the care page records a read about each partner
    draft(couple, partner_a, "gad-7", values=values_for("gad-7"))
    alex.get("/questionnaires/")
    few = (
        _count(alex, "/questionnaires/"),
        _count(care, f"/care/couples/{couple.pk}/questionnaires/"),
    )
    _many_results(couple, [partner_a, partner_b], 12)
    many = (
        _count(alex, "/questionnaires/"),
        _count(care, f"/care/couples/{couple.pk}/questionnaires/"),
    )
    assert few == many
    # The gate's eight (session, user, seat, roles, the couple with its seats, consents
    # and invitations), the schedule, the person's own answers (none opened), their
    # results and the partner's shared ones, and the session's idle timer (three).
    assert few[0] == 15


def test_the_home_line_costs_two_queries(couple: Any, partner_a: Any, client_for: Any):
    from django.template import Context, Template

    from twofold.couples.models import Couple

    template = Template("{% load outcomes_tags %}{% questionnaires_due couple user %}")
    couple = Couple.objects.with_status().get(pk=couple.pk)  # as the home page has it
    with CaptureQueriesContext(connection) as ctx:
        template.render(Context({"couple": couple, "user": partner_a}))
    assert len(ctx.captured_queries) == 2


# --- Reminders ------------------------------------------------------------------------


def _tick(now: str, capture: Any) -> None:
    import datetime as dt

    with time_machine.travel(now, tick=False), capture(execute=True):
        tick(dt.datetime.fromisoformat(now))


def test_a_questionnaire_reminder_goes_out_once_per_slot_and_not_once_answered(
    couple: Any, partner_a: Any, partner_b: Any, django_capture_on_commit_callbacks: Any
):
    for key in ("csi-4", "phq-9", "gad-7", "pss-10", "hark"):
        answer(couple, partner_b, key)
    _tick("2026-12-01T18:05:00+00:00", django_capture_on_commit_callbacks)  # too early
    assert not Reminder.objects.filter(kind="questionnaire").exists()
    _tick("2026-12-02T18:05:00+00:00", django_capture_on_commit_callbacks)
    _tick("2026-12-03T18:05:00+00:00", django_capture_on_commit_callbacks)
    _tick("2026-12-05T18:05:00+00:00", django_capture_on_commit_callbacks)
    sent = [m for m in mail.outbox if "/questionnaires/" in m.body]
    assert [m.to[0] for m in sent] == [partner_a.email]
    assert Reminder.objects.get(kind="questionnaire").occasion == f"{couple.pk}:baseline"
    for word in ("questionnaire", "safety", "mood", "depress"):
        assert word not in (sent[0].subject + sent[0].body.replace("/questionnaires/", "/")).lower()


def test_a_reminder_planned_before_the_person_answered_is_set_aside(
    couple: Any, partner_a: Any, partner_b: Any, django_capture_on_commit_callbacks: Any
):
    from twofold.reminders import sources

    _tick("2026-12-02T09:00:00+00:00", django_capture_on_commit_callbacks)  # planned
    assert Reminder.objects.filter(kind="questionnaire").count() == 2
    occasion = f"{couple.pk}:baseline"
    for key in ("csi-4", "phq-9", "gad-7", "pss-10", "hark"):
        answer(couple, partner_a, key)
    import datetime as dt

    now = dt.datetime.fromisoformat("2026-12-02T18:05:00+00:00")
    assert not sources.questionnaire_holds(partner_a, occasion, now)
    assert sources.questionnaire_holds(partner_b, occasion, now)


# --- Deleting an account --------------------------------------------------------------


def test_a_partners_answers_and_results_go_with_their_account(
    couple: Any, partner_a: Any, partner_b: Any
):
    answer(couple, partner_a, "csi-4")
    draft(couple, partner_a, "hark", values=hark(positive=True))
    answer(couple, partner_b, "csi-4")
    partner_a.delete()
    assert set(QuestionnaireResponse.objects.values_list("owner_id", flat=True)) == {partner_b.pk}
    assert set(QuestionnaireResult.objects.values_list("owner_id", flat=True)) == {partner_b.pk}
    assert OutcomeSchedule.objects.filter(couple=couple).exists()
