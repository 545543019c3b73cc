"""DKL508 invalid-expose-port: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nEXPOSE ⟨99999⟩\n",
        "FROM a\nEXPOSE 80/⟨xyz⟩\n",
        "FROM a\nEXPOSE ⟨9000-8000⟩\n",
        "FROM a\nEXPOSE ⟨http⟩\n",
        "FROM a\nARG PORT=http\nEXPOSE ⟨$PORT⟩\n",
        "FROM a\nEXPOSE 80 ⟨abc⟩:80\n",
    ],
)
def test_invalid_expose_flagged(marked: str) -> None:
    check("DKL508", marked)


def test_invalid_expose_clean() -> None:
    clean("DKL508", "FROM a\nEXPOSE 80 443/tcp 53/udp 8000-8010 9000/sctp 80/TCP 8080:80 $PORT\n")
