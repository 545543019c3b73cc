"""Traps and positions across the correctness rules: continuation lines, heredoc and
exec-form bodies.
"""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


def test_positions_on_continuation_lines() -> None:
    check("DKL504", "FROM a\nCOPY \\\n  --⟨form⟩=x \\\n  a /b/\n")
    check(
        "DKL529",
        "ARG VERSION=1\nFROM scratch\nCOPY \\\n    app-⟨$VERSION⟩.jar \\\n    /app.jar\n",
    )
    check("DKL512", "FROM a\nENV A=1 \\\n    B=⟨${A:0:1}⟩\n")


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("DKL529", "FROM scratch\nCOPY <<'EOF' /x\n$UNDEFINED\nEOF\n"),
        ("DKL529", "FROM scratch\nRUN <<EOF\necho $UNDEFINED\nEOF\n"),
        ("DKL512", "FROM scratch\nCOPY <<'EOF' /x\n${A:0:1}\nEOF\n"),
        ("DKL512", "FROM scratch\nCOPY <<EOF /x\n\\${A:0:1} don't ${B:-x}\nEOF\n"),
        ("DKL512", 'FROM a\nRUN ["echo", "${A:0:3}"]\n'),
        ("DKL512", "FROM a\nRUN <<EOF\necho ${A:0:3}\nEOF\n"),
        ("DKL514", 'FROM a\nRUN <<EOF\necho "open\nEOF\n'),
        ("DKL504", "FROM a\nRUN <<EOF\n--not-a-flag\nEOF\n"),
        ("DKL502", "FROM a\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\n"),
    ],
)
def test_heredoc_and_exec_form_bodies_are_left_alone(code: str, text: str) -> None:
    clean(code, text)
