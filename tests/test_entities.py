"""Entities: every person, state and organisation of the seeds is found, with roles, metonyms and appositions."""

from __future__ import annotations

import pytest

from cleaner import Document, RulesetError, clean
from cleaner.annotation.entities import discover, load_entities
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


def test_discover_lists_frequent_uncovered_names():
    texts = [
        "Jens Stoltenberg said NATO would help. Trump met Jens Stoltenberg in Brussels.",
        "Later, Stoltenberg spoke to Mark Rutte. Rutte agreed.",
    ]
    counts = discover(texts, ENTITIES)
    assert counts["Jens Stoltenberg"] == 2
    assert counts["Mark Rutte"] == 1
    assert "Trump" not in counts and "NATO" not in counts and "Later" not in counts


def test_ambiguous_alias_is_an_error(tmp_path):
    (tmp_path / "entities.yaml").write_text(
        "entities:\n  - name: Donald Trump Jr\n    type: person\n    aliases: [Trump]\n", encoding="utf-8"
    )
    with pytest.raises(RulesetError, match="'Trump' names both 'Donald Trump' and 'Donald Trump Jr'"):
        load_entities([tmp_path])


def test_bad_entity_type_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entities.yaml").write_text("entities:\n  - name: X\n    type: company\n    aliases: [X]\n")
    with pytest.raises(RulesetError) as info:
        load_entities([tmp_path], shipped=False)
    assert str(info.value.problems[0]) == (
        "entities.yaml:3: entity 'X': 'type' must be one of person, state, organisation, not 'company'"
    )
