"""allauth hooks: queued e-mail, the client address, sign-in limits and notifications."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from twofold.lib.mail import queue_email
from twofold.lib.net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "site_name": "Twofold"}
        message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return super().get_login_redirect_url(request)

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
