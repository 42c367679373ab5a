"""Security notices allauth does not send itself.

allauth (``ACCOUNT_EMAIL_NOTIFICATIONS``) announces a changed password, a changed primary
address and a removed address. It says nothing when an address is *added*, yet an added
address can then receive sign-in and password-reset codes, so the account's primary
address is told. allauth offers only its ``email_added`` signal for this moment, which
fires once the new address is confirmed (or saved, without confirmation by code).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.signals import email_added
from django.dispatch import receiver


@receiver(email_added, dispatch_uid="twofold.accounts.notify_email_added")
def notify_email_added(sender: Any, request: Any, user: Any, email_address: Any, **_: Any) -> None:
    if request is None or not getattr(user, "is_authenticated", False):
        return  # an address confirmed while signing up is the first one: nothing to tell
    get_adapter(request).send_notification_mail(
        "account/email/email_added", user, {"added_email": email_address.email}
    )
