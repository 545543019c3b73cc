"""How the messages of DKL301, DKL304, DKL351 and DKL352 list things in English
("a, b and c")."""

from __future__ import annotations

from collections.abc import Sequence


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
