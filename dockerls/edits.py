"""Applying text edits to a document (pure; used by fix-all, the CLI and tests)."""

from __future__ import annotations

from collections.abc import Iterable

from dockerls.findings import TextEdit
from dockerls.syntax import Position
from dockerls.syntax.parser import split_lines


class EditConflict(ValueError):
    """Two edits overlap; applying both would corrupt the text."""


def line_offsets(text: str) -> list[int]:
    """The code-point offset where each line starts (lines split as the parser does)."""
    offsets = [0]
    total = 0
    for line in split_lines(text)[:-1]:
        total += len(line)
        # the line break that follows: \r\n, \n or \r
        total += 2 if text.startswith("\r\n", total) else 1
        offsets.append(total)
    return offsets


def offset_of(offsets: list[int], text: str, pos: Position) -> int:
    """A model position as an offset into ``text`` (clamped to the line and the text)."""
    if pos.line >= len(offsets):
        return len(text)
    start = offsets[pos.line]
    end = offsets[pos.line + 1] if pos.line + 1 < len(offsets) else len(text)
    line = text[start:end].rstrip("\r\n")
    return start + min(max(pos.column, 0), len(line))


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits; raise ``EditConflict`` when two overlap."""
    offsets = line_offsets(text)
    spans = sorted(
        (
            offset_of(offsets, text, e.span.start),
            offset_of(offsets, text, e.span.end),
            i,
            e.new_text,
        )
        for i, e in enumerate(edits)
    )  # insertions at one place keep the order they were given in
    out: list[str] = []
    cursor = 0
    for start, end, _, new in spans:
        if start < cursor:
            raise EditConflict(f"overlapping edits at offset {start}")
        out.append(text[cursor:start])
        out.append(new)
        cursor = max(cursor, end)
    out.append(text[cursor:])
    return "".join(out)
