"""The privacy lock: a person's most private pages ask for their password again.

A person turns the lock on (and off) on their privacy lock page, with their password
(:func:`twofold.accounts.actions.set_privacy_lock`). While it is on, every page guarded
by :func:`privacy_locked` shows a calm "Enter your password to open this" page instead of
anything of theirs, until they give their password. Then the lock stays open for
``TWOFOLD_PRIVACY_LOCK_MINUTES`` in that sign-in only (the time is kept in the session,
so signing out, the idle sign-out and quick exit all lock it again at once) and closes by
itself after that time. Turning it off is for this person alone: their partner's pages
never ask for anything.

How to guard a page: one line, directly under the page's gate, so that somebody who may
not see the page at all still gets its 404 (or the "opens when you have both joined"
page) first::

    from twofold.accounts.privacy_lock import Locked, privacy_locked

    @require_http_methods(["GET", "POST"])
    @partner_page(not_open=NOT_OPEN)
    @privacy_locked(Locked.CHECKIN_ANSWERS)
    def checkin_answer(request: AuthenticatedHttpRequest, couple: Couple, start: date) -> ...

``Locked`` names what the page holds, and the lock page gives that reason in plain words
(add a member and its reason in ``_REASONS`` for a new kind of page). Every method is
guarded: a write sent while locked is not carried out (a 403 with the same lock page, and
nothing changes), because a write's answer could show private content too. An htmx
request is answered with a full reload, which then shows the lock page. The guard reads
only the signed-in person and their session: it makes no query of its own and never
writes.

A person whose account has no usable password (one who signs in another way) is never
shut out: the lock page tells them how to set a password instead of asking for one.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRefresh

from twofold.accounts.forms import PasswordConfirmForm
from twofold.lib import clock

V = TypeVar("V", bound=Callable[..., HttpResponse])

# In the session: whose lock is open, and until when (seconds since the epoch, UTC).
UNLOCKED = "twofold_privacy_unlocked"
UNLOCK_TEMPLATE = "accounts/privacy_unlock.html"
SAFE_METHODS = ("GET", "HEAD")


class Locked(StrEnum):
    """What a guarded page holds."""

    JOURNAL = "journal"
    BOUNDARIES = "boundaries"
    CHECKIN_ANSWERS = "checkin_answers"
    QUESTIONNAIRES = "questionnaires"

    @property
    def reason(self) -> str:
        return str(_REASONS[self])


_REASONS = {
    Locked.JOURNAL: _(
        "Your journal is behind your privacy lock, so that nobody else using this device "
        "can read it."
    ),
    Locked.BOUNDARIES: _(
        "Your answers about what feels right for you are behind your privacy lock, so that "
        "nobody else using this device can see them."
    ),
    Locked.CHECKIN_ANSWERS: _(
        "Your private check-in answers are behind your privacy lock, so that nobody else "
        "using this device can see them."
    ),
    Locked.QUESTIONNAIRES: _(
        "Your questionnaire answers and results are behind your privacy lock, so that "
        "nobody else using this device can see them."
    ),
}
GENERAL_REASON = _(
    "This is behind your privacy lock, so that nobody else using this device can see it."
)


def lock_minutes() -> int:
    return int(settings.TWOFOLD_PRIVACY_LOCK_MINUTES)


def is_locked(request: HttpRequest) -> bool:
    """True while the signed-in person's lock is on and not open in this session."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "privacy_lock", False):
        return False
    held = request.session.get(UNLOCKED)
    if not isinstance(held, dict) or held.get("user") != str(user.pk):
        return True
    until = held.get("until")
    return not isinstance(until, int) or clock.now().timestamp() >= until


def open_lock(request: HttpRequest) -> None:
    """Open the lock in this session for ``TWOFOLD_PRIVACY_LOCK_MINUTES``.

    Only after the password was confirmed (``actions.confirm_password``).
    """
    until = int(clock.now().timestamp()) + lock_minutes() * 60
    request.session[UNLOCKED] = {"user": str(request.user.pk), "until": until}


def close_lock(request: HttpRequest) -> None:
    request.session.pop(UNLOCKED, None)


def safe_next(candidate: str | None) -> str:
    """``candidate`` when it is a path on this site, else the home page (no open redirect)."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _page_sent_from(request: HttpRequest) -> str | None:
    """The path of the page a write was sent from, when it was a page of this site."""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host():
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def unlock_page(
    request: HttpRequest,
    *,
    what: Locked | None,
    next_url: str,
    form: PasswordConfirmForm | None = None,
    status: int = 200,
    write_refused: bool = False,
) -> HttpResponse:
    """The "Enter your password to open this" page, with the reason in plain words."""
    user = request.user
    context: dict[str, Any] = {
        "form": form or PasswordConfirmForm(),
        "next_url": next_url,
        "what": what.value if what else "",
        "reason": what.reason if what else GENERAL_REASON,
        "minutes": lock_minutes(),
        "has_password": user.is_authenticated and user.has_usable_password(),
        "write_refused": write_refused,
    }
    return render(request, UNLOCK_TEMPLATE, context, status=status)


def locked_response(request: HttpRequest, what: Locked) -> HttpResponse:
    if getattr(request, "htmx", False):
        # A fragment can't hold the lock page: the browser reloads, and the page asks.
        return HttpResponseClientRefresh()
    if request.method in SAFE_METHODS:
        return unlock_page(request, what=what, next_url=safe_next(request.get_full_path()))
    return unlock_page(
        request,
        what=what,
        next_url=safe_next(_page_sent_from(request)),
        status=403,
        write_refused=True,
    )


def privacy_locked(what: Locked) -> Callable[[V], V]:
    """Guard a page with the person's privacy lock (see the module's docstring)."""

    def decorator(view: V) -> V:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_locked(request):
                return locked_response(request, what)
            return view(request, *args, **kwargs)

        guarded.privacy_locked = what  # type: ignore[attr-defined]
        return cast(V, guarded)

    return decorator
