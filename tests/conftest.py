"""Persona fixtures: the people every test talks about.

* ``partner_a`` (Alex) and ``partner_b`` (Sam): a couple guided by ``clinician`` at
  Riverside; both joined and consented to taking part and to care sharing.
* ``clinician``: on Alex and Sam's care team. ``other_clinician``: Harbour clinic, not.
* ``clinic_admin``: runs Riverside; sees no partner content. ``anon``: not signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.factories import ClinicFactory, UserFactory, make_couple, make_staff
from twofold.accounts.models import User
from twofold.care.models import Clinic
from twofold.couples.models import Couple


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TWOFOLD_ENFORCE_STAFF_MFA = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def clinic(db: None) -> Clinic:
    return ClinicFactory(name="Riverside Clinic")


@pytest.fixture
def other_clinic(db: None) -> Clinic:
    return ClinicFactory(name="Harbour Clinic")


@pytest.fixture
def clinician(clinic: Clinic) -> User:
    return make_staff(clinic, "clinician", email="clinician@example.org", display_name="Dr Rivera")


@pytest.fixture
def other_clinician(other_clinic: Clinic) -> User:
    return make_staff(
        other_clinic, "clinician", email="other@example.org", display_name="Dr Okafor"
    )


@pytest.fixture
def clinic_admin(clinic: Clinic) -> User:
    return make_staff(clinic, "admin", email="admin@example.org", display_name="Morgan")


@pytest.fixture
def partner_a(db: None) -> User:
    return UserFactory(email="alex@example.org", display_name="Alex")


@pytest.fixture
def partner_b(db: None) -> User:
    return UserFactory(email="sam@example.org", display_name="Sam")


@pytest.fixture
def couple(partner_a: User, partner_b: User, clinic: Clinic, clinician: User) -> Couple:
    return make_couple(partner_a, partner_b, clinic=clinic, clinician=clinician)


@pytest.fixture
def anon(db: None) -> None:
    return None


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client signed in as the given person (or anonymous for None)."""

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def personas(
    couple: Couple,
    partner_a: User,
    partner_b: User,
    clinician: User,
    other_clinician: User,
    clinic_admin: User,
) -> dict[str, User | None]:
    return {
        "partner_a": partner_a,
        "partner_b": partner_b,
        "clinician": clinician,
        "other_clinician": other_clinician,
        "clinic_admin": clinic_admin,
        "anon": None,
    }
