"""The compact boundaries page: kinds fold away, and each answer is saved as it is chosen.

One row per activity with its four answers; htmx posts that row's value alone and gets
the row's "Saved" with the kind's count and the shared list (out of band). The page's
own form still saves everything at once without JavaScript.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.program_helpers import answer_all, open_everything
from tests.test_boundaries import PAGES_SEEN_BY_THE_OTHER, _normalised
from tests.test_get_never_writes import ALLOWED_TABLES, WriteRecorder
from twofold.accounts import actions as account_actions
from twofold.accounts import privacy_lock
from twofold.program import actions, boundaries, content
from twofold.program import views as program_views
from twofold.program.models import Assignment, BoundaryAnswer, ChangeNote

HX = {"HTTP_HX_REQUEST": "true"}


def _url(key: str) -> str:
    return reverse("boundary_answer", kwargs={"key": key})


def _answers(person) -> dict[str, str]:
    return dict(BoundaryAnswer.objects.filter(owner=person).values_list("activity_key", "answer"))


def _stored(person) -> list[tuple]:
    return sorted(
        BoundaryAnswer.objects.filter(owner=person).values_list(
            "activity_key", "answer", "updated_at"
        )
    )


def _group(key: str) -> str:
    return content.activities()[key].group


def _group_keys(group: str) -> list[str]:
    return [k for k, a in content.activities().items() if a.group == group]


def _details(page: str) -> list[tuple[str, bool, str]]:
    """(id, open, summary text) of each kind's <details>."""
    found = re.findall(
        r'<details class="boundary-group" id="([\w-]+)"( open)?>\s*<summary>(.*?)</summary>',
        page,
        re.S,
    )
    return [(i, bool(o), re.sub(r"<[^>]+>", "", s).strip()) for i, o, s in found]


# --- The page -----------------------------------------------------------------------


def test_each_kind_folds_away_and_says_how_many_are_answered_never_which(
    client_for, couple, partner_a
):
    groups = list(dict.fromkeys(a.group for a in content.activities().values()))
    done, started = groups[0], groups[1]
    answers = dict.fromkeys(_group_keys(done), "no")
    answers[_group_keys(started)[0]] = "yes"
    actions.save_boundaries(couple, answers, acting_user=partner_a)

    page = client_for(partner_a).get(reverse("boundaries")).content.decode()
    details = _details(page)
    assert [summary.split()[0] for _i, _o, summary in details] == [g.split()[0] for g in groups]
    by_name = dict(zip(groups, details, strict=True))
    total = len(_group_keys(done))
    # Everything answered: folded. Something waiting: open.
    assert by_name[done][1] is False
    assert by_name[done][2].endswith(f"{total} of {total} answered")
    assert by_name[started][1] is True
    assert by_name[started][2].endswith(f"1 of {len(_group_keys(started))} answered")
    assert all(is_open for name, (_i, is_open, _s) in by_name.items() if name != done)
    for _i, _o, summary in details:
        assert not re.search(r"\b(Yes|Maybe|Not now|No)\b", summary)
    # One row per activity, each a group of four choices posting only its own value.
    for key in content.activities():
        row = re.search(rf'<fieldset class="boundary-row" id="boundary-{key}"[^>]*>', page)
        assert row, key
        assert f'hx-post="{_url(key)}"' in row.group(0)
        assert f'hx-params="{key}"' in row.group(0)
        assert 'hx-trigger="change"' in row.group(0)
        assert f'id="boundary-status-{key}" role="status" aria-live="polite"' in page


def test_the_privacy_promise_sits_at_the_top_and_by_the_button(client_for, couple, partner_a):
    page = client_for(partner_a).get(reverse("boundaries")).content.decode()
    form = page.index('<form method="post" action="/boundaries/"')
    first_row = page.index('class="boundary-row"')
    button = page.index(">Save my answers</button>")
    top = page.index("Your answers are private: nobody, not your partner")
    near = page.index("Your partner never sees your answers, only what you are both open to.")
    assert top < form < first_row
    assert first_row < near < button and page.count('class="privacy-promise"') == 2
    # Said only where it is true: the script shows it once htmx is there.
    assert re.search(r"<p [^>]*data-saves-as-you-go hidden>", page)
    assert 'src="/static/twofold/boundaries.js"' in page


