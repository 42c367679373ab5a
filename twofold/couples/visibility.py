"""The one visibility rule (PRODUCT.md §4). Every read of partner data goes through here.

Each model that holds partner data declares an ``audience``: a combination of small
**grants**, each of which compiles to one ``Q`` for a given viewer. A row is visible to a
viewer when any grant of its model lets them see it; nobody is let in by default. Views
read with ``Model.objects.visible_to(user)`` (or the look-ups in
:mod:`twofold.couples.access`, which answer 404 for "missing" and "not yours" alike).
Templates never decide who may see what.

Who is who:

* a **partner** is a user with an active seat in the row's couple;
* the **care team** is the clinicians with an active assignment to the couple who are
  still active clinicians of the couple's clinic;
* clinic admins run a clinic and are granted nothing here: they see no partner content.

The grants:

``Partners()``
    Both partners of the row's couple (optionally only rows matching ``where``).
``Owner(field)``
    The person named in ``field`` (the author; default ``owner``).
``Recipient(field)``
    The person a row was written to, while they hold a seat in that couple.
``PartnerIfShared(flag)``
    The partners of the row's couple, once its owner switched ``flag`` on.
``PartnerAfterReveal(round_field)``
    The partners of the row's couple who have submitted their own row for the same round
    (mutual reveal).
``CareWhileOwnerConsents(flag=None)``
    The care team while the row's owner keeps their care consent (and, with ``flag``,
    only once the owner chose to share the row with them).
``CareWhileAllConsent()``
    The care team while every partner who joined keeps their care consent; withdrawing it
    stops sharing from that moment, without deleting anything.
``CareTeam()``
    The care team, always: the couple's records and care-only notes.

Who-did-what facts ("who checked in this round", "who practised", "who is ready", "who
paused") are read through :func:`participation`, using each model's declared
:class:`Participation`, never with raw queries in views and template tags: one place
decides who may know each fact, so a later safety pause can suppress them there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from twofold.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _model(label: str) -> Any:
    return apps.get_model(label)


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def partner_couple_ids(user: Any) -> models.QuerySet[Any]:
    """Ids of the couple(s) where ``user`` holds an active seat (at most one)."""
    Partner = _model("couples.Partner")
    if not _is_authenticated(user):
        return Partner.objects.none().values("couple_id")
    return Partner.objects.filter(user=user, left_at__isnull=True).values("couple_id")


def care_team_couple_ids(user: Any) -> models.QuerySet[Any]:
    """Ids of the couples whose care team ``user`` is on, as an active clinician."""
    CareAssignment = _model("care.CareAssignment")
    ClinicMembership = _model("care.ClinicMembership")
    if not _is_authenticated(user):
        return CareAssignment.objects.none().values("couple_id")
    active_clinician = ClinicMembership.objects.filter(
        user=user,
        role="clinician",
        ended_at__isnull=True,
        clinic_id=OuterRef("couple__clinic_id"),
    )
    return CareAssignment.objects.filter(
        Exists(active_clinician), clinician=user, ended_at__isnull=True
    ).values("couple_id")


def _care_consent(partner_field: str, couple_field: str) -> Exists:
    Consent = _model("couples.Consent")
    return Exists(
        Consent.objects.filter(
            kind="care",
            withdrawn_at__isnull=True,
            user_id=OuterRef(partner_field),
            couple_id=OuterRef(couple_field),
        )
    )


def shared_care_couple_ids(user: Any) -> models.QuerySet[Any]:
    """Care-team couples where every partner who joined keeps their care consent."""
    Partner = _model("couples.Partner")
    Couple = _model("couples.Couple")
    seat_without_consent = Partner.objects.filter(
        couple_id=OuterRef("pk"), left_at__isnull=True
    ).exclude(_care_consent("user_id", "couple_id"))
    return (
        Couple.objects.filter(pk__in=care_team_couple_ids(user))
        .exclude(Exists(seat_without_consent))
        .values("pk")
    )


def owner_care_consent(owner_field: str, couple_field: str) -> Exists:
    """True where the row's owner holds an active care consent for the row's couple."""
    return _care_consent(owner_field, couple_field)


# --- Grants -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """How to find a row's couple and owner in a model (declared on the model)."""

    model: type[models.Model]

    @property
    def couple(self) -> str:
        return str(getattr(self.model, "couple_field", "couple"))

    @property
    def couple_id(self) -> str:
        return "pk" if self.couple == "pk" else f"{self.couple}_id"

    def in_couples(self, couple_ids: models.QuerySet[Any]) -> Q:
        return Q(**{f"{self.couple_id}__in": couple_ids})


class Grant:
    """One way a viewer may come to see a row. Subclasses compile to a single ``Q``."""

    def q(self, rows: Rows, user: Any) -> Q:
        raise NotImplementedError


@dataclass(frozen=True)
class Partners(Grant):
    where: Q | None = None

    def q(self, rows: Rows, user: Any) -> Q:
        condition = rows.in_couples(partner_couple_ids(user))
        return condition & self.where if self.where is not None else condition


@dataclass(frozen=True)
class Owner(Grant):
    field: str = "owner"

    def q(self, rows: Rows, user: Any) -> Q:
        return Q(**{f"{self.field}_id": user.pk})


@dataclass(frozen=True)
class Recipient(Grant):
    field: str = "recipient"

    def q(self, rows: Rows, user: Any) -> Q:
        return Q(**{f"{self.field}_id": user.pk}) & rows.in_couples(partner_couple_ids(user))


