"""DKL112 useradd-without-no-log-init: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import USERADD
from tests.rules.packages.roundtrip import fix_roundtrip


def test_useradd_high_uid() -> None:
    (f,) = check(USERADD, "FROM debian:bookworm\nRUN ⟨useradd⟩ -u 1000000 -m app\n")
    assert "324 MB" in f.message


@pytest.mark.parametrize(
    "run",
    [
        "useradd -u 1000 app",
        "useradd -l -u 1000000 app",
        "useradd --no-log-init -u 1000000 app",
        "useradd -lu 1000000 app",
        "useradd -u $UID app",
        "adduser -u 1000000 app",
    ],
)
def test_useradd_clean(run: str) -> None:
    clean(USERADD, f"FROM debian:bookworm\nRUN {run}\n")


def test_useradd_fix() -> None:
    fix_roundtrip(
        USERADD,
        "FROM debian:bookworm\nRUN groupadd -g 70000 app && useradd --uid=70000 -g app app\n",
        "FROM debian:bookworm\n"
        "RUN groupadd -g 70000 app && useradd --no-log-init --uid=70000 -g app app\n",
    )
    fix_roundtrip(
        USERADD,
        'FROM debian:bookworm\nRUN ["useradd", "-u", "123456", "app"]\n',
        'FROM debian:bookworm\nRUN ["useradd", "--no-log-init", "-u", "123456", "app"]\n',
    )
