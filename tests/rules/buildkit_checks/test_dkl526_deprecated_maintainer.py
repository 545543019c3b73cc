"""DKL526 deprecated-maintainer: flagged, clean and fix cases."""

from __future__ import annotations

from dockerls.findings import Tag
from dockerls.rules.correctness.word_processing import process_word
from tests.rulecheck import check, clean, fixed


def test_maintainer_becomes_a_label() -> None:
    (f,) = check("DKL526", "FROM a\n⟨MAINTAINER⟩ Jane Doe <jane@example.com>\n")
    assert Tag.DEPRECATED in f.tags
    assert fixed("DKL526", "FROM a\nMAINTAINER Jane Doe <jane@example.com>\n") == (
        'FROM a\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n'
    )


def test_maintainer_fix_escapes_quotes_and_dollars() -> None:
    new = fixed("DKL526", 'FROM a\nmaintainer Sagar <"k$x">\n')
    assert new == 'FROM a\nlabel org.opencontainers.image.authors="Sagar <\\"k\\$x\\">"\n'
    clean("DKL526", new)
    assert process_word('"Sagar <\\"k\\$x\\">"', {}).value == 'Sagar <"k$x">'


def test_maintainer_clean() -> None:
    clean("DKL526", 'FROM a\nLABEL org.opencontainers.image.authors="me"\n')
