"""The one explicit list of every rule dockerls runs.

Each family module exports ``RULES``, a tuple written out by hand; this module
concatenates them, checks that codes and names are unique, and answers lookups.
"""

from __future__ import annotations

from functools import cache

from dockerls.rules.buildkit_checks import RULES as BUILDKIT_RULES
from dockerls.rules.cache import RULES as CACHE_RULES
from dockerls.rules.correctness import RULES as CORRECTNESS_RULES
from dockerls.rules.engine import Rule
from dockerls.rules.packages import RULES as PACKAGE_RULES
from dockerls.rules.security import RULES as SECURITY_RULES
from dockerls.rules.stages import RULES as STAGE_RULES
from dockerls.rules.syntax import RULES as SYNTAX_RULES
from dockerls.suppression import Equivalents


@cache
def all_rules() -> tuple[Rule, ...]:
    rules = (
        *SYNTAX_RULES,
        *PACKAGE_RULES,
        *STAGE_RULES,
        *CACHE_RULES,
        *SECURITY_RULES,
        *CORRECTNESS_RULES,
        *BUILDKIT_RULES,
    )
    codes = [r.code for r in rules]
    names = [r.name for r in rules]
    if len(set(codes)) != len(codes) or len(set(names)) != len(names):
        raise RuntimeError("rule codes and names must be unique")  # a programming error
    return rules


@cache
def by_key() -> dict[str, Rule]:
    """Rules by code and by name (both lower-cased)."""
    table: dict[str, Rule] = {}
    for r in all_rules():
        table[r.code.lower()] = r
        table[r.name.lower()] = r
    return table


def lookup(key: str) -> Rule | None:
    return by_key().get(key.strip().lower())


@cache
def equivalents() -> dict[str, Equivalents]:
    """Each rule's hadolint codes and BuildKit check names, by code (for suppression)."""
    return {r.code: Equivalents(r.hadolint, r.buildkit, r.name) for r in all_rules()}
