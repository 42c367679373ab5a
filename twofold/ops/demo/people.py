"""The named demo people: the logins printed at the end of ``manage.py demo``.

Clinics, staff memberships and accounts are made directly (no action creates them); an
account gets a verified primary address, which allauth needs to sign in. Found by name
and e-mail, so a second run makes none of them twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password

from twofold.accounts.models import User
from twofold.care.models import Clinic, ClinicMembership
from twofold.couples.models import Partner
from twofold.ops.demo.common import DemoResult

PASSWORD = "twofold-demo"  # noqa: S105 - public demo logins, printed on purpose
DOMAIN = "twofold.example"

RIVERSIDE = "Riverside Clinic"
HARBOUR = "Harbour Clinic"

CLINICIAN_EMAIL = f"clinician@{DOMAIN}"
ADMIN_EMAIL = f"admin@{DOMAIN}"
HARBOUR_CLINICIAN_EMAIL = f"harbour.clinician@{DOMAIN}"
ALEX_EMAIL = f"alex@{DOMAIN}"
SAM_EMAIL = f"sam@{DOMAIN}"
ROBIN_EMAIL = f"robin@{DOMAIN}"
KAI_EMAIL = f"kai@{DOMAIN}"
JORDAN_EMAIL = f"jordan@{DOMAIN}"
JORDAN_PARTNER_EMAIL = f"jordan.partner@{DOMAIN}"

#: The people a demo visitor signs in as: e-mail -> display name.
PERSONAS: dict[str, str] = {
    CLINICIAN_EMAIL: "Dr Rivera",
    ADMIN_EMAIL: "Morgan",
    HARBOUR_CLINICIAN_EMAIL: "Dr Okafor",
    ALEX_EMAIL: "Alex",
    SAM_EMAIL: "Sam",
    ROBIN_EMAIL: "Robin",
    KAI_EMAIL: "Kai",
    JORDAN_EMAIL: "Jordan",
}

#: First names of the named personas; synthetic couples never reuse them.
RESERVED_NAMES = frozenset({"Alex", "Sam", "Robin", "Kai", "Jordan", "Morgan"})


@dataclass(frozen=True)
class Cast:
    """The named people, found or created."""

    riverside: Clinic
    harbour: Clinic
    rivera: User
    alex: User
    sam: User
    robin: User
    kai: User
    jordan: User


def logins_table() -> str:
    rows = [
        ("clinician", CLINICIAN_EMAIL),
        ("clinic admin", ADMIN_EMAIL),
        ("couple (with clinic)", f"{ALEX_EMAIL} + {SAM_EMAIL}"),
        ("couple (on their own)", f"{ROBIN_EMAIL} + {KAI_EMAIL}"),
        ("waiting for partner", JORDAN_EMAIL),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"Demo logins (password: {PASSWORD})"]
    lines += [f"  {label.ljust(width)}{value}" for label, value in rows]
    lines.append(f"Open {settings.SITE_URL}")
    return "\n".join(lines)


def clinic(name: str) -> Clinic:
    found = Clinic.objects.filter(name=name).order_by("created_at").first()
    return found or Clinic.objects.create(name=name)


def verify(users: Iterable[User]) -> None:
    """Each user gets a verified, primary address (allauth requires one to sign in)."""
    users = list(users)
    existing = dict(EmailAddress.objects.filter(user__in=users).values_list("email", "verified"))
    EmailAddress.objects.filter(user__in=users, verified=False).update(verified=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
            if u.email not in existing
        ]
    )


def account(email: str, name: str, password_hash: str) -> tuple[User, bool]:
    """The account of ``email`` with a verified address; True when made just now."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "password": password_hash}
    )
    verify([user])
    return user, created


def member(place: Clinic, user: User, role: str) -> None:
    ClinicMembership.objects.get_or_create(clinic=place, user=user, role=role, ended_at=None)


def seat_of(user: User) -> Partner | None:
    return Partner.objects.filter(user=user, left_at__isnull=True).select_related("couple").first()


def create_people(result: DemoResult) -> Cast:
    """Find or create the named clinics, staff and partners (not their couples yet)."""
    password_hash = make_password(PASSWORD)

    def person(email: str) -> User:
        user, created = account(email, PERSONAS[email], password_hash)
        if created:
            result.named_created.append(email)
        return user

    riverside, harbour = clinic(RIVERSIDE), clinic(HARBOUR)
    rivera = person(CLINICIAN_EMAIL)
    member(riverside, rivera, ClinicMembership.Role.CLINICIAN)
    member(riverside, person(ADMIN_EMAIL), ClinicMembership.Role.ADMIN)
    member(harbour, person(HARBOUR_CLINICIAN_EMAIL), ClinicMembership.Role.CLINICIAN)
    return Cast(
        riverside=riverside,
        harbour=harbour,
        rivera=rivera,
        alex=person(ALEX_EMAIL),
        sam=person(SAM_EMAIL),
        robin=person(ROBIN_EMAIL),
        kai=person(KAI_EMAIL),
        jordan=person(JORDAN_EMAIL),
    )
