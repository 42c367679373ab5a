"""The boundaries list has finer items: carry earlier answers over, conservatively.

The mapping is a frozen copy of ``twofold/program/activity_keys.py`` as it was when the
list changed (a migration must not import code that may change later):

* a renamed item is the same activity: its answer is kept under the new key;
* a split item (a kiss on the lips; chest touch, genital touch and oral sex, which now
  have giving and receiving; penetration, now three kinds) starts unanswered: the old
  answer row is deleted. Unanswered counts as closed, so a split item leaves the
  couple's overlap until both partners answer its parts;
* every other answer (``sex-toys`` among them) is untouched; new items start unanswered.

Each person who had an answer on a renamed or split item gets a private note on their
own boundaries page (``ChangeNote``, seen by that person alone).

Assignments that left the overlap because of this are set aside here, at once, exactly
as a boundary change sets them aside (withdrawn "to stay within what feels right for
both of you"): waiting for the next save would leave a suggested exercise standing that
both partners are no longer known to be open to. An exercise is checked against the
program snapshot its plan holds, with old keys read as today's (a split key needs all
its parts) and only physical activities gating it, as ``Exercise.fits`` does.

Reversing renames kept answers back and leaves the rest (the split answers are gone;
a set-aside suggestion stays set aside).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RENAMED = {
    "hand-arm-massage": "hand-arm-touch",
    "foot-massage": "foot-touch",
    "back-massage-clothed": "back-touch-clothed",
    "massage-less-clothing": "body-touch-less-clothing",
}
SPLIT = {
    "kissing-lips": ("kissing-brief", "kissing-deep"),
    "chest-touch": ("chest-touch-giving", "chest-touch-receiving"),
    "genital-touch": ("genital-touch-giving", "genital-touch-receiving"),
    "oral-sex": ("oral-sex-giving", "oral-sex-receiving"),
    "penetrative-sex": ("penetration-fingers-toys", "penetration-vaginal", "penetration-anal"),
}
# Talking does not gate an exercise; every other key does (unknown keys too: never inside).
NOT_PHYSICAL = frozenset({"talking-closeness", "talking-sex"})
OPEN = frozenset({"yes", "maybe"})


def _current(keys):
    result = set()
    for key in keys:
        if key in RENAMED:
            result.add(RENAMED[key])
        else:
            result.update(SPLIT.get(key, (key,)))
    return result


def map_answers(apps):
    """Rename kept answers, delete split ones; return the (couple, owner) pairs touched."""
    BoundaryAnswer = apps.get_model("program", "BoundaryAnswer")
    touched = set()
    for old, new in RENAMED.items():
        for row in BoundaryAnswer.objects.filter(activity_key=old):
            touched.add((row.couple_id, row.owner_id))
            taken = BoundaryAnswer.objects.filter(
                couple_id=row.couple_id, owner_id=row.owner_id, activity_key=new
            ).exists()
            if taken:  # an answer under the new key already: it is the newer one
                row.delete()
            else:
                row.activity_key = new
                row.save(update_fields=["activity_key"])
    split = BoundaryAnswer.objects.filter(activity_key__in=list(SPLIT))
    touched.update(split.values_list("couple_id", "owner_id"))
    split.delete()
    return touched


def _overlap(apps, couple_id):
    Partner = apps.get_model("couples", "Partner")
    BoundaryAnswer = apps.get_model("program", "BoundaryAnswer")
    seats = list(
        Partner.objects.filter(couple_id=couple_id, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    if len(seats) < 2:
        return frozenset()
    open_sets = {seat: set() for seat in seats}
    rows = BoundaryAnswer.objects.filter(couple_id=couple_id, owner_id__in=seats)
    for owner_id, key, answer in rows.values_list("owner_id", "activity_key", "answer"):
        if answer in OPEN:
            open_sets[owner_id].add(key)
    return frozenset(set.intersection(*open_sets.values()))


def withdraw_outside_overlap(apps, now):
    """Set aside every open assignment whose exercise no longer fits its couple's overlap."""
    Assignment = apps.get_model("program", "Assignment")
    withdrawn = 0
    active = Assignment.objects.filter(withdrawn_at__isnull=True).select_related(
        "plan__program_version"
    )
    overlaps = {}
    for assignment in active:
        data = assignment.plan.program_version.data
        exercise = next(
            (
                e
                for s in data.get("stages", [])
                for e in s.get("exercises", [])
                if e.get("key") == assignment.exercise_key
            ),
            None,
        )
        if assignment.couple_id not in overlaps:
            overlaps[assignment.couple_id] = _overlap(apps, assignment.couple_id)
        needs = None if exercise is None else _current(exercise.get("activities") or [])
        if needs is None or not (needs - NOT_PHYSICAL) <= overlaps[assignment.couple_id]:
            assignment.withdrawn_at = now
            assignment.withdrawal = "boundary"
            assignment.save(update_fields=["withdrawn_at", "withdrawal"])
            withdrawn += 1
    return withdrawn


def forwards(apps, schema_editor):
    ChangeNote = apps.get_model("program", "ChangeNote")
    now = django.utils.timezone.now()
    touched = map_answers(apps)
    ChangeNote.objects.bulk_create(
        [
            ChangeNote(couple_id=couple_id, owner_id=owner_id, kind="finer_boundaries")
            for couple_id, owner_id in sorted(touched, key=str)
        ]
    )
    withdraw_outside_overlap(apps, now)


def backwards(apps, schema_editor):
    BoundaryAnswer = apps.get_model("program", "BoundaryAnswer")
    for old, new in RENAMED.items():
        for row in BoundaryAnswer.objects.filter(activity_key=new):
            taken = BoundaryAnswer.objects.filter(
                couple_id=row.couple_id, owner_id=row.owner_id, activity_key=old
            ).exists()
            if not taken:
                row.activity_key = old
                row.save(update_fields=["activity_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("couples", "0002_fixed_pair_of_seats"),
        ("program", "0005_change_notes"),
        ("ops", "0001_open_couples_have_a_plan_and_a_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
