"""Couples, their two partner seats, invitations and recorded consent."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.accounts.models import User
from twofold.couples.visibility import Audience, PartnerDataQuerySet
from twofold.lib import limits
from twofold.lib.deletion import KeepsWriterName, SetNullAndStamp
from twofold.lib.fields import EncryptedTextField


def new_reference() -> str:
    """A short, non-identifying reference for admin and audit views (e.g. ``TF-7K2QX``)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "TF-" + "".join(secrets.choice(alphabet) for _ in range(5))


class CoupleStatus(models.TextChoices):
    INVITED = "invited", _("Invitations sent")
    WAITING_FOR_PARTNER = "waiting_for_partner", _("Waiting for a partner to join")
    WAITING_FOR_CONSENT = "waiting_for_consent", _("Waiting for consent")
    ACTIVE = "active", _("Active")


class CoupleQuerySet(models.QuerySet["Couple"]):
    def visible_to(self, user: Any) -> CoupleQuerySet:
        """Couples ``user`` is a partner in or on the care team of."""
        return self.filter(Couple.audience.q(Couple, user))

    def with_status(self) -> CoupleQuerySet:
        """Prefetch what :attr:`Couple.status` needs, in a fixed number of queries."""
        return self.prefetch_related(  # type: ignore[type-var]
            models.Prefetch(
                "partners",
                queryset=Partner.objects.filter(left_at__isnull=True).select_related("user"),
                to_attr="active_partners",
            ),
            models.Prefetch(
                "consents",
                queryset=Consent.objects.filter(withdrawn_at__isnull=True),
                to_attr="active_consents",
            ),
            models.Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
                ),
                to_attr="pending_invitations",
            ),
        )


class Couple(models.Model):
    """The unit of the program: two partner seats, guided by a clinic or self-guided."""

    class Mode(models.TextChoices):
        GUIDED = "guided", _("With a care team")
        SELF = "self", _("On our own")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    clinic = models.ForeignKey(
        "care.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="couples"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.COUPLE_RECORD
    couple_field = "pk"

    objects = CoupleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="self", clinic__isnull=True)
                | Q(mode="guided", clinic__isnull=False),
                name="guided_couples_have_a_clinic",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_guided(self) -> bool:
        return self.mode == self.Mode.GUIDED

    # The following read the prefetches made by CoupleQuerySet.with_status(), falling back
    # to queries for a single couple.
    def seats(self) -> list[Partner]:
        cached = getattr(self, "active_partners", None)
        if cached is None:
            cached = list(self.partners.filter(left_at__isnull=True).select_related("user"))
            self.__dict__["active_partners"] = cached
        return sorted(cached, key=lambda p: p.seat)

    def _active_consents(self) -> list[Consent]:
        cached = getattr(self, "active_consents", None)
        if cached is None:
            cached = list(self.consents.filter(withdrawn_at__isnull=True))
            self.__dict__["active_consents"] = cached
        return cached

    def pending(self) -> list[Invitation]:
        cached = getattr(self, "pending_invitations", None)
        if cached is None:
            cached = list(self.invitations.pending())
            self.__dict__["pending_invitations"] = cached
        return cached

    def has_consent(self, user: User | Any, kind: str) -> bool:
        return any(c.user_id == user.pk and c.kind == kind for c in self._active_consents())

    def partner_of(self, user: User | Any) -> Partner | None:
        """The *other* partner's seat, if someone holds it."""
        return next((p for p in self.seats() if p.user_id != user.pk), None)

    def seat_of(self, user: User | Any) -> Partner | None:
        return next((p for p in self.seats() if p.user_id == user.pk), None)

    # A couple is a fixed pair: each seat is held at most once, ever. Once a seat is
    # taken it is never given to anybody else, and once anybody has left, the couple
    # takes nobody new (a new pairing is a new couple).
    def newcomer_problem(self) -> str | None:
        """Why nobody new can take a seat here (``"full"``, ``"closed"``), or None."""
        held = list(self.partners.values_list("seat", "left_at"))
        if len(held) >= len(Partner.Seat):
            return "full"
        if any(left_at is not None for _seat, left_at in held):
            return "closed"
        return None

    def free_seat(self) -> str | None:
        """The seat a newcomer would take (one nobody ever held), or None."""
        if self.newcomer_problem():
            return None
        held = set(self.partners.values_list("seat", flat=True))
        return next((seat.value for seat in Partner.Seat if seat not in held), None)

    @property
    def both_joined(self) -> bool:
        return len(self.seats()) == 2

    @property
    def status(self) -> str:
        seats = self.seats()
        if not seats:
            return CoupleStatus.INVITED
        if len(seats) < 2:
            return CoupleStatus.WAITING_FOR_PARTNER
        if not all(self.has_consent(p.user, Consent.Kind.PARTICIPATION) for p in seats):
            return CoupleStatus.WAITING_FOR_CONSENT
        return CoupleStatus.ACTIVE

    @property
    def is_active(self) -> bool:
        """Couple features unlock only when both joined and both consent to take part."""
        return self.status == CoupleStatus.ACTIVE

    def get_status_display(self) -> str:
        return str(CoupleStatus(self.status).label)


