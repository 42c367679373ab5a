"""Adjustment-cycle look-ups within what the viewer may see: 404 for anything else."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.models import Couple
from twofold.cycles.models import AdjustmentCycle, CycleQuerySet


def cycles_for(request: AuthenticatedHttpRequest, couple: Couple) -> CycleQuerySet:
    """The couple's cycles the viewer may see, with the ratings they may see prefetched."""
    return (
        AdjustmentCycle.objects.visible_to(request.user)
        .filter(couple=couple)
        .with_ratings(request.user)
    )


def get_partner_cycle(
    request: AuthenticatedHttpRequest, couple: Couple, cycle_id: Any
) -> AdjustmentCycle:
    """One of the viewer's own couple's cycles (the viewer is a partner in ``couple``)."""
    cycle = cycles_for(request, couple).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    cycle.couple = couple
    return cycle
