"""DKL507 unresolved-stage-reference: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.roundtrip import roundtrip


def test_typo_of_a_stage_name_is_fixed() -> None:
    roundtrip(
        "DKL507",
        "FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=⟨buidler⟩ /a /b\n",
        "FROM node:20 AS builder\nFROM nginx:1.27\nCOPY --from=builder /a /b\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20 AS builder\nFROM ⟨buidler⟩\n",
        "FROM ⟨later⟩\nFROM alpine AS later\n",
        "FROM a AS builder\nFROM b\nRUN --mount=from=⟨biulder⟩,target=/x true\n",
    ],
)
def test_unresolved_stage_reference_flagged(marked: str) -> None:
    check("DKL507", marked)


@pytest.mark.parametrize(
    "text",
    [
        "FROM a AS build\nFROM b\nCOPY --from=composer /usr/bin/composer /usr/bin/\n",
        "FROM a AS build\nFROM b\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\n",
        "FROM a AS build\nFROM b\nCOPY --from=build /a /b\n",
        "FROM a AS build\nFROM b\nCOPY --from=docker.io/library/buidl:1 /a /b\n",
        "FROM a AS build\nFROM b\nCOPY --from=Buidl /a /b\n",  # DKL503's
        "FROM a AS one\nCOPY --from=two /x /y\nFROM b AS two\n",  # DKL506's
    ],
)
def test_unresolved_stage_reference_clean(text: str) -> None:
    clean("DKL507", text)
