"""DKL110 package-upgrade: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import UPGRADE


def test_upgrade_whole_system() -> None:
    check(
        UPGRADE,
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get -y ⟨dist-upgrade⟩ && apt-get ⟨upgrade⟩ -y\n"
        "RUN apk ⟨upgrade⟩ --no-cache\n"
        "RUN dnf -y ⟨upgrade⟩ && yum ⟨update⟩ -y && zypper -n ⟨dup⟩\n",
    )


@pytest.mark.parametrize(
    "run",
    [
        "apk upgrade --no-cache openssl",
        "dnf -y update openssl",
        "apt-get install -y --only-upgrade openssl",
        "apk add --upgrade curl",
        "apt-get update",
    ],
)
def test_upgrade_clean(run: str) -> None:
    clean(UPGRADE, f"FROM debian:bookworm\nRUN {run}\n")


def test_upgrade_builder_stage_is_silent() -> None:
    clean(UPGRADE, "FROM debian:bookworm AS b\nRUN apt-get upgrade -y\nFROM scratch\n")
