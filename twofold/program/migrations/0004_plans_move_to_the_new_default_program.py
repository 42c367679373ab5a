"""Plans on an earlier edition of the default program move to the current edition.

Why move them: a plan keeps a snapshot of the edition it started on, so a couple who
started earlier would otherwise never see the new edition's safety words (the signs to
stop and call, the notes for heart conditions, spinal cord injury, radiotherapy,
menopause and chemotherapy, and the rule of no genital touch before the genital stage).

How, conservatively:

* Only plans on the program keyed "default" move, and only from an earlier edition. A
  clinic's own program is the clinic's to update.
* The couple stays at the same stage, found by its key. A stage that no longer exists
  maps to the earliest new stage that holds any of its exercises, or else to the same
  position (never past the last stage). So a couple in the old "Bringing it together"
  (genital touch, oral sex and penetration in one stage) arrives at the genital-touch
  stage, after which the new edition offers oral sex and penetration.
* Exercise keys are kept across editions, so suggestions, "not right for you" notes and
  practice logs keep naming the same exercise.
* Stage positions recorded on events, readiness marks, approvals and logs are renumbered
  the same way (a log by its exercise's new stage), so the history names the right stages.
* Marks for moving on from the current stage are cleared when that stage changed: they
  were given for different content. Each partner marks again when ready.
* Both partners see a "new edition" line in the history; nobody is named.
"""

import re

from django.db import migrations, models
from django.db.models import Case, F, Value, When
from django.utils import timezone

VERSION = re.compile(r"^(\d+)-(\d+)\.(\d+)$")
INDEX = models.PositiveSmallIntegerField()


def _earlier(old, new):
    """Is edition ``old`` before ``new``? Unreadable versions count as earlier."""
    a, b = VERSION.match(old), VERSION.match(new)
    if not a or not b:
        return old != new
    return tuple(map(int, a.groups())) < tuple(map(int, b.groups()))


def stage_positions(old_stages, new_stages):
    """For each old stage position, the new stage position (raw program data)."""
    new_keys = [stage["key"] for stage in new_stages]
    exercise_stage = {
        exercise["key"]: index
        for index, stage in enumerate(new_stages)
        for exercise in stage["exercises"]
    }
    result = []
    for index, stage in enumerate(old_stages):
        if stage["key"] in new_keys:
            result.append(new_keys.index(stage["key"]))
            continue
        holding = [
            exercise_stage[e["key"]] for e in stage["exercises"] if e["key"] in exercise_stage
        ]
        result.append(min(holding) if holding else min(index, len(new_stages) - 1))
    return result


def _renumber(queryset, positions):
    moves = [When(stage_index=old, then=Value(new)) for old, new in enumerate(positions)]
    if any(old != new for old, new in enumerate(positions)):
        queryset.update(stage_index=Case(*moves, default=F("stage_index"), output_field=INDEX))


def move_plans(apps, program):
    """Move every plan on an earlier edition of ``program`` (a parsed Program) to it."""
    ProgramVersion = apps.get_model("program", "ProgramVersion")
    Plan = apps.get_model("program", "Plan")
    PlanEvent = apps.get_model("program", "PlanEvent")
    PracticeLog = apps.get_model("program", "PracticeLog")
    StageReadiness = apps.get_model("program", "StageReadiness")
    StageApproval = apps.get_model("program", "StageApproval")

    target, _created = ProgramVersion.objects.get_or_create(
        key=program.key,
        version=program.version,
        defaults={"title": program.title, "sha256": program.sha256, "data": program.raw},
    )
    if target.sha256 != program.sha256:
        raise RuntimeError(
            f"Program {program.key!r} {program.version}: the stored copy differs from the "
            "file; give the file a new version number."
        )
    new_stages = program.raw["stages"]
    exercise_stage = {e.key: i for i, s in enumerate(program.stages) for e in s.exercises}
    now = timezone.now()
    moved = 0
    plans = Plan.objects.filter(program_version__key=program.key).select_related("program_version")
    for plan in plans:
        old = plan.program_version
        if old.pk == target.pk or not _earlier(old.version, program.version):
            continue
        old_stages = old.data["stages"]
        positions = stage_positions(old_stages, new_stages)
        current = min(plan.stage_index, len(old_stages) - 1)
        new_index = positions[current]
        if old_stages[current]["key"] != new_stages[new_index]["key"]:
            for model in (StageReadiness, StageApproval):
                model.objects.filter(
                    plan=plan, stage_index=plan.stage_index, cleared_at__isnull=True
                ).update(cleared_at=now)
        for model in (PlanEvent, StageReadiness, StageApproval):
            _renumber(model.objects.filter(plan=plan), positions)
        logs = PracticeLog.objects.filter(plan=plan)
        by_exercise = [
            When(exercise_key=key, then=Value(index)) for key, index in exercise_stage.items()
        ]
        logs.update(
            stage_index=Case(
                *by_exercise,
                *[When(stage_index=o, then=Value(n)) for o, n in enumerate(positions)],
                default=F("stage_index"),
                output_field=INDEX,
            )
        )
        plan.program_version = target
        plan.stage_index = new_index
        plan.save(update_fields=["program_version", "stage_index"])
        PlanEvent.objects.create(
            plan=plan, couple_id=plan.couple_id, kind="new_edition", stage_index=new_index, at=now
        )
        moved += 1
    return moved


def forwards(apps, schema_editor):
    Plan = apps.get_model("program", "Plan")
    if not Plan.objects.filter(program_version__key="default").exists():
        return  # nothing to move (a new installation): no need to read the content
    from twofold.program import content

    move_plans(apps, content.programs()["default"])


class Migration(migrations.Migration):
    dependencies = [("program", "0003_practice_log_asks_attention_not_enjoyment")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
