"""Applying edits keeps every byte the edits do not touch."""

from __future__ import annotations

import pytest

from dockerls.edits import EditConflict, apply_edits
from dockerls.findings import TextEdit
from dockerls.syntax import Span


def edit(line: int, start: int, end: int, new: str, end_line: int | None = None) -> TextEdit:
    return TextEdit(Span.of(line, start, end_line, end), new)


def test_edits_apply_right_to_left_and_keep_crlf() -> None:
    text = "FROM a\r\nRUN npm install\r\nCMD x"
    out = apply_edits(text, [edit(1, 8, 15, "ci"), edit(0, 5, 6, "b")])
    assert out == "FROM b\r\nRUN npm ci\r\nCMD x"


def test_insertion_and_multiline_replacement_with_code_point_columns() -> None:
    text = "# 🐳 é\nRUN a \\\n  b\n"
    assert apply_edits(text, [edit(0, 4, 4, "!")]) == "# 🐳 !é\nRUN a \\\n  b\n"
    assert apply_edits(text, [edit(1, 4, 3, "x", end_line=2)]) == "# 🐳 é\nRUN x\n"


def test_positions_past_the_end_clamp() -> None:
    assert apply_edits("a\nb", [edit(1, 9, 9, "c"), edit(7, 0, 0, "\nd")]) == "a\nbc\nd"


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(EditConflict):
        apply_edits("abcdef", [edit(0, 0, 3, "x"), edit(0, 2, 4, "y")])
