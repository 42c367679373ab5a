"""Partner pages for guided conversations ("talk together").

Both partners follow the same session: the state region of the page is re-rendered from
the server every two seconds (and after each button press), so two devices, or one screen
shared between two people, always show the same step and name who speaks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.conversations import actions, content
from twofold.conversations.access import get_talk_for_partner, open_talk
from twofold.conversations.models import TalkSession
from twofold.couples.access import partner_page
from twofold.couples.models import Couple
from twofold.lib.errors import ActionError

STATE_TEMPLATE = "conversations/_state.html"


Press = Callable[[TalkSession], tuple[TalkSession, bool]]


NOT_OPEN = "conversations/not_open.html"

# "One screen": both partners follow the talk at this one device. A fact about the device,
# so it is kept in this sign-in's session (and goes when they sign out).
ONE_SCREEN = "twofold_talk_one_screen"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _seen_since(request: HttpRequest) -> datetime | None:
    """When this page was last loaded or pressed on (sent back by each poll)."""
    try:
        return datetime.fromtimestamp(int(request.GET.get("since", "")), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _is_dormant(session: TalkSession, since: datetime | None, now: datetime) -> bool:
    """Nobody has loaded, pressed or moved on for longer than the idle sign-out time.

    Polling would otherwise keep the sign-in alive for ever on a forgotten screen.
    """
    last = max(session.turn_started_at, since) if since else session.turn_started_at
    return (now - last).total_seconds() > settings.SESSION_COOKIE_AGE


def state_context(
    request: AuthenticatedHttpRequest, couple: Couple, session: TalkSession, *, polled: bool = False
) -> dict[str, Any]:
    """What the state fragment shows: the same step for both partners, seen by this one.

    ``polled`` is True for the fragment's own every-two-seconds refresh, which is not
    activity; a page load or a press is.
    """
    user = request.user
    now = timezone.now()
    since = _seen_since(request) if polled else now
    names = {p.seat: p.user.display_name for p in couple.seats() if p.user}
    seat = couple.seat_of(user)
    my_seat = seat.seat if seat else ""
    script, step = session.script, session.step
    context: dict[str, Any] = {
        "session": session,
        "script": script,
        "step": step,
        "my_name": user.display_name,
        "timer": None,
        "roles_line": "",
        "you_line": "",
        "reminder": "",
        "upcoming_line": "",
        "since": int((since or session.turn_started_at).timestamp()),
        "dormant": session.is_open and _is_dormant(session, since, now),
    }
    if not session.is_open or script is None or step is None:
        context["state_key"] = "ended" if not session.is_open else "missing"
        context["announce"] = _("The conversation has ended. Thank you for talking together.")
        return context

    speaker = names.get(session.speaker_seat, "")
    listener = names.get(session.listener_seat, "")
    i_speak = my_seat == session.speaker_seat
    if step.kind == content.SPEAK:
        context["roles_line"] = _("%(speaker)s speaks, %(listener)s listens.") % {
            "speaker": speaker,
            "listener": listener,
        }
        context["you_line"] = _("You speak.") if i_speak else _("You listen.")
        context["reminder"] = _("Listen without interrupting. You'll have your turn.")
    elif step.kind == content.REFLECT:
        context["roles_line"] = _(
            "%(listener)s says back what they heard, %(speaker)s confirms or clarifies."
        ) % {"speaker": speaker, "listener": listener}
        context["you_line"] = (
            _("You listen, then confirm or clarify.")
            if i_speak
            else _("You say back what you heard.")
        )
        context["reminder"] = _(
            "Say back what you heard, in your own words. Then check: did I get that right?"
        )
    else:
        context["roles_line"] = _("Together: you both take part in this step.")
        later = script.steps[session.current_index + 1 :]
        if any(s.kind == content.SPEAK for s in later):
            upcoming = session.next_speaker_seat()
            context["upcoming_line"] = (
                _("You speak first when it's time to take turns.")
                if upcoming == my_seat
                else _("%(name)s speaks first when it's time to take turns.")
                % {"name": names.get(upcoming, "")}
            )

    step_label = _("Step %(number)s of %(count)s") % {
        "number": session.step_number,
        "count": session.step_count,
    }
    context["step_label"] = step_label
    if session.paused:
        context["announce"] = _("The conversation is paused.")
    else:
        context["announce"] = f"{step_label}. {context['roles_line']}"
    context["state_key"] = (
        f"{session.step_index}-{session.speaker_seat}-{'paused' if session.paused else 'on'}"
    )
    if step.has_turns and not session.paused:
        context["timer"] = {
            "started": _iso(session.turn_started_at),
            "seconds": script.turn_seconds,
            "server_now": _iso(now),
            "display": _clock(session.remaining_seconds(now)),
            "key": f"{session.pk}-{session.step_index}-{session.speaker_seat}-"
            f"{session.turn_started_at.timestamp()}",
        }
    return context


def _render_state(
    request: AuthenticatedHttpRequest, couple: Couple, session: TalkSession, *, polled: bool = False
) -> HttpResponse:
    return render(request, STATE_TEMPLATE, state_context(request, couple, session, polled=polled))


def one_screen(request: HttpRequest) -> bool:
    """Whether this device is in "one screen" mode; ``?screen=one`` or ``=own`` chooses.

    Only the session changes (a GET writes nothing else), and the mode only adds a
    reminder to sign out at the end, so following a link to it can do no harm.
    """
    choice = request.GET.get("screen")
    if choice in ("one", "own"):
        request.session[ONE_SCREEN] = choice == "one"
    return bool(request.session.get(ONE_SCREEN, False))


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@require_GET
@partner_page(not_open=NOT_OPEN)
def talk_home(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    context = {
        "couple": couple,
        "scripts": list(content.scripts().values()),
        "open_session": open_talk(request, couple),
    }
    return render(request, "conversations/home.html", context)


@require_POST
@partner_page(not_open=NOT_OPEN)
def talk_start(request: AuthenticatedHttpRequest, couple: Couple, script_key: str) -> HttpResponse:
    script = content.script(script_key)
    if script is None:
        raise Http404
    try:
        session = actions.start_talk(couple, script, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("talk_home")
    return redirect("talk_session", session_id=session.pk)


@require_GET
@partner_page(not_open=NOT_OPEN)
def talk_session(
    request: AuthenticatedHttpRequest, couple: Couple, session_id: Any
) -> HttpResponse:
    session = get_talk_for_partner(request, couple, session_id)
    context = state_context(request, couple, session)
    context["one_screen"] = one_screen(request)
    return render(request, "conversations/session.html", context)


@require_GET
@partner_page(not_open=NOT_OPEN)
def talk_state(request: AuthenticatedHttpRequest, couple: Couple, session_id: Any) -> HttpResponse:
    session = get_talk_for_partner(request, couple, session_id)
    return _render_state(request, couple, session, polled=True)


def _press(
    request: AuthenticatedHttpRequest, couple: Couple, session_id: Any, press: Press
) -> HttpResponse:
    """Apply a button press; htmx gets the fresh state, a plain form a redirect."""
    session = get_talk_for_partner(request, couple, session_id)
    session, changed = press(session)
    if request.htmx:
        return _render_state(request, couple, session)
    if not changed:
        messages.info(
            request, _("The conversation had already changed, so here's where it is now.")
        )
    return redirect("talk_session", session_id=session.pk)


@require_POST
@partner_page(not_open=NOT_OPEN)
def talk_next(request: AuthenticatedHttpRequest, couple: Couple, session_id: Any) -> HttpResponse:
    seen_step = _number(request.POST.get("seen_step"))
    return _press(
        request,
        couple,
        session_id,
        lambda s: actions.next_step(s, seen_step, acting_user=request.user),
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def talk_swap(request: AuthenticatedHttpRequest, couple: Couple, session_id: Any) -> HttpResponse:
    seen_step = _number(request.POST.get("seen_step"))
    seen_speaker = request.POST.get("seen_speaker")
    return _press(
        request,
        couple,
        session_id,
        lambda s: actions.swap_speaker(s, seen_step, seen_speaker, acting_user=request.user),
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def talk_pause(request: AuthenticatedHttpRequest, couple: Couple, session_id: Any) -> HttpResponse:
    pause = request.POST.get("pause", "yes") != "no"
    return _press(
        request,
        couple,
        session_id,
        lambda s: actions.set_paused(s, pause, acting_user=request.user),
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def talk_end(request: AuthenticatedHttpRequest, couple: Couple, session_id: Any) -> HttpResponse:
    return _press(
        request, couple, session_id, lambda s: actions.end_talk(s, acting_user=request.user)
    )
