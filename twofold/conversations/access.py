"""Talk sessions within what the viewer may see: only the couple's own partners.

The care team never opens a talk session (nothing is recorded in one anyway), so every
look-up here starts from the viewer's own couple and answers 404 for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.conversations.models import TalkSession
from twofold.couples.models import Couple


def get_talk_for_partner(
    request: AuthenticatedHttpRequest, couple: Couple, session_id: Any
) -> TalkSession:
    session = (
        TalkSession.objects.visible_to(request.user).filter(pk=session_id, couple=couple).first()
    )
    if session is None:
        raise Http404
    return session


def open_talk(request: AuthenticatedHttpRequest, couple: Couple) -> TalkSession | None:
    """The couple's conversation still in progress, if there is one."""
    return TalkSession.objects.open().visible_to(request.user).filter(couple=couple).first()
