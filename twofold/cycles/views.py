"""Pages for adjustment cycles: the couple's own, and a read-only view for the care team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.access import care_page, partner_page
from twofold.couples.models import Couple
from twofold.couples.visibility import shared_care_couple_ids
from twofold.cycles import actions
from twofold.cycles.access import cycles_for, get_partner_cycle
from twofold.cycles.forms import STEP_FORMS, ConcernForm
from twofold.cycles.models import AdjustmentCycle
from twofold.cycles.timeline import timeline
from twofold.lib.audit import What
from twofold.lib.errors import ActionError

HISTORY_LENGTH = 200

SUCCESS = {
    "reflect": gettext_lazy("Thank you for listening. It's back with your partner to check."),
    "confirm": gettext_lazy("Good to feel heard. Next, choose a small adjustment to try together."),
    "clarify": gettext_lazy("Thank you. Your partner will say back what they heard again."),
    "propose": gettext_lazy("Your suggestion is with your partner."),
    "agree": gettext_lazy("Agreed. Enjoy trying it; you'll look back on it together."),
    "suggest": gettext_lazy("Your suggested change is with your partner."),
    "rate": gettext_lazy("Thank you for sharing how it went."),
    "decide": gettext_lazy("Saved, with what you learned. Well done for looking back together."),
}


NOT_OPEN = "cycles/not_open.html"


def _rows(
    request: AuthenticatedHttpRequest, couple: Couple, cycles: list[AdjustmentCycle]
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    user = request.user
    return [
        {
            "cycle": c,
            "status": c.status_for(user, couple, today),
            "my_turn": c.awaiting_id == user.pk,
            "raiser": c.person(couple, c.raised_by_id),
        }
        for c in cycles
    ]


@require_GET
@partner_page(not_open=NOT_OPEN)
def cycles_list(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    open_cycles = list(cycles_for(request, couple).open())
    history = list(
        cycles_for(request, couple)
        .finished()
        .order_by(Coalesce("closed_at", "withdrawn_at").desc())[:HISTORY_LENGTH]
    )
    return render(
        request,
        "cycles/list.html",
        {
            "couple": couple,
            "open_rows": _rows(request, couple, open_cycles),
            "history": _rows(request, couple, history),
        },
    )


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
def cycle_new(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    follows = _followed_cycle(request, couple)
    initial = {"wish": follows.adjustment} if follows else {}
    form = ConcernForm(request.POST if request.method == "POST" else None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            cycle = actions.raise_concern(
                couple,
                form.cleaned_data["concern"],
                form.cleaned_data["wish"],
                follows=follows,
                acting_user=request.user,
            )
        except ActionError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Thank you for raising this. Your partner will say back what they heard."),
            )
            return redirect("cycle_detail", cycle_id=cycle.pk)
    return render(
        request,
        "cycles/new.html",
        {
            "couple": couple,
            "form": form,
            "follows": follows,
            "error": error,
            "partner": couple.partner_of(request.user),
        },
        status=400 if (form.errors or error) else 200,
    )


def _followed_cycle(request: AuthenticatedHttpRequest, couple: Couple) -> AdjustmentCycle | None:
    """The closed cycle a new one follows on from (``?follows=<id>``), if it's theirs."""
    raw = request.GET.get("follows") or request.POST.get("follows") or ""
    try:
        cycle_id = forms.UUIDField().clean(raw)
    except forms.ValidationError:
        return None
    return (
        cycles_for(request, couple).filter(pk=cycle_id, state=AdjustmentCycle.State.CLOSED).first()
    )


def _detail(
    request: AuthenticatedHttpRequest,
    couple: Couple,
    cycle: AdjustmentCycle,
    *,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
    typed: str = "",
    status: int = 200,
) -> HttpResponse:
    """The cycle so far and the forms for what the viewer can do next.

    ``bound`` is a submitted form to show again with its errors; ``typed`` is what the
    person wrote, shown back to them when its form is no longer offered (so it isn't lost).
    """
    user = request.user
    steps = actions.available_steps(cycle, user, couple)
    step_forms: dict[str, forms.Form | None] = {}
    for step in steps:
        form_class = STEP_FORMS.get(step)
        if bound is not None and bound[0] == step:
            step_forms[step] = bound[1]
        else:
            step_forms[step] = form_class() if form_class else None
    return render(
        request,
        "cycles/detail.html",
        {
            "couple": couple,
            "cycle": cycle,
            "status": cycle.status_for(user, couple, timezone.localdate()),
            "moments": timeline(cycle, couple),
            "raiser": cycle.person(couple, cycle.raised_by_id),
            "proposer": cycle.person(couple, cycle.proposed_by_id),
            "my_turn": cycle.awaiting_id == user.pk,
            "review_due": cycle.review_due(timezone.localdate()),
            "steps": steps,
            "forms": step_forms,
            "error": error,
            "kept": typed if bound is None or bound[0] not in steps else "",
        },
        status=status,
    )