@dataclass(frozen=True)
class PartnerIfShared(Grant):
    flag: str

    def q(self, rows: Rows, user: Any) -> Q:
        return rows.in_couples(partner_couple_ids(user)) & Q(**{self.flag: True})


@dataclass(frozen=True)
class PartnerAfterReveal(Grant):
    round_field: str
    owner_field: str = "owner"

    def q(self, rows: Rows, user: Any) -> Q:
        own_answer = rows.model._default_manager.filter(
            **{
                rows.couple_id: OuterRef(rows.couple_id),
                self.round_field: OuterRef(self.round_field),
                f"{self.owner_field}_id": user.pk,
            }
        )
        return rows.in_couples(partner_couple_ids(user)) & Q(Exists(own_answer))


@dataclass(frozen=True)
class CareWhileOwnerConsents(Grant):
    flag: str | None = None
    owner_field: str = "owner"

    def q(self, rows: Rows, user: Any) -> Q:
        condition = rows.in_couples(care_team_couple_ids(user)) & Q(
            owner_care_consent(f"{self.owner_field}_id", rows.couple_id)
        )
        return condition & Q(**{self.flag: True}) if self.flag else condition


@dataclass(frozen=True)
class CareWhileAllConsent(Grant):
    def q(self, rows: Rows, user: Any) -> Q:
        return rows.in_couples(shared_care_couple_ids(user))


@dataclass(frozen=True)
class CareTeam(Grant):
    def q(self, rows: Rows, user: Any) -> Q:
        return rows.in_couples(care_team_couple_ids(user))


@dataclass(frozen=True)
class Audience:
    """Who may see a model's rows: the union of its grants (none: nobody)."""

    grants: tuple[Grant, ...]
    name: str = ""

    COUPLE_RECORD: ClassVar[Audience]
    SHARED: ClassVar[Audience]
    CARE_TEAM: ClassVar[Audience]

    @classmethod
    def of(cls, *grants: Grant, name: str = "") -> Audience:
        return cls(tuple(grants), name)

    def q(self, model: type[models.Model], user: Any) -> Q:
        """The condition for rows of ``model`` that ``user`` may see."""
        if not _is_authenticated(user) or not self.grants:
            return Q(pk__in=[])
        rows = Rows(model)
        condition = Q(pk__in=[])
        for grant in self.grants:
            condition |= grant.q(rows, user)
        return condition


# Facts needed to run the relationship (who joined, consents, invitations, care team).
Audience.COUPLE_RECORD = Audience.of(Partners(), CareTeam(), name="couple record")
# The couple's shared space: both partners, and the care team while both share with it.
Audience.SHARED = Audience.of(Partners(), CareWhileAllConsent(), name="shared")
# Written by the care team for the care team (clinician notes).
Audience.CARE_TEAM = Audience.of(CareTeam(), name="care team")


class PartnerDataQuerySet(models.QuerySet[M]):
    """QuerySet for models holding partner data; the model declares its ``audience``.

    Optional model attribute: ``couple_field`` (default ``"couple"``; ``"pk"`` for the
    couple itself).
    """

    def visible_to(self, user: Any) -> PartnerDataQuerySet[M]:
        audience: Audience = self.model.audience  # type: ignore[attr-defined]
        return self.filter(audience.q(self.model, user))


def declared_partner_data_models() -> list[type[models.Model]]:
    """Every model that declares an audience (used by the policy's own tests)."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "audience", None), Audience)]


# --- Relationship of a viewer to one couple -------------------------------------------


def is_partner(user: User | Any) -> bool:
    return partner_couple_ids(user).exists()


def is_partner_of(user: Any, couple_id: Any) -> bool:
    return partner_couple_ids(user).filter(couple_id=couple_id).exists()


def is_care_team_of(user: Any, couple_id: Any) -> bool:
    return care_team_couple_ids(user).filter(couple_id=couple_id).exists()


# --- Participation: who did what, never what they wrote -------------------------------


@dataclass(frozen=True)
class Participation:
    """The who-did-what facts a model yields: ``(actor id, when, *extra)`` per row.

    ``audience`` says who may know each fact (often wider than who may read the row:
    both partners know *that* the other checked in, not *what* they answered).
    """

    audience: Audience
    when: str
    actor: str = "owner"
    extra: tuple[str, ...] = field(default=())


def participation(
    model: type[models.Model], viewer: Any, couple: Any, **filters: Any
) -> list[tuple[Any, ...]]:
    """Who did what in ``couple``, as far as ``viewer`` may know: ``(actor_id, when, …)``.

    Rows can be narrowed with ``filters`` on the model's own fields. An unknown viewer
    learns nothing.
    """
    declared: Participation = model.participation  # type: ignore[attr-defined]
    rows = Rows(model)
    actor_id = f"{declared.actor}_id"
    return list(
        model._default_manager.filter(**{rows.couple_id: getattr(couple, "pk", couple)})
        .filter(declared.audience.q(model, viewer))
        .filter(**filters)
        .filter(**{f"{actor_id}__isnull": False})
        .order_by(declared.when, "pk")
        .values_list(actor_id, declared.when, *declared.extra)
    )


def participants(model: type[models.Model], viewer: Any, couple: Any, **filters: Any) -> set[Any]:
    """The ids of the people who did the thing (see :func:`participation`)."""
    return {fact[0] for fact in participation(model, viewer, couple, **filters)}


def grants_of(model: type[models.Model]) -> Iterable[Grant]:
    """The grants of a model's audience (for the policy's own tests and docs)."""
    audience: Audience = model.audience  # type: ignore[attr-defined]
    return audience.grants
