"""How many invitations one person may send, and one address may receive, in a while.

An invitation is an e-mail to somebody who did not ask for it, so neither a person nor a
stolen account may use Twofold to flood inboxes, and nobody may bury one address in
invitations. Counts live in the shared cache (the database cache, or Redis when
``REDIS_URL`` is set), so every web process sees the same numbers. Windows are fixed
(this hour, this day): simple, and at worst twice the limit across a window's edge.
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
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=window)
