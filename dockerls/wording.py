"""How messages word lists and sizes, the same everywhere the user reads them (the rules'
messages, the refactors' titles and notes, hover, inlay hints, ``dockerls size``):

- ``join(["a", "b", "c"])`` is "a, b and c";
- ``megabytes(1230.4)`` is "1,230": sizes are decimal megabytes (uncompressed, the unit
  ``docker images`` prints) to three significant digits as Docker rounds them ("74.8",
  "2.13"), whole megabytes from 100 on, with thousands separated, and at most two decimals
  below 1 ("0.59"; a few kilobytes are "0").
"""

from __future__ import annotations

from collections.abc import Sequence


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def megabytes(mb: float) -> str:
    """A size in decimal megabytes, without the unit."""
    if mb >= 99.95:
        return f"{mb:,.0f}"
    if mb >= 1:
        return f"{mb:.3g}"
    return f"{mb:.2f}".rstrip("0").rstrip(".")  # "0.59"; a few kB is "0"
