"""DKL534 constant-platform-in-from: flagged and clean cases."""

from __future__ import annotations

from tests.rulecheck import check, clean


def test_constant_platform() -> None:
    check("DKL534", "FROM --platform=⟨linux/amd64⟩ node:20\n")
    clean("DKL534", "FROM --platform=linux/amd64 node:20 AS build-amd64\n")
    clean("DKL534", "FROM --platform=linux/arm64 node:20 AS linux-tools\n")
    clean("DKL534", "FROM --platform=$BUILDPLATFORM node:20\n")
