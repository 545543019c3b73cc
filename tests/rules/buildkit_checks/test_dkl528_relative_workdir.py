"""DKL528 relative-workdir: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


def test_relative_workdir() -> None:
    check("DKL528", "FROM node:20\nWORKDIR ⟨app⟩\n")
    check("DKL528", "FROM node:20\nARG D=srv\nWORKDIR ⟨$D⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nWORKDIR /app\nWORKDIR src\n",
        "FROM x AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n",
        "# escape=`\nFROM a\nWORKDIR C:\\app\n",
        "FROM a\nWORKDIR C:/app\n",
        "FROM a\nWORKDIR $HOME/app\n",
        "FROM a\nARG D=/srv\nWORKDIR $D\n",
        "FROM a\nONBUILD WORKDIR app\n",
    ],
)
def test_relative_workdir_clean(text: str) -> None:
    clean("DKL528", text)
