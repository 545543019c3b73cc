"""The parser's problems, seen as rules: exact spans, and silence on good input."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean

CASES = [
    ("DKL001", "FROM alpine:3.20\n⟨RUNN⟩ echo\n", "FROM alpine:3.20\nRUN echo\n"),
    ("DKL002", "⟨FROM⟩\n", "FROM alpine:3.20\n"),
    ("DKL003", "FROM alpine:3.20\nRUN ⟨<<EOF⟩\necho\n", "FROM alpine:3.20\nRUN <<EOF\necho\nEOF\n"),
    ("DKL004", "FROM alpine:3.20\nCMD ⟨['sh']⟩\n", 'FROM alpine:3.20\nCMD ["sh"]\n'),
    ("DKL005", "# escape=⟨x⟩\nFROM alpine:3.20\n", "# escape=`\nFROM alpine:3.20\n"),
    ("DKL006", "⟨RUN⟩ echo\nFROM alpine:3.20\n", "ARG V=1\nFROM alpine:3.20\n"),
    ("DKL007", "FROM alpine:3.20\nENV ⟨LONELY⟩\n", "FROM alpine:3.20\nENV LONELY=1\n"),
    ("DKL008", "FROM alpine:3.20\n⟨RUN⟩\n", "FROM alpine:3.20\nRUN true\n"),
]


@pytest.mark.parametrize(("code", "flagged", "good"), CASES, ids=[c[0] for c in CASES])
def test_syntax_rule(code: str, flagged: str, good: str) -> None:
    check(code, flagged)
    clean(code, good)
