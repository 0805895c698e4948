"""Where the keys of a first-word index stand in a text, as whole words: shared by the lexicon and entities."""

from __future__ import annotations

import functools
import re
from typing import TypeVar

T = TypeVar("T")
WORD = re.compile(r"\w+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_keys(text: str, index: dict[str, T], *, fold: bool) -> list[tuple[int, T]]:
    """(offset, entries) where an indexed first word stands as a whole word in the text (in text order
    when every key is a word).

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
    pattern = _keys_pattern(tuple(index))
    if pattern is not None:
        for hit in pattern.finditer(haystack):
            position = hit.start()
            if position == 0 or not _is_word_char(haystack[position - 1]):
                found.append((position, index[hit.group()]))
        return found
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


@functools.lru_cache(maxsize=16)
def _keys_pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    # Where every key is a word (\w+), one regex of them all finds the same places as a str.find per key,
    # at a third of the cost: it starts with a literal, so re skips at C speed to the characters keys start
    # with; at one place only the key that is the whole word passes (?!\w), and a match never spans a
    # place where a whole word starts, so finditer's skipping misses none. The left edge is checked by the
    # caller: a lookbehind first would stop re's skipping.
    if not keys or not all(WORD.fullmatch(key) for key in keys):
        return None
    ordered = sorted(keys, key=lambda key: (-len(key), key))
    return re.compile(rf"(?:{'|'.join(map(re.escape, ordered))})(?!\w)")


# Words too common to index a phrase by: "the conflict" is looked up by "conflict", then "the" checked before it.
LEADING_WORDS = {"the", "a", "an", "his", "her", "their", "its", "our"}


def split_leading(phrase: str) -> tuple[str, str]:
    """(leading articles and possessives, the rest) of a phrase: ("the", "Kremlin leader")."""
    words = phrase.split()
    count = 0
    while count < len(words) - 1 and words[count].lower() in LEADING_WORDS:
        count += 1
    return " ".join(words[:count]), " ".join(words[count:])


def extend_back(text: str, start: int, lead: re.Pattern[str] | None) -> int | None:
    """The start of a phrase whose core starts at `start`, once its leading words are found before it; else None."""
    if lead is None:
        return start
    found = lead.search(text, max(0, start - 40), start)
    return found.start() if found else None
