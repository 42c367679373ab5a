"""Adjustment cycles: raise a concern, be heard, try a small change, look back together.

The constructive cycle of PRODUCT.md §2 point 5. Its states, in order::

    RAISED ──reflect──▶ REFLECTED ──confirm──▶ UNDERSTOOD ──propose/agree──▶ TRYING
       ▲                    │                     (suggest ↺)                  │ rate
       └──────clarify───────┘                                                  ▼
                                                    CLOSED ◀──decide── REVIEWING (rate)

and WITHDRAWN from any state before CLOSED (by the partner who raised it). Every
transition is in :mod:`twofold.cycles.actions`; the model answers questions about a cycle
(whose turn is it? is a review due? what does its status say to this person?).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.couples.visibility import Audience, PartnerDataQuerySet
from twofold.lib import limits
from twofold.lib.fields import EncryptedTextField


def _text(label: Any, **kwargs: Any) -> EncryptedTextField:
    return EncryptedTextField(
        label, max_length=limits.LONG, validators=[limits.TextLimit(limits.LONG)], **kwargs
    )


class CycleQuerySet(PartnerDataQuerySet["AdjustmentCycle"]):
    def visible_to(self, user: Any) -> CycleQuerySet:
        return cast(CycleQuerySet, super().visible_to(user))

    def open(self) -> CycleQuerySet:
        return self.exclude(state__in=AdjustmentCycle.FINISHED)

    def finished(self) -> CycleQuerySet:
        return self.filter(state__in=AdjustmentCycle.FINISHED)

    def with_ratings(self, user: Any) -> CycleQuerySet:
        """Prefetch the ratings ``user`` may see, so pages cost a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "ratings",
                queryset=OutcomeRating.objects.visible_to(user).order_by("created_at"),
            )
        )


