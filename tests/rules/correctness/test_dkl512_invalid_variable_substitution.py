"""DKL512 invalid-variable-substitution: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nENV A=⟨${B:0:3}⟩\n",
        "FROM a\nCOPY ⟨${#X}⟩ /y/\n",
        "FROM a\nLABEL a=x-⟨${b^^}⟩\n",
        "FROM a\nWORKDIR /⟨${}⟩\n",
        "FROM a\nENV A=⟨${B:-x⟩\n",
        "FROM ⟨${!BASE}⟩\n",
        "FROM a\nCOPY --chown=⟨${U,,}⟩ a /b/\n",
    ],
)
def test_invalid_substitution_flagged(marked: str) -> None:
    check("DKL512", marked)


def test_copy_heredoc_bodies_are_expanded() -> None:
    # BuildKit: 'failed to process "${A:0:1}\n": unsupported modifier (:0) in substitution'
    check("DKL512", "FROM scratch\nCOPY <<EOF /x\nline\na ⟨${A:0:1}⟩ b\nEOF\n")
    check("DKL512", 'FROM a\nADD <<EOF /x\n"${A}" ⟨${#A}⟩\nEOF\n')


def test_invalid_substitution_message_names_the_form() -> None:
    (f,) = findings("DKL512", "FROM a\nENV A=${B:0:3}\n")
    assert "substring" in f.message and "RUN" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nENV A=${B:-x} C=${B-x} D=${B:+y} E=${B+y} F=${B#*.} G=${B##*/} H=${B%.*} "
        "I=${B%%.*} J=${B/a/b} K=${B//a/b} L=${B:?err}\n",
        "FROM a\nRUN echo ${A:0:3} ${#A}\n",
        'FROM a\nCMD echo "${A^^}"\n',
        "FROM a\nENV A='${B:0:3}'\n",
        "FROM a\nENV A=\\${B:0:3}\n",
        "FROM a\nONBUILD ENV A=${B:0:3}\n",
    ],
)
def test_invalid_substitution_clean(text: str) -> None:
    clean("DKL512", text)
