"""How often something may be tried in a while: invitations, and passwords at the lock.

An invitation is an e-mail to somebody who did not ask for it, so neither a person nor a
stolen account may use Twofold to flood inboxes, and nobody may bury one address in
invitations.

The privacy lock (:mod:`twofold.accounts.privacy_lock`) asks a signed-in person for their
password; wrong passwords there are limited like failed sign-ins (``login_failed`` in
``ACCOUNT_RATE_LIMITS``): a few per account in five minutes, and more per client address
in a minute, so somebody holding the device cannot guess at it.

Counts live in the shared cache (the database cache, or Redis when ``REDIS_URL`` is set),
so every web process sees the same numbers. Windows are fixed (this hour, this day):
simple, and at worst twice the limit across a window's edge.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from twofold.lib.errors import ActionError

HOUR = 60 * 60
DAY = 24 * HOUR
# (how many, per how many seconds). A clinician setting up a caseload sends two per couple.
PER_SENDER = [(30, HOUR), (100, DAY)]
PER_RECIPIENT = [(3, HOUR), (5, DAY)]
# Wrong passwords at the privacy lock, as for sign-in: 5 per account in 5 minutes (from
# anywhere: the person is already signed in, so only the holder of the session can try),
# 10 per client address in a minute.
WRONG_PASSWORDS_PER_ACCOUNT = [(5, 5 * 60)]
WRONG_PASSWORDS_PER_ADDRESS = [(10, 60)]


def _buckets(sender: Any, email: str, now: float) -> list[tuple[str, int, int]]:
    # The address is hashed: cache keys are stored in the clear (the database cache).
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    buckets = [("sender", str(sender.pk), limit, window) for limit, window in PER_SENDER]
    buckets += [("to", address, limit, window) for limit, window in PER_RECIPIENT]
    return [
        (f"twofold:invitations:{kind}:{who}:{window}:{int(now // window)}", limit, window)
        for kind, who, limit, window in buckets
    ]


def check_invitation_rate(sender: Any, email: str) -> None:
    """Count one invitation from ``sender`` to ``email``, or refuse it (nothing is counted).

    Call it after every other check, just before the invitation is created and sent. The
    refusal reads the same whichever limit was reached, so it never tells the sender that
    somebody else has been inviting that address.
    """
    buckets = _buckets(sender, email, time.time())
    counts = cache.get_many([key for key, _limit, _window in buckets])
    if any(counts.get(key, 0) >= limit for key, limit, _window in buckets):
        raise ActionError(
            _(
                "This invitation wasn't sent, because a lot of invitations have gone out in "
                "a short time. Please try again in an hour or so."
            ),
            "too_many_invitations",
        )
    for key, _limit, window in buckets:
        _count(key, window)


def _password_buckets(user: Any, ip: str, now: float) -> list[tuple[str, int, int]]:
    address = hashlib.sha256(ip.encode()).hexdigest()[:32]
    buckets = [("account", str(user.pk), limit, w) for limit, w in WRONG_PASSWORDS_PER_ACCOUNT]
    buckets += [("from", address, limit, w) for limit, w in WRONG_PASSWORDS_PER_ADDRESS]
    return [
        (f"twofold:lock-passwords:{kind}:{who}:{window}:{int(now // window)}", limit, window)
        for kind, who, limit, window in buckets
    ]


def check_password_attempts(user: Any, ip: str) -> None:
    """Refuse to try a password for ``user`` from ``ip`` while too many were wrong lately.

    Call it before checking the password; :func:`count_wrong_password` after a wrong one.
    """
    buckets = _password_buckets(user, ip, time.time())
    counts = cache.get_many([key for key, _limit, _window in buckets])
    if any(counts.get(key, 0) >= limit for key, limit, _window in buckets):
        raise ActionError(
            _(
                "That has been tried a lot in a short time, so it stays locked for now. "
                "Please wait a few minutes, then try again."
            ),
            "too_many_attempts",
        )


def count_wrong_password(user: Any, ip: str) -> None:
    for key, _limit, window in _password_buckets(user, ip, time.time()):
        _count(key, window)


def forget_wrong_passwords(user: Any, ip: str) -> None:
    """The right password was given: the account's count starts again (the address's stays)."""
    cache.delete_many(
        [key for key, _l, _w in _password_buckets(user, ip, time.time()) if ":account:" in key]
    )


def _count(key: str, window: int) -> None:
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
