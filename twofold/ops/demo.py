"""Demo data: named personas to sign in as, plus optional synthetic couples with history.

Everything here is idempotent: people are found by e-mail, clinics by name, couples by
their first partner's seat, so running it again creates nothing twice. History (dates
spread over past weeks, withdrawn consents, audit events, program plans and practice) is
only written for a couple in the run that creates it; the named couples' program data is
each guarded by an existence check instead, so an older demo database gains it too.

Used by ``manage.py demo``; a plain module so that tests and other tools can reuse it.
"""

from __future__ import annotations

import random
import secrets
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, Clinic, ClinicMembership
from twofold.couples import actions, consent_texts
from twofold.couples.models import Consent, Couple, Invitation, Partner, hash_token
from twofold.program import actions as program_actions
from twofold.program import boundaries, content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    ProgramVersion,
    StageApproval,
    StageReadiness,
)

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

#: Gender-neutral first names from many places, for synthetic couples.
SYNTHETIC_NAMES: tuple[str, ...] = (
    "Ari", "Noa", "Eli", "Rowan", "Sasha", "Quinn", "Avery", "Charlie",
    "Jamie", "Taylor", "Casey", "Riley", "Emerson", "Finley", "Hayden", "Jesse",
    "Kendall", "Marlowe", "Nico", "Oakley", "Parker", "Reese", "Sage", "Skyler",
    "Tatum", "Wren", "Yuki", "Hikaru", "Akira", "Ren", "Haru", "Sora",
    "Min", "Jin", "Nour", "Amani", "Imani", "Ayo", "Femi", "Dara",
    "Rio", "Tal", "Lior", "Shai", "Noam", "Yael", "Sol", "Paz",
    "Ira", "Kiran", "Rumi", "Sunny", "Shiloh", "Indigo", "Remy", "Elliot",
    "Frankie", "Harper", "Blair", "Jules", "Kit", "Toni", "Camille", "Dominique",
    "Maxime", "Eden", "Aviv", "Mika", "Zhen", "Hui", "Ming", "Amari",
    "Onyx", "Ellis", "Arden", "Lumi", "Kamal", "Anan", "Sevda", "Deniz",
)  # fmt: skip

if len(SYNTHETIC_NAMES) < 60 or len(set(SYNTHETIC_NAMES)) != len(SYNTHETIC_NAMES):
    raise RuntimeError("SYNTHETIC_NAMES needs at least 60 different names")
if {n.casefold() for n in SYNTHETIC_NAMES} & {n.casefold() for n in RESERVED_NAMES}:
    raise RuntimeError("SYNTHETIC_NAMES must not reuse the named personas' names")

CARE_NOTES = (
    "First session went well. Both keen to go slowly.",
    "Talked through the week's exercises together. Agreed to keep the same pace for now.",
)

#: How many synthetic couples are written per batch (one bulk insert per table).
BATCH_SIZE = 100


@dataclass
class DemoResult:
    couples_created: int = 0
    couples_existing: int = 0
    access_events: int = 0
    named_created: list[str] = field(default_factory=list)


def synthetic_email(index: int, seat: str) -> str:
    return f"demo.couple{index:03d}.{seat}@{DOMAIN}"


def synthetic_names(index: int) -> tuple[str, str]:
    """The two display names of synthetic couple ``index`` (1-based); stable across runs."""
    n = len(SYNTHETIC_NAMES)
    k = index - 1
    a = k % n
    b = (a + n // 2 + k // n) % n
    if b == a:
        b = (b + 1) % n
    return SYNTHETIC_NAMES[a], SYNTHETIC_NAMES[b]


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


# --- named personas ------------------------------------------------------------------


def _clinic(name: str) -> Clinic:
    clinic = Clinic.objects.filter(name=name).order_by("created_at").first()
    return clinic or Clinic.objects.create(name=name)


def _verify(users: Iterable[User]) -> None:
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


def _person(email: str, name: str, password_hash: str, result: DemoResult) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "password": password_hash}
    )
    if created:
        result.named_created.append(email)
    _verify([user])
    return user


def _member(clinic: Clinic, user: User, role: str) -> None:
    ClinicMembership.objects.get_or_create(clinic=clinic, user=user, role=role, ended_at=None)


def _seat(user: User) -> Partner | None:
    return Partner.objects.filter(user=user, left_at__isnull=True).select_related("couple").first()


