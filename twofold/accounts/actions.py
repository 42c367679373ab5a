"""Writes to a person's own account: confirming their password, their privacy lock.

Like every app's actions these take the person as ``acting_user`` and never a request, and
refuse with :class:`~twofold.lib.errors.ActionError`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from twofold.accounts import ratelimits
from twofold.accounts.models import User
from twofold.lib.errors import ActionError


def confirm_password(password: str, *, acting_user: User, ip: str) -> None:
    """Check that ``password`` is ``acting_user``'s, or refuse; nothing else changes.

    Wrong passwords are counted and limited like failed sign-ins
    (:func:`~twofold.accounts.ratelimits.check_password_attempts`). An account without a
    usable password (one that signs in another way) is refused with ``no_password``.
    """
    if not acting_user.has_usable_password():
        raise ActionError(
            _("Your account doesn't have a password yet. Please set one first."), "no_password"
        )
    ratelimits.check_password_attempts(acting_user, ip)
    if not password or not acting_user.check_password(password):
        ratelimits.count_wrong_password(acting_user, ip)
        raise ActionError(
            _("That password isn't right, so nothing has changed. Please try again."),
            "wrong_password",
        )
    ratelimits.forget_wrong_passwords(acting_user, ip)


def set_privacy_lock(on: bool, *, acting_user: User, password: str, ip: str) -> None:
    """Turn ``acting_user``'s privacy lock on or off; it takes their password either way."""
    confirm_password(password, acting_user=acting_user, ip=ip)
    User.objects.filter(pk=acting_user.pk).update(privacy_lock=on)
    acting_user.privacy_lock = on
