"""Boundaries: private answers, only the overlap is ever shown, narrowing withdraws."""

from __future__ import annotations

import copy
import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.program_helpers import answer_all, open_everything
from twofold.program import actions, activity_keys, boundaries, content
from twofold.program.models import Assignment, BoundaryAnswer, ChangeNote, Plan, ProgramVersion

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


def _other(key):
    """The other direction of a giving or receiving item; any other item is itself."""
    activity = content.activities()[key]
    if not activity.pair:
        return key
    other = "receiving" if activity.direction == "giving" else "giving"
    return f"{activity.pair}-{other}"


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
    """Answers drawn on both sides of the open/closed line: the shared list each partner
    reads is exactly what neither closed (for giving and receiving: the giver open to
    giving, the receiver to receiving), and Alex changing a "no" to a "yes" where Sam
    is closed (or a "no" to a "not now" anywhere) leaves every page Sam and the
    clinician can open byte for byte the same."""
    activities = content.activities()
    keys = list(activities)
    answer = st.sampled_from([*OPEN, *CLOSED])
    b = {k: data.draw(answer, label=f"Sam: {k}") for k in keys}
    a1 = {k: data.draw(answer, label=f"Alex first: {k}") for k in keys}
    # Alex's second answers cross the line freely where Sam is closed (to the item and,
    # for giving or receiving, to its other direction), and stay on the same side of it
    # (but change) elsewhere: everything Sam or the clinician can see stays the same.
    a2 = {
        k: data.draw(answer, label=f"Alex then: {k}")
        if b[k] in CLOSED and b[_other(k)] in CLOSED
        else SAME_SIDE[a1[k]]
        for k in keys
    }

    def shared_list(mine, theirs):
        return [
            escape(a.label)
            for key, a in activities.items()
            if mine[key] in OPEN and theirs[_other(key)] in OPEN
        ]

    def care_lines(alex, sam):
        """The care team's words: items both are open to; for a pair, each direction
        agreed (the giver open to giving, the receiver to receiving), by name."""
        lines = []
        for key, a in activities.items():
            if not a.pair:
                if alex[key] in OPEN and sam[key] in OPEN:
                    lines.append(escape(a.label))
                continue
            if a.direction != "giving":
                continue
            receiving = _other(key)
            ways = [
                way
                for way, giver, receiver in (("Alex to Sam", alex, sam), ("Sam to Alex", sam, alex))
                if giver[key] in OPEN and receiver[receiving] in OPEN
            ]
            if ways:
                lines.append(f"{escape(a.pair_label)} ({', '.join(ways)})")
        return "; ".join(lines) or "Nothing yet."

    _save(partner_b, couple, b)
    actions.ensure_plan(couple)

    def snapshot(alex_answers):
        _save(partner_a, couple, alex_answers)
        for person, mine, theirs in ((partner_a, alex_answers, b), (partner_b, b, alex_answers)):
            page = client_for(person).get("/boundaries/").content.decode()
            assert _overlap_on_the_boundaries_page(page) == shared_list(mine, theirs)
        care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
        assert _overlap_on_the_care_page(care) == care_lines(alex_answers, b)
        seen = [
            _normalised(client_for(partner_b).get(url).content.decode())
            for url in PAGES_SEEN_BY_THE_OTHER
        ]
        return [*seen, _normalised(care)]

    assert snapshot(a1) == snapshot(a2)


# --- Giving and receiving: the shared list each partner reads --------------------------


def test_the_shared_list_reads_giving_and_receiving_from_each_side():
    activities = content.activities()
    alex, sam = "alex", "sam"
    answers = {
        alex: {"chest-touch-giving": "yes", "hugging": "yes", "genital-touch-giving": "yes"},
        sam: {"chest-touch-receiving": "maybe", "hugging": "yes", "genital-touch-giving": "yes"},
    }
    seats = [alex, sam]
    # Alex may touch Sam's chest; nobody is open to Sam touching Alex's chest.
    assert boundaries.shared_from_answers(answers, seats, alex, activities) == {
        "chest-touch-giving",
        "hugging",
    }
    assert boundaries.shared_from_answers(answers, seats, sam, activities) == {
        "chest-touch-receiving",
        "hugging",
    }
    # Both open to giving genital touch, neither to receiving it: nothing shared there,
    # and the plain overlap (which gates exercises) holds giving but never receiving,
    # so no turn-taking exercise (which needs both) can fit.
    plain = boundaries.overlap_from_answers(answers, seats)
    assert "genital-touch-giving" in plain and "genital-touch-receiving" not in plain
    assert boundaries.shared_from_answers(answers, [alex], alex, activities) == frozenset()


