"""Partner pages for the journal, moments and appreciation notes; the care team's page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import Locked, privacy_locked
from twofold.couples.access import care_page, partner_page
from twofold.couples.models import Consent, Couple
from twofold.journal import actions, content
from twofold.journal.access import get_entry_for_user, get_own_entry_for_user
from twofold.journal.forms import AppreciationForm, JournalEntryForm, MomentForm
from twofold.journal.models import Appreciation, JournalEntry, Moment, Sharing
from twofold.lib.audit import What
from twofold.lib.errors import ActionError

ENTRIES_PER_PAGE = 20
MOMENTS_PER_PAGE = 30
NOTES_PER_PAGE = 20

NOT_OPEN = "journal/not_open.html"


def audience_label(entry: JournalEntry, viewer: Any) -> str:
    """Who can read an entry, in the viewer's words."""
    if entry.owner_id != viewer.pk:
        if entry.shared_with_care:
            return _("Shared with you and the care team")
        return _("Shared with you")
    return {
        Sharing.ONLY_ME: _("Only you"),
        Sharing.PARTNER: _("You and your partner"),
        Sharing.CARE: _("You and your care team"),
        Sharing.BOTH: _("You, your partner and your care team"),
    }[entry.sharing]


def _initial_sharing(entry: JournalEntry, couple: Couple) -> str:
    if couple.is_guided:
        return entry.sharing
    return Sharing.of(entry.shared_with_partner, False)


# The journal.


