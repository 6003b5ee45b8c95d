"""Shared pieces of the field rules: a found value with its evidence, numbers written as words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crawlers.extract.text import Sentence, snippet


@dataclass(frozen=True)
class Found:
    """A field value and the sentence that supports it."""

    value: Any
    evidence: str

    @classmethod
    def of(cls, value: Any, sentence: Sentence | str) -> Found:
        text = sentence.text if isinstance(sentence, Sentence) else sentence
        return cls(value, snippet(text))


WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60,
    "ninety": 90,
}  # fmt: skip
NUMBER = (
    r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety)"
)
PAREN_DIGIT = re.compile(r"\b([a-z]+)\s*\((\d+)\)", re.I)  # "four (4) weeks" → "four weeks"


def to_number(word: str) -> float:
    word = word.lower()
    return float(WORD_NUMBERS[word]) if word in WORD_NUMBERS else float(word)


def unparen(text: str) -> str:
    """Drop a digit repeated in parentheses after its word: 'eight (8) weeks' → 'eight weeks'."""
    return PAREN_DIGIT.sub(lambda m: m.group(1) if m.group(1).lower() in WORD_NUMBERS else m.group(0), text)
