"""Edits of a name in place: whether a token can be replaced exactly, and the rename fixes.

Used by DKL520 (stage references), DKL527 and DKL529 (variable references).
"""

from __future__ import annotations

from dockerls.findings import Fix, TextEdit
from dockerls.syntax import Span


def verbatim_at(span: Span, text: str) -> bool:
    """Whether ``text`` sits at ``span`` verbatim (so an edit there replaces just it)."""
    return span.start.line == span.end.line and span.end.column - span.start.column == len(text)


def rename_fixes(span: Span, options: list[str], what: str) -> tuple[Fix, ...]:
    """One fix per option, writing it at ``span`` (safe when there is only one)."""
    return tuple(
        Fix(f"Use {what}{o}", (TextEdit(span, o),), safe=len(options) == 1) for o in options
    )