# --- Old answers carried over to the finer list (ops migration 0002) -------------------

MIGRATION = importlib.import_module(
    "twofold.ops.migrations.0002_finer_boundaries_keep_answers_conservatively"
)
OLD_EDITION = Path(__file__).parent / "data" / "default-program-2026-11.1.json"
OLD_KEYS = [
    "talking-closeness", "talking-sex", "sitting-close", "holding-hands", "hugging",
    "kissing-cheek", "kissing-lips", "sleeping-same-bed", "cuddling-clothed",
    "hand-arm-massage", "foot-massage", "back-massage-clothed", "face-hair-touch",
    "lying-together-undressed", "massage-less-clothing", "bathing-together", "chest-touch",
    "kissing-body", "genital-touch", "lubricant", "self-touch-with-partner", "sex-toys",
    "oral-sex", "penetrative-sex",
]  # fmt: skip


def _old_answers(person, couple, answer="yes", keys=OLD_KEYS):
    for key in keys:
        BoundaryAnswer.objects.create(couple=couple, owner=person, activity_key=key, answer=answer)


def _mine(person):
    return dict(BoundaryAnswer.objects.filter(owner=person).values_list("activity_key", "answer"))


def _migrate():
    MIGRATION.forwards(django_apps, None)


def test_the_frozen_mapping_in_the_migration_is_the_mapping_in_code():
    assert MIGRATION.RENAMED == activity_keys.RENAMED
    assert MIGRATION.SPLIT == activity_keys.SPLIT
    talking = {k for k, a in content.activities().items() if not a.physical}
    assert talking == MIGRATION.NOT_PHYSICAL
    every_new_key = {k for ks in activity_keys.SPLIT.values() for k in ks}
    assert every_new_key | set(activity_keys.RENAMED.values()) <= set(content.activities())
    assert set(OLD_KEYS) - set(activity_keys.RENAMED) - set(activity_keys.SPLIT) <= set(
        content.activities()
    )


def test_renamed_answers_are_kept_and_split_ones_start_unanswered(couple, partner_a, partner_b):
    _old_answers(partner_a, couple, "yes")
    _old_answers(partner_b, couple, "maybe")
    BoundaryAnswer.objects.filter(owner=partner_b, activity_key="foot-massage").update(answer="no")
    _migrate()
    alex, sam = _mine(partner_a), _mine(partner_b)
    for old, new in activity_keys.RENAMED.items():
        assert alex[new] == "yes" and old not in alex
    assert sam["foot-touch"] == "no" and sam["hand-arm-touch"] == "maybe"
    for old, parts in activity_keys.SPLIT.items():
        assert old not in alex and old not in sam
        for part in parts:
            assert part not in alex and part not in sam  # unanswered
    assert alex["sex-toys"] == "yes" and sam["sex-toys"] == "maybe"
    assert alex["holding-hands"] == "yes"
    # New items start unanswered too.
    assert "seen-undressed" not in alex and "medical-aids" not in alex
    # Unanswered counts as closed: no split part is in the overlap.
    shared = boundaries.overlap(couple)
    assert not shared & {k for parts in activity_keys.SPLIT.values() for k in parts}
    assert {"hand-arm-touch", "body-touch-less-clothing", "sex-toys"} <= shared
    assert "foot-touch" not in shared
    assert set(shared) <= set(content.activities())


def test_a_newer_answer_under_a_new_key_wins_over_the_old_one(couple, partner_a):
    _old_answers(partner_a, couple, "yes", ["foot-massage"])
    BoundaryAnswer.objects.create(
        couple=couple, owner=partner_a, activity_key="foot-touch", answer="not_now"
    )
    _migrate()
    assert _mine(partner_a) == {"foot-touch": "not_now"}


def _old_plan(couple):
    data = json.loads(OLD_EDITION.read_text(encoding="utf-8"))
    version = ProgramVersion.objects.create(
        key="default", version=data["version"], title=data["title"], sha256="old", data=data
    )
    plan = actions.ensure_plan(couple)
    plan.program_version = version
    plan.save(update_fields=["program_version"])
    return Plan.objects.get(pk=plan.pk)


