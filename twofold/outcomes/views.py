"""Partner pages for questionnaires: the list, answering (one at a time or all on one
page), checking and sending, and one's own result with the choice to share it.

Everything here is the viewer's own: answers are read through ``visible_to`` *and* for
the viewer as owner, so even the care team (who may read them elsewhere) gets a 404 here.
The only thing of the partner's these pages show is a result the partner chose to share.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import Locked, privacy_locked
from twofold.couples.access import partner_page
from twofold.couples.models import Consent, Couple
from twofold.lib.errors import ActionError
from twofold.lib.safety_resources import grouped_resources
from twofold.outcomes import actions, schedules, words
from twofold.outcomes.catalogue import definition_of, schedulable
from twofold.outcomes.charts import Person, trajectory_charts
from twofold.outcomes.due import own_standing
from twofold.outcomes.forms import UNANSWERED, AnswersForm, rows
from twofold.outcomes.instruments import Instrument
from twofold.outcomes.models import QuestionnaireResponse, QuestionnaireResult

NOT_OPEN = "outcomes/not_open.html"


def _care_sees(couple: Couple, user: Any) -> bool:
    return bool(couple.is_guided and couple.has_consent(user, Consent.Kind.CARE))


def _continue_url(response: Any, definition: Instrument) -> str:
    """Where a draft carries on: the question shown last, or the check page at the end."""
    position = response["position"] if isinstance(response, dict) else response.position
    pk = response["id"] if isinstance(response, dict) else response.pk
    if position >= len(definition.items):
        return reverse("questionnaire_check", kwargs={"response_id": pk})
    return reverse("questionnaire_step", kwargs={"response_id": pk, "number": position + 1})


@require_GET
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_list(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    user = request.user
    _sched, standing, drafts = own_standing(request.user, couple)
    offered = schedulable()
    waiting = [
        {
            "standing": s,
            "definition": offered[s.instrument],
            "draft": drafts.get((s.slot.key, s.instrument)),
            "continue_url": _continue_url(draft, offered[s.instrument])
            if (draft := drafts.get((s.slot.key, s.instrument)))
            else "",
            "last_day": s.administration.closes - timedelta(days=1),
        }
        for s in standing
        if s.is_open
    ]
    upcoming = [s for s in standing if s.state == schedules.State.UPCOMING]
    next_day = upcoming[0].slot.opens if upcoming else None
    own = list(QuestionnaireResult.objects.visible_to(user).filter(couple=couple, owner_id=user.pk))
    results = [{"result": r, "definition": definition_of(r.instrument_key)} for r in own]
    partner = couple.partner_of(user)
    theirs: list[QuestionnaireResult] = []
    people = [Person(_("You"), own)]
    if partner is not None and partner.user is not None:
        theirs = list(
            QuestionnaireResult.objects.visible_to(user).filter(
                couple=couple, owner_id=partner.user_id, shared_with_partner=True
            )
        )
        # Never the safety screen on a partner's page (it cannot be shared anyway).
        people.append(
            Person(partner.user.display_name, [r for r in theirs if not r.private_safety])
        )
    shared = [{"result": r, "definition": definition_of(r.instrument_key)} for r in theirs]
    # The safety screen is not charted here at all: its score is no trajectory to show.
    charts = trajectory_charts((d for d in offered.values() if not d.private_safety), people)
    return render(
        request,
        "outcomes/list.html",
        {
            "couple": couple,
            "waiting": waiting,
            "next_day": next_day,
            "results": results,
            "shared": shared,
            "partner": partner,
            "charts": charts,
        },
    )


def _open_administration(
    request: AuthenticatedHttpRequest, couple: Couple, instrument: str, slot: str
) -> tuple[Instrument, schedules.Standing]:
    """The viewer's administration of ``instrument`` in ``slot`` while it is open (or
    already answered); 404 otherwise."""
    _sched, standing, _drafts = own_standing(request.user, couple)
    definition = definition_of(instrument)
    found = next((s for s in standing if s.instrument == instrument and s.slot.key == slot), None)
    if (
        definition is None
        or found is None
        or found.state
        not in (
            schedules.State.DUE,
            schedules.State.OVERDUE,
            schedules.State.DONE,
        )
    ):
        raise Http404
    return definition, found


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_start(
    request: AuthenticatedHttpRequest, couple: Couple, instrument: str, slot: str
) -> HttpResponse:
    """What the questionnaire is and who sees it, and the choice of one question at a
    time or all on one page. Starting (POST) makes the draft."""
    definition, standing = _open_administration(request, couple, instrument, slot)
    mine = (
        QuestionnaireResponse.objects.visible_to(request.user)
        .filter(couple=couple, owner_id=request.user.pk, instrument_key=instrument, slot=slot)
        .first()
    )
    if mine is not None and not mine.is_draft and mine.result_id:
        return redirect("questionnaire_result", result_id=mine.result_id)
    if request.method == "POST":
        try:
            response = actions.start_response(couple, instrument, slot, acting_user=request.user)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("questionnaires")
        if request.POST.get("mode") == "all":
            return redirect("questionnaire_form", response_id=response.pk)
        return redirect(_continue_url(response, definition))
    return render(
        request,
        "outcomes/start.html",
        {
            "definition": definition,
            "standing": standing,
            "draft": mine,
            "care_sees": _care_sees(couple, request.user),
            "count": len(definition.items),
        },
    )


def _own_draft_or_404(
    request: AuthenticatedHttpRequest, couple: Couple, response_id: Any
) -> tuple[QuestionnaireResponse, Instrument]:
    response = (
        QuestionnaireResponse.objects.visible_to(request.user)
        .filter(pk=response_id, couple=couple, owner_id=request.user.pk)
        .first()
    )
    definition = definition_of(response.instrument_key) if response is not None else None
    if response is None or definition is None:
        raise Http404
    return response, definition


def _sent(response: QuestionnaireResponse) -> HttpResponse:
    return redirect("questionnaire_result", result_id=response.result_id)


def _page_context(
    definition: Instrument, response: QuestionnaireResponse, couple: Couple, user: Any
) -> dict[str, Any]:
    return {
        "definition": definition,
        "response": response,
        "care_sees": _care_sees(couple, user),
        "private_safety": definition.private_safety,
    }


def _step_saved(
    request: AuthenticatedHttpRequest,
    response: QuestionnaireResponse,
    definition: Instrument,
    number: int,
    go: str,
    value: str | None,
) -> HttpResponse:
    """Keep this step's answer and go where the button said: Back (the answer given is
    kept too), Next, Skip (no answer to this one), or Carry on later."""
    item = definition.items[number - 1]
    change: dict[str, str | None] = {}
    if go == "skip":
        change[item.key] = None
    elif value is not None:
        change[item.key] = value
    # ``position``: the 0-based index of the question to come back to.
    position = {"back": number - 2, "later": number - 1}.get(go, number)
    try:
        actions.save_answers(response.pk, change, acting_user=request.user, position=position)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("questionnaires")
    if go == "later":
        messages.success(request, _("Saved. You can carry on from here whenever you like."))
        return redirect("questionnaires")
    if go == "back":
        if number == 1:
            return redirect("questionnaire_start", instrument=definition.key, slot=response.slot)
        return redirect("questionnaire_step", response_id=response.pk, number=number - 1)
    if number >= len(definition.items) or request.POST.get("from") == "check":
        return redirect("questionnaire_check", response_id=response.pk)
    return redirect("questionnaire_step", response_id=response.pk, number=number + 1)


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_step(
    request: AuthenticatedHttpRequest, couple: Couple, response_id: Any, number: int
) -> HttpResponse:
    """One question on its own page, with Back and Next; every step is kept in the draft."""
    response, definition = _own_draft_or_404(request, couple, response_id)
    if not response.is_draft:
        return _sent(response)
    if not 1 <= number <= len(definition.items):
        raise Http404
    item = definition.items[number - 1]
    saved = response.answer_values()
    status = 200
    if request.method == "POST":
        form = AnswersForm([item], request.POST)
        go = request.POST.get("go", "next")
        valid = form.is_valid()
        value = form.values().get(item.key) if valid else None
        if valid and go == "next" and value is None:
            form.add_error(item.key, UNANSWERED)
            valid = False
        if valid:
            return _step_saved(request, response, definition, number, go, value)
        status = 400
        chosen = saved | form.posted_values()
    else:
        form = AnswersForm([item])
        chosen = saved
    context = _page_context(definition, response, couple, request.user)
    shown = rows(definition, form, chosen, first_number=number)
    context.update(
        item=shown[0],
        errors=[row for row in shown if row["error"]],
        number=number,
        total=len(definition.items),
        is_last=number >= len(definition.items),
        form=form,
        from_check=(request.POST if request.method == "POST" else request.GET).get("from")
        == "check",
    )
    return render(request, "outcomes/step.html", context, status=status)


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_form(
    request: AuthenticatedHttpRequest, couple: Couple, response_id: Any
) -> HttpResponse:
    """Every question on one page. A wrong answer is pointed out and nothing is lost:
    the answers that are fine are kept in the draft at once."""
    response, definition = _own_draft_or_404(request, couple, response_id)
    if not response.is_draft:
        return _sent(response)
    saved = response.answer_values()
    status = 200
    if request.method == "POST":
        form = AnswersForm(definition.items, request.POST)
        go = request.POST.get("go", "send")
        valid = form.is_valid()
        posted = form.posted_values()
        # Every item on the page was either answered, or left without an answer.
        change: dict[str, str | None] = {
            item.key: posted.get(item.key)
            for item in definition.items
            if item.key in posted or not request.POST.get(item.key)
        }
        try:
            actions.save_answers(
                response.pk,
                change,
                acting_user=request.user,
                position=len(definition.items) if valid and go == "send" else response.position,
            )
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("questionnaires")
        if valid:
            if go == "later":
                messages.success(request, _("Saved. You can carry on whenever you like."))
                return redirect("questionnaires")
            answered = {k for k, v in change.items() if v is not None}
            if answered >= set(definition.item_keys):
                return _send(request, response, definition)
            return redirect("questionnaire_check", response_id=response.pk)
        status = 400
        chosen = posted
    else:
        form = AnswersForm(definition.items)
        chosen = saved
    context = _page_context(definition, response, couple, request.user)
    shown = rows(definition, form, chosen)
    context.update(
        items=shown,
        errors=[row for row in shown if row["error"]],
        form=form,
        total=len(definition.items),
    )
    return render(request, "outcomes/form.html", context, status=status)


@require_GET
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_check(
    request: AuthenticatedHttpRequest, couple: Couple, response_id: Any
) -> HttpResponse:
    """Every answer before sending, each with a way to change it; gaps are named, with
    what they mean for the score."""
    response, definition = _own_draft_or_404(request, couple, response_id)
    if not response.is_draft:
        return _sent(response)
    values = actions.valid_values(definition, response.answer_values())
    answers = []
    for number, item in enumerate(definition.items, start=1):
        chosen = next((o for o in item.options if o.value == values.get(item.key)), None)
        answers.append({"item": item, "number": number, "chosen": chosen})
    forecast = actions.preview(definition, values)
    context = _page_context(definition, response, couple, request.user)
    context.update(
        answers=answers,
        unanswered=[a for a in answers if a["chosen"] is None],
        withheld=forecast.withheld,
    )
    return render(request, "outcomes/check.html", context)


def _send(
    request: AuthenticatedHttpRequest, response: QuestionnaireResponse, definition: Instrument
) -> HttpResponse:
    try:
        result = actions.submit_response(response.pk, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("questionnaires")
    return redirect("questionnaire_result", result_id=result.pk)


@require_POST
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_send(
    request: AuthenticatedHttpRequest, couple: Couple, response_id: Any
) -> HttpResponse:
    response, definition = _own_draft_or_404(request, couple, response_id)
    if not response.is_draft:
        return _sent(response)
    return _send(request, response, definition)


# The support offered after a positive safety screen: help for someone being hurt (not
# the services for people worried about their own behaviour), and after a risk answer.
SAFETY_SCREEN_SUPPORT = (
    "emergencies",
    "domestic_abuse",
    "sexual_violence",
    "lgbtq",
    "men",
    "older_people",
    "mental_health_crisis",
)
RISK_ANSWER_SUPPORT = ("emergencies", "mental_health_crisis")


def _support_groups(kinds: tuple[str, ...]) -> list[Any]:
    """The deployment's services of these kinds (all of them, if it has none of these)."""
    groups = grouped_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
    return [g for g in groups if g.kind in kinds] or groups


