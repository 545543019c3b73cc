"""DKL523 inconsistent-instruction-casing: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.roundtrip import roundtrip


def test_minority_case_keyword_is_fixed() -> None:
    roundtrip(
        "DKL523",
        "FROM alpine\n⟨run⟩ echo\nCOPY a /b\n",
        "FROM alpine\nRUN echo\nCOPY a /b\n",
    )
    roundtrip("DKL523", "from alpine\nrun x\n⟨COPY⟩ a /b\n", "from alpine\nrun x\ncopy a /b\n")


def test_mixed_case_keyword_is_flagged() -> None:
    (f,) = check("DKL523", "FROM a\nRUN x\n⟨Expose⟩ 80\n")
    assert "uppercase" in f.message


@pytest.mark.parametrize("text", ["from a\nrun x\n", "FROM a\nRUN x\nONBUILD run y\n"])
def test_instruction_casing_clean(text: str) -> None:
    clean("DKL523", text)
