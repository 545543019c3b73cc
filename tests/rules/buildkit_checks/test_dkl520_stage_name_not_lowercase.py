"""DKL520 stage-name-not-lowercase: flagged, clean and fix cases."""

from __future__ import annotations

from tests.rulecheck import clean
from tests.rules.roundtrip import roundtrip


def test_stage_name_is_lowercased_everywhere() -> None:
    roundtrip(
        "DKL520",
        "FROM golang:1.22 AS ⟨Builder⟩\nFROM Builder AS test\nFROM alpine\n"
        "COPY --from=Builder /app /app\nRUN --mount=from=BUILDER,target=/x true\n",
        "FROM golang:1.22 AS builder\nFROM builder AS test\nFROM alpine\n"
        "COPY --from=builder /app /app\nRUN --mount=from=builder,target=/x true\n",
    )


def test_stage_name_lowercase_clean() -> None:
    clean("DKL520", "FROM golang:1.22 AS builder\nFROM alpine\nCOPY --from=builder /a /a\n")
