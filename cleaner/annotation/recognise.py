"""Entity recognition without a list: capitalised names with their titles, typed, merged, and pronouns resolved.

Rules and gazetteers, not a statistical model: no English NER model installs from PyPI without a download
at run time or an unofficial mirror (docs/entities.md), and these rules cover 96.9% of NewsMTSC's named
targets. A name is a run of capitalised words ("Sen. Jane Roe", "Department of Justice"); what stands in
it says its type: a title makes a person, an organisation word an organisation, a gazetteer entry a state
or place. Within a document "Jane Roe", "Roe" and "Ms. Roe" are one person; pronouns go to the last person
named whose gender does not contradict them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.annotation.voice import VERBS
from cleaner.errors import Problem
from cleaner.rulefiles.validation import FileChecker, display_path
from cleaner.rulefiles.yamlsource import Located, load_located

RECOGNITION_KEYS = (
    "titles", "organisation_words", "other_words", "states", "places", "organisations", "not_names", "adjectives"
)  # fmt: skip
GENDERS = ("unknown", "male", "female")
PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}  # fmt: skip
_PRONOUN = re.compile(
    r"(?<![\w’'-])(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)(?![\w-])(?!['’](?!(?:s|d|ll)\b))"
)
_PRONOUN_FIRST = re.compile(r"[HhSs](?<![\w’'-].)")  # where a pronoun can start (matches_from_first)
# A lone capitalised word that is not common, a place, an organisation or a group: a surname ("Kasich"), or
# a thing ("Minecraft"). It is a person's where it speaks ("Miller said"), where a pronoun goes to it, where a
# fuller name gives it ("Jane Roe" ... "Roe"), or where the text is too short to have introduced anyone
# (of 33 such words in single NewsMTSC sentences, 28 were people's). In a longer text a lone word never
# introduced so is other: news names a person in full first.
LONE = "lone"
# A lone word that is a city of the world (rules/world_places.txt: "Nairobi", "Kyzyl"), and nothing else
# typed. Many cities bear a surname ("Noda", "Kato", "Lagos"), so the document decides: a place where the
# text puts something in it ("in Nairobi", "near Kyzyl") and nothing makes it a person (a fuller name
# ending in it, "Mr. Noda", "Noda said"); otherwise a lone word like any other (see lone_type). As a place
# it is never a pronoun's person: "in Harare he said" means someone else.
LONE_PLACE = "lone-place"
_LONE_KINDS = (LONE, LONE_PLACE)
# Before a city that a text names as a place: what happens in it, near it, into it.
_LOCATIVE = re.compile(
    r"(?<![\w-])(?:(?:[Ii]n|near|outside|into|across|throughout|via)\s+(?:the\s+)?"
    r"|(?:city|capital|town|village|port|province|region|suburb|district)\s+of\s+)$"
)
# After a city: its country or state ("Herat, Afghanistan", "Kodiak, Alaska"), a name recognition types.
_THEN_NAME = re.compile(r",\s+([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})")
SHORT_TEXT = 3  # sentences
_SPEAKS_AFTER = re.compile(rf"(?:,\s+\d{{1,3}},|\s+(?:has\s+|had\s+)?(?:{VERBS})\b)")
_SPEAKS_BEFORE = re.compile(rf"(?<![\w-])(?:{VERBS})\s+$")  # "said Baker"; not "the so-called Excalibur"
# A pronoun finds its person this far back at most: a few paragraphs of news.
PRONOUN_REACH = 1500
# A word of a name: a capital, then letters, digits, "&", an inner hyphen ("Ocasio-Cortez") or an apostrophe
# before a capital ("O’Brien", not "Trump’s"); or initials ("J.", "U.S.").
_WORD = r"(?:[A-Z]\.(?:[A-Z]\.)*(?![\w-])|[A-Z](?:[\w&]|-(?=[A-Za-z])|['’](?=[A-Z]))*)"
_GAP = r"(?:[^\S\n]+(?:(?:of|for|on|de|del|da|der|di|du|la|le|van|von|bin|al)[^\S\n]+(?:the[^\S\n]+)?)?)"
# After a capitalised word that opens a paragraph: a dateline's dash, perhaps after the agency ("CAIRO (AP) —").
_DATELINE = re.compile(r"(?:[^\S\n]+\([A-Z][\w ]*\))?[^\S\n]*[—–-][^\S\n]")
_CONNECTORS = {"of", "for", "on", "the"}  # joins only after an organisation word or a title
_OPENING = " \t“\"‘'([—–-"


@dataclass(frozen=True, slots=True)
class Name:
    """A recognised name in a text: [start, end), its canonical form, type, and gender where a title says it."""

    start: int
    end: int
    name: str
    type: str
    gender: str = "unknown"


@dataclass(frozen=True)
class Recogniser:
    """The recognition data, compiled once: titles, organisation words, gazetteers, words that are never names."""

    titles: dict[tuple[str, ...], str]  # title words -> gender
    organisation_words: frozenset[str]
    other_words: frozenset[str]
    places: dict[str, str]  # name -> "state" | "place"
    organisations: frozenset[str]
    not_names: frozenset[str]
    adjectives: frozenset[str]
    common: frozenset[str]  # lower-case words whose capital only opens a sentence
    given: dict[str, str]  # given name -> the gender pronouns give it
    pattern: re.Pattern[str]
    first: re.Pattern[str]  # where a run can start: its first character, the same boundary before it
    world_places: frozenset[str] = frozenset()  # the world's cities of one word: a place where a text says so
    world_names: frozenset[str] = frozenset()  # the world's cities of several words ("Kuala Lumpur"), untitled
    # What a run of one word was read as, by its word and boundary: news repeats its names (declared, as a
    # compiled class has no attributes but its fields).
    _decided: dict[tuple[str, bool], str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def names(
        self, text: str, taken: bytearray, starts: frozenset[int], skip: frozenset[str] = frozenset()
    ) -> list[Name]:
        """Every name in the text outside `taken` (1 where a listed entity stands), typed, not yet merged."""
        found: list[Name] = []
        decided = self._decided
        for run in self.runs(text):
            low, high = run.span()
            word = run.group()
            if len(word.split()) == 1:  # most runs are one word: no cutting, and the same word is decided once
                if word in skip or taken.find(1, low, high) >= 0:
                    continue
                key = (word, _opens_sentence(text, low, starts))
                if key not in decided:
                    if len(decided) > 100_000:
                        decided.clear()  # a bound keeps memory flat over a corpus
                    blocked = word in self.not_names or self._dated(word)
                    name = None if blocked else self._name(text, [(low, high)], starts)
                    decided[key] = name.type if name is not None else None
                kind = decided[key]
                if kind is not None and _speaks_here(kind, text, low, high):
                    kind = "person"
                if kind is not None:
                    found.append(Name(low, high, word, kind))
                continue
            for segment in self._segments(text, low, high, taken):
                name = self._name(text, segment, starts)
                if name is not None and _speaks_here(name.type, text, name.start, name.end):
                    name = Name(name.start, name.end, name.name, "person")
                if name is not None and name.name not in skip:
                    found.append(name)
        return found

    def runs(self, text: str) -> Iterator[re.Match[str]]:
        """The runs of capitalised words: what self.pattern.finditer(text) finds, at about 2/3 of its cost."""
        return matches_from_first(self.first, self.pattern, text)

    def _segments(self, text: str, start: int, end: int, taken: bytearray) -> list[list[tuple[int, int]]]:
        # Words of the run, cut where a listed entity, a never-name word or a loose connector stands.
        segments: list[list[tuple[int, int]]] = [[]]
        for word in re.finditer(r"\S+", text[start:end]):
            low, high = start + word.start(), start + word.end()
            token = word.group()
            current = segments[-1]
            if taken.find(1, low, high) >= 0 or token in self.not_names or self._dated(token):
                segments.append([])
                continue
            if token in _CONNECTORS or token[0].islower():
                if token in _CONNECTORS and current and self._joins(text, current):
                    current.append((low, high))
                elif token in _CONNECTORS or not current:
                    segments.append([])
                else:
                    current.append((low, high))  # a particle: "Charles de Gaulle"
                continue
            current.append((low, high))
        out = []
        for segment in segments:
            while segment and not text[segment[-1][0]].isupper():
                segment.pop()  # a connector or particle left at the end
            if segment:
                out.extend(self._at_title(text, segment))
        return out

    def _at_title(self, text: str, segment: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        """The segment cut before a title that follows a descriptor and comes before a name: "Zimbabwe" and
        "President Robert Mugabe", "White House" and "Press Secretary Sarah Sanders". Titles in a row stay
        together ("Former Vice President Joe Biden"); so does a title with no name after it ("Department of
        Justice", "Kentucky Sen.") or in an organisation's or an event's name ("Parliamentary Counsel Office",
        "U.N. General Assembly"). A one-word descriptor that is no known place or organisation is a portfolio
        ("Interior Minister Lee Sang-min"), not a name: it is dropped."""
        words = [text[low:high] for low, high in segment]
        index, after_title = 0, 0
        while index < len(words):
            size = self._title_at(words, index)[0]
            if not size:
                index += 1
                continue
            rest = words[index + size :]
            if index > after_title and rest and not self._is_organisation(rest):
                if any(w in self.other_words for w in rest):
                    break
                descriptor = words[:index]
                known = descriptor[0] in self.places or descriptor[0] in self.organisations or descriptor[0].isupper()
                return [segment[:index], segment[index:]] if len(descriptor) > 1 or known else [segment[index:]]
            index = after_title = index + size
        return [segment]

    def _dated(self, token: str) -> bool:
        return "-" in token and any(part in self.not_names for part in token.split("-"))  # "Mid-August"

    def _joins(self, text: str, words: list[tuple[int, int]]) -> bool:
        last = text[words[-1][0] : words[-1][1]]
        if last in _CONNECTORS:
            return True
        titled = any(key[-1] == last for key in self.titles)
        return last in self.organisation_words or titled or self.is_group(last)

    def _name(self, text: str, segment: list[tuple[int, int]], starts: frozenset[int]) -> Name | None:
        words = [text[low:high] for low, high in segment]
        first = 0
        whole = " ".join(words)
        known = whole in self.places or whole in self.organisations
        if not known and words[0].lower() in self.common and _opens_sentence(text, segment[0][0], starts):
            first = 1  # "Then Trump", "Already ...": a capital that only opens the sentence
        while first < len(words) and words[first] in self.adjectives and len(words) - first > 1:
            rest = " ".join(words[first:])
            if rest in self.organisations or rest in self.places or self._is_organisation(words[first:]):
                break
            if any(w in self.other_words for w in words[first + 1 :]):
                break  # an event's or a thing's name keeps its adjective: "Korean War", "Black Sea"
            first += 1
        words, segment = words[first:], segment[first:]
        if not words:
            return None
        gender, titled = "unknown", 0
        while titled < len(words):
            size, title_gender = self._title_at(words, titled)
            if not size:
                break
            titled += size
            gender = title_gender if title_gender != "unknown" else gender
        while len(words) > titled + 1 and words[-1].endswith(".") and self._title_at(words, len(words) - 1)[0]:
            words, segment = words[:-1], segment[:-1]  # "Kentucky Sen." at a cut sentence's end
        core = words[titled:]
        start, end = segment[0][0], segment[-1][1]
        whole = " ".join(words)
        if whole in self.places:
            return Name(start, end, whole, self.places[whole])
        if whole in self.organisations or (self._is_organisation(words) and (not core or self._is_organisation(core))):
            return Name(start, end, whole, "organisation")
        if not core:
            return None  # a title alone: "the President"
        if not titled and any(w in self.other_words for w in core):
            # An event, a law, a war: "World War II", "Prayer Breakfast". Not after a title: "President Bill
            # Clinton" is a person's name, though "Bill" names laws.
            return Name(start, end, whole, "other")
        name = " ".join(core)
        if gender == "unknown" and len(core) > 1:
            gender = self.given.get(core[0], gender)
        if titled:
            if name in self.places or self._is_organisation(core):
                return None  # "Kentucky Sen." cut short, "Gov. of Ohio"
            return Name(start, end, name, "person", gender)
        if name in self.places:
            return Name(start, end, name, self.places[name])
        if name in self.world_names:
            return Name(start, end, name, "place")  # "Kuala Lumpur"; after a title a person ("Gen. Alvaro Obregon")
        if name in self.organisations:
            return Name(start, end, name, "organisation")
        if len(core) == 1:
            return self._single(text, segment, name)
        if all(w.isupper() and len(w) > 1 for w in core):
            return None  # a shouted headline, not a name
        return Name(start, end, name, "person", gender)

    def _single(self, text: str, segment: list[tuple[int, int]], word: str) -> Name | None:
        start, end = segment[0][0], segment[-1][1]
        if word.lower() in self.common or word in self.adjectives or word in self.other_words:
            return None  # "Already", "Russian officials": not a name on its own
        if word.endswith(("ing", "ly")) and _opens_sentence(text, start, frozenset()):
            return None  # "Addressing the press, ...", "Concurrently, ...": not in the list, not a name
        if word.endswith("s") and word[:-1] in self.adjectives:
            return Name(start, end, word, "other")  # a group: "Republicans", "Russians"
        if word.isupper() and _DATELINE.match(text, end) and (start == 0 or text[start - 1] == "\n"):
            return None  # a dateline: "CAIRO (Reuters) — ...", "LONDON — ..."
        if word.isupper() and 1 < len(word) <= 6:
            return Name(start, end, word, "organisation")  # an acronym: "FBI", "NAACP"
        if word.isupper() or word[-1] == "." or word.rsplit("-", 1)[-1].islower():
            return None  # "Western-supported", "Kremlin-backed": an adjective
        if word in self.world_places:
            return Name(start, end, word, LONE_PLACE)  # a city, unless the document makes it a person
        return Name(start, end, word, LONE)  # a surname, or a thing: the document decides (see lone_type)

    def is_group(self, name: str) -> bool:
        """Whether a name is a group's plural ("Republicans", "Russians"), not a person's or a thing's."""
        return name.endswith("s") and name[:-1] in self.adjectives

    def _title_at(self, words: list[str], index: int) -> tuple[int, str]:
        for size in (4, 3, 2, 1):
            key = tuple(words[index : index + size])
            if len(key) == size and key in self.titles:
                return size, self.titles[key]
        return 0, "unknown"

    def _is_organisation(self, words: Sequence[str]) -> bool:
        return any(w in self.organisation_words for w in words)


