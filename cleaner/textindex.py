"""Where the keys of a first-word index stand in a text, as whole words: shared by the lexicon and entities."""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")
WORD = re.compile(r"\w+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_keys(text: str, index: dict[str, T], *, fold: bool) -> list[tuple[int, T]]:
    """(offset, entries) where an indexed first word stands as a whole word in the text.

    Each key is looked for with str.find (C speed) rather than tokenising the text in Python: an
    index has tens of keys and an article thousands of words.
    """
    haystack = text.lower() if fold else text
    if len(haystack) != len(text):  # a few characters change length when lowered: tokenise instead
        return [
            (w.start(), index[k])
            for w in WORD.finditer(text)
            if (k := w.group().lower() if fold else w.group()) in index
        ]
    found = []
    for key, entries in index.items():
        position = haystack.find(key)
        while position >= 0:
            after = position + len(key)
            if (position == 0 or not _is_word_char(haystack[position - 1])) and (
                after == len(haystack) or not _is_word_char(haystack[after])
            ):
                found.append((position, entries))
            position = haystack.find(key, after)
    return found
