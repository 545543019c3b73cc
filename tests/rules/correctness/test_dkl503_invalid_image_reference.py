"""DKL503 invalid-image-reference: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, fixed
from tests.rules.correctness.digests import SHA
from tests.rules.roundtrip import roundtrip


def test_uppercase_repository_is_lowercased() -> None:
    roundtrip("DKL503", "FROM ⟨Node⟩:20-alpine\n", "FROM node:20-alpine\n")


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node⟨:⟩\n",
        "FROM node:⟨-bad⟩\n",
        "FROM alpine@⟨sha256:abc⟩\n",
        "FROM a AS b\nCOPY --from=⟨Golang⟩:1.22 /a /b\n",
        "FROM a\nRUN --mount=from=⟨bad_-image⟩,target=/x true\n",
        # BuildKit: "variable expansion is not supported for --from"
        "FROM a\nCOPY --from=⟨$IMAGE⟩ /a /b\n",
        "FROM a\nARG V=1\nCOPY --from=⟨tool:${V}⟩ /a /b\n",
    ],
)
def test_invalid_reference_flagged(marked: str) -> None:
    check("DKL503", marked)


@pytest.mark.parametrize(
    "marked",
    [
        # BuildKit: "base name ($BASE) should not be blank", also with --build-arg BASE=…
        "FROM ⟨$BASE⟩\n",
        # BuildKit: 'failed to parse stage name "node:-alpine": invalid reference format'
        "ARG NODE_VERSION=20\nFROM ⟨node:${NODE_VERSON}-alpine⟩\n",
        "FROM alpine\nARG LATE\nFROM ⟨x-$LATE⟩\n",
        # BuildKit: "empty platform value from expression $PLATFORM"
        "FROM --platform=⟨$PLATFORM⟩ alpine\n",
    ],
)
def test_from_with_undeclared_names_only_is_invalid(marked: str) -> None:
    check("DKL503", marked)


@pytest.mark.parametrize(
    "text",
    [
        "ARG BASE\nFROM $BASE\n",  # --build-arg BASE=… builds it: DKL533's
        "ARG TAG=3.20\nFROM alpine:${TAG}${EXTRA}\n",
        "FROM alpine$SUFFIX\n",  # 'alpine' is valid: DKL527's warning
        "FROM --platform=$BUILDPLATFORM alpine\n",
    ],
)
def test_from_with_declared_or_harmless_names_is_not_judged(text: str) -> None:
    clean("DKL503", text)


def test_from_stage_in_another_case_is_an_image() -> None:
    (f,) = check("DKL503", "FROM golang:1.22 AS builder\nFROM ⟨Builder⟩\n")
    assert "does not name stage 'builder'" in f.message and f.related
    assert fixed("DKL503", "FROM golang:1.22 AS builder\nFROM Builder\n").endswith("FROM builder\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\n",
        f"FROM registry.example.com:5000/team/app:1.0@sha256:{SHA}\n",
        "FROM scratch\n",
        "FROM golang AS Builder\nFROM builder\n",
        "ARG BASE\nFROM ${BASE}\n",
        'FROM "alpine:3.20"\n',
        "FROM a AS builder\nFROM b\nCOPY --from=builder /a /b\nCOPY --from=0 /a /b\n",
        "FROM a AS Builder\nFROM b\nCOPY --from=BUILDER /a /b\n",
    ],
)
def test_invalid_reference_clean(text: str) -> None:
    clean("DKL503", text)
