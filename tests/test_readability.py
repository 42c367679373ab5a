"""Program, activity, prompt and script texts read plainly: about US school grade 6 to 8.

Every content file a couple reads from is measured with ``textstat``'s Flesch-Kincaid
grade: all its user-facing texts, each distinct text once, joined as sentences. A file
above grade 8 fails, and so does any step (an item of a list named ``steps``) longer
than 30 words. The walk takes every string in the file except keys, versions and other
identifiers, so a field added later is measured without changing this test.

No database: these tests only read the content files. See the figures with
``-s``, or run ``.venv/bin/python -m tests.test_readability``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import textstat

ROOT = Path(__file__).resolve().parent.parent
CONTENT_GLOBS = (
    "twofold/program/content/programs/*.json",
    "twofold/program/content/activities.json",
    "twofold/conversations/content/difference_prompts.json",
    "twofold/conversations/content/scripts/*.json",
    "twofold/journal/content/prompts.json",
)
MAX_GRADE = 8.0
MAX_STEP_WORDS = 30
STEPS = "steps"
# Fields that hold identifiers or machine values, never words for people.
NOT_TEXT_FIELDS = frozenset({"key", "version", "kind", "script", "id", "slug"})
# A bare identifier in a text field or a list of keys: "talking-closeness", "giving".
IDENTIFIER = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
SENTENCE_END = ".!?"
CLOSERS = "\"'\u201d\u2019)]"


@dataclass(frozen=True)
class Text:
    place: str
    text: str
    in_step: bool


@dataclass(frozen=True)
class StepLength:
    place: str
    words: int


@dataclass(frozen=True)
class FileFigures:
    name: str
    grade: float
    words: int
    sentences: int
    texts: int
    longest_step: StepLength | None
    long_steps: tuple[StepLength, ...]


def content_files() -> list[Path]:
    """Every content file measured, in a fixed order."""
    found: list[Path] = []
    for pattern in CONTENT_GLOBS:
        found += sorted(ROOT.glob(pattern))
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def user_texts(data: Any, place: str = "", in_step: bool = False) -> Iterator[Text]:
    """Every user-facing string in ``data``, wherever it sits, with its place in the file."""
    if isinstance(data, dict):
        for field, value in data.items():
            if field in NOT_TEXT_FIELDS:
                continue
            inner = f"{place}.{field}" if place else str(field)
            yield from user_texts(value, inner, in_step or field == STEPS)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from user_texts(value, f"{place}[{index}]", in_step)
    elif isinstance(data, str):
        text = " ".join(data.split())
        if re.search(r"[A-Za-z]", text) and not IDENTIFIER.match(text):
            yield Text(place, text, in_step)


def as_sentence(text: str) -> str:
    """``text`` ending in sentence punctuation, so list items are not read as one sentence."""
    core = text.rstrip(CLOSERS)
    return text if core.endswith(tuple(SENTENCE_END)) else f"{text}."


def step_lengths(texts: list[Text]) -> list[StepLength]:
    """The length of every step text (a script step's prompt and hint each count alone)."""
    return [StepLength(t.place, textstat.lexicon_count(t.text)) for t in texts if t.in_step]


def measure(path: Path) -> FileFigures:
    texts = list(user_texts(json.loads(path.read_text(encoding="utf-8"))))
    distinct = list(dict.fromkeys(as_sentence(t.text) for t in texts))
    joined = " ".join(distinct)
    steps = step_lengths(texts)
    return FileFigures(
        name=_name(path),
        grade=float(textstat.flesch_kincaid_grade(joined)) if joined else 0.0,
        words=textstat.lexicon_count(joined),
        sentences=textstat.sentence_count(joined),
        texts=len(distinct),
        longest_step=max(steps, key=lambda s: s.words, default=None),
        long_steps=tuple(s for s in steps if s.words > MAX_STEP_WORDS),
    )


def readability_figures() -> list[FileFigures]:
    """The figures for every content file, in :func:`content_files` order."""
    return [measure(path) for path in content_files()]


def table(figures: list[FileFigures]) -> str:
    width = max((len(f.name) for f in figures), default=4)
    lines = [f"{'file':<{width}}  grade  words  sentences  longest step"]
    for f in figures:
        longest = f"{f.longest_step.words} words" if f.longest_step else "-"
        lines.append(
            f"{f.name:<{width}}  {f.grade:5.1f}  {f.words:5d}  {f.sentences:9d}  {longest}"
        )
    return "\n".join(lines)


FILES = content_files()


def test_every_content_file_is_measured_and_the_figures_are_shown() -> None:
    names = {_name(p) for p in FILES}
    for pattern in CONTENT_GLOBS:
        assert any(Path(n).match(pattern) for n in names), f"nothing found for {pattern}"
    figures = readability_figures()
    assert all(f.words > 0 for f in figures), [f.name for f in figures if f.words == 0]
    print("\nReadability (Flesch-Kincaid grade, at most 8.0)\n" + table(figures))


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_content_reads_at_grade_8_or_below(path: Path) -> None:
    figures = measure(path)
    if figures.grade > MAX_GRADE:
        pytest.fail(
            f"{figures.name} reads at grade {figures.grade:.1f} (at most {MAX_GRADE}): "
            f"{figures.words} words in {figures.sentences} sentences",
            pytrace=False,
        )


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_no_step_is_longer_than_30_words(path: Path) -> None:
    figures = measure(path)
    if figures.long_steps:
        pytest.fail(
            f"{figures.name}: steps over {MAX_STEP_WORDS} words: "
            + "; ".join(f"{s.place} has {s.words} words" for s in figures.long_steps),
            pytrace=False,
        )


def test_the_walk_finds_texts_in_fields_it_has_never_seen() -> None:
    data = {
        "key": "some-key",
        "version": "2026-1",
        "title": "A title",
        "brand_new_field": {"deeper": ["A new note.", "another-key"]},
        "steps": ["One step", {"kind": "speak", "prompt": "Say it.", "new_hint": "Gently"}],
        "minutes": 20,
    }
    found = list(user_texts(data))
    assert [(t.place, t.text) for t in found] == [
        ("title", "A title"),
        ("brand_new_field.deeper[0]", "A new note."),
        ("steps[0]", "One step"),
        ("steps[1].prompt", "Say it."),
        ("steps[1].new_hint", "Gently"),
    ]
    assert [t.place for t in found if t.in_step] == [
        "steps[0]",
        "steps[1].prompt",
        "steps[1].new_hint",
    ]


def test_texts_are_joined_as_sentences() -> None:
    assert as_sentence("Holding hands") == "Holding hands."
    assert as_sentence("Ready?") == "Ready?"
    assert as_sentence('Finish it: "What I wish is…"') == 'Finish it: "What I wish is…".'
    assert as_sentence('Say "thank you."') == 'Say "thank you."'


def test_a_long_step_is_named_with_its_place_and_word_count() -> None:
    long_step = " ".join(["word"] * 31)
    steps = step_lengths(list(user_texts({"steps": ["Short.", long_step]})))
    assert [(s.place, s.words) for s in steps if s.words > MAX_STEP_WORDS] == [("steps[1]", 31)]


if __name__ == "__main__":
    print(table(readability_figures()))
