"""allauth hooks: queued e-mail, the client address, sign-in limits and notifications."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from twofold.lib.mail import queue_email
from twofold.lib.net import client_ip

# In the session: when the signed-in person last signed in before this time (ISO 8601).
PREVIOUS_SIGN_IN = "twofold_previous_sign_in"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's refusals, in Twofold's words; the rest stay allauth's own.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "That e-mail address and password don't go together. Please check both and try again."
        ),
        "incorrect_code": _(
            "That code doesn't match. Please check it and try again, or ask for a new one."
        ),
        "incorrect_password": _("That isn't your password. Please try again."),
        "enter_current_password": _("Please enter the password you use now."),
        "too_many_login_attempts": _(
            "That was a lot of tries. Please wait a little while, then try again."
        ),
        "rate_limited": _("That was a lot of tries. Please wait a little while, then try again."),
        "cannot_remove_primary_email": _(
            "Your main e-mail address stays. To remove it, make another address your main one "
            "first."
        ),
        "duplicate_email": _("That address is already on your account."),
        "unverified_primary_email": _(
            "Please confirm that address first; then it can be your main one."
        ),
        "invalid_password_reset": _("This link no longer works. Please ask for a new one."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "site_name": "Twofold"}
        message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return super().get_login_redirect_url(request)

    def login(self, request: HttpRequest, user: Any) -> None:
        """Sign in, keeping when this person last signed in before now, so their home can
        say what changed since (read from the session: a page view never writes)."""
        previous = user.last_login
        super().login(request, user)
        if previous is not None:
            request.session[PREVIOUS_SIGN_IN] = previous.isoformat()

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's per-address rate limits count: the same as the audit's."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The "key" of the failed sign-in limit: this account *from this address*.

        allauth keys it by the account alone, so anybody who knows a person's e-mail could
        lock them out by typing wrong passwords. Keyed by account and address, a flood
        only locks out the address it comes from; the per-address limit still caps how
        many accounts one address can try.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_ip(request)}"

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        super().send_notification_mail(template_prefix, user, context, email)
        # allauth tells the primary address that another one was removed; the removed
        # address hears about it too, in case the primary is now someone else's.
        removed = (context or {}).get("deleted_email")
        if template_prefix == "account/email/email_deleted" and removed and removed != email:
            super().send_notification_mail(template_prefix, user, context, removed)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "That code doesn't match. Please try the newest code your app shows; if it still "
            "doesn't work, check that your phone's clock is right."
        ),
        "unverified_email": _(
            "Please confirm your e-mail address first, then set up two-step sign-in."
        ),
        "cannot_delete_authenticator": _("Two-step sign-in can't be turned off here."),
        "cannot_generate_recovery_codes": _(
            "Recovery codes come with two-step sign-in: set up the authenticator app first."
        ),
        "add_email_blocked": _(
            "While two-step sign-in is on, a new e-mail address can't be added here."
        ),
    }
