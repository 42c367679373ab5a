"""Journal look-ups within the visibility policy; 404 for anything outside it."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.models import Couple
from twofold.journal.models import JournalEntry


def get_entry_for_user(
    request: AuthenticatedHttpRequest, couple: Couple, entry_id: Any
) -> JournalEntry:
    """An entry of the viewer's couple that they may read: their own or one shared with them."""
    entry = (
        JournalEntry.objects.visible_to(request.user)
        .filter(couple=couple, pk=entry_id)
        .select_related("owner")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def get_own_entry_for_user(
    request: AuthenticatedHttpRequest, couple: Couple, entry_id: Any
) -> JournalEntry:
    """An entry the viewer wrote; anybody else's (even if shared with them) is a 404."""
    user = request.user
    entry = (
        JournalEntry.objects.visible_to(request.user)
        .filter(couple=couple, pk=entry_id, owner=user)
        .select_related("owner", "couple")
        .first()
    )
    if entry is None:
        raise Http404
    return entry