@require_GET
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_result(
    request: AuthenticatedHttpRequest, couple: Couple, result_id: Any
) -> HttpResponse:
    """One's own score and band in plain words, support where an answer calls for it,
    and the choice to share it with one's partner (never for the safety questions)."""
    user = request.user
    result = (
        QuestionnaireResult.objects.visible_to(user)
        .filter(pk=result_id, couple=couple, owner_id=user.pk)
        .first()
    )
    if result is None:
        raise Http404
    response = (
        QuestionnaireResponse.objects.visible_to(user)
        .filter(result_id=result.pk, owner_id=user.pk)
        .values("critical", "safety_positive")
        .first()
    ) or {"critical": [], "safety_positive": False}
    definition = definition_of(result.instrument_key)
    context: dict[str, Any] = {
        "result": result,
        "definition": definition,
        "summary": words.summary(definition, result),
        "partner": couple.partner_of(user),
        "care_sees": _care_sees(couple, user),
        "critical": bool(response["critical"]),
        "safety_positive": bool(response["safety_positive"]),
    }
    if result.private_safety and response["safety_positive"]:
        context["support_groups"] = _support_groups(SAFETY_SCREEN_SUPPORT)
    elif not result.private_safety and response["critical"]:
        context["support_groups"] = _support_groups(RISK_ANSWER_SUPPORT)
    return render(request, "outcomes/result.html", context)


@require_POST
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_share(
    request: AuthenticatedHttpRequest, couple: Couple, result_id: Any
) -> HttpResponse:
    share = request.POST.get("share") == "yes"
    exists = (
        QuestionnaireResult.objects.visible_to(request.user)
        .filter(pk=result_id, couple=couple, owner_id=request.user.pk)
        .exists()
    )
    if not exists:
        raise Http404
    try:
        actions.set_result_sharing(result_id, share, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Shared. Your partner can now see this score, never your answers.")
            if share
            else _("You've stopped sharing this result. Your partner no longer sees it."),
        )
    return redirect("questionnaire_result", result_id=result_id)