def test_a_kind_with_a_refused_answer_opens_to_show_it(client_for, couple, partner_a):
    answer_all(partner_a, couple, "yes")
    data = dict.fromkeys(content.activities(), "yes") | {"hugging": "definitely"}
    response = client_for(partner_a).post(reverse("boundaries"), data)
    assert response.status_code == 400
    page = response.content.decode()
    opened = {i for i, is_open, _s in _details(page) if is_open}
    hugging_group = program_views._group_ids()[_group("hugging")]
    assert opened == {hugging_group}
    assert "Please choose Yes, Maybe, Not now or No." in page
    assert 'aria-describedby="boundary-error-hugging"' in page
    assert set(_answers(partner_a).values()) == {"yes"}


# --- One answer at a time (htmx) -----------------------------------------------------


def test_one_answer_is_saved_alone_and_the_shared_list_comes_back_out_of_band(
    client_for, couple, partner_a, partner_b
):
    open_everything(couple)
    before = _stored(partner_a)
    sam = _stored(partner_b)
    response = client_for(partner_a).post(_url("hugging"), {"hugging": "not_now"}, **HX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("Saved")
    assert "<html" not in fragment and "<form" not in fragment
    # Exactly that activity changed; everything else is as it was.
    after = _stored(partner_a)
    changed = [row for row in after if row not in before]
    assert [(k, a) for k, a, _t in changed] == [("hugging", "not_now")]
    assert [r for r in after if r[0] != "hugging"] == [r for r in before if r[0] != "hugging"]
    assert _stored(partner_b) == sam
    # The kind's count and the shared list, swapped in out of band.
    group_id = program_views._group_ids()[_group("hugging")]
    total = len(_group_keys(_group("hugging")))
    oob_count = rf'<span class="boundary-count" id="{group_id}-count" hx-swap-oob="true">'
    count = re.search(oob_count + r"(.*?)</span>", fragment)
    assert count and count.group(1) == f"{total} of {total} answered"
    assert '<section id="overlap" aria-labelledby="overlap-heading" hx-swap-oob="true">' in (
        fragment
    )
    shared = re.findall(r"<li>(.*?)</li>", fragment)
    assert "Hugging" not in shared
    assert len(shared) == len(boundaries.shared_for(couple, partner_a))
    # Nothing of the other answers travels back.
    assert 'type="radio"' not in fragment

    client_for(partner_a).post(_url("hugging"), {"hugging": "maybe"}, **HX)
    assert _answers(partner_a)["hugging"] == "maybe"
    assert "hugging" in boundaries.overlap(couple)


def test_an_answer_that_is_not_one_of_the_four_changes_nothing(
    client_for, couple, partner_a, partner_b
):
    open_everything(couple)
    before = _stored(partner_a), _stored(partner_b)
    client = client_for(partner_a)
    for data in ({"hugging": "definitely"}, {"hugging": ""}, {}, {"holding-hands": "no"}):
        response = client.post(_url("hugging"), data, **HX)
        assert response.status_code == 400, data
        fragment = response.content.decode()
        assert "Please choose Yes, Maybe, Not now or No." in fragment
        assert "Saved" not in fragment and "hx-swap-oob" not in fragment
    assert client.post(_url("no-such-activity"), {"no-such-activity": "yes"}, **HX).status_code == (
        404
    )
    assert (_stored(partner_a), _stored(partner_b)) == before


def test_the_first_answer_to_an_unanswered_activity_counts_up(client_for, couple, partner_a):
    fragment = (
        client_for(partner_a).post(_url("hugging"), {"hugging": "yes"}, **HX).content.decode()
    )
    assert f"1 of {len(_group_keys(_group('hugging')))} answered" in fragment
    assert _answers(partner_a) == {"hugging": "yes"}


def test_one_answer_follows_the_same_rule_for_setting_exercises_aside(
    client_for, couple, partner_a, partner_b, clinician
):
    plan = open_everything(couple)
    exercise = next(e for e in plan.stage.exercises if e.physical_activities)
    Assignment.objects.create(
        plan=plan, couple=couple, exercise_key=exercise.key, assigned_by=clinician
    )
    key = sorted(exercise.physical_activities)[0]
    response = client_for(partner_b).post(_url(key), {key: "no"}, **HX)
    assert response.status_code == 200
    assert "Some exercises were set aside" in response.content.decode()
    assignment = Assignment.objects.get()
    assert assignment.withdrawn_at is not None and assignment.withdrawal == "boundary"


def test_an_answer_marks_the_private_note_about_the_finer_list_read(client_for, couple, partner_a):
    ChangeNote.objects.create(couple=couple, owner=partner_a, kind="finer_boundaries")
    client_for(partner_a).post(_url("hugging"), {"hugging": "yes"}, **HX)
    assert ChangeNote.objects.get().read_at is not None


def test_without_htmx_one_answer_lands_back_on_the_page(client_for, couple, partner_a):
    client = client_for(partner_a)
    response = client.post(_url("hugging"), {"hugging": "no"})
    assert response.status_code == 302 and response["Location"] == reverse("boundaries")
    assert _answers(partner_a) == {"hugging": "no"}
    refused = client.post(_url("hugging"), {"hugging": "definitely"})
    assert refused.status_code == 400
    assert "Please choose Yes, Maybe, Not now or No." in refused.content.decode()
    assert _answers(partner_a) == {"hugging": "no"}


def test_without_javascript_the_whole_form_still_saves_every_answer(client_for, couple, partner_a):
    data = dict.fromkeys(content.activities(), "maybe") | {"hugging": "no"}
    response = client_for(partner_a).post(reverse("boundaries"), data, follow=True)
    assert response.redirect_chain == [(reverse("boundaries"), 302)]
    assert "Saved. You can change these whenever you like." in response.content.decode()
    assert _answers(partner_a) == data
    page = response.content.decode()
    assert re.search(r'<input type="radio" name="hugging" value="no"[^>]*checked', page)
    # Every kind is answered now, so each is folded.
    assert not any(is_open for _i, is_open, _s in _details(page))


def test_the_answer_needs_the_csrf_token_htmx_sends_from_the_page(couple, partner_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner_a)
    page = client.get(reverse("boundaries")).content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    refused = client.post(_url("hugging"), {"hugging": "yes"}, **HX)
    assert refused.status_code == 403
    assert not BoundaryAnswer.objects.exists()
    saved = client.post(_url("hugging"), {"hugging": "yes"}, HTTP_X_CSRFTOKEN=token, **HX)
    assert saved.status_code == 200
    assert _answers(partner_a) == {"hugging": "yes"}


# --- Who may, and what others learn -------------------------------------------------


def test_only_the_partners_themselves_may_save_an_answer(personas, client_for, couple):
    for name, user in personas.items():
        if name in ("partner_a", "partner_b"):
            continue
        response = client_for(user).post(_url("hugging"), {"hugging": "yes"}, **HX)
        expected = 302 if user is None else 404
        assert response.status_code == expected, name
    assert not BoundaryAnswer.objects.exists()


def test_the_privacy_lock_guards_each_answer_too(client_for, couple, partner_a):
    assert program_views.boundary_answer.privacy_locked == privacy_lock.Locked.BOUNDARIES
    answer_all(partner_a, couple, "maybe")
    account_actions.set_privacy_lock(True, acting_user=partner_a, password=PASSWORD, ip="127.0.0.1")
    client = client_for(partner_a)
    before = _stored(partner_a)
    fragment = client.post(_url("hugging"), {"hugging": "no"}, **HX)
    assert fragment.headers.get("HX-Refresh") == "true" and fragment.content == b""
    plain = client.post(_url("hugging"), {"hugging": "no"})
    assert plain.status_code == 403
    assert "Maybe" not in plain.content.decode()
    assert _stored(partner_a) == before


def test_the_partners_pages_stay_the_same_whatever_one_answers_one_by_one(
    client_for, couple, partner_a, partner_b
):
    """Sam is closed to everything: Alex answering anything, one answer at a time, leaves
    every page Sam can open byte for byte the same."""
    answer_all(partner_b, couple, "no")
    answer_all(partner_a, couple, "no")
    actions.ensure_plan(couple)

    def seen() -> list[str]:
        return [
            _normalised(client_for(partner_b).get(url).content.decode())
            for url in PAGES_SEEN_BY_THE_OTHER
        ]

    before = seen()
    alex = client_for(partner_a)
    for n, key in enumerate(content.activities()):
        answer = ("yes", "maybe", "not_now", "no")[n % 4]
        assert alex.post(_url(key), {key: answer}, **HX).status_code == 200
    assert seen() == before


def test_a_get_never_saves_an_answer(client_for, couple, partner_a):
    client = client_for(partner_a)
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(_url("hugging") + "?hugging=yes", **HX)
        page = client.get(reverse("boundaries") + "?hugging=yes")
    assert response.status_code == 405 and page.status_code == 200
    assert [t for t in recorder.tables if t not in ALLOWED_TABLES] == []
    assert not BoundaryAnswer.objects.exists()


@pytest.mark.parametrize("answer", ["yes", "maybe", "not_now", "no"])
def test_each_of_the_four_answers_is_kept(client_for, couple, partner_a, answer):
    client_for(partner_a).post(_url("kissing-brief"), {"kissing-brief": answer}, **HX)
    page = client_for(partner_a).get(reverse("boundaries")).content.decode()
    assert re.search(
        rf'<input type="radio" name="kissing-brief" value="{answer}"[^>]*checked', page
    )
