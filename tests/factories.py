"""Factories for tests. Prefer the persona fixtures in conftest.py for the usual people."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from twofold.accounts.models import User
from twofold.care.models import CareAssignment, Clinic, ClinicMembership
from twofold.couples import actions
from twofold.couples.models import Consent, Couple, Partner

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class ClinicFactory(factory.django.DjangoModelFactory[Clinic]):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")


def give_mfa(user: User) -> None:
    """A TOTP authenticator, so care staff pass the MFA enrolment rule."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )


def make_staff(clinic: Clinic, role: str, mfa: bool = True, **user_fields: Any) -> User:
    user = UserFactory(**user_fields)
    ClinicMembership.objects.create(clinic=clinic, user=user, role=role)
    if mfa:
        give_mfa(user)
    return user


def make_couple(
    a: User,
    b: User | None = None,
    *,
    clinic: Clinic | None = None,
    clinician: User | None = None,
    consent: bool = True,
    care_consent: bool = True,
) -> Couple:
    couple = Couple.objects.create(
        mode=Couple.Mode.GUIDED if clinic else Couple.Mode.SELF, clinic=clinic
    )
    Partner.objects.create(couple=couple, user=a, seat=Partner.Seat.A)
    if b is not None:
        Partner.objects.create(couple=couple, user=b, seat=Partner.Seat.B)
    if clinician is not None:
        CareAssignment.objects.create(couple=couple, clinician=clinician)
    for person in [p for p in (a, b) if p is not None]:
        if consent:
            actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=person)
        if clinic and care_consent:
            actions.give_consent(couple, Consent.Kind.CARE, acting_user=person)
    return couple
