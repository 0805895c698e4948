"""Voice: which parts of a text are quoted speech, and who the text says is speaking.

An outlet quoting "Kiev" from a Russian official has not itself chosen "Kiev": framing markers and
entity mentions carry the voice they stand in (narrative or quoted) and, where the text attributes
it, the speaker ("Zakharova said", "according to the foreign ministry", "Russia asserts that").
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.annotation.sentences import sentences

OPENERS = "“„«"
_MARKS = re.compile("[“„«”»\"‘’']")
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
# "X said that": " that" is found first (a literal), then the verb in the words before it, then the
# speaker before the verb; a pattern led by the speaker's words is tried at every position: 6x slower.
_THAT = re.compile(r"\s+that\b")
_VERB_BEFORE = re.compile(rf"\b(?:has\s+|had\s+|have\s+)?(?:{VERBS})(?:\s+[^,.“”\"]{{0,40}}?)?$")
_WHO_BEFORE = re.compile(rf"{_WHO}\s*$")
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
    """[start, end) of every quotation, marks included; a quote left open ends with its paragraph.

    An embedded social post (its text and link, before a "— Name (@handle) date" tail) is a quotation too.
    """
    return _with_posts(_mark_spans(text), social_posts(text))


def _with_posts(spans: list[tuple[int, int]], posts: Sequence[Quote]) -> list[tuple[int, int]]:
    # A post holds any quotation inside it: the spans stay sorted and disjoint.
    if not posts:
        return spans
    kept = [(s, e) for s, e in spans if not any(p.start < e and s < p.end for p in posts)]
    return sorted(kept + [(p.start, p.end) for p in posts])


def _mark_spans(text: str) -> list[tuple[int, int]]:
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
    opener = ""
    for char in paragraph:
        if char == "“" and depth == 1 and opener == "„":
            depth = 0
        elif char in OPENERS:
            depth, opener = 1, char
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
    for mark in _MARKS.finditer(paragraph):  # jump from mark to mark: most characters are not quotes
        index, char = mark.start(), mark.group()
        if char in OPENERS and double_open is None:
            double_open = index
        elif double_open is not None and (
            char in CLOSERS or char == STRAIGHT or (char == "“" and paragraph[double_open] == "„")
        ):  # „German style“ closes with the mark English opens with
            spans.append((offset + double_open, offset + index + 1))
            double_open = None
        elif char == STRAIGHT:
            double_open = index
        elif double_open is not None:
            continue  # a single quote inside a double one is part of it
        elif single_open is None and char in "‘'" and _opens_single(paragraph, index):
            single_open = index
        elif single_open is not None and char in "’'" and _closes_single(paragraph, index):
            spans.append((offset + single_open, offset + index + 1))
            single_open = None
    if double_open is not None:
        spans.append((offset + double_open, offset + len(paragraph)))
    return sorted(spans)


# Apostrophes that stand where a quotation would open: "rock 'n' roll", "the '90s", "'em", "'til".
_ELISION = re.compile(r"(?:n|em|til|cause|tis|twas|bout|round)['’]?(?!\w)|\d", re.IGNORECASE)


def _opens_single(paragraph: str, index: int) -> bool:
    # An opening single quote follows a space or an opening bracket and comes right before a word:
    # "Mayor says 'we will rebuild'". Inside a word it is an apostrophe ("Trump's").
    before = paragraph[index - 1 : index]
    after = paragraph[index + 1 : index + 2]
    if before and not (before.isspace() or before in '([{“"—–-/:'):
        return False
    return bool(after) and (after.isalnum() or after in '“"') and not _ELISION.match(paragraph, index + 1)


def _closes_single(paragraph: str, index: int) -> bool:
    # A closing single quote ends a word and is not followed by one ("Ukraine’s" is an apostrophe).
    before = paragraph[index - 1 : index]
    after = paragraph[index + 1 : index + 2]
    return bool(before) and not before.isspace() and not after.isalnum()


# The tail of an embedded post as extractors leave it: "— Name (@handle) March 1, 2025", the date
# perhaps on the next line. The date is required: "— Jane Doe (@jdoe)" alone is a byline, not a post.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_POST_TAIL = re.compile(
    rf"[—–]\s*(?P<name>[^\n()—–]{{0,80}}?)\s*\(@(?P<handle>\w{{1,30}})\)\s*(?:{_MONTH}\s+\d{{1,2}},\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
)
_POST_LIMIT = 600  # characters of post text looked back over: a post is short (280 on X, 500 on Threads)
_BLOCKQUOTE = re.compile(r"(?:^|(?<=\s))>(?=\s)", re.MULTILINE)
WORD = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?…][\"”’']?\s*$")


def social_posts(text: str) -> list[Quote]:
    """Embedded social posts: the post's text and link before its tail, with the account's name as speaker.

    The post is the tail's own paragraph up to the tail, or else the lines just before it, back to a line
    that ends a sentence (the article's own paragraph before the embed).
    """
    posts: list[Quote] = []
    for tail in _POST_TAIL.finditer(text):
        line_start = text.rfind("\n", 0, tail.start()) + 1
        end = tail.start()
        start: int | None
        if text[line_start:end].strip():
            # An extractor may keep the blockquote's "> " marks: the post starts after the first one.
            mark = _BLOCKQUOTE.search(text, line_start, end)
            start = mark.end() if mark else line_start
        else:
            start = _post_start(text, line_start)
        if start is None:
            continue  # a tail with no text before it
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ">"):
            end -= 1
        if not WORD.search(text, start, end) or (posts and start < posts[-1].end):
            continue
        name = tail.group("name").strip()
        posts.append(Quote(start, end, name or "@" + tail.group("handle")))
    return posts


def _post_start(text: str, line_start: int) -> int | None:
    # Walk back over the lines before the tail: blank ones are skipped, one ending a sentence ends the walk
    # (it is the article's), and so does the length limit.
    start = None
    position = line_start - 1
    while position > 0 and line_start - position < _POST_LIMIT:
        low = text.rfind("\n", 0, position) + 1
        line = text[low:position]
        if line.strip():
            if start is not None and _SENTENCE_END.search(line):
                break
            start = low + len(line) - len(line.lstrip())
        position = low - 1
    return start


def quotes(text: str) -> list[Quote]:
    """Every quotation with the speaker the text names for it."""
    found = Quotes(text)
    return [Quote(start, end, found.speaker(index)) for index, (start, end) in enumerate(found.spans)]


class Quotes:
    """The quotations of a text; a quote's speaker is worked out only when asked for (most are not)."""

    def __init__(self, text: str, sentence_spans: Sequence[tuple[int, int]] | None = None):
        self.text = text
        posts = social_posts(text)
        self.spans = _with_posts(_mark_spans(text), posts)
        self._sentences = sentence_spans
        self._speakers: dict[int, str | None] = {
            self.spans.index((post.start, post.end)): post.speaker for post in posts
        }

    def at(self, start: int, end: int) -> int | None:
        """Index of the quote that holds [start, end), or None."""
        return quote_at(self.spans, start, end)

    def speaker(self, index: int) -> str | None:
        if index not in self._speakers:
            start, end = self.spans[index]
            speaker = _quote_speaker(self.text, start, end, self._sentences)
            if speaker is None and index > 0:
                # A second quote in the same sentence ("described them as “...” and “...”"), or a quote that
                # opens the paragraph after an attributed one, is the same speaker's: news style names them once.
                previous_end = self.spans[index - 1][1]
                low = self.text.rfind("\n", 0, start) + 1
                between = self.text[previous_end:start]
                same_sentence = "\n" not in between and not re.search(r"[.!?]\s", between)
                next_paragraph = self.text[low:start].strip() == "" and between.count("\n") == 1
                if same_sentence or next_paragraph:
                    speaker = self.speaker(index - 1)
            self._speakers[index] = speaker
        return self._speakers[index]


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    low = text.rfind("\n", 0, start) + 1
    high = text.find("\n", end)
    return low, len(text) if high < 0 else high


def _quote_speaker(
    text: str, start: int, end: int, sentence_spans: Sequence[tuple[int, int]] | None = None
) -> str | None:
    low, high = _paragraph_bounds(text, start, end)
    after = text[end:high]
    match = _AFTER_QUOTE.match(after)
    if match:
        return _clean_who(match.group("who") or match.group("who2"))
    # Only the words just before the quote can introduce it ("Trump replied: “..."): a bounded window,
    # since a pattern led by the speaker's words is tried at every position it is given.
    match = _BEFORE_QUOTE.search(text, max(low, start - 120), start)
    if match:
        return _clean_who(match.group("who"))
    # "Officials are “hoping ...” that address ..., Kellogg said.": the sentence's own attribution.
    return reported_speaker(text, start, end, sentence_spans)


def reported_speaker(
    text: str, start: int, end: int, sentence_spans: Sequence[tuple[int, int]] | None = None
) -> str | None:
    """Who the text attributes an unquoted span to ("X said that ...", "..., X said.", "according to X").

    `sentence_spans` (cleaner.sentences.sentences(text)) saves splitting the paragraph again.
    """
    if sentence_spans is None:
        low, high = _paragraph_bounds(text, start, end)
        sentence_spans = [(s + low, e + low) for s, e in sentences(text[low:high])]
    index = bisect_right(sentence_spans, (start, len(text) + 1)) - 1
    if index < 0:
        return None
    sent_start, sent_end = sentence_spans[index]
    if not sent_start <= start < sent_end:
        return None
    return _attribution(text[sent_start:sent_end]).speaker_at(start - sent_start)


@dataclass(frozen=True)
class _Attribution:
    """What a sentence says about who speaks: "according to X", "X said that" clauses, a ", X said." tail."""

    according: str | None
    clauses: tuple[tuple[int, int, str | None], ...]  # reported clause [start, end) and its speaker
    tail: tuple[int, str | None] | None

    def speaker_at(self, offset: int) -> str | None:
        if self.according:
            return self.according
        for clause_start, clause_end, who in self.clauses:
            if clause_start <= offset < clause_end:
                return who
        if self.tail is not None and self.tail[0] >= offset:
            return self.tail[1]
        return None


@functools.lru_cache(maxsize=4096)
def _attribution(sentence: str) -> _Attribution:
    # Cached per sentence: a sentence with several markers and mentions is read once.
    according = _ACCORDING.search(sentence)
    clauses = []
    for match in _THAT.finditer(sentence):
        verb = _VERB_BEFORE.search(sentence, max(0, match.start() - 60), match.start())
        who = _WHO_BEFORE.search(sentence, max(0, verb.start() - 80), verb.start()) if verb else None
        if who is None:
            continue
        stop = _BREAK.search(sentence, match.end())
        clauses.append((match.end(), stop.start() if stop else len(sentence), _clean_who(who.group("who"))))
    tail = _TAIL.search(sentence.rstrip(".!?"))
    return _Attribution(
        _clean_who(according.group("who")) if according else None,
        tuple(clauses),
        (tail.start(), _clean_who(tail.group("who"))) if tail else None,
    )


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


def quote_at(spans: list[tuple[int, int]], start: int, end: int) -> int | None:
    """Index of the quote span (sorted, disjoint) that holds [start, end), or None."""
    index = bisect_right(spans, (start, float("inf"))) - 1
    if index >= 0 and spans[index][0] <= start and end <= spans[index][1]:
        return index
    return None
