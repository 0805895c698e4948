"""cleaner: strip outlet boilerplate from scraped news text, recording every removal."""

from .cleaning import clean
from .document import Document, Removal, restore
from .errors import CleanerError, InputError, Problem, RulesetError, UsageError
from .ruleset import Rule, Ruleset, default_ruleset, load_ruleset

__all__ = [
    "CleanerError", "Document", "InputError", "Problem", "Removal", "Rule", "Ruleset", "RulesetError",
    "UsageError", "clean", "default_ruleset", "load_ruleset", "restore",
]  # fmt: skip
__version__ = "0.1.0"
