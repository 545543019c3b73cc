"""DKL501 malformed-from: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.markers import extract
from tests.rulecheck import check, clean, fixed
from tests.rules.roundtrip import roundtrip


def test_from_second_word_must_be_as() -> None:
    roundtrip(
        "DKL501",
        "FROM golang:1.22 ⟨AD⟩ build\n",
        "FROM golang:1.22 AS build\n",
    )
    roundtrip("DKL501", "from golang:1.22 ⟨ad⟩ build\n", "from golang:1.22 as build\n")


def test_from_invalid_stage_name() -> None:
    (f,) = check("DKL501", "FROM node:20 AS ⟨2nd-stage⟩\n")
    assert "starts with a letter" in f.message
    check("DKL501", "FROM node:20 AS ⟨my/stage⟩\n")


def test_from_two_words_offers_as_unsafely() -> None:
    text, _ = extract("FROM node:20 builder\n")
    (f,) = check("DKL501", "FROM node:20 ⟨builder⟩\n")
    assert not f.fixes[0].safe
    assert fixed("DKL501", text) == "FROM node:20 AS builder\n"
    check("DKL501", "FROM node:20 ⟨AS⟩\n")


def test_from_extra_words() -> None:
    (f,) = check("DKL501", "FROM node:20 AS build ⟨extra words⟩\n")
    assert fixed("DKL501", "FROM node:20 AS build extra words\n") == "FROM node:20 AS build\n"
    assert not f.fixes[0].safe


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\n",
        "FROM node:20 AS build\n",
        "FROM node:20 as build-2.x_y\n",
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n",
        "FROM \\\n  node:20 \\\n  AS build\n",
        "FROM\n",
    ],
)
def test_from_clean(text: str) -> None:
    clean("DKL501", text)
