"""cleaner: strip outlet boilerplate from scraped news text, recording every removal."""

__version__ = "0.2.0"  # before the imports: modules below read it while this package loads

from cleaner.annotation.annotate import annotate, load_annotator
from cleaner.annotation.sentiment import target_sentiment
from cleaner.boilerplate.cleaning import clean
from cleaner.boilerplate.ruleset import Rule, Ruleset, default_ruleset, load_ruleset
from cleaner.document import Document, Removal, restore
from cleaner.errors import CleanerError, InputError, Problem, RulesetError, UsageError

__all__ = [
    "CleanerError", "Document", "InputError", "Problem", "Removal", "Rule", "Ruleset", "RulesetError",
    "UsageError", "annotate", "clean", "default_ruleset", "load_annotator", "load_ruleset", "restore",
    "target_sentiment",
]  # fmt: skip