class AdjustmentCycle(models.Model):
    """One concern, worked through together, from being heard to what was learned."""

    class State(models.TextChoices):
        RAISED = "raised", _("Raised")
        REFLECTED = "reflected", _("Said back")
        UNDERSTOOD = "understood", _("Understood")
        TRYING = "trying", _("Trying")
        REVIEWING = "reviewing", _("Looking back")
        CLOSED = "closed", _("Looked back")
        WITHDRAWN = "withdrawn", _("Set aside")

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep it")
        CHANGE = "change", _("Change it and try again")
        DROP = "drop", _("Let it go")

    FINISHED = (State.CLOSED, State.WITHDRAWN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey(
        "couples.Couple", on_delete=models.CASCADE, related_name="adjustment_cycles"
    )
    # The cycle is both partners' words: it stays when the person who raised it leaves.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.RAISED)
    # Whose move it is when it is one person's (None: either of you, or nobody).
    awaiting = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concern = _text(_("What's on your mind"))
    wish = _text(_("What you'd like to try"), blank=True)
    reflection = _text(_("What you heard"), blank=True)
    clarification = _text(_("What you'd like to add"), blank=True)
    adjustment = _text(_("The small adjustment"), blank=True)
    learned = _text(_("What we learned"), blank=True)

    reflection_rounds = models.PositiveSmallIntegerField(default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_on = models.DateField(_("Look back on"), null=True, blank=True)
    outcome_decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reflected_at = models.DateTimeField(null=True, blank=True)
    clarified_at = models.DateTimeField(null=True, blank=True)
    understood_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.SHARED

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False) | ~Q(state="closed"),
                name="closed_cycles_have_a_closing_time",
            ),
            models.CheckConstraint(
                condition=Q(state="withdrawn", withdrawn_at__isnull=False) | ~Q(state="withdrawn"),
                name="withdrawn_cycles_have_a_withdrawal_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Adjustment cycle ({self.state})"

    # --- Questions about the cycle ---------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state not in self.FINISHED

    @property
    def has_pending_proposal(self) -> bool:
        return self.state == self.State.UNDERSTOOD and self.proposed_by_id is not None

    def person(self, couple: Couple, user_id: Any) -> User | None:
        """The partner with this id, from the couple's (prefetched) seats."""
        return next((p.user for p in couple.seats() if p.user_id == user_id), None)

    @staticmethod
    def _nobody(user_id: Any) -> str:
        """How to name a partner who no longer holds a seat (or whose account is gone)."""
        return gettext("a former partner")

    def other_partner(self, couple: Couple, user_id: Any) -> User | None:
        return next((p.user for p in couple.seats() if p.user_id != user_id), None)

    def awaiting_user(self, couple: Couple) -> User | None:
        """The partner whose turn it is, or None when it's open to either of you (or done).

        ``couple`` is this cycle's couple, ideally with its seats prefetched, so naming
        the person costs no query.
        """
        if not self.is_open or self.awaiting_id is None:
            return None
        return self.person(couple, self.awaiting_id)

    def rated_by(self) -> set[Any]:
        """User ids of the partners who rated the outcome (reads prefetched ratings)."""
        return {r.owner_id for r in self.ratings.all()}

    def review_due(self, today: date) -> bool:
        """True when it's time to look back together (the date came, or a look-back began)."""
        if self.state == self.State.REVIEWING:
            return True
        return (
            self.state == self.State.TRYING
            and self.review_on is not None
            and self.review_on <= today
        )

    def status_for(self, viewer: Any, couple: Couple, today: date) -> str:
        """A plain-language line about where this cycle is, worded for ``viewer``."""
        viewer_id = getattr(viewer, "pk", None)
        awaiting = self.awaiting_user(couple)
        mine = awaiting is not None and awaiting.pk == viewer_id
        raiser = self.person(couple, self.raised_by_id)
        names = {
            "name": awaiting.display_name if awaiting else "",
            "raiser": raiser.display_name if raiser else self._nobody(self.raised_by_id),
        }
        proposer = self.person(couple, self.proposed_by_id)
        names["proposer"] = proposer.display_name if proposer else self._nobody(self.proposed_by_id)
        state = self.state
        if state == self.State.RAISED:
            if mine:
                return gettext("Your turn: say back what you heard from %(raiser)s") % names
            if awaiting:
                return gettext("Waiting for %(name)s to say back what they heard") % names
        elif state == self.State.REFLECTED:
            if mine:
                other = self.other_partner(couple, viewer_id)
                return gettext("Your turn: check %(name)s understood you") % {
                    "name": other.display_name if other else gettext("your partner")
                }
            if awaiting:
                return gettext("Waiting for %(name)s to check they were understood") % names
        elif state == self.State.UNDERSTOOD:
            if not self.has_pending_proposal:
                return gettext("Understood. Next: agree on a small adjustment to try")
            if mine:
                return gettext("Your turn: %(proposer)s suggested a small adjustment") % names
            if awaiting:
                return gettext("Waiting for %(name)s to answer the suggested adjustment") % names
        elif state == self.State.TRYING:
            if self.review_due(today):
                return gettext("Time to look back together")
            if self.review_on is None:
                return gettext("Trying it out")
            if self.review_on.year == today.year:
                day = formats.date_format(self.review_on, "MONTH_DAY_FORMAT")
            else:
                day = formats.date_format(self.review_on, "DATE_FORMAT")
            return gettext("Trying until %(date)s") % {"date": day}
        elif state == self.State.REVIEWING:
            if mine:
                return gettext("Time to look back together: your turn to say how it went")
            if awaiting:
                return gettext("Time to look back together: waiting for %(name)s") % names
            return gettext("Time to look back together: decide what's next")
        elif state == self.State.CLOSED:
            endings: dict[str, str] = {
                self.Decision.KEEP: gettext("Looked back together, and kept it"),
                self.Decision.CHANGE: gettext("Looked back together, and chose to change it"),
                self.Decision.DROP: gettext("Looked back together, and let it go"),
            }
            return endings.get(self.outcome_decision, gettext("Looked back together"))
        elif state == self.State.WITHDRAWN:
            return gettext("Set aside")
        return str(self.get_state_display())


class OutcomeRating(models.Model):
    """How the adjustment went for one partner. Both partners' ratings are looked at together."""

    class Rating(models.TextChoices):
        HELPED = "helped", _("It helped")
        NO_CHANGE = "no_change", _("No real change")
        HARDER = "harder", _("It made things harder")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(AdjustmentCycle, on_delete=models.CASCADE, related_name="ratings")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # Looked at together: it stays when its author's account is deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(_("How did it go for you?"), max_length=10, choices=Rating.choices)
    note = _text(_("Anything you'd like to add"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.SHARED

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "owner"], name="one_rating_per_partner")
        ]

    def __str__(self) -> str:
        return f"Outcome rating ({self.rating})"
