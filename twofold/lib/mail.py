"""Outgoing e-mail goes through the task queue, sealed while it waits.

Messages may hold sign-in codes or invitation links, so the queued copy is encrypted
with the key ring; the worker opens it and sends it. E-mails never carry health content:
callers write only neutral words and a link.
"""

from __future__ import annotations

import json
from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django_tasks import task

from twofold.lib import crypto

_BINDING = b"twofold.outbox"


def queue_email(message: EmailMessage) -> None:
    """Send ``message`` from a worker once the current transaction commits."""
    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "html": next(
            (
                content
                for content, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            None,
        ),
    }
    sealed = crypto.seal(json.dumps(payload), _BINDING)
    transaction.on_commit(partial(deliver_email.enqueue, sealed))


@task()
def deliver_email(sealed: str) -> None:
    payload = json.loads(crypto.open_sealed(sealed, _BINDING))
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    message.send()
