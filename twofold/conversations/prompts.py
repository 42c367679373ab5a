"""Conversation prompts suggested after a check-in reveal (PRODUCT.md §2.8).

The check-in feature calls :func:`prompts_after_reveal` with what the reveal showed. It
reads no database and learns nothing the reveal didn't already show: an item either
partner kept private is passed as ``None`` and never produces a prompt. Prompt texts never
say who scored higher, so neither partner is cast as the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from twofold.conversations import content
from twofold.conversations.content import CHECKIN_ITEMS

# Answers this many points apart (on the 0 to 10 scales) are worth a talk.
DIFFERENCE_THRESHOLD = 3


@dataclass(frozen=True)
class SuggestedPrompt:
    key: str
    title: str
    text: str
    script_key: str


def _suggest(prompt: content.DifferencePrompt) -> SuggestedPrompt:
    return SuggestedPrompt(
        key=prompt.key, title=prompt.title, text=prompt.prompt, script_key=prompt.script_key
    )


def prompts_after_reveal(
    first: dict[str, int | None], second: dict[str, int | None], talk_about_count: int
) -> list[SuggestedPrompt]:
    """Prompts for the couple after both check-ins were revealed.

    ``first`` and ``second`` map check-in item keys to each partner's revealed score
    (``None`` or absent when that partner kept the item private). Items whose scores
    differ by :data:`DIFFERENCE_THRESHOLD` or more come first, largest difference first
    (ties in :data:`CHECKIN_ITEMS` order); then one ``talk_about`` prompt when
    ``talk_about_count`` (revealed "something I'd like to talk about" answers) is above 0.
    """
    library = content.difference_prompts()
    differences: list[tuple[int, int, str]] = []
    for order, item in enumerate(CHECKIN_ITEMS):
        a, b = first.get(item), second.get(item)
        if a is None or b is None:
            continue
        gap = abs(int(a) - int(b))
        if gap >= DIFFERENCE_THRESHOLD:
            differences.append((-gap, order, item))
    result = [_suggest(library[item]) for _gap, _order, item in sorted(differences)]
    if talk_about_count > 0:
        result.append(_suggest(library[content.TALK_ABOUT]))
    return result