def test_a_plan_on_the_old_edition_still_loads_and_needs_every_part_of_a_split_item(couple):
    plan = _old_plan(couple)
    program = plan.program
    assert program.version == "2026-11.1"
    chest = program.exercise("including-the-chest")
    assert chest.activities == {
        "body-touch-less-clothing",
        "chest-touch-giving",
        "chest-touch-receiving",
        "talking-closeness",
    }
    penetration = program.exercise("penetration-by-choice")
    parts = set(activity_keys.SPLIT["penetrative-sex"])
    assert parts <= penetration.physical_activities
    everything = frozenset(content.activities())
    assert penetration.fits(everything)
    assert not penetration.fits(everything - {"penetration-anal"})
    assert not chest.fits(everything - {"chest-touch-receiving"})
    # An activity that has left the list keeps counting as physical: never inside.
    data = json.loads(OLD_EDITION.read_text(encoding="utf-8"))
    data["stages"][1]["exercises"][0]["activities"] = ["hugging", "skydiving"]
    retired = content.program_from_snapshot(data).stages[1].exercises[0]
    assert not retired.fits(everything)


def test_suggestions_that_leave_the_overlap_through_the_mapping_are_set_aside(
    couple, partner_a, partner_b, clinician
):
    _old_answers(partner_a, couple, "yes")
    _old_answers(partner_b, couple, "yes")
    plan = _old_plan(couple)
    kept = Assignment.objects.create(
        plan=plan, couple=couple, exercise_key="hands-and-arms", assigned_by=clinician
    )
    chest = Assignment.objects.create(
        plan=plan, couple=couple, exercise_key="including-the-chest", assigned_by=clinician
    )
    _migrate()
    kept.refresh_from_db()
    chest.refresh_from_db()
    assert kept.withdrawn_at is None
    assert chest.withdrawn_at is not None and chest.withdrawal == "boundary"
    # The live rule agrees with what the migration did.
    assert actions.withdraw_outside_overlap(couple) == 0


def test_only_the_people_whose_answers_were_mapped_get_the_note(couple, partner_a, partner_b):
    _old_answers(partner_a, couple, "yes", ["holding-hands", "kissing-lips"])
    _old_answers(partner_b, couple, "yes", ["holding-hands"])  # nothing of Sam's changed
    _migrate()
    notes = ChangeNote.objects.filter(kind=ChangeNote.Kind.FINER_BOUNDARIES)
    assert list(notes.values_list("owner_id", flat=True)) == [partner_a.pk]


NOTE_HEADING = "The list has finer items now"


def test_the_private_note_shows_only_to_its_owner_and_goes_once_they_save(
    personas, couple, partner_a, partner_b, client_for
):
    answer_all(partner_a, couple, "yes")
    answer_all(partner_b, couple, "maybe")
    actions.ensure_plan(couple)
    without = [
        _normalised(client_for(partner_b).get(url).content.decode())
        for url in PAGES_SEEN_BY_THE_OTHER
    ]
    assert NOTE_HEADING not in client_for(partner_a).get("/boundaries/").content.decode()
    ChangeNote.objects.create(couple=couple, owner=partner_a, kind="finer_boundaries")
    alex_page = client_for(partner_a).get("/boundaries/").content.decode()
    assert NOTE_HEADING in alex_page and "Only you see this note" in alex_page
    with_note = [
        _normalised(client_for(partner_b).get(url).content.decode())
        for url in PAGES_SEEN_BY_THE_OTHER
    ]
    assert with_note == without
    for name, user in personas.items():
        assert ChangeNote.objects.visible_to(user).exists() == (name == "partner_a"), name
    # Sam saving does not clear Alex's note; Alex saving does.
    client_for(partner_b).post("/boundaries/", dict.fromkeys(content.activities(), "maybe"))
    assert NOTE_HEADING in client_for(partner_a).get("/boundaries/").content.decode()
    client_for(partner_a).post("/boundaries/", dict.fromkeys(content.activities(), "yes"))
    assert NOTE_HEADING not in client_for(partner_a).get("/boundaries/").content.decode()
    assert ChangeNote.objects.get().read_at is not None


def test_the_page_says_the_shared_list_is_no_promise_and_a_gap_is_an_answer(
    client_for, couple, partner_a
):
    page = client_for(partner_a).get("/boundaries/").content.decode()
    assert "never a promise" in page
    assert "still say no on the day" in page
    assert "take that as an answer, not a question to ask" in page
    # Every radio is inside a label, every group of radios has a legend.
    assert page.count('type="radio"') == 4 * len(content.activities())
    assert len(re.findall(r"<label><input type=\"radio\"", page)) == 4 * len(content.activities())
    assert page.count('class="boundary-row"') == len(content.activities())


