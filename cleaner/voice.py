"""Voice: which parts of a text are quoted speech, and who the text says is speaking.

An outlet quoting "Kiev" from a Russian official has not itself chosen "Kiev": framing markers and
entity mentions carry the voice they stand in (narrative or quoted) and, where the text attributes
it, the speaker ("Zakharova said", "according to the foreign ministry", "Russia asserts that").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sentences import sentences

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
VERBS = (
    r"said|says|say|told|tells|added|adds|stressed|wrote|writes|commented|remarked|insisted|insists|noted|notes|"
    r"replied|asked|explained|declared|stated|continued|warned|warns|argued|argues|claimed|claims|asserted|asserts|"
    r"announced|urged|described|called|conveyed|reiterated|acknowledged|believes|believed|thinks|contends|maintains"
)  # fmt: skip
PRONOUNS = {"he", "she", "they", "it"}
# Who: up to six words before the verb that are not clause punctuation ("ministry spokeswoman Maria Zakharova").
_W = r"[\w.’'-]+"  # one word of a name, with initials, apostrophes and hyphens
_WHO = rf"(?P<who>(?:{_W}\s+){{0,5}}?{_W})"
_NAME = r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}"
_NOT_A_SUBJECT = r"(?!(?:but|and|while|though|although|as|since|which|who)\b)"
_AFTER_QUOTE = re.compile(rf"^\s*,?\s*(?:{_WHO}\s+(?:{VERBS})\b|(?:{VERBS})\s+(?P<who2>{_NAME}))")
_BEFORE_QUOTE = re.compile(rf"{_WHO}\s+(?:{VERBS})(?:\s+[^,:“”\"]{{0,40}}?)?\s*[:,]?\s*$")
_ACCORDING = re.compile(
    rf"\b(?i:according) to (?P<who>(?:the |a |an )?{_W}(?:\s+{_W}){{0,4}}?)(?=[,.;]|\s+(?:on|in|at|statement)\b|$)"
)
_THAT = re.compile(rf"{_WHO}\s+(?:has\s+|had\s+|have\s+)?(?:{VERBS})(?:\s+[^,.“”\"]{{0,40}}?)?\s+that\b")
# ", Kellogg said." / ", Store said in Kyiv.": a short tail, not a clause of its own (", but Moscow said there ...").
_TAIL = re.compile(rf",\s+{_NOT_A_SUBJECT}{_WHO}\s+(?:{VERBS})\b[^,“”\"]{{0,30}}$")
# Where reported speech ends and the outlet speaks again: a contrast, or a relative clause glossing a name
# (seed 004: "Trump remarked that Ukraine should not ... recover Crimea, which integrated with Russia ...").
_BREAK = re.compile(r",?\s+(?:even as|while|whereas|but|although)\s+|;|,\s+(?:which|who)\s+")


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted speech: [start, end) includes the quotation marks; `speaker` as the text names it, if it does."""

    start: int
    end: int
    speaker: str | None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every quotation, marks included; a quote left open ends with its paragraph."""
    spans: list[tuple[int, int]] = []
    position = 0
    continuing = False
    for paragraph in text.split("\n"):
        spans.extend(_paragraph_quotes(paragraph, position, continuing))
        # A quote running on into the next paragraph: in news style that paragraph opens with a mark again.
        continuing = bool(spans) and spans[-1][1] == position + len(paragraph) and _left_open(paragraph)
        position += len(paragraph) + 1
    return spans


def _left_open(paragraph: str) -> bool:
    depth = 0
    for char in paragraph:
        if char in OPENERS:
            depth = 1
        elif char in CLOSERS:
            depth = 0
        elif char == STRAIGHT:
            depth = 1 - depth
    return depth == 1


def _paragraph_quotes(paragraph: str, offset: int, continuing: bool) -> list[tuple[int, int]]:
    spans = []
    double_open: int | None = None
    single_open: int | None = None
    starts_open = paragraph.lstrip()[:1] in OPENERS + STRAIGHT
    if continuing and not starts_open:
        double_open = 0  # the quote from the previous paragraph goes on without a new opening mark
    for index, char in enumerate(paragraph):
        if char in OPENERS and double_open is None:
            double_open = index
        elif (char in CLOSERS or char == STRAIGHT) and double_open is not None:
            spans.append((offset + double_open, offset + index + 1))
            double_open = None
        elif char == STRAIGHT:
            double_open = index
        elif char == "‘" and double_open is None and single_open is None:
            single_open = index
        elif char == "’" and single_open is not None and not paragraph[index + 1 : index + 2].isalpha():
            spans.append((offset + single_open, offset + index + 1))
            single_open = None
    if double_open is not None:
        spans.append((offset + double_open, offset + len(paragraph)))
    return sorted(spans)


def quotes(text: str) -> list[Quote]:
    """Every quotation with the speaker the text names for it."""
    out: list[Quote] = []
    for start, end in quote_spans(text):
        speaker = _quote_speaker(text, start, end)
        if speaker is None and out and out[-1].speaker is not None:
            # A second quote in the same sentence ("described them as “...” and “...”"), or a quote that
            # opens the paragraph after an attributed one, is the same speaker's: news style names them once.
            low = text.rfind("\n", 0, start) + 1
            between = text[out[-1].end : start]
            same_sentence = "\n" not in between and not re.search(r"[.!?]\s", between)
            next_paragraph = text[low:start].strip() == "" and between.count("\n") == 1
            if same_sentence or next_paragraph:
                speaker = out[-1].speaker
        out.append(Quote(start, end, speaker))
    return out


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    low = text.rfind("\n", 0, start) + 1
    high = text.find("\n", end)
    return low, len(text) if high < 0 else high


def _quote_speaker(text: str, start: int, end: int) -> str | None:
    low, high = _paragraph_bounds(text, start, end)
    after = text[end:high]
    match = _AFTER_QUOTE.match(after)
    if match:
        return _clean_who(match.group("who") or match.group("who2"))
    match = _BEFORE_QUOTE.search(text[low:start])
    if match:
        return _clean_who(match.group("who"))
    # "Officials are “hoping ...” that address ..., Kellogg said.": the sentence's own attribution.
    return reported_speaker(text, start, end)


def reported_speaker(text: str, start: int, end: int) -> str | None:
    """Who the text attributes an unquoted span to ("X said that ...", "..., X said.", "according to X")."""
    low, high = _paragraph_bounds(text, start, end)
    for sent_start, sent_end in sentences(text[low:high]):
        sent_start, sent_end = sent_start + low, sent_end + low
        if not (sent_start <= start < sent_end):
            continue
        sentence = text[sent_start:sent_end]
        local = start - sent_start
        according = _ACCORDING.search(sentence)
        if according:
            return _clean_who(according.group("who"))
        for match in _THAT.finditer(sentence):
            if match.end() <= local:
                stop = _BREAK.search(sentence, match.end())
                if stop is None or stop.start() > local:
                    return _clean_who(match.group("who"))
        tail = _TAIL.search(sentence.rstrip(".!?"))
        if tail and tail.start() >= local:
            return _clean_who(tail.group("who"))
    return None


# Words a "who" picks up that are not the speaker's name: the clause before it, titles of time.
_LEAD = re.compile(
    r"^(?:.*\b(?:and|but|that|when|as|which|who|while|then|also|however|still|meanwhile|concurrently),?\s+)", re.I
)


def _clean_who(who: str | None) -> str | None:
    if not who:
        return None
    who = _LEAD.sub("", who.strip(" ,.;:"))
    # "Trump subsequently remarked", "Moscow has since said": the verb's helpers are not the name.
    who = re.sub(r"(?:\s+(?:has|had|have|also|then|again|since|on|in|\w+ly))+$", "", who)
    return who or None


def is_pronoun(who: str | None) -> bool:
    """Whether a speaker is a bare pronoun ("he said"), to be resolved to a named person."""
    return who is not None and who.casefold() in PRONOUNS


def voice_at(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the quote spans."""
    return any(q_start <= start and end <= q_end for q_start, q_end in spans)
