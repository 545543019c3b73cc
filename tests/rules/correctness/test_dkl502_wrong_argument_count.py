"""DKL502 wrong-argument-count: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.roundtrip import roundtrip


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nCOPY ⟨app.py⟩\n",
        'FROM a\nADD ⟨["app.py"]⟩\n',
        "FROM a\nHEALTHCHECK NONE ⟨CMD true⟩\n",
        "FROM a\nHEALTHCHECK ⟨CMD⟩\n",
        "FROM a\nHEALTHCHECK ⟨CMD⟩ []\n",
        "FROM a\nUSER app ⟨user⟩\nRUN true\n",
        "FROM a\nVOLUME ⟨[]⟩\n",
        'FROM a\nVOLUME ["/data", ⟨""⟩]\n',
        # BuildKit: "COPY cannot accept a heredoc as a destination"
        "FROM a\nCOPY a ⟨<<EOF⟩\nx\nEOF\n",
    ],
)
def test_argument_count_flagged(marked: str) -> None:
    check("DKL502", marked)


def test_healthcheck_without_type_gets_cmd() -> None:
    roundtrip(
        "DKL502",
        "FROM a\nHEALTHCHECK --interval=5s ⟨curl⟩ -f http://localhost/\n",
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nCOPY <<EOF /app/x\nhello\nEOF\n",
        "FROM a\nCOPY a b /c/\n",
        'FROM a\nCOPY ["a", "/b"]\n',
        "FROM a\nHEALTHCHECK NONE\n",
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\n",
        'FROM a\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/"]\n',
        "FROM a\nUSER app:app\n",
        'FROM a\nUSER "NT AUTHORITY\\SYSTEM"\n',
        "FROM a\nVOLUME /data /logs\n",
        'FROM a\nVOLUME ["/data"]\n',
        "FROM a\nWORKDIR /my dir\n",
        # BuildKit builds these: DKL515's
        "FROM a\nUSER app user\n",
        "FROM a\nUSER app user\nUSER root\nRUN true\n",
        "FROM a\nONBUILD COPY .\n",
        "FROM a\nONBUILD COPY --form=x a /b/\n",
    ],
)
def test_argument_count_clean(text: str) -> None:
    clean("DKL502", text)