def _couple_of(
    a: User, b: User | None, *, clinic: Clinic | None, created_by: User
) -> tuple[Couple, bool]:
    """The couple ``a`` holds seat A in, created (with ``b`` in seat B) if there is none."""
    seat = _seat(a)
    created = seat is None
    if seat is None:
        couple = Couple.objects.create(
            mode=Couple.Mode.GUIDED if clinic else Couple.Mode.SELF,
            clinic=clinic,
            created_by=created_by,
        )
        Partner.objects.create(couple=couple, user=a, seat=Partner.Seat.A)
    else:
        couple = seat.couple
    if b is not None and _seat(b) is None:
        taken = set(couple.partners.filter(left_at__isnull=True).values_list("seat", flat=True))
        free = [s for s in Partner.Seat if s not in taken]
        if free:
            Partner.objects.create(couple=couple, user=b, seat=free[0])
    return couple, created


def _consent(couple: Couple, people: Sequence[User], kinds: Sequence[str]) -> None:
    vars(couple).pop("active_partners", None)  # seats may have changed: read them again
    for person in people:
        for kind in kinds:
            actions.give_consent(person, couple, kind)


def create_personas(result: DemoResult) -> User:
    """Create (or find) the named clinics, staff and couples. Returns Dr Rivera."""
    password_hash = make_password(PASSWORD)

    def person(email: str) -> User:
        return _person(email, PERSONAS[email], password_hash, result)

    riverside = _clinic(RIVERSIDE)
    harbour = _clinic(HARBOUR)
    rivera = person(CLINICIAN_EMAIL)
    _member(riverside, rivera, ClinicMembership.Role.CLINICIAN)
    _member(riverside, person(ADMIN_EMAIL), ClinicMembership.Role.ADMIN)
    _member(harbour, person(HARBOUR_CLINICIAN_EMAIL), ClinicMembership.Role.CLINICIAN)

    # Alex and Sam: guided by Dr Rivera at Riverside, consented to taking part and care.
    alex, sam = person(ALEX_EMAIL), person(SAM_EMAIL)
    guided, created = _couple_of(alex, sam, clinic=riverside, created_by=rivera)
    CareAssignment.objects.get_or_create(couple=guided, clinician=rivera, ended_at=None)
    _consent(guided, [alex, sam], [Consent.Kind.PARTICIPATION, Consent.Kind.CARE])
    if created:
        now = timezone.now()
        for offset, text in enumerate(CARE_NOTES):
            CareNote.objects.create(
                couple=guided, author=rivera, text=text, created_at=now + timedelta(seconds=offset)
            )

    # Robin and Kai: on their own, consented to taking part.
    robin, kai = person(ROBIN_EMAIL), person(KAI_EMAIL)
    own, _ = _couple_of(robin, kai, clinic=None, created_by=robin)
    _consent(own, [robin, kai], [Consent.Kind.PARTICIPATION])

    # Jordan: started alone and is waiting for their partner to accept an invitation.
    jordan = person(JORDAN_EMAIL)
    seat = _seat(jordan)
    waiting = seat.couple if seat else actions.start_couple(jordan)
    _consent(waiting, [jordan], [Consent.Kind.PARTICIPATION])
    if not waiting.invitations.pending().filter(role=Invitation.Role.PARTNER).exists():
        Invitation.issue(
            email=JORDAN_PARTNER_EMAIL,
            role=Invitation.Role.PARTNER,
            couple=waiting,
            invited_by=jordan,
        )
    return rivera


# --- synthetic couples ---------------------------------------------------------------


@dataclass
class _Batch:
    users: list[User] = field(default_factory=list)
    couples: list[Couple] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    assignments: list[CareAssignment] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    events: list[AccessEvent] = field(default_factory=list)
    # Partner and consent rows wait for their user's primary key: (user email, row).
    pending: list[tuple[str, Partner | Consent]] = field(default_factory=list)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return end
    return start + (end - start) * rng.random()