@require_GET
@partner_page()  # a private journal is theirs from the start
@privacy_locked(Locked.JOURNAL)
def journal_list(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    user = request.user
    entries = (
        JournalEntry.objects.visible_to(user)
        .filter(couple=couple)
        .select_related("owner")
        .order_by("-created_at")
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(entry, audience_label(entry, user)) for entry in page.object_list]
    return render(
        request,
        "journal/list.html",
        {"couple": couple, "page": page, "rows": rows, "partner": couple.partner_of(user)},
    )


def _entry_form_page(
    request: AuthenticatedHttpRequest, couple: Couple, form: JournalEntryForm, **context: Any
) -> HttpResponse:
    user = request.user
    prompt_key = form["prompt_key"].value() if form.is_bound else form.initial.get("prompt_key")
    prompt = content.prompts().get(prompt_key)
    if prompt is not None:
        form.fields["body"].widget.attrs["aria-describedby"] = "prompt-text"
    context = {
        "couple": couple,
        "form": form,
        "prompt": prompt,
        "care_sharing_off": couple.is_guided and not couple.has_consent(user, Consent.Kind.CARE),
        **context,
    }
    return render(request, "journal/form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@partner_page()  # a private journal is theirs from the start
def journal_new(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    prompts = content.prompts()
    initial_prompt = prompts.get(request.GET.get("prompt"))
    form = JournalEntryForm(
        request.POST if request.method == "POST" else None,
        guided=couple.is_guided,
        is_open=couple.is_active,
        initial={"prompt_key": initial_prompt.key if initial_prompt else ""},
    )
    if request.method == "POST" and form.is_valid():
        entry = actions.create_entry(couple, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved. It's yours, and it stays with the people you chose."))
        return redirect("journal_detail", entry_id=entry.pk)
    return _entry_form_page(
        request,
        couple,
        form,
        editing=None,
        suggestions=prompts.for_day(timezone.localdate()),
    )


@require_GET
@partner_page()  # a private journal is theirs from the start
@privacy_locked(Locked.JOURNAL)
def journal_detail(
    request: AuthenticatedHttpRequest, couple: Couple, entry_id: Any
) -> HttpResponse:
    user = request.user
    entry = get_entry_for_user(request, couple, entry_id)
    mine = entry.owner_id == user.pk
    return render(
        request,
        "journal/detail.html",
        {
            "couple": couple,
            "entry": entry,
            "mine": mine,
            "label": audience_label(entry, user),
            "prompt": content.prompts().get(entry.prompt_key),
            "care_waiting": mine
            and entry.shared_with_care
            and not couple.has_consent(user, Consent.Kind.CARE),
        },
    )


@require_http_methods(["GET", "POST"])
@partner_page()  # a private journal is theirs from the start
@privacy_locked(Locked.JOURNAL)
def journal_edit(request: AuthenticatedHttpRequest, couple: Couple, entry_id: Any) -> HttpResponse:
    entry = get_own_entry_for_user(request, couple, entry_id)
    form = JournalEntryForm(
        request.POST if request.method == "POST" else None,
        guided=couple.is_guided,
        is_open=couple.is_active,
        initial={
            "title": entry.title,
            "body": entry.body,
            "sharing": _initial_sharing(entry, couple),
            "prompt_key": entry.prompt_key,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.update_entry(
            entry,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            sharing=form.cleaned_data["sharing"],
            acting_user=request.user,
        )
        messages.success(request, _("Your changes are saved."))
        return redirect("journal_detail", entry_id=entry.pk)
    return _entry_form_page(request, couple, form, editing=entry, suggestions=[])


@require_POST
@partner_page()  # a private journal is theirs from the start
@privacy_locked(Locked.JOURNAL)
def journal_delete(
    request: AuthenticatedHttpRequest, couple: Couple, entry_id: Any
) -> HttpResponse:
    entry = get_own_entry_for_user(request, couple, entry_id)
    actions.delete_entry(entry, acting_user=request.user)
    messages.success(request, _("The entry is deleted."))
    return redirect("journal_list")


@require_GET
@partner_page()  # a private journal is theirs from the start
def journal_prompts(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return render(
        request, "journal/prompts.html", {"couple": couple, "groups": content.prompts().groups}
    )


@require_GET
@care_page(None)
def journal_care(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """What partners chose to share with their care team, for the care team.

    Audited as a read of each partner whose entries are on the page (of the couple's
    journal when none are), and of the couple's moments summary.
    """
    user = request.user
    entries = (
        JournalEntry.objects.visible_to(user)
        .filter(couple=couple, shared_with_care=True)
        .select_related("owner")
        .order_by("-created_at")
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    since = timezone.localdate() - timedelta(days=27)
    moment_counts = _kind_counts(
        Moment.objects.visible_to(user).filter(couple=couple, happened_on__gte=since)
    )
    request.audit.read_each(user, couple, What.JOURNAL, [e.owner for e in page.object_list])
    request.audit.read(user, couple, What.MOMENTS)
    return render(
        request,
        "journal/care.html",
        {
            "couple": couple,
            "page": page,
            "moment_counts": moment_counts,
            "moment_total": sum(n for _label, n in moment_counts),
        },
    )


def _kind_counts(moments: Any) -> list[tuple[str, int]]:
    """(label, count) per kind of moment, most frequent first (one query)."""
    rows = moments.order_by().values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    labels = dict(Moment.Kind.choices)
    return [(str(labels.get(row["kind"], row["kind"])), row["n"]) for row in rows]


# Moments.


def _moments_page(
    request: AuthenticatedHttpRequest, couple: Couple, form: MomentForm, status: int = 200
) -> HttpResponse:
    user = request.user
    moments = Moment.objects.visible_to(user).filter(couple=couple).select_related("owner")
    page = Paginator(moments, MOMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/moments.html",
        {"couple": couple, "page": page, "form": form, "kinds": Moment.Kind.choices},
        status=status,
    )


@require_GET
@partner_page(not_open=NOT_OPEN)
def moments(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _moments_page(request, couple, MomentForm(guided=couple.is_guided))


@require_POST
@partner_page(not_open=NOT_OPEN)
def moment_add(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = MomentForm(request.POST, guided=couple.is_guided)
    if not form.is_valid():
        return _moments_page(request, couple, form, status=400)
    moment = actions.log_moment(
        couple,
        form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
        happened_on=form.cleaned_data["happened_on"],
        acting_user=request.user,
    )
    messages.success(
        request,
        _("Noted: %(kind)s. Small moments like this count.") % {"kind": moment.get_kind_display()},
    )
    return redirect("moments")


# Appreciation notes.


def _appreciations_page(
    request: AuthenticatedHttpRequest, couple: Couple, form: AppreciationForm, status: int = 200
) -> HttpResponse:
    user = request.user
    visible = Appreciation.objects.visible_to(user).filter(couple=couple)
    received = Paginator(
        visible.filter(recipient=user).select_related("owner"), NOTES_PER_PAGE
    ).get_page(request.GET.get("received"))
    sent = Paginator(
        visible.filter(owner=user).select_related("recipient"), NOTES_PER_PAGE
    ).get_page(request.GET.get("sent"))
    received_notes = list(received.object_list)
    sent_notes = list(sent.object_list)
    return render(
        request,
        "journal/appreciations.html",
        {
            "couple": couple,
            "form": form,
            "received": received,
            "received_notes": received_notes,
            "sent": sent,
            "sent_notes": sent_notes,
            "any_new": any(note.seen_at is None for note in received_notes),
            "partner": couple.partner_of(user),
        },
        status=status,
    )


@require_GET
@partner_page(not_open=NOT_OPEN)
def appreciations(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _appreciations_page(request, couple, AppreciationForm())


@require_POST
@partner_page(not_open=NOT_OPEN)
def appreciations_seen(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """The notes on the page were seen. Sent by the page once shown, never by a GET."""
    actions.mark_received_seen(couple, acting_user=request.user)
    if request.htmx:
        return HttpResponse("")  # the "mark as read" form goes away
    return redirect("appreciations")


@require_POST
@partner_page(not_open=NOT_OPEN)
def appreciation_send(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = AppreciationForm(request.POST)
    if not form.is_valid():
        return _appreciations_page(request, couple, form, status=400)
    try:
        actions.send_appreciation(couple, form.cleaned_data["text"], acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("appreciations")
    partner = couple.partner_of(request.user)
    messages.success(
        request,
        _("Sent. %(name)s will find it next time they open Twofold.")
        % {"name": partner.user.display_name if partner and partner.user else _("Your partner")},
    )
    return redirect("appreciations")
