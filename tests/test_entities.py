"""Entities: every person, state and organisation of the seeds is found, with roles, metonyms and appositions."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner import Document, RulesetError, clean
from cleaner.annotation.entities import discover, load_entities, render_discovered
from cleaner.annotation.recognise import (
    _PRONOUN,
    _PRONOUN_FIRST,
    load_recogniser,
    matches_from_first,
    merge_across,
    written_lowercase,
)
from cleaner.annotation.textindex import find_keys
from cleaner.boilerplate.ruleset import shipped_rules_dir
from helpers import seed_text

ENTITIES = load_entities()

# Read off the seeds by hand: who and what each article mentions (after cleaning).
SEED_ENTITIES = {
    "000": {
        "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky", "Ukraine", "Russia", "United States", "Marco Rubio",
        "US State Department", "Tommy Pigott", "Keith Kellogg", "Antonio Tajani", "Italy", "NATO", "Lars Klingbeil",
        "Germany", "Jonas Gahr Store", "Norway", "Norwegian Parliament", "United Kingdom", "France", "Finland",
        "Poland", "European Union",
    },
    "001": {
        "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky", "Russia", "Ukraine", "United States", "Sergei Lavrov",
        "Marco Rubio", "United Kingdom", "France", "Finland", "Germany", "Italy", "Poland", "European Union",
        "US State Department", "Antonio Tajani", "NATO",
    },
    "002": {
        "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky", "Ukraine", "Russia", "United States", "Marco Rubio",
        "US State Department", "Tommy Pigott", "Antonio Tajani", "Italy", "NATO", "Germany", "United Kingdom",
        "France", "Finland", "Poland", "European Union",
    },
    "003": {
        "Donald Trump", "Russia", "Ukraine", "Vladimir Putin", "Volodymyr Zelensky", "CBS News", "Maria Zakharova",
        "United States",
    },
    "004": {"Donald Trump", "Vladimir Putin", "Russia", "United States", "Steve Witkoff", "Ukraine", "NATO"},
}  # fmt: skip


@pytest.mark.parametrize("prefix", sorted(SEED_ENTITIES))
def test_every_entity_of_each_seed_is_found(prefix):
    text = clean(
        Document(text=seed_text(prefix), lang="en", outlet="The Moscow Times" if prefix == "001" else None)
    ).text
    assert {m.entity for m in ENTITIES.find(text)} == SEED_ENTITIES[prefix]


def names(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity) for m in ENTITIES.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with the Kremlin leader.", [("the Kremlin leader", "Vladimir Putin")]),
        ("The American president said", [("The American president", "Donald Trump")]),
        ("why Putin refuses to meet the Ukrainian president", [("Putin", "Vladimir Putin"), ("the Ukrainian president", "Volodymyr Zelensky")]),
        ("with his Russian counterpart, Vladimir Putin, this week", [("his Russian counterpart, Vladimir Putin", "Vladimir Putin")]),
        ("Moscow has since said there are no plans", [("Moscow", "Russia")]),
        ("if the Ukrainian president came to Moscow", [("the Ukrainian president", "Volodymyr Zelensky")]),
        ("security guarantees for Kyiv", [("Kyiv", "Ukraine")]),
        ("Kellogg said in Kyiv on Monday", [("Kellogg", "Keith Kellogg")]),
        ("at the White House last week", []),
        ("Store said in Kyiv", [("Store", "Jonas Gahr Store")]),
        ("the store was closed", []),
        ("U.S.-made Patriot systems", [("U.S.", "United States")]),
    ],
    ids=["role", "role-capitalised", "roles", "apposition", "metonym", "metonym-as-place", "metonym-for",
         "place-not-government", "place-with-article", "case-matters", "common-noun", "hyphenated"],
)  # fmt: skip
def test_mentions(text, expected):
    assert names(text) == expected


def test_discover_lists_names_outside_the_list_merged_across_texts():
    texts = [
        "Jens Stoltenberg said NATO would help. Trump met Jens Stoltenberg in Brussels.",
        "Later, Stoltenberg spoke to Mark Rutte. Rutte agreed.",
    ]
    found = {d.name: d for d in discover(texts, ENTITIES)}
    assert (found["Jens Stoltenberg"].type, found["Jens Stoltenberg"].mentions) == ("person", 3)
    assert found["Jens Stoltenberg"].forms == ("Jens Stoltenberg", "Stoltenberg")
    assert found["Mark Rutte"].mentions == 2
    assert not {"Trump", "Donald Trump", "NATO", "Later", "Stoltenberg"} & set(found)
    yaml_text = render_discovered([found["Mark Rutte"]])
    assert (
        yaml_text
        == "entities:\n  - name: Mark Rutte  # 2 mentions\n    type: person\n    aliases: [Mark Rutte, Rutte]\n"
    )


def recognised(text: str, entities=ENTITIES) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.entity, m.type) for m in entities.mentions(text) if m.kind != "pronoun"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sen. Jane Roe of Ohio voted no.", [("Sen. Jane Roe", "Jane Roe", "person"), ("Ohio", "Ohio", "state")]),
        ("He blamed the Justice Department.", [("Justice Department", "Justice Department", "organisation")]),
        ("Secretary of State Mike Pompeo met House Speaker Paul Ryan.",
         [("Secretary of State", "Marco Rubio", "person"), ("Mike Pompeo", "Mike Pompeo", "person"),
          ("House Speaker Paul Ryan", "Paul Ryan", "person")]),
        ("Republican Sen. Ted Cruz spoke.", [("Sen. Ted Cruz", "Ted Cruz", "person")]),
        ("Groups like the Club for Growth and Americans for Prosperity agreed.",
         [("Club for Growth", "Club for Growth", "organisation"),
          ("Americans for Prosperity", "Americans for Prosperity", "organisation")]),
        ("Then Priebus left. Already, Democrats were angry.",
         [("Priebus", "Priebus", "person"), ("Democrats", "Democrats", "other")]),
        ("He spoke at Johns Hopkins Medical Center in Baltimore on Monday.",
         [("Johns Hopkins Medical Center", "Johns Hopkins Medical Center", "organisation"),
          ("Baltimore", "Baltimore", "place")]),
        ("Russian officials and the FBI met in Mid-August.", [("FBI", "FBI", "organisation")]),
        ("Cruz came third behind Walker and Kentucky Sen.",
         [("Cruz", "Cruz", "person"), ("Walker", "Walker", "person"), ("Kentucky", "Kentucky", "state")]),
        ("The Affordable Care Act passed.", [("Affordable Care Act", "Affordable Care Act", "other")]),
        ("Kremlin-backed groups denied it.", [("Kremlin", "Russia", "state")]),
        # A month is a date, not an entity whose sentiment is scored ("May" is a common word, so only "Theresa
        # May" or "Mrs. May" names her); citation lines ("Retrieved 3 May 2016") name no one.
        ("The law took effect in March. Talks ended last March. Officials met Ms. Roe on March 3.",
         [("Ms. Roe", "Roe", "person")]),
        ('"Vote delayed". Reuters. Archived from the original on 2010-11-28. Retrieved 3 May 2016.',
         [("Reuters", "Reuters", "organisation")]),
        # A paragraph's dateline is no mention; the same capitals mid-paragraph are an acronym.
        ("CAIRO (AP) — Officials met.\nLONDON — The talks ended. The BBC said so.",
         [("AP", "AP", "organisation"), ("BBC", "BBC", "organisation")]),
        # A title makes a person, though "Bill" names laws; without one the law stays a law.
        ("President Bill Clinton signed the Data Retention Bill.",
         [("President Bill Clinton", "Bill Clinton", "person"), ("Data Retention Bill", "Data Retention Bill", "other")]),
        # Demonyms are adjectives; a thing's name keeps its adjective; seas and islands are not people.
        ("Tunisian Prime Minister Habib Essid met Sudanese officials on the Black Sea and the Cook Islands.",
         [("Prime Minister Habib Essid", "Habib Essid", "person"), ("Black Sea", "Black Sea", "other"),
          ("Cook Islands", "Cook Islands", "other")]),
        ("Amnesty International and the United Nations condemned Islamic State.",
         [("Amnesty International", "Amnesty International", "organisation"),
          ("United Nations", "United Nations", "organisation"), ("Islamic State", "Islamic State", "organisation")]),
        # A title after a descriptor starts the person's name; the descriptor is its own entity when it is
        # one, a portfolio word is dropped, and a title inside an organisation's name stays in it.
        ("Zimbabwe President Robert Mugabe met White House Press Secretary Sarah Sanders.",
         [("Zimbabwe", "Zimbabwe", "state"), ("President Robert Mugabe", "Robert Mugabe", "person"),
          ("White House", "United States", "state"), ("Press Secretary Sarah Sanders", "Sarah Sanders", "person")]),
        ("Interior Minister Lee Sang-min wrote to the New Zealand Parliamentary Counsel Office.",
         [("Minister Lee Sang-min", "Lee Sang-min", "person"),
          ("New Zealand Parliamentary Counsel Office", "New Zealand Parliamentary Counsel Office", "organisation")]),
        # The world's cities (rules/world_places.txt): a name of several words is a place; one word is where
        # the text puts something in it, and otherwise a lone word (here a short text's person, not a place).
        ("The officials in Kyzyl and Kuala Lumpur met in Whangarei. Kikuchi spoke.",
         [("Kyzyl", "Kyzyl", "place"), ("Kuala Lumpur", "Kuala Lumpur", "place"), ("Whangarei", "Whangarei", "place"),
          ("Kikuchi", "Kikuchi", "person")]),
    ],
    ids=["title-and-state", "organisation-word", "multiword-titles", "adjective-before-title", "connectors",
         "sentence-initial-capitals", "organisation-and-place", "adjective-and-acronym", "cut-title",
         "other-word", "listed-metonym", "month", "citation", "dateline", "title-over-other-word", "demonym-sea-island",
         "organisations", "title-after-descriptor", "portfolio-and-title-in-an-organisation", "world-cities"],
)  # fmt: skip
def test_recognition(text, expected):
    assert recognised(text) == expected


def test_one_person_per_document_and_two_roes_kept_apart():
    text = "Jane Roe spoke first. Then John Roe answered. Ms. Roe disagreed, and Roe left."
    found = recognised(text)
    assert [entity for _, entity, _ in found] == ["Jane Roe", "John Roe", "John Roe", "John Roe"]
    text = "Roe arrived late. Sen. Jane Roe said she was tired. Roe left."
    assert {entity for _, entity, _ in recognised(text)} == {"Jane Roe"}


def test_pronouns_go_to_the_last_compatible_person():
    text = "Mr. Smith met Ms. Roe. He said she was right, and his aide agreed."
    pronouns = [(text[m.start : m.end], m.entity) for m in ENTITIES.mentions(text) if m.kind == "pronoun"]
    assert pronouns == [("He", "Smith"), ("she", "Roe"), ("his", "Smith")]
    assert not [m for m in ENTITIES.mentions("The boy will appeal his deportation.") if m.kind == "pronoun"]
    text = "Hillary Clinton faced Bernie Sanders, and she won."  # a given name says the gender
    assert [m.entity for m in ENTITIES.mentions(text) if m.kind == "pronoun"] == ["Hillary Clinton"]


def test_a_city_is_no_pronouns_person_unless_the_document_makes_it_one():
    # A lone word is a pronoun's candidate; a city is not: "he" is the man named before it.
    text = "Mr. Smith flew to Harare on Monday. In Harare he met officials. They said he was welcome in Harare."
    found = ENTITIES.mentions(text)
    assert {(m.entity, m.type) for m in found if m.kind != "pronoun"} == {("Smith", "person"), ("Harare", "place")}
    assert [m.entity for m in found if m.kind == "pronoun"] == ["Smith", "Smith"]
    # A city's name is a person's where a fuller name ends in it, or where it speaks or has a title, then in
    # every mention of the document, even one "in" it; "officials in Kyzyl said" is no speech of Kyzyl's.
    assert {"Kikuchi", "Noda", "Kato", "Kyzyl"} <= ENTITIES.recogniser.world_places
    text = "Finance Minister Katsunobu Kato met bankers. Markets expect Kato to intervene."
    assert {(m.entity, m.type) for m in ENTITIES.mentions(text)} == {("Katsunobu Kato", "person")}
    for text in ("Noda said the plan would fail. Polls in Noda favour it.", "Mr. Noda spoke. Polls favour Noda."):
        assert {(m.entity, m.type) for m in ENTITIES.mentions(text)} == {("Noda", "person")}
    text = "Officials in Kyzyl said the rocket landed. It flew across Kyzyl. Kyzyl is calm. Crowds came to watch."
    assert {(m.entity, m.type) for m in ENTITIES.mentions(text)} == {("Kyzyl", "place")}
    # Without a place's context a city is a lone word: other in a longer text, and a pronoun may go to it.
    text = "The Angels signed Kikuchi on Monday. He will join the rotation. Fans cheered. The team won. It rained."
    assert {(m.entity, m.type, m.kind) for m in ENTITIES.mentions(text) if m.entity == "Kikuchi"} == {
        ("Kikuchi", "person", "name"),
        ("Kikuchi", "person", "pronoun"),
    }


def test_shipped_world_places_spare_peoples_names_and_english_words():
    recogniser = ENTITIES.recogniser
    world = recogniser.world_places
    assert {"Nairobi", "Khartoum", "Kyzyl", "Harare", "Tunis", "Herat"} <= world
    # Cities that are first names, surnames or words far more often than places in news are left out.
    assert not {"Warren", "Jackson", "Obama", "Clinton", "Victoria", "Batman", "Enterprise", "Providence"} & world
    # A name of several words needs a word that makes places: a city named for a person is the person.
    assert {"Kuala Lumpur", "Buenos Aires", "Fort Worth", "Port Said"} <= recogniser.world_names
    assert not {"Getulio Vargas", "Emiliano Zapata", "Jose Rizal"} & recogniser.world_names
    assert [(m.entity, m.type) for m in ENTITIES.mentions("President Getulio Vargas spoke.")] == [
        ("Getulio Vargas", "person")
    ]
    # The shipped lists win: a state stays a state, and no listed place or organisation is read again.
    assert recogniser.places["Georgia"] == "state" and "Georgia" not in world
    every = world | recogniser.world_names
    assert not every & recogniser.organisations and not every & set(recogniser.places)
    # Every name is one recognition can read: a run of capitalised words.
    assert all(recogniser.pattern.fullmatch(name) for name in every)


def test_a_listed_alias_never_becomes_a_second_entity():
    text = "Sen. Marco Rubio and Mr. Rubio met Putin in Moscow and in Kyiv."
    assert {entity for _, entity, _ in recognised(text)} == {"Marco Rubio", "Vladimir Putin"}  # places: not Russia


def test_user_list_overrides_recognition(tmp_path):
    (tmp_path / "entities.yaml").write_text(
        "entities:\n  - name: Jane Roe\n    type: person\n    aliases: [Jane Roe, Roe]\nnot_entities: [Obamacare]\n",
        encoding="utf-8",
    )
    entities = load_entities([tmp_path])
    text = "Obamacare was her target. Senator Roe of Ohio agreed."
    assert recognised(text, entities) == [("Roe", "Jane Roe", "person"), ("Ohio", "Ohio", "state")]
    (tmp_path / "entities.yaml").write_text("entities: []\nrecognise: false\n", encoding="utf-8")
    assert recognised(text, load_entities([tmp_path])) == []


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("entities: []\nrecognise: maybe\n", "entities.yaml:2: 'recognise' must be true or false"),
        ("entities: []\nnot_entities: [1]\n", "entities.yaml:2: 'not_entities' must be a list of non-empty strings"),
        ("entities: []\nnot_entity: [X]\n", "entities.yaml:2: unknown top-level key 'not_entity' (did you mean 'not_entities'?)"),
    ],
)  # fmt: skip
def test_bad_recognition_settings_are_located(tmp_path, monkeypatch, snippet, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entities.yaml").write_text(snippet, encoding="utf-8")
    with pytest.raises(RulesetError) as info:
        load_entities([tmp_path], shipped=False)
    assert str(info.value.problems[0]) == message


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("titels: {male: [Mr.]}\n", "recognition.yaml:1: unknown top-level key 'titels' (did you mean 'titles'?)"),
        ("titles: {male: [Mr.], female: [Mr.]}\n", "recognition.yaml:1: title 'Mr.' is listed twice"),
        ("titles: {neuter: [Mx.]}\n", "recognition.yaml:1: unknown titles key 'neuter'"),
        ("places: Paris\nstates: [1]\n", "recognition.yaml:2: 'states' must be a list of non-empty strings"),
    ],
)  # fmt: skip
def test_bad_recognition_data_is_located(tmp_path, monkeypatch, snippet, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "recognition.yaml").write_text(snippet, encoding="utf-8")
    (tmp_path / "common_words.txt").write_text("# words\nthe\n", encoding="utf-8")
    (tmp_path / "given_names.txt").write_text("# names\nJane\tfemale\n", encoding="utf-8")
    problems: list = []
    assert load_recogniser(tmp_path, problems) is None
    assert str(problems[0]).startswith(message)


def test_bad_given_name_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "recognition.yaml").write_text("places: [Paris]\n", encoding="utf-8")
    (tmp_path / "common_words.txt").write_text("the\n", encoding="utf-8")
    (tmp_path / "given_names.txt").write_text("# names\nJane\tfemale\nJohn male\n", encoding="utf-8")
    problems: list = []
    assert load_recogniser(tmp_path, problems) is None
    assert str(problems[0]) == "given_names.txt:3: expected a name, a tab and male or female, not 'John male'"


def test_shipped_recognition_data_loads():
    problems: list = []
    recogniser = load_recogniser(shipped_rules_dir(), problems)
    assert problems == [] and recogniser is not None
    assert recogniser.places["Ohio"] == "state" and ("Sen.",) in recogniser.titles
    assert recogniser.given["Hillary"] == "female" and recogniser.given["Bernie"] == "male"


def test_one_word_names_merge_into_the_one_fuller_name_across_a_corpus():
    types = {"Roe": "person", "Jane Roe": "person", "Smith": "person", "Ann Smith": "person", "Bob Smith": "person"}
    assert merge_across(types) == {"Roe": "Jane Roe"}


def test_ambiguous_alias_is_an_error_naming_both_places(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entities.yaml").write_text(
        "entities:\n  - name: Donald Trump Jr\n    type: person\n    aliases: [Trump]\n", encoding="utf-8"
    )
    with pytest.raises(RulesetError) as info:
        load_entities([tmp_path])
    (problem,) = info.value.problems
    shipped = load_entities().entities[0]
    assert str(problem) == (
        f"entities.yaml:2: entity 'Donald Trump Jr': 'Trump' names both 'Donald Trump' "
        f"(at {shipped.path}:{shipped.line}) and 'Donald Trump Jr'"
    )


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('    examples: ["X said"]\n', "entities.yaml:5: entity 'X': 'examples' is a mapping with 'mention' and 'no_mention' lists"),
        ("    examples: {mentions: [X said]}\n", "entities.yaml:5: entity 'X': unknown examples key 'mentions' (did you mean 'mention'?)"),
        ("    examples: {mention: X said, no_mention: [1]}\n", "entities.yaml:5: entity 'X': 'no_mention' must be a list of non-empty strings"),
    ],
)  # fmt: skip
def test_bad_entity_examples_are_located(tmp_path, monkeypatch, snippet, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entities.yaml").write_text("entities:\n  - name: X\n    type: person\n    aliases: [X]\n" + snippet)
    with pytest.raises(RulesetError) as info:
        load_entities([tmp_path], shipped=False)
    assert str(info.value.problems[0]) == message


def test_bad_entity_type_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entities.yaml").write_text("entities:\n  - name: X\n    type: company\n    aliases: [X]\n")
    with pytest.raises(RulesetError) as info:
        load_entities([tmp_path], shipped=False)
    assert str(info.value.problems[0]) == (
        "entities.yaml:3: entity 'X': 'type' must be one of person, state, organisation, place, other, not 'company'"
    )


# Recogniser.runs looks for each run's first capital at C speed, then matches the run there: it must find
# exactly the runs the pattern's own finditer finds, on any text.
_RUN_PIECES = [
    "Sen.", "Sen", "U.S.", "U.", "S.", "J.", "Mr.", "Ms", "Jane", "Roe", "O’Brien", "Trump’s", "Ocasio-Cortez", "-", "’",
    "'", ".", " ", "  ", "\n", " of ", " the ", " de ", "AT&T", "a", "x", "Ñ", "é", "_", "1", "Corp.", "mid-August",
]  # fmt: skip


@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=20))
@example(["x", "Jane"])
@example(["Jane", "-", "Roe"])
@example([".", "Sen."])
def test_runs_are_the_patterns_finditer(pieces):
    recogniser = ENTITIES.recogniser
    text = "".join(pieces)
    assert [run.span() for run in recogniser.runs(text)] == [run.span() for run in recogniser.pattern.finditer(text)]


def test_runs_on_the_seeds_are_the_patterns_finditer():
    recogniser = ENTITIES.recogniser
    for number in range(5):
        text = seed_text(f"{number:03d}")
        runs = [run.span() for run in recogniser.runs(text)]
        assert runs == [run.span() for run in recogniser.pattern.finditer(text)]
        assert len(runs) > 50


# find_keys looks for every key at once with one regex where every key is a word; a key that is not (here
# "~~", in no text) keeps the str.find per key. Both must find the same places.
_KEYS = {"U": 1, "US": 2, "USA": 3, "Russia": 4, "Russian": 5, "ministry": 6, "Støre": 7, "_x": 8, "9": 9}
_KEY_PIECES = [*_KEYS, "S", "A", "n", "s", ".", " ", "-", "’", "_", "é", "ø", "Ministry", "ß", "İ", "x"]


@given(st.lists(st.sampled_from(_KEY_PIECES), max_size=14), st.booleans())
@example(["US", "A"], False)
@example(["U", ".", "S", "."], False)
def test_find_keys_one_regex_finds_what_a_find_per_key_finds(pieces, fold):
    text = "".join(pieces)
    index = {k.lower(): v for k, v in _KEYS.items()} if fold else _KEYS
    found = find_keys(text, index, fold=fold)
    assert sorted(found) == sorted(p for p in find_keys(text, {**index, "~~": 0}, fold=fold) if p[1])
    assert found == sorted(found, key=lambda p: p[0])  # in text order


_PRONOUN_PIECES = ["He", "he", "him", "His", "himself", "She", "she", "her", "Hers", "herself", "’", "'", "s", "d", "ll",
                   "-", " ", "x", "H", "S", "_", ".", "é"]  # fmt: skip


@given(st.lists(st.sampled_from(_PRONOUN_PIECES), max_size=16))
@example(["x", "he", " ", "she", "’", "s"])
@example(["-", "He", " ", "Hers", "'", "ll"])
@example(["S", " ", "he"])  # a failed try, then a pronoun two characters on
def test_pronouns_from_their_first_letter_are_the_patterns_finditer(pieces):
    text = "".join(pieces)
    found = [m.span() for m in matches_from_first(_PRONOUN_FIRST, _PRONOUN, text)]
    assert found == [m.span() for m in _PRONOUN.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Common words that open sentences, in a text that also writes them in lowercase: not names.
        ("Whales were seen near the coast. A whale surfaced. Potholes are everywhere, and the potholes grow. "
         "Gunmen attacked. The gunmen fled.", []),
        # A surname opening a sentence stays a name: it is not written in lowercase ("Kasich"), or it stands
        # mid-sentence too ("said Baker"), though the text also writes "baker".
        ("Kasich, meanwhile, spoke. Baker said the plan was costly. The baker agreed, said Baker.",
         [("Kasich", "Kasich", "person"), ("Baker", "Baker", "person"), ("Baker", "Baker", "person")]),
    ],
    ids=["common-openers", "surnames-kept"],
)  # fmt: skip
def test_sentence_openers_the_text_writes_in_lowercase_are_not_names(text, expected):
    assert recognised(text) == expected


# Words, their neighbours and the characters that join or part them: ’ ' - _ é 1 . and spaces.
lowercase_text = st.text(alphabet="abs SAé’'-_1.\n", max_size=60)


@settings(max_examples=400, deadline=None)
@given(lowercase_text, st.text(alphabet="abs Aé’'-_1.", min_size=1, max_size=4))
def test_written_lowercase_is_what_the_lowercase_word_pattern_finds(text, word):
    found = set(re.findall(r"(?<![\w’'-])[a-z][\w’'-]*", text))
    assert written_lowercase(text, word) == (word in found)
    for each in found:  # every word the pattern finds, found again
        assert written_lowercase(text, each)