def _plan_couple(
    batch: _Batch,
    index: int,
    *,
    clinic: Clinic,
    clinician: User,
    now: datetime,
    weeks: int,
    password_hash: str,
) -> None:
    """Add the rows of synthetic couple ``index`` (history included) to ``batch``."""
    rng = random.Random(index)  # noqa: S311 - demo data, deterministic on purpose
    span = timedelta(weeks=weeks)
    created_at = now - span * rng.random()
    names = synthetic_names(index)
    one_partner_only = index % 5 == 0
    withdraws_care = index % 7 == 0

    couple = Couple(
        mode=Couple.Mode.GUIDED, clinic=clinic, created_by=clinician, created_at=created_at
    )
    batch.couples.append(couple)
    batch.assignments.append(
        CareAssignment(couple=couple, clinician=clinician, assigned_at=created_at)
    )

    joined_at = created_at
    for seat, name in zip(Partner.Seat, names, strict=True):
        email = synthetic_email(index, seat.value)
        if seat == Partner.Seat.B and one_partner_only:
            # The clinician's invitation is still waiting (re-sent recently if it's old).
            ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
            sent_at = max(created_at, now - ttl / 2 * rng.random())
            batch.invitations.append(
                Invitation(
                    email=email,
                    display_name=name,
                    role=Invitation.Role.PARTNER,
                    couple=couple,
                    invited_by=clinician,
                    token_hash=hash_token(secrets.token_urlsafe(32)),
                    created_at=sent_at,
                    expires_at=sent_at + ttl,
                )
            )
            break
        joined_at = _between(rng, joined_at, min(now, joined_at + timedelta(days=4)))
        batch.users.append(
            User(email=email, display_name=name, password=password_hash, date_joined=joined_at)
        )
        batch.pending.append((email, Partner(couple=couple, seat=seat.value, joined_at=joined_at)))
        given_at = min(now, joined_at + timedelta(minutes=rng.randint(2, 30)))
        for kind in (Consent.Kind.PARTICIPATION, Consent.Kind.CARE):
            text = consent_texts.current(kind)
            withdrawn_at = None
            if kind == Consent.Kind.CARE and withdraws_care and seat == Partner.Seat.A:
                withdrawn_at = _between(rng, given_at, now)
            consent = Consent(
                couple=couple,
                clinic=clinic if kind == Consent.Kind.CARE else None,
                kind=kind,
                version=text.version,
                text_sha256=text.sha256,
                given_at=given_at,
                withdrawn_at=withdrawn_at,
            )
            batch.pending.append((email, consent))

    # Dr Rivera looks at the couple's overview roughly once a week.
    seen_at = created_at + timedelta(hours=rng.uniform(1, 72))
    while seen_at < now:
        batch.events.append(
            AccessEvent(
                at=seen_at,
                actor=clinician,
                actor_name=str(clinician)[:120],
                actor_role="clinician",
                clinic=clinic,
                action=AccessEvent.Action.READ,
                couple=couple,
                couple_reference=couple.reference,
                what="couple.overview",
                ip_address="127.0.0.1",
            )
        )
        seen_at += timedelta(days=rng.uniform(5, 9))


def _write(batch: _Batch) -> None:
    users = User.objects.bulk_create(batch.users)
    by_email = {u.email: u for u in users}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    Couple.objects.bulk_create(batch.couples)
    for email, row in batch.pending:
        row.user = by_email[email]
    CareAssignment.objects.bulk_create(batch.assignments)
    Partner.objects.bulk_create([r for _, r in batch.pending if isinstance(r, Partner)])
    Consent.objects.bulk_create([r for _, r in batch.pending if isinstance(r, Consent)])
    Invitation.objects.bulk_create(batch.invitations)
    AccessEvent.objects.bulk_create(batch.events, batch_size=500)


def existing_synthetic(count: int) -> set[int]:
    """Indices (1..count) of synthetic couples already there: their seat A is taken."""
    emails = {synthetic_email(i, "a"): i for i in range(1, count + 1)}
    taken = Partner.objects.filter(user__email__in=list(emails), left_at__isnull=True).values_list(
        "user__email", flat=True
    )
    return {emails[e] for e in taken}


def create_synthetic(
    count: int, weeks: int, *, clinician: User, result: DemoResult, progress: bool = True
) -> None:
    clinic = _clinic(RIVERSIDE)
    existing = existing_synthetic(count)
    # A half-made couple (user without a seat) would clash on the e-mail: skip its index.
    missing = [i for i in range(1, count + 1) if i not in existing]
    stale = set(
        User.objects.filter(
            email__in=[synthetic_email(i, s) for i in missing for s in ("a", "b")]
        ).values_list("email", flat=True)
    )
    todo = [
        i
        for i in missing
        if synthetic_email(i, "a") not in stale and synthetic_email(i, "b") not in stale
    ]
    result.couples_existing = count - len(todo)
    if not todo:
        return
    now = timezone.now()
    password_hash = make_password(PASSWORD)
    with tqdm(
        total=len(todo), desc="Demo couples", unit="couple", file=sys.stderr, disable=not progress
    ) as bar:
        for start in range(0, len(todo), BATCH_SIZE):
            batch = _Batch()
            chunk = todo[start : start + BATCH_SIZE]
            for index in chunk:
                _plan_couple(
                    batch,
                    index,
                    clinic=clinic,
                    clinician=clinician,
                    now=now,
                    weeks=weeks,
                    password_hash=password_hash,
                )
            _write(batch)
            result.couples_created += len(chunk)
            result.access_events += len(batch.events)
            bar.update(len(chunk))


def create_demo(couples: int = 0, weeks: int = 12, *, progress: bool = True) -> DemoResult:
    """Create the demo personas and ``couples`` synthetic couples with ``weeks`` of history."""
    if couples < 0 or weeks < 0:
        raise ValueError("couples and weeks cannot be negative")
    result = DemoResult()
    with transaction.atomic():
        rivera = create_personas(result)
        create_synthetic(couples, weeks, clinician=rivera, result=result, progress=progress)
    return result
