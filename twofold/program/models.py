"""A couple's plan through the staged program, their practice, boundaries and goals."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.visibility import (
    Audience,
    CareWhileAllConsent,
    CareWhileOwnerConsents,
    Owner,
    Participation,
    PartnerDataQuerySet,
    PartnerIfShared,
    Partners,
)
from twofold.lib import limits
from twofold.lib.deletion import KeepsWriterName, SetNullIf
from twofold.lib.fields import EncryptedTextField
from twofold.program import content

ZERO_TO_TEN = [MinValueValidator(0), MaxValueValidator(10)]


class ProgramVersion(models.Model):
    """An exact program version as a plan started it: kept even after the file changes."""

    key = models.CharField(max_length=60)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_snapshot_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.version}"

    @cached_property
    def program(self) -> content.Program:
        return content.program_from_snapshot(self.data)


class Plan(models.Model):
    """The couple's way through the program: current stage, pause state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.OneToOneField("couples.Couple", on_delete=models.CASCADE, related_name="plan")
    program_version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT)
    stage_index = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audience = Audience.SHARED
    # Who paused: the person who did (only they can resume) and the care team. The other
    # partner sees only that the program is paused, never who paused it.
    participation = Participation(
        Audience.of(Owner("paused_by"), CareWhileAllConsent()), when="paused_at", actor="paused_by"
    )

    objects = PartnerDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Plan {self.pk}"

    @property
    def program(self) -> content.Program:
        return self.program_version.program

    @property
    def stage(self) -> content.Stage:
        return self.program.stages[self.stage_index]

    @property
    def stage_number(self) -> int:
        return self.stage_index + 1

    @property
    def is_last_stage(self) -> bool:
        return self.stage_index >= len(self.program.stages) - 1

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def needs_approval(self) -> bool:
        return bool(self.couple.is_guided)


class PlanEvent(models.Model):
    """Every change to a plan, with who and when. Never says why someone paused."""

    class Kind(models.TextChoices):
        STARTED = "started", _("started the program")
        ADVANCED = "advanced", _("moved on to the next stage")
        STEPPED_BACK = "stepped_back", _("stepped back a stage")
        PAUSED = "paused", _("paused the program")
        RESUMED = "resumed", _("resumed the program")
        APPROVED = "approved", _("approved moving on")
        ASSIGNED = "assigned", _("suggested an exercise")
        WITHDRAWN = "withdrawn", _("set an exercise aside")
        UNSUITABLE = "unsuitable", _("marked an exercise as not right for you")
        NEW_EDITION = "new_edition", _("moved to a new edition of the program")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    stage_index = models.PositiveSmallIntegerField()
    exercise_key = models.CharField(max_length=80, blank=True)
    at = models.DateTimeField(default=timezone.now)

    audience = Audience.SHARED
    # Who made each change is known to both partners, except pausing and resuming: either
    # partner may pause without the other learning who did (only the pauser resumes).
    participation = Participation(
        Audience.of(
            # Nobody is named for slowing down: pauses, resumes and steps back show to
            # the partner without who (the person who did it still sees "you").
            Partners(where=~Q(kind__in=["paused", "resumed", "stepped_back"])),
            Owner("actor"),
            CareWhileAllConsent(),
        ),
        when="at",
        actor="actor",
        extra=("id",),
    )

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d}"


class StageReadiness(models.Model):
    """A partner's private "I'm ready to move on" for the current stage.

    Seen by that partner and the care team; the other partner only learns that the
    couple moved on, so nobody is pressed by the other's readiness.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="readiness")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage_index = models.PositiveSmallIntegerField()
    marked_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    # Private to its owner (and their care team): nobody is pressed by the other's mark.
    audience = Audience.of(Owner(), CareWhileOwnerConsents())
    participation = Participation(
        Audience.of(Owner(), CareWhileOwnerConsents()), when="stage_index"
    )

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "owner", "stage_index"],
                condition=Q(cleared_at__isnull=True),
                name="one_readiness_mark_per_stage",
            )
        ]

    def __str__(self) -> str:
        return f"Ready for stage {self.stage_index + 1}"


class StageApproval(KeepsWriterName, models.Model):
    """The care team's approval to move on from a stage (clinician-guided couples)."""

    writer_field = "clinician"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinician_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
    stage_index = models.PositiveSmallIntegerField()
    approved_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Approval for stage {self.stage_index + 1}"


class Assignment(KeepsWriterName, models.Model):
    """An exercise the care team picked for the couple (always inside the overlap)."""

    writer_field = "assigned_by"

    class Withdrawal(models.TextChoices):
        BOUNDARY = "boundary", _("to stay within what feels right for both of you")
        CARE_TEAM = "care_team", _("by your care team")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    exercise_key = models.CharField(max_length=80)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_by_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
    assigned_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal = models.CharField(max_length=16, choices=Withdrawal.choices, blank=True)

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "exercise_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_assignment_per_exercise",
            )
        ]

    def __str__(self) -> str:
        return self.exercise_key


