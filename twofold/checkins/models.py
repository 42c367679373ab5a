"""The weekly check-in: each partner answers privately; answers are revealed mutually."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.roles import roles_for
from twofold.couples.visibility import (
    Audience,
    CareWhileOwnerConsents,
    Owner,
    Participation,
    PartnerAfterReveal,
    PartnerDataQuerySet,
)
from twofold.lib import limits
from twofold.lib.fields import EncryptedTextField

ZERO_TO_TEN = [MinValueValidator(0), MaxValueValidator(10)]

# Days after a round ends during which a late answer is still welcome.
GRACE_DAYS = 3


@dataclass(frozen=True)
class Item:
    key: str
    label: Any
    low: Any
    high: Any
    short: Any
    higher_is_better: bool = True


# The check-in's own items (not a standardised questionnaire), with anchors at both ends.
# Every one of these is shared with the partner after the reveal (unless kept private).
SCORED_ITEMS: tuple[Item, ...] = (
    Item(
        "openness",
        _("How easy was it to be open with your partner since your last check-in?"),
        _("very hard"),
        _("very easy"),
        _("Openness"),
    ),
    Item(
        "sexual_comfort",
        _("How comfortable did you feel with closeness and intimacy since your last check-in?"),
        _("very uncomfortable"),
        _("very comfortable"),
        _("Comfort"),
    ),
    Item(
        "mutual_support",
        _("How supported did you feel by your partner since your last check-in?"),
        _("not supported"),
        _("fully supported"),
        _("Support"),
    ),
    Item(
        "stress",
        _("How stressed have you been since your last check-in?"),
        _("calm, not stressed at all"),
        _("as stressed as I have ever been"),
        _("Stress"),
        higher_is_better=False,
    ),
    Item(
        "sleep_quality",
        _("How well have you slept since your last check-in?"),
        _("very badly"),
        _("very well"),
        _("Sleep"),
    ),
    Item(
        "mood",
        _("How has your mood been since your last check-in?"),
        _("very low"),
        _("very good"),
        _("Mood"),
    ),
)
# Items a person may leave out with a reason of their own ("no closeness this time").
SKIPPABLE_ITEMS = {"sexual_comfort": _("There was no closeness this time")}

# The private safety item: only the person and their care team (while care consent
# holds) ever read it. It lives in its own table (SafetyAnswer) with its own audience,
# so no partner query can reach it; it is never revealed, counted or prompted.
SAFETY_ITEM = Item(
    "felt_safe",
    _("How safe have you felt since your last check-in?"),
    _("not safe at all"),
    _("completely safe"),
    _("Felt safe"),
)
# A safety answer at or below this, or this much lower than the last one, is met at once
# with support (to that person alone).
SAFETY_LOW = 4
SAFETY_DROP = 3

TEXT_ITEMS: tuple[tuple[str, Any], ...] = (
    ("appreciated", _("Something I appreciated since our last check-in")),
    ("talk_about", _("Something I'd like us to talk about")),
)
# The longest answer to each of the check-in's two questions.
TEXT_MAX_LENGTH = 1_000

ITEM_KEYS = tuple(i.key for i in SCORED_ITEMS) + tuple(k for k, _label in TEXT_ITEMS)


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every four weeks")


CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 28}


@dataclass(frozen=True)
class Round:
    """One check-in round: answers on time from ``start`` until ``end`` (exclusive),
    late until ``closes`` (exclusive)."""

    start: date
    end: date

    @property
    def closes(self) -> date:
        return self.end + timedelta(days=GRACE_DAYS)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def is_open(self, today: date) -> bool:
        return self.start <= today < self.closes

    def is_late(self, today: date) -> bool:
        return self.end <= today < self.closes


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class CheckInSchedule(models.Model):
    """How often a couple checks in.

    Rounds follow ``cadence`` from ``anchor``. Rounds, once opened, are facts: a new
    cadence starts when the round open at the time of the change ends, and ``earlier``
    keeps the rhythms before it (``[[first day, cadence], ...]``, oldest first), so no
    round that has already opened is reopened, stretched or shortened by a change.
    """

    couple = models.OneToOneField(
        "couples.Couple", on_delete=models.CASCADE, related_name="checkin_schedule"
    )
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    anchor = models.DateField()
    earlier = models.JSONField(default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    proposed_cadence = models.CharField(max_length=12, choices=Cadence.choices, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.cadence} from {self.anchor}"

    @property
    def length(self) -> int:
        return CADENCE_DAYS[Cadence(self.cadence)]

    @property
    def next_change(self) -> date | None:
        """The first day of an agreed cadence while the round it waits for still runs."""
        return self.anchor if self.anchor > timezone.localdate() else None

    @property
    def first_day(self) -> date:
        """The first day of the first rhythm (``anchor`` until the cadence changes)."""
        return self._spans()[0][0]

    def _spans(self) -> list[tuple[date, str]]:
        """Each rhythm's first day and cadence, oldest first; the last is ``cadence``."""
        spans = [(date.fromisoformat(start), cadence) for start, cadence in self.earlier]
        return [*spans, (self.anchor, self.cadence)]

    def round_for(self, day: date) -> Round:
        """The round that ``day`` falls in (rounds before the first rhythm count backwards)."""
        spans = self._spans()
        index = max([i for i, (start, _c) in enumerate(spans) if start <= day], default=0)
        first, cadence = spans[index]
        length = CADENCE_DAYS[Cadence(cadence)]
        start = first + timedelta(days=(day - first).days // length * length)
        end = start + timedelta(days=length)
        if index + 1 < len(spans):
            end = min(end, spans[index + 1][0])
        return Round(start, end)

    def current_round(self, today: date) -> Round:
        """The round open ``today`` for a person, never one before the couple's first: a
        partner whose local date is still behind the opener's is in the first round."""
        return self.round_for(max(today, self.first_day))

    def rounds_between(self, first: date, last: date) -> list[Round]:
        """Every round from the one holding ``first`` to the one holding ``last``."""
        rounds = []
        current = self.round_for(first)
        while current.start <= last:
            rounds.append(current)
            current = self.round_for(current.end)
        return rounds

    def change_cadence(self, cadence: str, today: date) -> date:
        """Check in every ``cadence`` from the end of the round open ``today`` (which keeps
        its dates, as do all before it); returns the new rhythm's first day.

        A change agreed earlier that has not started yet is replaced, never kept.
        """
        starts = self.round_for(today).end
        spans = [(start, kept) for start, kept in self._spans() if start < starts]
        if spans[-1][1] != cadence:
            spans.append((starts, cadence))
        *earlier, (self.anchor, self.cadence) = spans
        self.earlier = [[start.isoformat(), kept] for start, kept in earlier]
        return self.anchor


class CheckIn(models.Model):
    """One partner's answers for one round."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)
    # None on rounds answered before the item existed.
    openness = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    # None: "there was no closeness this time".
    sexual_comfort = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    mutual_support = models.PositiveSmallIntegerField(validators=ZERO_TO_TEN)
    stress = models.PositiveSmallIntegerField(validators=ZERO_TO_TEN)
    sleep_quality = models.PositiveSmallIntegerField(validators=ZERO_TO_TEN)
    mood = models.PositiveSmallIntegerField(validators=ZERO_TO_TEN)
    appreciated = EncryptedTextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[limits.TextLimit(TEXT_MAX_LENGTH)]
    )
    talk_about = EncryptedTextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[limits.TextLimit(TEXT_MAX_LENGTH)]
    )
    private_items = models.JSONField(default=list, blank=True)

    # Mutual reveal: the partner reads a round's answers once they gave their own.
    audience = Audience.of(Owner(), PartnerAfterReveal("period_start"), CareWhileOwnerConsents())
    # Both partners (and the care team) know who checked in for which round, not what.
    participation = Participation(Audience.COUPLE_RECORD, when="period_start", extra=("late",))

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "owner", "period_start"], name="one_checkin_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    mutual_support__lte=10,
                    stress__lte=10,
                    sleep_quality__lte=10,
                    mood__lte=10,
                ),
                name="checkin_scores_zero_to_ten",
            ),
            models.CheckConstraint(
                condition=(models.Q(openness__isnull=True) | models.Q(openness__lte=10))
                & (models.Q(sexual_comfort__isnull=True) | models.Q(sexual_comfort__lte=10)),
                name="checkin_optional_scores_zero_to_ten",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in for {self.period_start}"

    def answers(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in ITEM_KEYS}

    def answers_for(self, viewer: Any) -> dict[str, Any]:
        """What ``viewer`` may read of these answers, failing closed.

        The owner reads everything; the other partner the items the owner did not keep
        private (None for the rest); the care team everything while the owner shares
        with them. Anybody else (or a viewer the policy does not know) gets nothing.
        Callers must have read this row through ``visible_to(viewer)``.
        """
        values = self.answers()
        if not getattr(viewer, "is_authenticated", False):
            return {}
        if viewer.pk == self.owner_id:
            return values
        if _is_partner_of(viewer, self.couple_id):
            return {k: (None if k in self.private_items else v) for k, v in values.items()}
        if CheckIn.objects.visible_to(viewer).filter(pk=self.pk).exists():
            return values
        return {}


class SafetyAnswer(models.Model):
    """How safe a person has felt: for them and their care team, never for the partner.

    Kept apart from :class:`CheckIn` on purpose: the partner reads check-ins after the
    reveal, and this table's audience has no partner grant at all, so no page, fragment,
    prompt, count or e-mail built from what the partner may read can contain it. Saving
    it never touches the check-in row (its ``updated_at`` is a fact the partner sees).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="+")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    # None: not answered (the item is optional, and skipping it is invisible).
    felt_safe = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    # The earlier shared item "How safe did you feel with each other this week?": its
    # answers now stay with their author and the care team.
    safe_with_each_other = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ZERO_TO_TEN
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Earlier answers to ``felt_safe`` in this round, oldest first: [[saved at, value]].
    earlier = models.JSONField(default=list, blank=True)

    audience = Audience.of(Owner(), CareWhileOwnerConsents())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(felt_safe__isnull=True) | models.Q(felt_safe__lte=10))
                & (
                    models.Q(safe_with_each_other__isnull=True)
                    | models.Q(safe_with_each_other__lte=10)
                ),
                name="safety_answers_zero_to_ten",
            ),
        ]

    def __str__(self) -> str:
        return f"Safety answer for {self.period_start}"


def needs_support(current: int | None, previous: int | None) -> bool:
    """A low answer, or a clear drop since the last one: met with support at once."""
    if current is None:
        return False
    return current <= SAFETY_LOW or (previous is not None and previous - current >= SAFETY_DROP)


def _is_partner_of(user: Any, couple_id: Any) -> bool:
    partner = roles_for(user).partner
    return partner is not None and partner.couple_id == couple_id


class CheckInRevision(models.Model):
    """The answers as they were before a correction: history is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="revisions")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    answers = EncryptedTextField()

    audience = Audience.of(Owner(), CareWhileOwnerConsents())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at"]

    def __str__(self) -> str:
        return f"Earlier answers ({self.saved_at:%Y-%m-%d})"
