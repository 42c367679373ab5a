"""How much text people may type into each kind of field, enforced in models and forms.

Limits are generous: they exist so that nothing can grow without bound, not to make
anybody shorten what they meant to say. A text over its limit is refused with a message
that gives the limit and the length typed, and the form shows the text again.

Models: ``CharField(max_length=...)`` for short names; ``TextField`` and
``EncryptedTextField`` carry ``max_length`` (for their form field) and
``validators=[TextLimit(...)]`` (checked on the plaintext, before sealing). Forms: inherit
:class:`TextLimits` first, so every text field of the form answers with the same message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

NAME = 120  # a clinic's name, a person's name in an invitation
SHORT = 500  # one line or two: a moment's note, an appreciation
ANSWER = 2_000  # a short written answer: a goal, a practice note, a note to the couple
LONG = 4_000  # a considered answer: each step of an adjustment cycle
NOTE = 10_000  # a journal entry, a care-team note
INVITATION_NOTE = 300  # the inviter's few personal words on an invitation page


def too_long_message(limit: int, count: int) -> str:
    return gettext("Please keep this to %(limit)s characters or fewer — you have %(count)s.") % {
        "limit": formats.number_format(limit, force_grouping=True),
        "count": formats.number_format(count, force_grouping=True),
    }


@deconstructible(path="twofold.lib.limits.TextLimit")
class TextLimit:
    """Refuses text longer than ``limit`` characters, saying how long it is."""

    code = "max_length"

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        count = len(str(value))
        if count > self.limit:
            raise ValidationError(too_long_message(self.limit, count), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLimit) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(("TextLimit", self.limit))


def limit_of(field: forms.Field) -> int | None:
    """The :class:`TextLimit` of a form or model field, if it has one."""
    for validator in field.validators:
        if isinstance(validator, TextLimit):
            return validator.limit
    return None


def apply_text_limit(field: forms.CharField, limit: int) -> None:
    """Give a form field the clear message instead of Django's, and no silent cut-off.

    The browser's ``maxlength`` is left out on purpose: it silently drops the end of a
    pasted text, whereas the message keeps everything that was typed on the page.
    """
    field.max_length = limit
    field.validators = [
        v for v in field.validators if not isinstance(v, MaxLengthValidator | TextLimit)
    ] + [TextLimit(limit)]
    field.widget.attrs.pop("maxlength", None)


class TextLimits:
    """Form mixin: every text field with a ``max_length`` gets :func:`apply_text_limit`."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                if isinstance(field, forms.EmailField | forms.URLField):
                    continue
                apply_text_limit(field, field.max_length)
