"""Demo data: named people to sign in as, their story, and optional synthetic couples.

Split by job:

* :mod:`~twofold.ops.demo.people`: the named logins (clinics, staff, partners' accounts);
* :mod:`~twofold.ops.demo.story`: the named couples' history (plans, boundaries, practice,
  goals, check-ins, adjustment cycles, journal, moments, appreciation, care notes);
* :mod:`~twofold.ops.demo.synthetic`: ``--couples N --weeks W``, a caseload of made-up
  couples with weeks of history.

History is written through the real actions, each at its moment in the past with
``twofold.lib.clock.moved_to``; only rows no action makes (clinics, staff memberships,
accounts, and the synthetic couples' seats) are created directly. Everything is
idempotent: people are found by e-mail, clinics by name, couples by their first
partner's seat, and each part of the story by an existence check, so running it again
creates nothing twice and an older demo database gains only what it lacks.

Used by ``manage.py demo``; plain modules so that tests and other tools can reuse them.
"""

from __future__ import annotations

from django.db import transaction

from twofold.ops.demo import story
from twofold.ops.demo.common import DemoResult, staff_audit
from twofold.ops.demo.people import PASSWORD, PERSONAS, RESERVED_NAMES, create_people, logins_table
from twofold.ops.demo.synthetic import (
    SYNTHETIC_NAMES,
    create_synthetic,
    plan_couple,
    program_version,
    synthetic_email,
    synthetic_names,
)

__all__ = [
    "PASSWORD",
    "PERSONAS",
    "RESERVED_NAMES",
    "SYNTHETIC_NAMES",
    "DemoResult",
    "create_demo",
    "logins_table",
    "plan_couple",
    "program_version",
    "synthetic_email",
    "synthetic_names",
]


def create_demo(couples: int = 0, weeks: int = 12, *, progress: bool = True) -> DemoResult:
    """Create the demo personas and ``couples`` synthetic couples with ``weeks`` of history."""
    if couples < 0 or weeks < 0:
        raise ValueError("couples and weeks cannot be negative")
    result = DemoResult()
    audit = staff_audit()
    with transaction.atomic():
        cast = create_people(result)
        story.tell(cast, audit)
        create_synthetic(
            couples, weeks, clinician=cast.rivera, audit=audit, result=result, progress=progress
        )
    return result