class Partner(models.Model):
    """One of the two seats of a couple, held by one person, once.

    A seat is never handed on: when its person leaves (or deletes their account, which
    leaves the seat and forgets who held it), the row stays, with ``left_at`` set.
    """

    class Seat(models.TextChoices):
        A = "a", "A"
        B = "b", "B"

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="partners")
    # Empty only on a seat that was left and whose person then deleted their account;
    # Couple.seats() (the seats held now) never includes one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=SetNullAndStamp("left_at"),
        related_name="partner_seats",
    )
    seat = models.CharField(max_length=1, choices=Seat.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.COUPLE_RECORD

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            # Each seat is held once, ever, so a couple has at most two partner rows.
            models.UniqueConstraint(fields=["couple", "seat"], name="each_seat_held_once"),
            models.CheckConstraint(condition=Q(seat__in=["a", "b"]), name="two_seats_a_couple"),
            models.UniqueConstraint(fields=["couple", "user"], name="one_seat_per_person"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(left_at__isnull=True), name="one_couple_per_person"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(left_at__isnull=False),
                name="a_seat_without_its_person_was_left",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else "a former partner"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class InvitationQuerySet(PartnerDataQuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(KeepsWriterName, models.Model):
    """A single-use invitation bound to an e-mail address and a role.

    Only the SHA-256 of the token is stored; the token itself exists only in the e-mail
    (and on the page that sent it, once, for the inviter to pass on another way).
    """

    writer_field = "invited_by"

    class Role(models.TextChoices):
        PARTNER = "partner", _("partner")
        CLINICIAN = "clinician", _("clinician")
        CLINIC_ADMIN = "admin", _("clinic admin")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("withdrawn")
        EXPIRED = "expired", _("expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField()
    display_name = models.CharField(max_length=60, blank=True)
    # A few words from whoever invited a partner, shown on the invitation page only (never
    # in the e-mail, which anyone sharing the inbox might read). Sealed at rest, and
    # forgotten once the invitation is accepted, withdrawn or replaced.
    note = EncryptedTextField(
        _("a few words for your partner"),
        blank=True,
        max_length=limits.INVITATION_NOTE,
        validators=[limits.TextLimit(limits.INVITATION_NOTE)],
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    couple = models.ForeignKey(
        Couple, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    clinic = models.ForeignKey(
        "care.Clinic", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who sent it, as they were named then: kept when their account is deleted.
    invited_by_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.COUPLE_RECORD

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="partner", couple__isnull=False)
                | Q(role__in=["clinician", "admin"], clinic__isnull=False, couple__isnull=True),
                name="invitation_target_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} invitation"

    @classmethod
    def issue(cls, *, email: str, role: str, **fields: Any) -> tuple[Invitation, str]:
        """Create an invitation and return it with the raw token (never stored)."""
        raw = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            email=email.strip().lower(),
            role=role,
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
            **fields,
        )
        return invitation, raw

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class Consent(models.Model):
    """A recorded consent: who, to which text (version and hash), when; and if withdrawn.

    Withdrawal stops sharing from then on; it never deletes anything.
    """

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("taking part in Twofold together")
        CARE = "care", _("sharing with your care team")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="consents")
    clinic = models.ForeignKey("care.Clinic", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    version = models.CharField(max_length=20)
    text_sha256 = models.CharField(max_length=64)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.COUPLE_RECORD

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "couple", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.version})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
