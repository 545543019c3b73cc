"""The spelling of names: a word written in the case of another, and the closest names to
a misspelled one ("did you mean").

Used by DKL501, DKL502, DKL504, DKL505, DKL507, DKL509 and buildkit_checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache


def same_case(word: str, like: str) -> str:
    """``word`` in the case ``like`` is written in (lower when ``like`` is all lower)."""
    return word.lower() if like == like.lower() and like != like.upper() else word.upper()


@lru_cache(maxsize=1 << 14)  # the same names meet again on every keystroke
def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(name: str, candidates: Iterator[str] | tuple[str, ...] | set[str]) -> list[str]:
    """The closest candidates to a misspelled ``name`` (case-insensitive), best first."""
    lowered = name.lower()
    limit = max(1, min(3, len(name) // 3))
    scored: dict[str, int] = {}
    for cand in candidates:
        if cand == name:
            continue
        other = cand.lower()
        if abs(len(other) - len(lowered)) > limit:
            continue  # the distance is at least the difference in length
        d = _distance(lowered, other)
        if d <= limit:
            scored[cand] = min(d, scored.get(cand, d))
    if not scored:
        return []
    best = min(scored.values())
    return sorted(c for c, d in scored.items() if d == best)


def did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    return " (did you mean " + " or ".join(f"'{o}'" for o in options) + "?)"
