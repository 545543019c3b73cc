"""DKL514 unterminated-quote: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


@pytest.mark.parametrize(
    "marked",
    [
        'FROM a\nENV A=⟨"unterminated⟩\n',
        "FROM a\nLABEL d=⟨'x⟩\n",
        "FROM a\nENV MSG don⟨'t panic⟩\n",
        'FROM a\nCOPY ⟨"a⟩ b /c/\n',
        "ARG X=⟨'oops⟩\nFROM a\n",
    ],
)
def test_unterminated_quote_flagged(marked: str) -> None:
    check("DKL514", marked)


@pytest.mark.parametrize(
    "text",
    [
        'FROM a\nENV A="it\'s fine"\n',
        'FROM a\nRUN echo "unterminated\n',
        "FROM a\nLABEL a=\"x\" b='y'\n",
    ],
)
def test_unterminated_quote_clean(text: str) -> None:
    clean("DKL514", text)


def test_backtick_escape_is_honoured() -> None:
    clean("DKL514", '# escape=`\nFROM a\nENV A=x`"y\n')
    clean("DKL514", '# escape=`\nFROM a\nENV A="x\\"\n')
    check("DKL514", 'FROM a\nENV A=⟨"x\\"⟩\n')
