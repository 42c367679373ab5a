"""Fragments of "talk together" for other pages.

* ``{% suggested_talks prompts %}``: the prompts from
  :func:`twofold.conversations.prompts.prompts_after_reveal`, each with a button that
  starts its script (e.g. on the check-in reveal page).
* ``{% open_talk couple user %}``: a "Join" link while a conversation is in progress
  (e.g. on the couple's home). One query.
"""

from __future__ import annotations

from typing import Any

from django import template

from twofold.conversations import content
from twofold.conversations.models import TalkSession
from twofold.conversations.prompts import SuggestedPrompt

register = template.Library()


@register.inclusion_tag("conversations/_suggested_talks.html", takes_context=True)
def suggested_talks(context: template.Context, prompts: list[SuggestedPrompt]) -> dict[str, Any]:
    scripts = content.scripts()
    return {
        "csrf_token": context.get("csrf_token"),
        "items": [(p, scripts.get(p.script_key)) for p in prompts],
    }


@register.inclusion_tag("conversations/_open_talk.html")
def open_talk(couple: Any, user: Any) -> dict[str, Any]:
    session = (
        TalkSession.objects.open().visible_to(user).filter(couple=couple).first()
        if couple is not None
        else None
    )
    return {"open_session": session}
