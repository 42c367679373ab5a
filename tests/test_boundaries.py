"""Boundaries: private answers, only the overlap is ever shown, narrowing withdraws."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape
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
    exercise = next(e for e in plan.stage.exercises if e.physical_activities)
    client_for(clinician).post(
        f"/care/couples/{couple.pk}/program/assign/", {"exercise_key": exercise.key}
    )
    assert Assignment.objects.filter(withdrawn_at__isnull=True).count() == 1
    tag = sorted(exercise.physical_activities)[0]
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
    exercise = next(e for e in plan.stage.exercises if e.physical_activities)
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
    assert all(not e.physical_activities for e in offered)
    page = client_for(partner_a).get("/program/").content.decode()
    for exercise in plan.stage.exercises:
        if exercise.physical_activities:
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
OPEN, CLOSED = ("yes", "maybe"), ("no", "not_now", None)  # None: not answered yet
SAME_SIDE = {"yes": "maybe", "maybe": "yes", "no": "not_now", "not_now": None, None: "no"}


def _save(person, couple, answers):
    """Exactly these answers (a None leaves the activity unanswered)."""
    BoundaryAnswer.objects.filter(owner=person).delete()
    actions.save_boundaries(
        couple, {k: v for k, v in answers.items() if v is not None}, acting_user=person
    )


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def _overlap_on_the_boundaries_page(html: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", _section(html, "overlap-heading"))


def _overlap_on_the_care_page(html: str) -> str:
    return re.findall(r"<p>(.*?)</p>", _section(html, "overlap-heading"))[-1]


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_overlap_is_what_neither_declined_and_nobody_learns_the_others_no(
    personas, couple, partner_a, partner_b, clinician, client_for, data
):
    """Answers drawn on both sides of the open/closed line: the overlap shown is exactly
    the activities neither partner closed, and Alex changing a "no" to a "yes" where Sam
    is closed (or a "no" to a "not now" anywhere) leaves every page Sam and the
    clinician can open byte for byte the same."""
    keys = list(content.activities())
    answer = st.sampled_from([*OPEN, *CLOSED])
    b = {k: data.draw(answer, label=f"Sam: {k}") for k in keys}
    a1 = {k: data.draw(answer, label=f"Alex first: {k}") for k in keys}
    # Alex's second answers cross the line freely where Sam is closed, and stay on the
    # same side of it (but change) where Sam is open: the overlap stays the same.
    a2 = {
        k: data.draw(answer, label=f"Alex then: {k}") if b[k] in CLOSED else SAME_SIDE[a1[k]]
        for k in keys
    }
    expected = [
        activity.label
        for key, activity in content.activities().items()
        if a1[key] in OPEN and b[key] in OPEN
    ]
    _save(partner_b, couple, b)
    actions.ensure_plan(couple)

    def snapshot(alex_answers):
        _save(partner_a, couple, alex_answers)
        labels = [escape(label) for label in expected]
        for person in (partner_a, partner_b):
            page = client_for(person).get("/boundaries/").content.decode()
            assert _overlap_on_the_boundaries_page(page) == labels
        care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
        assert _overlap_on_the_care_page(care) == (", ".join(labels) or "Nothing yet.")
        seen = [
            _normalised(client_for(partner_b).get(url).content.decode())
            for url in PAGES_SEEN_BY_THE_OTHER
        ]
        return [*seen, _normalised(care)]

    assert snapshot(a1) == snapshot(a2)
