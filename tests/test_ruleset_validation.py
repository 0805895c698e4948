"""Rule files are validated at load: every problem, with file and line, before anything runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import RulesetError, UsageError, clean, load_ruleset

GOOD = """\
rules:
  - id: ad-marker
    description: Advertisement slot marker.
    category: advertisement
    phrases: [Advertisement]
    examples:
      remove: [Advertisement]
      keep: [The advertisement ran on Monday.]
"""


def write_rules(root: Path, files: dict[str, str]) -> Path:
    folder = root / "myrules" / "boilerplate"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "myrules"


def problems_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    folder = write_rules(tmp_path, files)
    with pytest.raises(RulesetError) as info:
        load_ruleset([folder], shipped=False)
    return [str(p) for p in info.value.problems]


BAD = [
    (
        "unknown-key",
        GOOD.replace("description:", "descripton:"),
        [
            "myrules/boilerplate/x.yaml:3: rule 'x.ad-marker': unknown key 'descripton' (did you mean 'description'?)",
            "myrules/boilerplate/x.yaml:2: rule 'x.ad-marker': missing required key 'description'",
        ],
    ),
    (
        "duplicate-key",
        GOOD.replace("    category: advertisement\n", "    category: advertisement\n    category: ads\n"),
        ["myrules/boilerplate/x.yaml:5: duplicate key 'category' (first at line 4)"],
    ),
    (
        "duplicate-id",
        GOOD + GOOD.split("rules:\n", 1)[1],
        ["myrules/boilerplate/x.yaml:9: duplicate id 'x.ad-marker' (first defined at myrules/boilerplate/x.yaml:2)"],
    ),
    (
        "bad-regex",
        GOOD.replace("phrases: [Advertisement]", "line: '(Advertisement'"),
        [
            "myrules/boilerplate/x.yaml:5: rule 'x.ad-marker': bad regex in 'line': missing ), unterminated subpattern at position 0"
        ],
    ),
    (
        "unknown-structure",
        GOOD.replace("phrases: [Advertisement]", "structure: page-titel"),
        [
            "myrules/boilerplate/x.yaml:5: rule 'x.ad-marker': 'structure' must be one of page-title, link-list, link-menu, not 'page-titel' (did you mean 'page-title'?)"
        ],
    ),
    (
        "no-examples",
        GOOD.split("    examples:")[0],
        [
            "myrules/boilerplate/x.yaml:2: rule 'x.ad-marker': missing 'examples' (every rule shows texts it removes and texts it keeps)"
        ],
    ),
    (
        "no-keep-example",
        GOOD.replace("      keep: [The advertisement ran on Monday.]\n", ""),
        [
            "myrules/boilerplate/x.yaml:7: rule 'x.ad-marker': examples need at least one 'keep' case (a text the rule must not touch)"
        ],
    ),
    (
        "two-matchers",
        GOOD.replace("    phrases: [Advertisement]\n", "    phrases: [Advertisement]\n    line: Advertisement\n"),
        [
            "myrules/boilerplate/x.yaml:2: rule 'x.ad-marker': a rule needs exactly one matcher of phrases, line, span, block, structure (found: phrases, line)"
        ],
    ),
    (
        "bad-id",
        GOOD.replace("id: ad-marker", "id: Ad_Marker"),
        [
            "myrules/boilerplate/x.yaml:2: rule 'x.Ad_Marker': id 'Ad_Marker' must be kebab-case (lower-case words joined by '-')"
        ],
    ),
    (
        "bad-where",
        GOOD.replace("    phrases:", "    where: middle\n    phrases:"),
        [
            "myrules/boilerplate/x.yaml:5: rule 'x.ad-marker': 'where' must be one of anywhere, top, bottom, not 'middle'"
        ],
    ),
    (
        "block-without-end",
        GOOD.replace("phrases: [Advertisement]", "block: {start: Related}"),
        [
            "myrules/boilerplate/x.yaml:5: rule 'x.ad-marker': a block needs exactly one of 'end' (a closing line or end-of-document) or 'while'"
        ],
    ),
    (
        "unknown-block-key",
        GOOD.replace("phrases: [Advertisement]", "block: {start: Related, end: end-of-document, contain: x}"),
        ["myrules/boilerplate/x.yaml:5: rule 'x.ad-marker': unknown block key 'contain' (did you mean 'contains'?)"],
    ),
    (
        "invalid-yaml",
        GOOD.replace("    category: advertisement\n", "    category: [advertisement\n"),
        ["myrules/boilerplate/x.yaml:5: invalid YAML: expected ',' or ']', but got ':'"],
    ),
    (
        "not-a-list",
        "rules: {id: x}\n",
        ["myrules/boilerplate/x.yaml:1: 'rules' must be a list of rules"],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_rule_file_messages(tmp_path, monkeypatch, name, text, expected):
    assert problems_of(tmp_path, monkeypatch, {"x.yaml": text}) == expected


def test_all_errors_in_all_files_are_collected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_rules(
        tmp_path,
        {
            "a.yaml": GOOD.replace("phrases: [Advertisement]", "line: '[unclosed'"),
            "b.yaml": GOOD.replace("examples:", "exampels:"),
        },
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset([folder], shipped=False)
    message = str(info.value)
    assert message.splitlines()[0].startswith("myrules/boilerplate/a.yaml:5: rule 'a.ad-marker': bad regex in 'line'")
    assert (
        "myrules/boilerplate/b.yaml:6: rule 'b.ad-marker': unknown key 'exampels' (did you mean 'examples'?)" in message
    )
    assert message.splitlines()[-1] == "3 errors in 2 files; no rules loaded."


def test_user_rule_overrides_shipped_rule_with_same_full_id(tmp_path):
    # A user's notices.yaml redefines notices.advertisement-marker to stop removing a lone "Ad".
    folder = write_rules(
        tmp_path,
        {
            "notices.yaml": """\
            rules:
              - id: advertisement-marker
                description: Only the long form.
                category: advertisement
                phrases: [Advertisement]
                examples:
                  remove: [Advertisement]
                  keep: [Ad]
            """
        },
    )
    shipped = load_ruleset()
    mine = load_ruleset([folder])
    assert len(mine.rules) == len(shipped.rules)
    assert mine.get("notices.advertisement-marker").description == "Only the long form."
    assert clean("Body.\nAd\nMore body.", ruleset=shipped).text == "Body.\nMore body."
    assert clean("Body.\nAd\nMore body.", ruleset=mine).text == "Body.\nAd\nMore body."


def test_disable_by_id_and_by_category():
    shipped = load_ruleset()
    text = "Body text here.\nAdvertisement\nShare this article\nMore body."
    assert clean(text, ruleset=shipped).text == "Body text here.\nMore body."
    no_ads = load_ruleset(disable=["notices.advertisement-marker"])
    assert clean(text, ruleset=no_ads).text == "Body text here.\nAdvertisement\nMore body."
    no_share = load_ruleset(disable=["share-prompt"])
    assert "Share this article" in clean(text, ruleset=no_share).text


def test_disable_unknown_name_is_a_usage_error():
    with pytest.raises(UsageError, match=r"no rule or category 'notices.advertisment-marker' \(did you mean"):
        load_ruleset(disable=["notices.advertisment-marker"])


def test_missing_rules_folder(tmp_path):
    with pytest.raises(RulesetError, match="rules folder not found"):
        load_ruleset([tmp_path / "nope"])
