"""DKL513 multiple-sources-to-file: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_several_sources_need_a_directory() -> None:
    roundtrip("DKL513", "FROM a\nCOPY a b ⟨/dest⟩\n", "FROM a\nCOPY a b /dest/\n")


def test_several_sources_with_a_heredoc_source_need_a_directory() -> None:
    roundtrip(
        "DKL513",
        "FROM a\nCOPY <<EOF b ⟨/dest⟩\nx\nEOF\n",
        "FROM a\nCOPY <<EOF b /dest/\nx\nEOF\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY a b /dest/\n",
        "FROM a\nCOPY a b .\n",
        "FROM a\nCOPY a b ..\n",
        "FROM a\nCOPY a /dest\n",
        'FROM a\nCOPY ["a", "b", "/c"]\n',
        "FROM a\nCOPY a b $DEST\n",
        # a heredoc where the destination goes: no path to end with / (BuildKit rejects it)
        "FROM a\nCOPY a b <<EOF\nx\nEOF\n",
        "FROM a\nCOPY a <<A <<-B\nx\nA\n\ty\n\tB\n",
    ],
)
def test_several_sources_clean(text: str) -> None:
    clean("DKL513", text)
