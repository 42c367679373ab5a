"""Couples that opened before questionnaires existed get the default schedule now.

A new couple's schedule is made when it opens (an opening step); this gives every couple
that is already open the same, starting today: their baseline questionnaires are due from
today, and nothing from before is asked for.
"""

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
    from twofold.outcomes import schedules
    from twofold.outcomes.catalogue import schedulable

    OutcomeSchedule = apps.get_model("outcomes", "OutcomeSchedule")
    having = set(OutcomeSchedule.objects.values_list("couple_id", flat=True))
    missing = [pk for pk in _open_couple_ids(apps) if pk not in having]
    if not missing:
        return
    rules = [rule.as_json() for rule in schedules.default_rules(schedulable())]
    today = timezone.localdate()
    OutcomeSchedule.objects.bulk_create(
        OutcomeSchedule(
            couple_id=couple_id,
            starts_on=today,
            program_weeks=schedules.DEFAULT_PROGRAM_WEEKS,
            booster_weeks=list(schedules.DEFAULT_BOOSTER_WEEKS),
            rules=rules,
        )
        for couple_id in missing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("couples", "0003_an_invitation_may_carry_a_short_sealed_note"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