class ExerciseFlag(KeepsWriterName, models.Model):
    """The care team marked an exercise as not right for this couple, with a note to them."""

    writer_field = "flagged_by"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="flags")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    exercise_key = models.CharField(max_length=80)
    note = EncryptedTextField(
        _("note to the couple"),
        blank=True,
        max_length=limits.ANSWER,
        validators=[limits.TextLimit(limits.ANSWER)],
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    flagged_by_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
    flagged_at = models.DateTimeField(default=timezone.now)

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-flagged_at"]

    def __str__(self) -> str:
        return f"Not suitable: {self.exercise_key}"


class PracticeLog(models.Model):
    """How a practice went for one partner. Private unless that partner shares it.

    Touch exercises ask how much of the time the person could stay with the sensations
    and which sensation they noticed most: attention, never enjoyment. ``pleasure``
    holds answers to the enjoyment question earlier logs asked; it is kept, untouched,
    so a person's history reads as they wrote it, and is never asked again.
    """

    class Attention(models.IntegerChoices):
        HARDLY = 0, _("Hardly at all")
        A_LITTLE = 1, _("A little of the time")
        ABOUT_HALF = 2, _("About half the time")
        MOSTLY = 3, _("Most of the time")
        NEARLY_ALL = 4, _("Nearly all the time")

    class Sensation(models.TextChoices):
        TEMPERATURE = "temperature", _("Temperature: warm or cool")
        PRESSURE = "pressure", _("Pressure: light or firm")
        TEXTURE = "texture", _("Texture: smooth or rough")
        MOVEMENT = "movement", _("Movement: slow or quick")
        OTHER = "other", _("Something else")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="logs")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exercise_key = models.CharField(max_length=80)
    stage_index = models.PositiveSmallIntegerField()
    practised_on = models.DateField(_("when you practised"), default=timezone.localdate)
    comfort = models.PositiveSmallIntegerField(_("comfort"), validators=ZERO_TO_TEN)
    anxiety = models.PositiveSmallIntegerField(_("worry or anxiety"), validators=ZERO_TO_TEN)
    # None after a solo exercise: there was no partner to feel close to.
    closeness = models.PositiveSmallIntegerField(
        _("closeness"), validators=ZERO_TO_TEN, null=True, blank=True
    )
    attention = models.PositiveSmallIntegerField(
        _("how much of the time you could stay with the sensations"),
        choices=Attention.choices,
        null=True,
        blank=True,
    )
    noticed_most = models.CharField(
        _("the sensation you noticed most"), max_length=12, choices=Sensation.choices, blank=True
    )
    # An earlier question, no longer asked (see the class docstring).
    pleasure = models.PositiveSmallIntegerField(
        _("enjoyment (an earlier question)"), validators=ZERO_TO_TEN, null=True, blank=True
    )
    note = EncryptedTextField(
        _("a note for yourself"),
        blank=True,
        max_length=limits.ANSWER,
        validators=[limits.TextLimit(limits.ANSWER)],
    )
    shared_with_partner = models.BooleanField(_("share with my partner"), default=False)
    shared_with_care = models.BooleanField(_("share with our care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.of(
        Owner(),
        PartnerIfShared("shared_with_partner"),
        CareWhileOwnerConsents(flag="shared_with_care"),
    )
    # Both partners know *that* the other practised (and when), never how it went.
    participation = Participation(Audience.COUPLE_RECORD, when="practised_on")

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-practised_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comfort__lte=10, anxiety__lte=10, closeness__lte=10, pleasure__lte=10),
                name="practice_scores_zero_to_ten",
            ),
            models.CheckConstraint(
                condition=Q(attention__lte=4), name="practice_attention_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Practice on {self.practised_on}"


class BoundaryAnswer(models.Model):
    """One partner's private answer for one activity. Nobody else ever reads it.

    Only :func:`twofold.program.boundaries.overlap` reads both partners' answers, and it
    returns nothing but the overlap.
    """

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NOT_NOW = "not_now", _("Not now")
        NO = "no", _("No")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity_key = models.CharField(max_length=80)
    answer = models.CharField(max_length=8, choices=Answer.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    audience = Audience.of(Owner())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "owner", "activity_key"], name="one_answer_per_activity"
            )
        ]

    def __str__(self) -> str:
        return "Boundary answer"


class Goal(models.Model):
    """A goal drafted privately, proposed to the partner, shared once both accept."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        SHARED = "shared", _("Shared")
        ARCHIVED = "archived", _("Put away")

    class Measure(models.TextChoices):
        NONE = "", _("No measure")
        PRACTICE_TOGETHER = "practice_together", _("Practise together a number of times a week")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # A goal the partner can read stays with them when its author's account is deleted;
    # the author's private drafts go with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=SetNullIf(visible_to_partner=True),
        related_name="+",
    )
    text = EncryptedTextField(
        _("the goal"), max_length=limits.ANSWER, validators=[limits.TextLimit(limits.ANSWER)]
    )
    suggested_text = EncryptedTextField(
        _("suggested wording"),
        blank=True,
        max_length=limits.ANSWER,
        validators=[limits.TextLimit(limits.ANSWER)],
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    awaiting = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_response = models.CharField(max_length=12, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    measure = models.CharField(max_length=20, choices=Measure.choices, blank=True, default="")
    measure_target = models.PositiveSmallIntegerField(
        _("times a week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    visible_to_partner = models.BooleanField(default=False)
    is_shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.of(
        Owner(), PartnerIfShared("visible_to_partner"), CareWhileOwnerConsents(flag="is_shared")
    )

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "-created_at"]

    def __str__(self) -> str:
        return f"Goal ({self.state})"


class ChangeNote(models.Model):
    """A note to one person alone: Twofold changed something of theirs.

    Written by a data migration (when the boundaries list gained finer items and that
    person's answers were carried over). Only its owner ever sees it, and
    nothing shows the partner that the other has one. It is read once the owner acts on
    it (for the boundaries list: saves their answers again).
    """

    class Kind(models.TextChoices):
        FINER_BOUNDARIES = "finer_boundaries", _("the boundaries list has finer items")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.of(Owner())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "owner", "kind"],
                condition=Q(read_at__isnull=True),
                name="one_unread_change_note_per_kind",
            )
        ]

    def __str__(self) -> str:
        return "Change note"
