"""DKL527 undeclared-arg-in-from: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.roundtrip import roundtrip


def test_undeclared_arg_in_from_typo() -> None:
    roundtrip(
        "DKL527",
        "ARG NODE_VERSION=20\nFROM node:⟨${NODE_VERSON}⟩-alpine\n",
        "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n",
    )


def test_undeclared_arg_in_from_without_candidates() -> None:
    (f,) = check("DKL527", "FROM ⟨$BASE⟩\n")
    assert not f.fixes
    check("DKL527", "FROM --platform=⟨$PLATFORM⟩ alpine\n")


@pytest.mark.parametrize(
    "text",
    [
        "ARG BASE=alpine\nFROM $BASE\n",
        "FROM --platform=$BUILDPLATFORM golang\n",
        "ARG BASE\nFROM ${BASE}\n",
        "FROM alpine\nARG LATE\nFROM x-$LATE\n",
    ],
)
def test_undeclared_arg_in_from_clean(text: str) -> None:
    if "LATE" in text:
        check("DKL527", "FROM alpine\nARG LATE\nFROM x-⟨$LATE⟩\n")
    else:
        clean("DKL527", text)
