"""DKL521 from-as-casing-mismatch: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_as_follows_the_case_of_from() -> None:
    roundtrip("DKL521", "FROM node:20 ⟨as⟩ build\n", "FROM node:20 AS build\n")
    roundtrip("DKL521", "from node:20 ⟨AS⟩ build\n", "from node:20 as build\n")


@pytest.mark.parametrize(
    "text", ["FROM node AS b\n", "from node as b\n", "From node as b\n", "FROM node\n"]
)
def test_as_casing_clean(text: str) -> None:
    clean("DKL521", text)