def located(text: str, start: int, end: int, places: dict[str, str] | None = None) -> bool:
    """Whether the text names text[start:end] as a place: "in Nairobi", "the city of Sirte", "Herat, Afghanistan"
    (one of `places` after a comma); not "in Noda's view"."""
    if text[end : end + 2] in ("'s", "’s"):
        return False
    if _LOCATIVE.search(text, max(0, start - 20), start) is not None:
        return True
    if not places:
        return False
    after = _THEN_NAME.match(text, end)
    return after is not None and after.group(1).rstrip(".") in places


def _speaks_here(kind: str, text: str, start: int, end: int) -> bool:
    """Whether a lone word (or city) speaks here ("Miller said"): a city the text puts something in does not
    ("officials in Kyzyl said")."""
    if kind not in _LONE_KINDS:
        return False
    return _speaks(text, start, end) and not (kind == LONE_PLACE and located(text, start, end))


def _speaks(text: str, start: int, end: int) -> bool:
    return bool(_SPEAKS_AFTER.match(text, end) or _SPEAKS_BEFORE.search(text, max(0, start - 15), start))


def matches_from_first(first: re.Pattern[str], pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What pattern.finditer(text) finds, where `first` finds every place a match can start (and never
    an empty one): a pattern that opens with a lookbehind keeps re from skipping at C speed to its first
    character, so `first` puts that character first, its lookbehind after it ("[A-Z](?<![\\w.-].)")."""
    position = 0
    search, match = first.search, pattern.match
    while (start := search(text, position)) is not None:
        found = match(text, start.start())
        if found is None:
            position = start.start() + 1
            continue
        yield found
        position = found.end()


def lone_type(sentence_count: int) -> str:
    """What a lone word nothing else typed is: a person's name in a short text, other in a longer one."""
    return "person" if sentence_count <= SHORT_TEXT else "other"


def _opens_sentence(text: str, start: int, starts: frozenset[int]) -> bool:
    position = start
    while position > 0 and text[position - 1] in _OPENING:
        position -= 1
    return position == 0 or position in starts or text[position - 1] in ".!?:;\n" or start in starts


def common_openers(text: str, names: list[Name], starts: frozenset[int]) -> set[str]:
    """Lone words that are common words here: each of their occurrences opens a sentence, and the text
    also writes them in lowercase ("Whales were seen ... the whales"). A surname stands mid-sentence too
    ("Price said ... Tom Price", "said Price"), and is not written in lowercase.

    common_words.txt knows the words of US political news; this catches the other topics' words, in any
    language that capitalises only names and sentence openers.
    """
    lone: dict[str, bool] = {}  # word -> whether every occurrence opens a sentence
    for name in names:
        if name.type in _LONE_KINDS:
            lone[name.name] = lone.get(name.name, True) and _opens_sentence(text, name.start, starts)
    return {
        word
        for word, opening in lone.items()
        if opening
        and (
            written_lowercase(text, low := word.lower())
            or written_lowercase(text, low + "s")
            or (low[-1:] == "s" and written_lowercase(text, low[:-1]))
        )
    }


def written_lowercase(text: str, word: str) -> bool:
    r"""Whether the text holds `word` as a whole lowercase word: what r"(?<![\w’'-])[a-z][\w’'-]*" finds.

    A few finds for the few candidates of a text, where reading every lowercase word of it took a sixth
    of finding its entities."""
    if not word or not "a" <= word[0] <= "z" or not all(_in_word(char) for char in word):
        return False
    end = len(text)
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if (at == 0 or not _in_word(text[at - 1])) and (after == end or not _in_word(text[after])):
            return True
        at = text.find(word, at + 1)
    return False


def _in_word(char: str) -> bool:
    r"""What [\w’'-] matches (\w: a letter or digit in any script, or "_")."""
    return char.isalnum() or char in "_’'-"


def merge(names: list[Name]) -> list[Name]:
    """Names of one document with one canonical form per person: "Roe", "Ms. Roe" -> the "Jane Roe" named nearest."""
    people: dict[str, list[Name]] = {}  # surname -> full names, in text order
    full: dict[tuple[str, str], Name] = {}  # (first, last) word -> its first full form
    for name in names:
        words = name.name.split()
        if name.type == "person" and len(words) > 1:
            key = (words[0], words[-1])
            canonical = full.setdefault(key, name)
            people.setdefault(words[-1], []).append(canonical)
    merged = []
    for name in names:
        words = name.name.split()
        if name.type in ("person", LONE, LONE_PLACE) and len(words) == 1 and words[0] in people:
            candidates = people[words[0]]
            before = [c for c in candidates if c.start <= name.start]
            chosen = before[-1] if before else candidates[0]
            merged.append(Name(name.start, name.end, chosen.name, "person", _gender(name.gender, chosen.gender)))
        elif name.type == "person" and len(words) > 1:
            canonical = full[(words[0], words[-1])]
            merged.append(Name(name.start, name.end, canonical.name, "person", _gender(name.gender, canonical.gender)))
        else:
            merged.append(name)
    genders: dict[str, str] = {}
    for name in merged:
        if name.gender != "unknown":
            genders.setdefault(name.name, name.gender)
    # A name whose gender stays is kept as it is: a new frozen Name for each cost more than the rest of merging.
    return [
        n if (gender := genders.get(n.name, n.gender)) == n.gender else Name(n.start, n.end, n.name, n.type, gender)
        for n in merged
    ]


def _gender(one: str, other: str) -> str:
    return one if one != "unknown" else other


def pronouns(text: str, people: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, person) for each he/she/his/her... resolved to the last compatible person named before it.

    `people` holds (start, end, entity, gender) of person mentions in text order.
    """
    resolved = []
    index = 0
    recent: list[tuple[int, int, str, str]] = []
    for match in matches_from_first(_PRONOUN_FIRST, _PRONOUN, text):
        while index < len(people) and people[index][1] <= match.start():
            recent.append(people[index])
            index += 1
        wanted = PRONOUNS[match.group().lower()]
        for start, _, entity, gender in reversed(recent):
            if match.start() - start > PRONOUN_REACH:
                break
            if gender in ("unknown", wanted):
                resolved.append((match.start(), match.end(), entity))
                break
    return resolved


def merge_across(types: dict[str, str]) -> dict[str, str]:
    """Across a corpus, a one-word person or name -> the one fuller person name ending in it ("Roe" -> "Jane Roe")."""
    by_surname: dict[str, set[str]] = {}
    for name, kind in types.items():
        words = name.split()
        if kind == "person" and len(words) > 1:
            by_surname.setdefault(words[-1], set()).add(name)
    out = {}
    for name, kind in types.items():
        fuller = by_surname.get(name, set())
        if kind in ("person", "other", LONE) and " " not in name and len(fuller) == 1:
            out[name] = next(iter(fuller))
    return out


def load_recogniser(folder: Path, problems: list[Problem]) -> Recogniser | None:
    """Load recognition.yaml, common_words.txt and given_names.txt from a rules folder; problems get their lines."""
    path = folder / "recognition.yaml"
    display = display_path(path)
    check = FileChecker(display, problems, "recognition")
    start = len(problems)
    data, yaml_problems = load_located(path.read_text(encoding="utf-8"), display)
    problems.extend(yaml_problems)
    if not isinstance(data, Located):
        if not yaml_problems:
            check.problem(1, "expected a mapping of recognition lists")
        return None
    check.keys(data, RECOGNITION_KEYS, None, "top-level ")
    titles: dict[tuple[str, ...], str] = {}
    raw = data.get("titles")
    if raw is not None and not isinstance(raw, Located):
        check.problem(data.key_lines["titles"], f"'titles' must map {', '.join(GENDERS)} to lists of titles")
    elif raw is not None:
        check.keys(raw, GENDERS, None, "titles ")
        for gender in GENDERS:
            for title in check.strings(raw, gender, None):
                key = tuple(title.split())
                if key in titles:
                    check.problem(raw.key_lines[gender], f"title '{title}' is listed twice")
                titles[key] = gender
    lists = {key: check.strings(data, key, None) for key in RECOGNITION_KEYS[1:]}
    places = {p: "state" for p in lists["states"]} | {p: "place" for p in lists["places"]}
    # The world's cities (optional): the lists above win.
    world_file = folder / "world_places.txt"
    world = _lines(world_file) if world_file.is_file() else []
    world = [p for p in world if p not in places and p not in lists["organisations"]]
    common = frozenset(_lines(folder / "common_words.txt"))
    given: dict[str, str] = {}
    names_check = FileChecker(display_path(folder / "given_names.txt"), problems, "given name")
    for number, line in enumerate((folder / "given_names.txt").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            name, _, gender = line.partition("\t")
            if gender not in ("male", "female") or not name.strip():
                names_check.problem(number, f"expected a name, a tab and male or female, not {line!r}")
            given[name] = gender
    if len(problems) > start:
        return None
    # Abbreviations with their period ("Sen.", "Corp.") come first, so a sentence's last word keeps none.
    words = {w for key in titles for w in key} | set(lists["organisation_words"])
    dotted = sorted((w for w in words if w.endswith(".")), key=len, reverse=True)
    word = rf"(?:(?:{'|'.join(re.escape(w) for w in dotted)})(?!\w)|{_WORD})" if dotted else _WORD
    before = r"[\w’'.-]"  # a run does not start inside a word, a number or an abbreviation
    pattern = re.compile(rf"(?<!{before}){word}(?:{_GAP}{word})*")
    firsts = "".join(sorted({re.escape(w[0]) for w in dotted} - set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
    first = re.compile(rf"[A-Z{firsts}](?<!{before}.)")
    return Recogniser(
        titles,
        frozenset(lists["organisation_words"]),
        frozenset(lists["other_words"]),
        places,
        frozenset(lists["organisations"]),
        frozenset(lists["not_names"]),
        frozenset(lists["adjectives"]),
        common - {w.lower() for w in (*places, *lists["organisations"])},
        given,
        pattern,
        first,
        frozenset(p for p in world if " " not in p),
        frozenset(p for p in world if " " in p),
    )


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()[:1] not in "#"]
