"""Couples that opened before plans and schedules were made at opening get them now.

Before, a couple's plan and check-in schedule were made the first time a partner opened
the program or check-in page; now they are made when the couple opens, and no page view
creates anything. This gives every couple that is already open what it would have had.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def _open_couple_ids(apps):
    Partner = apps.get_model("couples", "Partner")
    Consent = apps.get_model("couples", "Consent")
    seats = {}
    for couple_id, user_id in Partner.objects.filter(left_at__isnull=True).values_list(
        "couple_id", "user_id"
    ):
        seats.setdefault(couple_id, set()).add(user_id)
    agreed = set(
        Consent.objects.filter(kind="participation", withdrawn_at__isnull=True).values_list(
            "couple_id", "user_id"
        )
    )
    return [
        couple_id
        for couple_id, users in seats.items()
        if len(users) == 2 and all((couple_id, user) in agreed for user in users)
    ]


def forwards(apps, schema_editor):
    from twofold.program import content

    Couple = apps.get_model("couples", "Couple")
    Plan = apps.get_model("program", "Plan")
    PlanEvent = apps.get_model("program", "PlanEvent")
    ProgramVersion = apps.get_model("program", "ProgramVersion")
    CheckInSchedule = apps.get_model("checkins", "CheckInSchedule")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    programs = None
    for couple in Couple.objects.filter(pk__in=_open_couple_ids(apps)).select_related("clinic"):
        if not CheckInSchedule.objects.filter(couple=couple).exists():
            CheckInSchedule.objects.create(couple=couple, anchor=monday)
        if Plan.objects.filter(couple=couple).exists():
            continue
        programs = programs or content.programs()
        key = couple.clinic.program_key if couple.clinic_id else "default"
        program = programs.get(key) or programs["default"]
        version, _created = ProgramVersion.objects.get_or_create(
            key=program.key,
            version=program.version,
            defaults={"title": program.title, "sha256": program.sha256, "data": program.raw},
        )
        plan = Plan.objects.create(couple=couple, program_version=version)
        PlanEvent.objects.create(plan=plan, couple=couple, kind="started", stage_index=0)


class Migration(migrations.Migration):
    dependencies = [
        ("couples", "0002_fixed_pair_of_seats"),
        ("care", "0004_staff_name_snapshots_and_limits"),
        ("program", "0002_staff_name_snapshots_goals_kept_and_limits"),
        ("checkins", "0003_schedule_keeps_earlier_rhythms"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
