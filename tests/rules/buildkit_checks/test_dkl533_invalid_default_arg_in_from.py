"""DKL533 invalid-default-arg-in-from: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


def test_invalid_default_arg_in_from() -> None:
    (f,) = check("DKL533", "ARG NODE_VERSION\nFROM ⟨node:${NODE_VERSION}⟩\n")
    assert "'node:'" in f.message and f.related[0].message == "ARG NODE_VERSION has no default"
    check("DKL533", "ARG BASE\nFROM ⟨$BASE⟩\n")
    check("DKL533", "ARG REPO=My/App\nFROM ⟨${REPO}:1⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        "ARG V=20\nFROM node:${V}\n",
        "ARG VARIANT\nFROM python:3.12${VARIANT}\n",
        "ARG BASE\nFROM ${BASE:-alpine}\n",
        "FROM golang:1.22-${TARGETARCH}\n",
        "FROM $UNDECLARED\n",
    ],
)
def test_invalid_default_arg_in_from_clean(text: str) -> None:
    clean("DKL533", text)
