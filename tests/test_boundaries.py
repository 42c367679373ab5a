"""Boundaries: private answers, only the overlap is ever shown, narrowing withdraws."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.program_helpers import answer_all, open_everything
from twofold.program import actions, boundaries, content
from twofold.program.models import Assignment, BoundaryAnswer

ANSWERS = ["yes", "maybe", "not_now", "no"]


def test_overlap_needs_both_partners_open():
    a, b = "a", "b"
    answers = {a: {"x": "yes", "y": "maybe", "z": "no"}, b: {"x": "maybe", "y": "not_now"}}
    assert boundaries.overlap_from_answers(answers, [a, b]) == frozenset({"x"})
    assert boundaries.overlap_from_answers(answers, [a]) == frozenset()


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from(ANSWERS)),
    st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from(ANSWERS)),
)
def test_overlap_is_symmetric_and_never_holds_a_closed_answer(first, second):
    overlap = boundaries.overlap_from_answers({1: first, 2: second}, [1, 2])
    assert overlap == boundaries.overlap_from_answers({1: first, 2: second}, [2, 1])
    for key in overlap:
        assert first[key] in ("yes", "maybe") and second[key] in ("yes", "maybe")


def test_narrowing_a_boundary_withdraws_an_assigned_exercise_at_once(
    client_for, couple, partner_a, partner_b, clinician
):
    plan = open_everything(couple)
    exercise = next(e for e in plan.stage.exercises if e.activities)
    client_for(clinician).post(
        f"/care/couples/{couple.pk}/program/assign/", {"exercise_key": exercise.key}
    )
    assert Assignment.objects.filter(withdrawn_at__isnull=True).count() == 1
    tag = sorted(exercise.activities)[0]
    data = dict.fromkeys(content.activities(), "yes")
    data[tag] = "not_now"
    client_for(partner_b).post("/boundaries/", data)
    assignment = Assignment.objects.get()
    assert assignment.withdrawn_at is not None and assignment.withdrawal == "boundary"
    page = client_for(partner_a).get("/program/").content.decode()
    assert "to stay within what feels right for both of you" in page
    assert "Sam" not in page.split("Set aside")[1].split("</section>")[0]


def test_the_care_team_cannot_assign_outside_the_overlap(client_for, couple, partner_b, clinician):
    plan = open_everything(couple)
    exercise = next(e for e in plan.stage.exercises if e.activities)
    answer_all(partner_b, couple, "no")
    response = client_for(clinician).post(
        f"/care/couples/{couple.pk}/program/assign/", {"exercise_key": exercise.key}, follow=True
    )
    assert "outside what both partners are open to" in response.content.decode()
    assert not Assignment.objects.exists()


def test_exercises_outside_the_overlap_are_never_suggested(
    client_for, couple, partner_a, partner_b
):
    plan = open_everything(couple)
    answer_all(partner_b, couple, "no")
    offered = actions.offered_exercises(plan, boundaries.overlap(couple))
    assert all(not e.activities for e in offered)
    page = client_for(partner_a).get("/program/").content.decode()
    for exercise in plan.stage.exercises:
        if exercise.activities:
            assert exercise.title not in page


def test_nobody_else_can_read_an_answer(personas, couple, partner_a):
    answer_all(partner_a, couple, "no")
    for name, user in personas.items():
        visible = BoundaryAnswer.objects.visible_to(user).count()
        assert visible == (len(content.activities()) if name == "partner_a" else 0), name


def test_an_invalid_answer_is_refused_and_nothing_changes(client_for, couple, partner_a):
    response = client_for(partner_a).post("/boundaries/", {"holding-hands": "definitely"})
    assert response.status_code == 400
    assert not BoundaryAnswer.objects.exists()


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


PAGES_SEEN_BY_THE_OTHER = [
    "/",
    "/program/",
    "/boundaries/",
    "/goals/",
    "/program/logs/",
    "/program/history/",
]


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    b_answers=st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=1),
    a_first=st.data(),
)
def test_the_other_partners_pages_depend_only_on_the_overlap(
    personas, couple, partner_a, partner_b, clinician, client_for, b_answers, a_first
):
    """Two different sets of Alex's answers that give the same overlap look identical to
    Sam and to the clinician, on every page they can open."""
    keys = list(content.activities())
    b = {k: a_first.draw(st.sampled_from(ANSWERS)) for k in keys}
    a1 = {k: a_first.draw(st.sampled_from(ANSWERS)) for k in keys}
    # A second answer set for Alex with the same overlap: swap closed answers around.
    swap = {"no": "not_now", "not_now": "no", "yes": "maybe", "maybe": "yes"}
    a2 = {k: swap[v] for k, v in a1.items()}
    actions.save_boundaries(partner_b, couple, b)
    actions.ensure_plan(couple)

    def snapshot(alex_answers):
        actions.save_boundaries(partner_a, couple, alex_answers)
        seen = [
            _normalised(client_for(partner_b).get(url).content.decode())
            for url in PAGES_SEEN_BY_THE_OTHER
        ]
        seen.append(
            _normalised(
                client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
            )
        )
        return seen

    assert boundaries.overlap_from_answers(
        {1: a1, 2: b}, [1, 2]
    ) == boundaries.overlap_from_answers({1: a2, 2: b}, [1, 2])
    assert snapshot(a1) == snapshot(a2)
