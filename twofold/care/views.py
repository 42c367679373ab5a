"""Care-team pages: the clinician's caseload and couples, and the clinic admin's clinic."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.audit import display as audit_display
from twofold.audit.models import AccessEvent
from twofold.care import actions as care_actions
from twofold.care.forms import CareNoteForm, InviteCoupleForm, InviteStaffForm
from twofold.care.models import CareNote, Clinic, ClinicMembership
from twofold.couples import actions
from twofold.couples.access import care_page
from twofold.couples.models import Consent, Couple, Invitation
from twofold.couples.roles import roles_for
from twofold.couples.visibility import care_team_couple_ids
from twofold.lib.audit import What
from twofold.lib.errors import ActionError
from twofold.program import content


def _clinician_clinic(request: AuthenticatedHttpRequest) -> Clinic:
    clinics = roles_for(request.user).clinician_clinics
    if not clinics:
        raise Http404
    return clinics[0]


def _admin_clinic(request: AuthenticatedHttpRequest) -> Clinic:
    clinics = roles_for(request.user).admin_clinics
    if not clinics:
        raise Http404
    return clinics[0]


@require_GET
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _clinician_clinic(request)
    # Listing the caseload is not audited. The list shows what the clinician needs to
    # find a couple (their names, whether they have joined and agreed, since when) and no
    # partner content; a row per couple on every visit of this home page would bury the
    # reads that matter in each couple's "who viewed my data". Opening a couple is audited.
    couples = list(
        Couple.objects.filter(pk__in=care_team_couple_ids(request.user))
        .with_status()
        .order_by("-created_at")
    )
    return render(request, "care/caseload.html", {"clinic": clinic, "couples": couples})


@require_http_methods(["GET", "POST"])
def couple_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _clinician_clinic(request)
    form = InviteCoupleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            couple = actions.invite_couple(
                clinic, form.partners(), acting_user=request.user, audit=request.audit
            )
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Invitations sent to both partners."))
            return redirect("care_couple_detail", couple_id=couple.pk)
    return render(
        request,
        "care/couple_new.html",
        {"clinic": clinic, "form": form},
        status=400 if form.errors else 200,
    )


def _couple_page(
    request: AuthenticatedHttpRequest, couple: Couple, note_form: CareNoteForm | None = None
) -> HttpResponse:
    seats = couple.seats()
    rows = [
        {
            "partner": seat,
            "participation": couple.has_consent(seat.user, Consent.Kind.PARTICIPATION),
            "care": couple.has_consent(seat.user, Consent.Kind.CARE),
        }
        for seat in seats
    ]
    notes = CareNote.objects.visible_to(request.user).filter(couple=couple).select_related("author")
    context: dict[str, Any] = {
        "couple": couple,
        "rows": rows,
        "pending": [i for i in couple.pending() if i.role == Invitation.Role.PARTNER],
        "notes": notes,
        "note_form": note_form or CareNoteForm(),
    }
    status = 400 if note_form is not None and note_form.errors else 200
    return render(request, "care/couple_detail.html", context, status=status)


@require_GET
@care_page(What.COUPLE_OVERVIEW)
def couple_detail(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _couple_page(request, couple)


@require_POST
@care_page(What.COUPLE_OVERVIEW)
def note_add(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = CareNoteForm(request.POST)
    if not form.is_valid():
        return _couple_page(request, couple, note_form=form)
    care_actions.add_care_note(
        couple, form.cleaned_data["text"], acting_user=request.user, audit=request.audit
    )
    messages.success(request, _("Note saved."))
    return redirect("care_couple_detail", couple_id=couple.pk)


def _clinic_page(
    request: AuthenticatedHttpRequest, form: InviteStaffForm | None = None
) -> HttpResponse:
    clinic = _admin_clinic(request)
    members = (
        ClinicMembership.objects.filter(clinic=clinic, ended_at__isnull=True)
        .select_related("user")
        .order_by("role", "user__display_name")
    )
    pending = Invitation.objects.filter(clinic=clinic).pending().select_related("invited_by")

    context = {
        "clinic": clinic,
        "programs": sorted(content.programs().values(), key=lambda p: p.title),
        "members": members,
        "pending": pending,
        "form": form or InviteStaffForm(),
        "couple_count": clinic.couples.count(),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "care/clinic_home.html", context, status=status)


@require_GET
def clinic_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _clinic_page(request)


@require_POST
def clinic_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _admin_clinic(request)
    form = InviteStaffForm(request.POST)
    if form.is_valid():
        try:
            care_actions.invite_staff(
                clinic,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                acting_user=request.user,
                audit=request.audit,
            )
        except ActionError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("clinic_home")
    return _clinic_page(request, form=form)


@require_GET
def clinic_audit(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _admin_clinic(request)
    events = AccessEvent.objects.for_clinic_admin(request.user).order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "clinic": clinic,
        "page": page,
        "events": audit_display.for_clinic(list(page.object_list)),
        "name_changes": audit_display.name_changes_of_actors(events),
    }
    return render(request, "care/clinic_audit.html", context)


@require_POST
def clinic_program(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the program new couples of this clinic start on."""

    clinic = _admin_clinic(request)
    key = request.POST.get("program_key", "")
    if key not in content.programs():
        messages.error(request, _("Please choose one of the programs in the list."))
    else:
        Clinic.objects.filter(pk=clinic.pk).update(program_key=key)
        messages.success(
            request, _("Saved. New couples start on this program; others keep their own.")
        )
    return redirect("clinic_home")
