"""Downloads of questionnaire data (see :mod:`twofold.outcomes.exports`): a partner's own,
and the care team's of a couple. Both are reads, audited as a read about each partner
whose data is in the file (the audit keeps only the care team's; a partner's own download
is theirs), and write nothing else."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import Locked, privacy_locked
from twofold.couples.access import care_page, partner_page
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.audit import What
from twofold.outcomes import exports
from twofold.outcomes.views import NOT_OPEN


@require_GET
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.QUESTIONNAIRES)
def questionnaire_export(
    request: AuthenticatedHttpRequest, couple: Couple, fmt: str
) -> HttpResponse:
    export = exports.for_partner(request.user, couple, clock.now())
    request.audit.read_each(request.user, couple, What.QUESTIONNAIRE_EXPORT, export.subjects)
    return exports.download(export, fmt, clock.localdate())


@require_GET
@care_page(None)
def care_questionnaire_export(
    request: AuthenticatedHttpRequest, couple: Couple, fmt: str
) -> HttpResponse:
    export = exports.for_care_team(request.user, couple, clock.now())
    request.audit.read_each(request.user, couple, What.QUESTIONNAIRE_EXPORT, export.subjects)
    return exports.download(export, fmt, clock.localdate())
