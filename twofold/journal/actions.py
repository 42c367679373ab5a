"""Writes for the journal, moments and appreciation notes."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.journal.models import Appreciation, JournalEntry, Moment, Sharing
from twofold.lib import clock
from twofold.lib.errors import ActionError


def _flags(couple: Couple, sharing: str) -> tuple[bool, bool]:
    if not couple.is_active:
        # Before both have joined and agreed, an entry is its author's alone.
        return False, False
    partner, care = Sharing.flags(sharing)
    # Only clinician-guided couples have a care team to share with.
    return partner, care and couple.is_guided


def create_entry(
    couple: Couple,
    *,
    acting_user: User,
    body: str,
    title: str = "",
    prompt_key: str = "",
    sharing: str = Sharing.ONLY_ME,
) -> JournalEntry:
    partner, care = _flags(couple, sharing)
    now = clock.now()
    return JournalEntry.objects.create(
        couple=couple,
        owner=acting_user,
        title=title.strip(),
        body=body,
        prompt_key=prompt_key,
        shared_with_partner=partner,
        shared_with_care=care,
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def update_entry(
    entry: JournalEntry,
    *,
    acting_user: User,
    body: str,
    title: str = "",
    sharing: str = Sharing.ONLY_ME,
) -> JournalEntry:
    if entry.owner_id != acting_user.pk:
        raise ActionError(_("Only the person who wrote an entry can change it."), "not_author")
    partner, care = _flags(entry.couple, sharing)
    content_changed = entry.body != body or entry.title != title.strip()
    entry.title, entry.body = title.strip(), body
    entry.shared_with_partner, entry.shared_with_care = partner, care
    fields = ["title", "body", "shared_with_partner", "shared_with_care"]
    if content_changed:
        entry.updated_at = clock.now()
        fields.append("updated_at")
    entry.save(update_fields=fields)
    return entry


def delete_entry(entry: JournalEntry, *, acting_user: User) -> None:
    """A real delete: nothing of the entry is kept."""
    if entry.owner_id != acting_user.pk:
        raise ActionError(_("Only the person who wrote an entry can delete it."), "not_author")
    entry.delete()


def log_moment(
    couple: Couple, kind: str, *, acting_user: User, note: str = "", happened_on: date | None = None
) -> Moment:
    return Moment.objects.create(
        couple=couple,
        owner=acting_user,
        kind=kind,
        note=note.strip(),
        happened_on=happened_on or clock.localdate(),
    )


def send_appreciation(couple: Couple, text: str, *, acting_user: User) -> Appreciation:
    partner = couple.partner_of(acting_user)
    if partner is None:
        raise ActionError(_("Notes can be sent once your partner has joined."), "no_partner")
    return Appreciation.objects.create(
        couple=couple, owner=acting_user, recipient=partner.user, text=text.strip()
    )


def mark_received_seen(couple: Couple, *, acting_user: User) -> int:
    """Mark every unseen note to ``user`` as seen, in one UPDATE."""
    return (
        Appreciation.objects.visible_to(acting_user)
        .filter(couple=couple, recipient=acting_user, seen_at__isnull=True)
        .update(seen_at=clock.now())
    )
