"""Clinicians and clinic admins enrol a second factor before seeing partner data."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from twofold.couples.roles import roles_for


def has_mfa(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Pages care staff can reach before enrolling: sign-in, MFA set-up, safety, static files.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/safety/", "/i18n/", "/healthz")


class StaffMFAMiddleware:
    """Clinicians and clinic admins enrol a second factor before seeing partner data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TWOFOLD_ENFORCE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and roles_for(request.user).is_care_staff
            and not has_mfa(request.user)
        ):
            messages.info(
                request,
                _(
                    "Before you can see anyone's information, please set up an "
                    "authenticator app for your account. It takes about a minute."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
