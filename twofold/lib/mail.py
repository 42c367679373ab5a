"""Outgoing e-mail goes through the task queue, sealed while it waits.

Messages may hold sign-in codes or invitation links, so the queued copy is encrypted
with the key ring; the worker opens it and sends it. E-mails never carry health content:
callers write only neutral words and a link.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django_tasks import task

from twofold.lib import crypto

_BINDING = b"twofold.outbox"

# What mail clients turn into links in a plain-text message: a scheme ("http://",
# "mailto:"), "www.", an e-mail address, or a dot between two letters or digits (a bare
# domain such as "evil.example", or an IP address; "Dr. Rivera" is fine). Checked after
# NFKC, which folds full-width letters and look-alike dots into plain ones (or "。").
_LINKABLE = re.compile(
    r"[a-z][a-z0-9+.\-]*:/"
    r"|\b(?:mailto|tel|sms|callto|file|data|javascript|xmpp|sip|news):"
    r"|www\d{0,3}\."
    r"|\S@\S"
    r"|[^\W_][.\u3002][^\W_]",
    re.IGNORECASE,
)


def name_for_email(name: str) -> str:
    """``name`` as it may appear in an e-mail, or ``""`` when it must be left out.

    People choose their own display names, so a name could be written to look like a link
    ("www.evil.example", "http://x.y") and a mail client would make it one, in a message
    that seems to come from Twofold. Such a name, or one holding line breaks or other
    control characters, is left out: the caller words the sentence without it.
    """
    text = unicodedata.normalize("NFKC", name or "")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return ""
    # Invisible characters (zero-width spaces, direction marks) could hide a dot from the
    # check while the mail client still sees the domain around it.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    if _LINKABLE.search(text):
        return ""
    return text


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
