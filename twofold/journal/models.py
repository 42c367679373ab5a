"""The journal, moments of closeness and appreciation notes.

* :class:`JournalEntry` is private to its author until they share it with their
  partner and/or their care team (PRODUCT.md §2.6, §4).
* :class:`Moment` belongs to the couple's shared space (§2.7).
* :class:`Appreciation` is a note from one partner to the other; the care team never
  sees it.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.visibility import (
    Audience,
    CareWhileOwnerConsents,
    Owner,
    PartnerDataQuerySet,
    PartnerIfShared,
    Recipient,
)
from twofold.lib import limits
from twofold.lib.fields import EncryptedTextField

TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = limits.NOTE
MOMENT_NOTE_MAX_LENGTH = 280
APPRECIATION_MAX_LENGTH = limits.SHORT


class Sharing(models.TextChoices):
    """Who can read a journal entry, as its author chooses it (one choice, two flags)."""

    ONLY_ME = "me", _("Only me")
    PARTNER = "partner", _("My partner")
    CARE = "care", _("My care team")
    BOTH = "both", _("My partner and my care team")

    @classmethod
    def flags(cls, value: str) -> tuple[bool, bool]:
        """(shared with partner, shared with care team) for a choice."""
        return value in (cls.PARTNER, cls.BOTH), value in (cls.CARE, cls.BOTH)

    @classmethod
    def of(cls, partner: bool, care: bool) -> Sharing:
        if partner and care:
            return cls.BOTH
        if partner:
            return cls.PARTNER
        if care:
            return cls.CARE
        return cls.ONLY_ME


class JournalEntry(models.Model):
    """A partner's journal entry. Only its author reads it unless they share it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField(
        _("title"),
        blank=True,
        max_length=TITLE_MAX_LENGTH,
        validators=[limits.TextLimit(TITLE_MAX_LENGTH)],
    )
    body = EncryptedTextField(
        _("what's on your mind"),
        max_length=BODY_MAX_LENGTH,
        validators=[limits.TextLimit(BODY_MAX_LENGTH)],
    )
    prompt_key = models.CharField(max_length=80, blank=True)
    shared_with_partner = models.BooleanField(_("share with my partner"), default=False)
    shared_with_care = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    audience = Audience.of(
        Owner(),
        PartnerIfShared("shared_with_partner"),
        CareWhileOwnerConsents(flag="shared_with_care"),
    )

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["couple", "-created_at"], name="journal_entry_couple_new")]

    def __str__(self) -> str:
        return "Journal entry"

    @property
    def sharing(self) -> Sharing:
        return Sharing.of(self.shared_with_partner, self.shared_with_care)

    @property
    def sharing_label(self) -> str:
        return str(self.sharing.label)

    @property
    def was_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 60


class Moment(models.Model):
    """A small, non-sexual moment of closeness, logged in one tap by either partner."""

    class Kind(models.TextChoices):
        HUMOUR = "humour", _("Shared humour")
        TOUCH = "touch", _("Gentle touch")
        APPRECIATION = "appreciation", _("Appreciation")
        TIME = "time", _("Time together")
        SUPPORT = "support", _("Support")

    # How each kind reads inside a sentence ("…, most often gentle touch").
    IN_A_SENTENCE: ClassVar[dict[str, Any]] = {
        Kind.HUMOUR: _("shared humour"),
        Kind.TOUCH: _("gentle touch"),
        Kind.APPRECIATION: _("appreciation"),
        Kind.TIME: _("time together"),
        Kind.SUPPORT: _("support"),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # Part of the couple's shared space: it stays when its author's account is deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind of moment"), max_length=16, choices=Kind.choices)
    note = EncryptedTextField(
        _("a few words (optional)"),
        blank=True,
        max_length=MOMENT_NOTE_MAX_LENGTH,
        validators=[limits.TextLimit(MOMENT_NOTE_MAX_LENGTH)],
    )
    happened_on = models.DateField(_("when"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["couple", "happened_on"], name="moment_couple_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on}"


class Appreciation(models.Model):
    """A note of appreciation from one partner (``owner``) to the other (``recipient``).

    Read by its sender and its recipient (while they hold their seat); nobody else, not
    even the care team.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # Both people keep the notes they wrote and received when the other deletes their
    # account: the departed person's side is set to NULL, never cascaded.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who it was written to: only they read it, and only while they hold their seat.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(
        _("your note"),
        max_length=APPRECIATION_MAX_LENGTH,
        validators=[limits.TextLimit(APPRECIATION_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.of(Owner(), Recipient())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "seen_at"], name="appreciation_unseen"),
        ]

    def __str__(self) -> str:
        return "Appreciation note"
