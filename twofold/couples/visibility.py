"""The one visibility rule (PRODUCT.md §4). Every read of partner data goes through here.

Each model that holds partner data declares an ``audience`` and uses
:class:`PartnerDataQuerySet`; views read it with ``Model.objects.visible_to(user)`` or
the ``get_*_for_user`` helpers in :mod:`twofold.couples.access`, which answer 404 for
"missing" and "not yours" alike. Templates never decide who may see what.

Who is who:

* a **partner** is a user with an active seat in the couple;
* the **care team** is the clinicians with an active assignment to the couple who are
  still active clinicians of the couple's clinic;
* clinic admins run a clinic and see no partner content at all.

Audiences:

``COUPLE_RECORD``
    Facts needed to run the relationship (who joined, consents, invitations, care team):
    both partners and the care team.
``SHARED``
    Content of the couple's shared space: both partners; the care team only while every
    partner who has joined keeps their care consent. Withdrawing it stops sharing from
    that moment, without deleting anything.
``OWNER_AND_CARE``
    About one partner (``owner``): that partner; the care team while the owner keeps
    their care consent. The other partner never.
``PRIVATE``
    The owner alone, unless the model declares sharing flags (``partner_share_field``,
    ``care_share_field``) that the owner has switched on.
``CARE_TEAM``
    Written by the care team for the care team (e.g. clinician notes).
``MUTUAL_REVEAL``
    Answers to a shared round (the weekly check-in): the owner; the other partner only
    once they have submitted their own answers for the same round (``round_field``);
    the care team while the owner keeps their care consent. Items the owner marked
    private are removed for the partner by the model (``answers_for(viewer)``).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from twofold.accounts.models import User

M = TypeVar("M", bound=models.Model)


class Audience(enum.Enum):
    COUPLE_RECORD = "couple_record"
    SHARED = "shared"
    OWNER_AND_CARE = "owner_and_care"
    PRIVATE = "private"
    CARE_TEAM = "care_team"
    MUTUAL_REVEAL = "mutual_reveal"


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


def _care_consent(partner_field: str = "user_id", couple_field: str = "couple_id") -> Exists:
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
    Consent = _model("couples.Consent")
    seat_without_consent = Partner.objects.filter(
        couple_id=OuterRef("pk"), left_at__isnull=True
    ).exclude(
        Exists(
            Consent.objects.filter(
                kind="care",
                withdrawn_at__isnull=True,
                user_id=OuterRef("user_id"),
                couple_id=OuterRef("couple_id"),
            )
        )
    )
    return (
        Couple.objects.filter(pk__in=care_team_couple_ids(user))
        .exclude(Exists(seat_without_consent))
        .values("pk")
    )


def owner_care_consent(owner_field: str, couple_field: str) -> Exists:
    """True where the row's owner holds an active care consent for the row's couple."""
    return _care_consent(owner_field, couple_field)


class PartnerDataQuerySet(models.QuerySet[M]):
    """QuerySet for models holding partner data; the model declares its ``audience``.

    Optional model attributes: ``couple_field`` (default ``"couple"``), ``owner_field``
    (default ``"owner"``), ``partner_share_field`` and ``care_share_field``.
    """

    def visible_to(self, user: Any) -> PartnerDataQuerySet[M]:
        if not _is_authenticated(user):
            return self.none()
        model = self.model
        audience: Audience = model.audience  # type: ignore[attr-defined]
        couple = getattr(model, "couple_field", "couple")
        owner = getattr(model, "owner_field", "owner")
        as_partner = Q(**{f"{couple}_id__in": partner_couple_ids(user)})
        as_care = Q(**{f"{couple}_id__in": care_team_couple_ids(user)})

        if audience is Audience.COUPLE_RECORD:
            return self.filter(as_partner | as_care)
        if audience is Audience.SHARED:
            return self.filter(as_partner | Q(**{f"{couple}_id__in": shared_care_couple_ids(user)}))
        if audience is Audience.CARE_TEAM:
            return self.filter(as_care)

        mine = Q(**{owner: user})
        if audience is Audience.OWNER_AND_CARE:
            return self.filter(
                mine | (as_care & Q(owner_care_consent(f"{owner}_id", f"{couple}_id")))
            )
        if audience is Audience.PRIVATE:
            condition = mine
            partner_flag = getattr(model, "partner_share_field", None)
            care_flag = getattr(model, "care_share_field", None)
            if partner_flag:
                condition |= as_partner & Q(**{partner_flag: True})
            if care_flag:
                condition |= (
                    as_care
                    & Q(**{care_flag: True})
                    & Q(owner_care_consent(f"{owner}_id", f"{couple}_id"))
                )
            return self.filter(condition)
        if audience is Audience.MUTUAL_REVEAL:
            round_field = model.round_field  # type: ignore[attr-defined]
            own_answer = model._default_manager.filter(
                **{
                    f"{couple}_id": OuterRef(f"{couple}_id"),
                    round_field: OuterRef(round_field),
                    owner: user,
                }
            )
            return self.filter(
                mine
                | (as_partner & Q(Exists(own_answer)))
                | (as_care & Q(owner_care_consent(f"{owner}_id", f"{couple}_id")))
            )
        raise AssertionError(f"unknown audience {audience!r}")


def declared_partner_data_models() -> list[type[models.Model]]:
    """Every model that declares an audience (used by the policy's own tests)."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "audience", None), Audience)]


def is_partner(user: User | Any) -> bool:
    return partner_couple_ids(user).exists()
