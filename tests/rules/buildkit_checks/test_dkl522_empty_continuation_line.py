"""DKL522 empty-continuation-line: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import clean, fixed
from tests.rules.roundtrip import roundtrip


def test_empty_continuation_line_is_removed() -> None:
    roundtrip(
        "DKL522",
        "FROM a\nRUN apt-get update && \\\n⟨⟩\n    apt-get install -y curl\n",
        "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n",
    )


def test_consecutive_blank_lines_are_one_finding() -> None:
    roundtrip(
        "DKL522",
        "FROM a\nRUN a \\\n⟨  \n⟩\n  && b\n",
        "FROM a\nRUN a \\\n  && b\n",
    )


def test_empty_continuation_at_the_end_of_the_file() -> None:
    # BuildKit warns here too: the continuation takes the empty line before the file ends.
    roundtrip("DKL522", "FROM a\nRUN a \\\n⟨⟩\n", "FROM a\nRUN a \\\n")
    roundtrip("DKL522", "FROM a\nRUN a \\\n  # note\n⟨  ⟩\n", "FROM a\nRUN a \\\n  # note\n")


def test_empty_continuation_with_crlf() -> None:
    text = "FROM a\r\nRUN a \\\r\n\r\n  && b\r\n"
    assert fixed("DKL522", text) == "FROM a\r\nRUN a \\\r\n  && b\r\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN <<EOF\napt-get update\n\napt-get install -y x\nEOF\n",
        "FROM a\nRUN a \\\n# comment\n  && b\n",
        "FROM a\nRUN a \\\n",
        "FROM a\n\nRUN a\n\nRUN b\n",
    ],
)
def test_empty_continuation_clean(text: str) -> None:
    clean("DKL522", text)
