"""The time that actions write: "now", unless a block of code has moved it.

Actions call :func:`now` and :func:`localdate` instead of ``django.utils.timezone``'s, so
that a caller outside a request can write history in the past through the very same
actions: the demo opens a couple five weeks ago, and a partner checks in last Saturday.
Inside ``with clock.moved_to(moment):`` time starts at ``moment`` and runs on from there
(each reading is later than the one before, so rows written one after another keep their
order). Model fields that default to ``django.utils.timezone.now`` take the moved time
too, for rows made inside the block. Outside any block nothing changes.

The moved time belongs to the current thread (or task) only: a request served meanwhile
by another thread still sees the real time.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.db.models import Model
from django.db.models.signals import pre_init
from django.utils import timezone


@dataclass
class _Moved:
    start: datetime  # the moment the block moved to
    real_start: datetime  # the real time when it did
    last: datetime | None = None


_moved: contextvars.ContextVar[_Moved | None] = contextvars.ContextVar(
    "twofold_clock_moved", default=None
)

_TICK = timedelta(microseconds=1)


def now() -> datetime:
    """The current time (aware), or the moved time inside :func:`moved_to`."""
    moved = _moved.get()
    real = timezone.now()
    if moved is None:
        return real
    reading = moved.start + (real - moved.real_start)
    if moved.last is not None and reading <= moved.last:
        reading = moved.last + _TICK
    moved.last = reading
    return reading


def localdate(value: datetime | None = None) -> date:
    """The date of ``value`` (default: :func:`now`) in the active time zone."""
    return timezone.localdate(value if value is not None else now())


@contextmanager
def moved_to(moment: datetime) -> Iterator[datetime]:
    """Within the block, time starts at ``moment`` (aware) and runs on from there."""
    if timezone.is_naive(moment):
        raise ValueError("moved_to needs an aware datetime")
    token = _moved.set(_Moved(start=moment, real_start=timezone.now()))
    try:
        yield moment
    finally:
        _moved.reset(token)


def is_moved() -> bool:
    return _moved.get() is not None


@cache
def _now_defaults(model: type[Model]) -> tuple[tuple[str, str], ...]:
    """(name, attname) of ``model``'s fields whose default is ``timezone.now``."""
    return tuple(
        (f.name, f.attname)
        for f in model._meta.concrete_fields
        if getattr(f, "default", None) is timezone.now
    )


def _default_to_moved_time(sender: type[Model], args: Any, kwargs: Any, **_: Any) -> None:
    """A row made inside :func:`moved_to` gets the moved time for its "now" defaults.

    Rows loaded from the database (positional values) are left alone.
    """
    if args or _moved.get() is None:
        return
    for name, attname in _now_defaults(sender):
        if name not in kwargs and attname not in kwargs:
            kwargs[name] = now()


pre_init.connect(_default_to_moved_time, weak=False, dispatch_uid="twofold.lib.clock")
