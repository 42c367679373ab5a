"""Writes for guided conversations: start, step on, swap, pause, end.

Both partners' devices may press at the same moment. Each press locks the session row
and carries what the pressing device last saw (``seen_step``, ``seen_speaker``); a press
made on a state that has since changed is ignored, so two presses never skip two steps.
Every function returns the session as it now is and whether the press changed it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.conversations import content
from twofold.conversations.models import TalkSession, other_seat
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.errors import ActionError


def _locked(session: TalkSession, acting_user: User) -> TalkSession:
    """The session, locked, if ``acting_user`` is one of its two partners."""
    locked = (
        TalkSession.objects.visible_to(acting_user)
        .select_for_update()
        .filter(pk=session.pk)
        .first()
    )
    if locked is None:
        raise ActionError(
            _("Only the two of you can take part in this conversation."), "not_partner"
        )
    return locked


@transaction.atomic
def start_talk(couple: Couple, script: content.Script, *, acting_user: User) -> TalkSession:
    """A new conversation, with the person who started it speaking first.

    Any conversation of the couple still open is ended first: there is one at a time.
    """
    seat = couple.seat_of(acting_user)
    if seat is None:
        raise ActionError(_("Only the two of you can start a conversation."), "not_partner")
    # Serialise starts per couple, so two partners starting at once leave one open talk.
    list(Couple.objects.select_for_update().filter(pk=couple.pk).values_list("pk", flat=True))
    now = clock.now()
    TalkSession.objects.filter(couple=couple, ended_at__isnull=True).update(
        ended_at=now, paused=False
    )
    return TalkSession.objects.create(
        couple=couple,
        script_key=script.key,
        script_version=script.version,
        started_by=acting_user,
        started_at=now,
        speaker_seat=seat.seat,
        turn_started_at=now,
    )


def _can_step(session: TalkSession, seen_step: int | None) -> bool:
    return session.is_open and not session.paused and seen_step == session.step_index


@transaction.atomic
def next_step(
    session: TalkSession, seen_step: int | None, *, acting_user: User
) -> tuple[TalkSession, bool]:
    """On to the next step; on the last step this ends the conversation."""
    session = _locked(session, acting_user)
    if not _can_step(session, seen_step):
        return session, False
    now = clock.now()
    script = session.script
    if script is None or session.is_last_step:
        session.ended_at = now
        session.save(update_fields=["ended_at"])
        return session, True
    upcoming = script.steps[session.current_index + 1]
    if upcoming.kind == content.SPEAK:
        session.speaker_seat = session.next_speaker_seat()
    session.step_index = session.current_index + 1
    session.turn_started_at = now
    session.save(update_fields=["step_index", "speaker_seat", "turn_started_at"])
    return session, True


@transaction.atomic
def swap_speaker(
    session: TalkSession, seen_step: int | None, seen_speaker: str | None, *, acting_user: User
) -> tuple[TalkSession, bool]:
    """The other partner speaks now (and the turn's timer starts again)."""
    session = _locked(session, acting_user)
    if not _can_step(session, seen_step) or seen_speaker != session.speaker_seat:
        return session, False
    session.speaker_seat = other_seat(session.speaker_seat)
    session.turn_started_at = clock.now()
    session.save(update_fields=["speaker_seat", "turn_started_at"])
    return session, True


@transaction.atomic
def set_paused(
    session: TalkSession, paused: bool, *, acting_user: User
) -> tuple[TalkSession, bool]:
    """Pause or resume; either partner may do either, and no reason is asked.

    After a pause the turn starts afresh, so nobody comes back to a rushed clock.
    """
    session = _locked(session, acting_user)
    if not session.is_open or session.paused == paused:
        return session, False
    session.paused = paused
    fields = ["paused"]
    if not paused:
        session.turn_started_at = clock.now()
        fields.append("turn_started_at")
    session.save(update_fields=fields)
    return session, True


@transaction.atomic
def end_talk(session: TalkSession, *, acting_user: User) -> tuple[TalkSession, bool]:
    session = _locked(session, acting_user)
    if not session.is_open:
        return session, False
    session.ended_at = clock.now()
    session.paused = False
    session.save(update_fields=["ended_at", "paused"])
    return session, True
