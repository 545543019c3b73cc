"""How messages list things: ``join(["a", "b", "c"])`` is "a, b and c" (the rules' messages
and the refactors' notes)."""

from __future__ import annotations

from collections.abc import Sequence


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
