"""DKL532 redundant-target-platform: flagged, clean and fix cases."""

from __future__ import annotations

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_redundant_target_platform_is_removed() -> None:
    roundtrip(
        "DKL532",
        "FROM ⟨--platform=$TARGETPLATFORM⟩ alpine:3.20\n",
        "FROM alpine:3.20\n",
    )
    roundtrip(
        "DKL532",
        "FROM ⟨--platform=${TARGETPLATFORM}⟩ alpine:3.20 AS x\n",
        "FROM alpine:3.20 AS x\n",
    )


def test_redundant_target_platform_clean() -> None:
    clean("DKL532", "FROM --platform=$BUILDPLATFORM golang\n")
