"""Per-request rules for signed-in people: their time zone, and the idle sign-out.

The MFA rule for care staff lives with the clinics (:mod:`twofold.care.middleware`):
whether someone is care staff is a clinic fact, above accounts.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh


class UserTimezoneMiddleware:
    """Show times in the viewer's own time zone; they are stored in UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz_name = getattr(request.user, "time_zone", None)
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


# A request the page sends by itself (the talk page's refresh every two seconds) carries
# this header; it is not activity. htmx sends it from ``hx-headers`` on the polling element.
BACKGROUND_HEADER = "Twofold-Background"
LAST_ACTIVITY = "twofold_last_activity"


def is_background_poll(request: HttpRequest) -> bool:
    """A GET the page made on its own, not something the person did.

    Only reads count: a press inside a polling region inherits the header, and is activity.
    """
    return request.method in ("GET", "HEAD") and request.headers.get(BACKGROUND_HEADER) == "poll"


class IdleTimeoutMiddleware:
    """Sign out after ``TWOFOLD_IDLE_TIMEOUT_MINUTES`` (``SESSION_COOKIE_AGE``) without
    activity.

    Every page, form or button the person uses is activity; a background poll is not, so
    a forgotten screen that keeps polling is signed out on time like any other. (Where no
    request comes at all, the session cookie's own age ends the session.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(LAST_ACTIVITY)
            if isinstance(last, int) and now - last > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a quiet while, to keep your information private."),
                )
                if request.headers.get("HX-Request") == "true":
                    # A fragment can't hold the sign-in page: the browser reloads the page.
                    return HttpResponseClientRefresh()
            elif last is None or not is_background_poll(request):
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)
