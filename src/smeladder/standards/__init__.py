"""The standards engine: official criteria as dated rulebooks, three-valued and explained.

Pure Python, no Django: the web, API and CLI layers call ``assess`` / ``assess_all``.
"""

from .engine import assess, assess_all, assess_with
from .facts import Facts, last_fiscal_year
from .logic import UNKNOWN, Interval
from .result import Check, Result
from .rulebook import NoRulebookInForce, Rulebook, load_rulebooks, rulebook_for

__all__ = [
    "UNKNOWN",
    "Check",
    "Facts",
    "Interval",
    "NoRulebookInForce",
    "Result",
    "Rulebook",
    "assess",
    "assess_all",
    "assess_with",
    "last_fiscal_year",
    "load_rulebooks",
    "rulebook_for",
]