# --- Gating: only physical activities hide an exercise ---------------------------------


def _not_physical(program):
    return [e for s in program.stages for e in s.exercises if not e.physical_activities]


def test_education_talking_and_solo_exercises_are_never_hidden_by_a_boundary(
    client_for, couple, partner_a, partner_b
):
    plan = open_everything(couple)
    answer_all(partner_b, couple, "no")
    exercises = _not_physical(plan.program)
    first_stage = plan.program.stages[0].exercises
    # The first stage has both kinds: one with no activity, one only about talking.
    assert any(not e.activities for e in first_stage)
    assert any(e.activities and not e.physical_activities for e in first_stage)
    for exercise in exercises:
        assert exercise.fits(frozenset()), exercise.key
    offered = {e.key for e in actions.offered_exercises(plan, boundaries.overlap(couple))}
    assert {e.key for e in first_stage if not e.physical_activities} <= offered
    program_page = client_for(partner_a).get("/program/").content.decode()
    for exercise in first_stage:
        if not exercise.physical_activities:
            assert escape(exercise.title) in program_page, exercise.key
    # Every such exercise of a stage reached opens, whatever the boundaries.
    plan.stage_index = len(plan.program.stages) - 1
    plan.save(update_fields=["stage_index"])
    for exercise in exercises:
        response = client_for(partner_a).get(f"/program/exercises/{exercise.key}/")
        assert response.status_code == 200, exercise.key


def test_a_talking_only_or_empty_exercise_fits_an_empty_overlap(tmp_path):
    data = copy.deepcopy(content.programs()["default"].raw)
    data["stages"][0]["exercises"][0]["activities"] = ["talking-sex", "talking-closeness"]
    data["stages"][0]["exercises"][1]["activities"] = []
    path = tmp_path / "p.json"
    program = content.parse_program(data, path, content.activities())
    for exercise in program.stages[0].exercises[:2]:
        assert exercise.physical_activities == frozenset()
        assert exercise.fits(frozenset())


GENITAL = "including-the-genitals"


def _at_stage_of(plan, key):
    plan.stage_index = plan.program.stage_of(key)
    plan.save(update_fields=["stage_index"])


def test_optional_activities_never_gate_and_the_page_names_the_agreed_ones(
    client_for, couple, partner_a, partner_b
):
    plan = open_everything(couple)
    _at_stage_of(plan, GENITAL)
    exercise = plan.program.exercise(GENITAL)
    chest = {"chest-touch-giving", "chest-touch-receiving"}
    assert exercise.optional_activities == chest
    assert not chest & exercise.activities
    closed = dict.fromkeys(content.activities(), "yes") | dict.fromkeys(chest, "no")
    actions.save_boundaries(couple, closed, acting_user=partner_b)
    assert not chest & boundaries.overlap(couple)
    assert exercise.fits(boundaries.overlap(couple))
    assert GENITAL in {e.key for e in actions.offered_exercises(plan, boundaries.overlap(couple))}
    page = client_for(partner_a).get(f"/program/exercises/{GENITAL}/").content.decode()
    assert "none of them are on your shared list" in page
    assert "Touching your partner&#x27;s chest" not in page
    # Alex open to touching Sam's chest, Sam open to receiving it, not the other way.
    actions.save_boundaries(
        couple, closed | {"chest-touch-receiving": "yes"}, acting_user=partner_b
    )
    actions.save_boundaries(
        couple,
        dict.fromkeys(content.activities(), "yes") | {"chest-touch-receiving": "no"},
        acting_user=partner_a,
    )
    alex = client_for(partner_a).get(f"/program/exercises/{GENITAL}/").content.decode()
    sam = client_for(partner_b).get(f"/program/exercises/{GENITAL}/").content.decode()
    optional = _section(alex, "optional-heading")
    assert "Touching your partner&#x27;s chest" in optional
    assert "Your partner touching your chest" not in optional
    optional = _section(sam, "optional-heading")
    assert "Your partner touching your chest" in optional
    assert "Touching your partner&#x27;s chest" not in optional


def test_an_exercise_without_optional_parts_says_nothing_about_them(client_for, couple, partner_a):
    plan = open_everything(couple)
    key = plan.program.stages[0].exercises[0].key
    page = client_for(partner_a).get(f"/program/exercises/{key}/").content.decode()
    assert "optional-heading" not in page
