"""What a signed-in person is to Twofold: partner, clinician, clinic admin (or several).

Roles live beside couples and clinics, not in accounts: they are read from a person's seat
in a couple and their clinic memberships, and accounts sits below both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from twofold.care.models import Clinic, ClinicMembership
from twofold.couples.models import Partner


@dataclass
class Roles:
    partner: Partner | None = None
    clinician_clinics: list[Clinic] = field(default_factory=list)
    admin_clinics: list[Clinic] = field(default_factory=list)

    @property
    def is_partner(self) -> bool:
        return self.partner is not None

    @property
    def is_clinician(self) -> bool:
        return bool(self.clinician_clinics)

    @property
    def is_clinic_admin(self) -> bool:
        return bool(self.admin_clinics)

    @property
    def is_care_staff(self) -> bool:
        return self.is_clinician or self.is_clinic_admin


def roles_for(user: Any) -> Roles:
    """Roles of ``user``, computed once per user object (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_twofold_roles", None)
    if cached is not None:
        return cached
    roles = Roles(
        partner=Partner.objects.filter(user=user, left_at__isnull=True)
        .select_related("couple", "couple__clinic")
        .first()
    )
    for membership in ClinicMembership.objects.filter(
        user=user, ended_at__isnull=True
    ).select_related("clinic"):
        if membership.role == ClinicMembership.Role.CLINICIAN:
            roles.clinician_clinics.append(membership.clinic)
        else:
            roles.admin_clinics.append(membership.clinic)
    user._twofold_roles = roles
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a change (joining a couple or a clinic)."""
    if hasattr(user, "_twofold_roles"):
        del user._twofold_roles