@require_GET
@partner_page(not_open=NOT_OPEN)
def cycle_detail(request: AuthenticatedHttpRequest, couple: Couple, cycle_id: Any) -> HttpResponse:
    cycle = get_partner_cycle(request, couple, cycle_id)
    return _detail(request, couple, cycle)


def _typed_text(request: HttpRequest) -> str:
    fields = ("reflection", "clarification", "adjustment", "note", "learned")
    return "\n\n".join(v for f in fields if (v := request.POST.get(f, "").strip()))


@require_POST
@partner_page(not_open=NOT_OPEN)
def cycle_step(request: AuthenticatedHttpRequest, couple: Couple, cycle_id: Any) -> HttpResponse:
    cycle = get_partner_cycle(request, couple, cycle_id)
    step = request.POST.get("action", "")
    if step not in STEP_FORMS:
        return _detail(
            request,
            couple,
            cycle,
            error=_("That isn't something you can do here."),
            typed=_typed_text(request),
            status=400,
        )
    reason = actions.refusal(cycle, step, request.user, couple=couple, rated_by=cycle.rated_by())
    if reason is not None:
        return _detail(request, couple, cycle, error=reason, typed=_typed_text(request), status=400)
    form_class = STEP_FORMS[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(
            request,
            couple,
            cycle,
            bound=(step, form),
            error=_("Please check what you wrote below."),
            typed=_typed_text(request),
            status=400,
        )
    data = form.cleaned_data if form is not None else {}
    try:
        _run(step, request.user, cycle, data)
    except ActionError as exc:
        fresh = get_partner_cycle(request, couple, cycle_id)
        return _detail(
            request,
            couple,
            fresh,
            bound=(step, form) if form is not None else None,
            error=exc.message,
            typed=_typed_text(request),
            status=400,
        )
    messages.success(request, SUCCESS[step])
    return redirect("cycle_detail", cycle_id=cycle.pk)


def _run(step: str, user: Any, cycle: AdjustmentCycle, data: dict[str, Any]) -> None:
    if step == "reflect":
        actions.reflect(cycle, data["reflection"], acting_user=user)
    elif step == "confirm":
        actions.confirm(cycle, acting_user=user)
    elif step == "clarify":
        actions.clarify(cycle, data["clarification"], acting_user=user)
    elif step == "propose":
        actions.propose(cycle, data["adjustment"], data["review_on"], acting_user=user)
    elif step == "agree":
        actions.agree(cycle, acting_user=user)
    elif step == "suggest":
        actions.suggest(cycle, data["adjustment"], data["review_on"], acting_user=user)
    elif step == "rate":
        actions.rate(cycle, data["rating"], data["note"], acting_user=user)
    elif step == "decide":
        actions.decide(cycle, data["decision"], data["learned"], acting_user=user)


@require_POST
@partner_page()  # setting a cycle aside stays possible while things are on hold
def cycle_withdraw(
    request: AuthenticatedHttpRequest, couple: Couple, cycle_id: Any
) -> HttpResponse:
    cycle = get_partner_cycle(request, couple, cycle_id)
    try:
        actions.withdraw(cycle, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("cycle_detail", cycle_id=cycle.pk)
    messages.success(
        request,
        _(
            "You've set this aside. That's fine: you can raise it again, in your own time, "
            "whenever it feels right."
        ),
    )
    return redirect("cycles_list")


@require_GET
@care_page(What.CYCLES)
def cycles_care(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """The couple's cycles for their care team, only while both partners share with them."""
    shared = shared_care_couple_ids(request.user).filter(pk=couple.pk).exists()
    cycles = list(cycles_for(request, couple)[:300]) if shared else []
    today = timezone.localdate()
    rows: list[dict[str, Any]] = [
        {
            "cycle": c,
            "status": c.status_for(request.user, couple, today),
            "raiser": c.person(couple, c.raised_by_id),
            "moments": timeline(c, couple, for_care=True),
        }
        for c in cycles
    ]
    return render(
        request,
        "cycles/care.html",
        {
            "couple": couple,
            "shared": shared,
            "open_rows": [r for r in rows if r["cycle"].is_open],
            "history": [r for r in rows if not r["cycle"].is_open],
        },
    )
