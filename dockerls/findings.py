"""What analysis produces: findings, their related places and their fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dockerls.syntax import Severity, Span


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    safe: bool = True  # False: changes behaviour; offered, never preferred, never in fix-all


@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    message: str


class Tag(enum.Enum):
    UNNECESSARY = "unnecessary"
    DEPRECATED = "deprecated"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable, e.g. "DKL001"
    name: str  # kebab-case pattern name, e.g. "unterminated-heredoc"
    severity: Severity
    message: str
    span: Span
    related: tuple[Related, ...] = ()
    tags: frozenset[Tag] = frozenset()
    fixes: tuple[Fix, ...] = ()

    @property
    def fixable(self) -> bool:
        return any(f.safe for f in self.fixes)
